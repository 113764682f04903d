/*
 * fuzz_connstr.c - libFuzzer target for driver/connstr.c.
 *
 * The input is a connection string.  Invariants (STYLE.md section 8):
 *   - parsing never crashes; a syntax error names a byte offset;
 *   - parse -> write -> parse is stable: the same keys and values in the
 *     same order, and writing the re-parsed list gives the same text;
 *   - the masked form parses back with "****" for every secret value
 *     and every other value unchanged;
 *   - kd_config_build (with a fake DSN lookup), kc_config_validate,
 *     kc_config_copy and cleanup never crash or leak.
 */
#include "fuzz_util.h"

#include "driver/connstr.h"
#include "kintone/kc_config.h"
#include "kintone/kc_error.h"
#include "util/ku_buf.h"
#include "util/ku_mem.h"

/* A DSN "fz" with a few settings; every other DSN is unknown. */
static int fake_lookup(const char *dsn, const char *key, char *buf,
                       int buflen)
{
  static const char *const kv[][2] = {
    {"URL", "https://fz.cybozu.com"}, {"User", "dsnuser"},
    {"Password", "dsnpass"}, {"AppId", "1,2"}, {"PageSize", "100"},
    {NULL, NULL}
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

static void same(const struct kd_connstr *a, const struct kd_connstr *b)
{
  size_t i;

  FZ_ASSERT(a->n == b->n);
  for(i = 0; i < a->n; i++) {
    FZ_ASSERT(!strcmp(a->kv[i].key, b->kv[i].key));
    FZ_ASSERT(!strcmp(a->kv[i].value, b->kv[i].value));
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct kd_connstr cs, cs2;
  struct ku_buf w1, w2, masked, unknown;
  struct kc_config cfg, copy;
  struct kc_err err;
  char ebuf[256];
  int rc;
  size_t i;

  if(size > 4096)
    return 0;
  rc = kd_connstr_parse((const char *)data, (long)size, &cs, ebuf,
                        sizeof(ebuf));
  FZ_ASSERT(rc == KD_CS_OK || rc == KD_CS_ESYNTAX);
  if(rc) {
    FZ_ASSERT(strstr(ebuf, "offset") != NULL);
    kd_connstr_free(&cs);
    return 0;
  }
  ku_buf_init(&w1, 1 << 20);
  ku_buf_init(&w2, 1 << 20);
  ku_buf_init(&masked, 1 << 20);
  FZ_ASSERT(kd_connstr_write(&cs, &w1, 0) == KD_CS_OK);
  rc = kd_connstr_parse(ku_buf_cstr(&w1), -1, &cs2, ebuf, sizeof(ebuf));
  if(rc)
    fprintf(stderr, "re-parse of [%s] failed: %s\n", ku_buf_cstr(&w1),
            ebuf);
  FZ_ASSERT(rc == KD_CS_OK);
  same(&cs, &cs2);
  FZ_ASSERT(kd_connstr_write(&cs2, &w2, 0) == KD_CS_OK);
  FZ_ASSERT(!strcmp(ku_buf_cstr(&w1), ku_buf_cstr(&w2)));
  kd_connstr_free(&cs2);
  FZ_ASSERT(kd_connstr_write(&cs, &masked, 1) == KD_CS_OK);
  FZ_ASSERT(kd_connstr_parse(ku_buf_cstr(&masked), -1, &cs2, ebuf,
                             sizeof(ebuf)) == KD_CS_OK);
  FZ_ASSERT(cs2.n == cs.n);
  for(i = 0; i < cs.n; i++)
    if(kd_key_is_secret(cs.kv[i].key))
      FZ_ASSERT(!strcmp(cs2.kv[i].value, "****"));
    else
      FZ_ASSERT(!strcmp(cs2.kv[i].value, cs.kv[i].value));
  kd_connstr_free(&cs2);

  /* settings: build, validate, copy */
  ku_buf_init(&unknown, 1 << 16);
  rc = kd_config_build(&cs, fake_lookup, &cfg, &unknown, &err);
  FZ_ASSERT(rc == KC_OK || rc == KC_ECONFIG);
  if(rc == KC_OK) {
    kc_config_validate(&cfg, &err);
    FZ_ASSERT(kc_config_copy(&copy, &cfg) == KC_OK);
    kc_config_cleanup(&copy);
  }
  kc_config_cleanup(&cfg);
  ku_buf_cleanup(&unknown);
  ku_buf_cleanup(&w1);
  ku_buf_cleanup(&w2);
  ku_buf_cleanup(&masked);
  kd_connstr_free(&cs);
  return 0;
}
