/*
 * oom_offline.c - allocation-failure loops over the offline paths
 * (STYLE.md section 8, libuv test-loop-oom.c, curl runtests -t).
 *
 * For N = 0, 1, 2, ... the N+1-th allocation through util/ku_mem.c
 * fails (ku_mem_fail_after(N)); each operation must then report its
 * ENOMEM code (never another error, never a crash) and free what it
 * allocated, until N is large enough that it succeeds.  Leaks are found
 * by running this under ASan's LeakSanitizer (90-sanitizers: `make
 * check` of the sanitizer build) and valgrind (91-valgrind).
 *
 *   (a) kd_connstr_parse + kd_config_build + kd_connstr_write
 *   (b) kc_config_copy
 *   (c) the record path: kj_parse of a records.json body, then for each
 *       value JSON string writing (kj_write_string), UTF-8 -> UTF-16 ->
 *       UTF-8 (as SQLGetData(SQL_C_WCHAR) does) and list splitting
 *
 * Prints TAP; exits 1 on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "driver/connstr.h"
#include "kintone/kc_config.h"
#include "kintone/kc_error.h"
#include "net/kj_json.h"
#include "util/ku_buf.h"
#include "util/ku_mem.h"
#include "util/ku_str.h"
#include "util/ku_utf.h"

static int tests, failures;

static void ok(int cond, const char *fmt, long n)
{
  tests++;
  if(!cond)
    failures++;
  printf("%sok %d - ", cond ? "" : "not ", tests);
  printf(fmt, n);
  printf("\n");
}

static const char *const connstrs[] = {
  "DSN=fz;UID=alice;PWD={a;b}}c};Timeout=30;PageSize=100",
  "DRIVER=Kintone;URL=https://example.cybozu.com;AuthScheme=APIToken;"
  "APIToken=tok1,tok2,tok3;AppId=12,15;GuestSpaceId=3;TableNaming=Code",
  "URL=https://a.kintone.com;AuthScheme=OAuth;OAuthAccessToken=xyz;"
  "BasicAuthUser=b;BasicAuthPassword=c;SSLClientCert=/x.pfx;"
  "SSLClientCertType=PFXFILE;SSLClientCertPassword=z;ProxyURL=http://p:1;"
  "ProxyUser=u;ProxyPassword=q;SSLServerCert=/ca.pem;Unknown1=1;Foo=2;"
  "LogFile=/dev/null;LogLevel=0;MaxConcurrency=4",
  NULL
};

static int fake_lookup(const char *dsn, const char *key, char *buf,
                       int buflen)
{
  static const char *const kv[][2] = {
    {"URL", "https://fz.cybozu.com"}, {"User", "dsnuser"},
    {"Password", "dsnpass"}, {"AppId", "1,2"}, {NULL, NULL}
  };
  int i;

  if(strcmp(dsn, "fz"))
    return -1;
  buf[0] = '\0';
  if(!key)
    return 0;
  for(i = 0; kv[i][0]; i++)
    if(!strcmp(key, kv[i][0])) {
      snprintf(buf, (size_t)buflen, "%s", kv[i][1]);
      return (int)strlen(buf);
    }
  return 0;
}

/* One pass of (a); returns 0 on success, 1 on ENOMEM, -1 on a wrong
   result code. */
static int pass_connstr(const char *s)
{
  struct kd_connstr cs;
  struct kc_config cfg;
  struct kc_err err;
  struct ku_buf unknown, out;
  char ebuf[128];
  int rc, ret = 0;

  rc = kd_connstr_parse(s, -1, &cs, ebuf, sizeof(ebuf));
  if(rc)
    return rc == KD_CS_ENOMEM ? 1 : -1;
  ku_buf_init(&unknown, 1 << 16);
  ku_buf_init(&out, 1 << 16);
  rc = kd_config_build(&cs, fake_lookup, &cfg, &unknown, &err);
  kc_config_cleanup(&cfg);
  if(rc)
    ret = rc == KC_ENOMEM ? 1 : -1;
  if(!ret) {
    rc = kd_connstr_write(&cs, &out, 1);
    if(rc)
      ret = rc == KD_CS_ENOMEM ? 1 : -1;
  }
  if(!ret) {
    rc = kd_connstr_set(&cs, "PWD", "new;secret");
    if(rc)
      ret = rc == KD_CS_ENOMEM ? 1 : -1;
  }
  ku_buf_cleanup(&unknown);
  ku_buf_cleanup(&out);
  kd_connstr_free(&cs);
  return ret;
}

/* (b): copies a full configuration. */
static int pass_copy(const struct kc_config *src)
{
  struct kc_config dst;
  int rc = kc_config_copy(&dst, src);

  kc_config_cleanup(&dst);
  if(rc)
    return rc == KC_ENOMEM ? 1 : -1;
  return 0;
}

static const char records_body[] =
  "{\"records\":[{\"$id\":{\"type\":\"__ID__\",\"value\":\"5\"},"
  "\"deal_name\":{\"type\":\"SINGLE_LINE_TEXT\","
  "\"value\":\"Quoted \\\"Alpha\\\" \\u5546\\u8ac7 \\ud83c\\udf89\"},"
  "\"tags\":{\"type\":\"CHECK_BOX\",\"value\":[\"a,b\",\"c\"]},"
  "\"memo\":{\"type\":\"MULTI_LINE_TEXT\",\"value\":\"l1\\nl2\\tx\"}}],"
  "\"totalCount\":\"1\"}";

/* Walks one value as the driver would; 0, 1 (ENOMEM) or -1. */
static int use_text(const char *t)
{
  struct ku_buf b;
  uint16_t *w = NULL;
  char *back = NULL, **items = NULL;
  size_t wn = 0, bn = 0, nitems = 0;
  int rc;

  ku_buf_init(&b, 1 << 20);
  rc = kj_write_string(&b, t, strlen(t));
  ku_buf_cleanup(&b);
  if(rc)
    return rc == KU_ENOMEM ? 1 : -1;
  rc = ku_utf8_to_utf16(t, strlen(t), &w, &wn);
  if(rc)
    return rc == KU_ENOMEM ? 1 : -1;
  rc = ku_utf16_to_utf8(w, wn, &back, &bn);
  ku_free(w);
  if(rc)
    return rc == KU_ENOMEM ? 1 : -1;
  if(bn != strlen(t) || memcmp(back, t, bn)) {
    ku_free(back);
    return -1;
  }
  ku_free(back);
  rc = ku_split_list(t, &items, &nitems);
  if(rc)
    return rc == KU_ENOMEM ? 1 : -1;
  ku_strlist_free(items, nitems);
  return 0;
}

static int pass_records(void)
{
  yajl_val root, recs, rec;
  char err[256];
  size_t i, j;
  int rc = 0;

  if(kj_parse(records_body, sizeof(records_body) - 1, &root, err,
              sizeof(err)))
    return strstr(err, "out of memory") ? 1 : -1;
  recs = kj_get(root, "records");
  for(i = 0; i < kj_len(recs) && !rc; i++) {
    rec = kj_at(recs, i);
    for(j = 0; rec && j < rec->u.object.len && !rc; j++) {
      yajl_val v = kj_get(rec->u.object.values[j], "value");
      if(YAJL_IS_ARRAY(v)) {
        size_t k;
        for(k = 0; k < kj_len(v) && !rc; k++)
          if(kj_text(kj_at(v, k)))
            rc = use_text(kj_text(kj_at(v, k)));
      }
      else if(kj_text(v))
        rc = use_text(kj_text(v));
    }
  }
  yajl_tree_free(root);
  return rc;
}

/* Runs f with failures after 0, 1, 2... allocations until a pass
   succeeds; `what` names the loop in the TAP line. */
#define OOM_LOOP(what, call)                                              \
  do {                                                                    \
    long n_, fails_ = 0, bad_ = 0;                                        \
    int r_;                                                               \
    for(n_ = 0; n_ < 100000; n_++) {                                      \
      ku_mem_fail_after(n_);                                              \
      r_ = (call);                                                        \
      ku_mem_fail_after(-1);                                              \
      if(r_ == 0)                                                         \
        break;                                                            \
      if(r_ < 0) {                                                        \
        bad_++;                                                           \
        fprintf(stderr, "# %s: wrong error code at N=%ld\n", what, n_);   \
      }                                                                   \
      else                                                                \
        fails_++;                                                         \
    }                                                                     \
    ok(r_ == 0 && !bad_ && fails_ == n_,                                  \
       what ": ENOMEM at each of N = 0..%ld, then success", n_ - 1);      \
  } while(0)

int main(void)
{
  struct kc_config full;
  struct kd_connstr cs;
  struct kc_err err;
  struct ku_buf unk;
  char ebuf[128];
  int i;

  printf("1..5\n");
  for(i = 0; connstrs[i]; i++)
    OOM_LOOP("connstr parse/build/write/set", pass_connstr(connstrs[i]));

  /* a configuration with every string and list set */
  if(kd_connstr_parse(connstrs[2], -1, &cs, ebuf, sizeof(ebuf)) ||
     (ku_buf_init(&unk, 1 << 16),
      kd_config_build(&cs, fake_lookup, &full, &unk, &err))) {
    ok(0, "building the configuration to copy%ld", 0);
    return 1;
  }
  ku_buf_cleanup(&unk);
  kd_connstr_free(&cs);
  OOM_LOOP("kc_config_copy", pass_copy(&full));
  kc_config_cleanup(&full);

  OOM_LOOP("records.json values (JSON string, UTF-16, lists)",
           pass_records());
  return failures ? 1 : 0;
}
