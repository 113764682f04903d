/*
 * check_connstr.c - unit tests of driver/connstr.c (connection string
 * grammar, serialisation, DSN + connection string -> kc_config) and of
 * kc_config_validate() (kintone/kc_config.c).
 *
 * Links libkd.la.  DSNs come from fake_lookup(), a kd_dsn_lookup_fn over
 * the in-memory table `dsns`, so no odbc.ini is read.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/connstr.h"
#include "kintone/kc_config.h"
#include "kintone/kc_error.h"
#include "util/ku_buf.h"
#include "util/ku_mem.h"
#include "util/ku_str.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* "日本語" */
#define JA "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"

/* "[key][value]..." of every attribute, for compact comparisons. */
static const char *dump(const struct kd_connstr *cs)
{
  static char out[2048];
  size_t i, used = 0;

  out[0] = '\0';
  for(i = 0; i < cs->n && used < sizeof(out); i++)
    used += (size_t)snprintf(out + used, sizeof(out) - used, "[%s][%s]",
                             cs->kv[i].key, cs->kv[i].value);
  return out;
}

/* ------------------------------------------------------------ parse */

static const struct {
  const char *in;
  const char *kv;
} parse_ok[] = {
  {"", ""},
  {";;;", ""},
  {"  ", ""},
  {" ; ; ", ""},
  {"DSN=k", "[DSN][k]"},
  {"DSN=k;", "[DSN][k]"},
  {";DSN=k;;UID=alice;", "[DSN][k][UID][alice]"},
  {" DSN = k ;\tUID =  alice  ", "[DSN][k][UID][alice]"},
  {"A=;B=", "[A][][B][]"},
  {"A=a b c", "[A][a b c]"},
  {"A=x{y}", "[A][x{y}]"},                /* braces only open a value */
  {"A=x}y", "[A][x}y]"},
  {"A=a=b", "[A][a=b]"},                  /* '=' after the first is data */
  {"PWD={a;b}", "[PWD][a;b]"},
  {"PWD={a=b;c}", "[PWD][a=b;c]"},
  {"PWD={a}}b}", "[PWD][a}b]"},
  {"PWD={}}}", "[PWD][}]"},
  {"PWD={}}}}}", "[PWD][}}]"},
  {"PWD={}", "[PWD][]"},
  {"PWD={{x}", "[PWD][{x]"},
  {"PWD={ spaced }", "[PWD][ spaced ]"},
  {"PWD=  {x} ;A=1", "[PWD][x][A][1]"},
  {"PWD={x}\t;A=1", "[PWD][x][A][1]"},
  {"PWD={;};A={=}", "[PWD][;][A][=]"},
  {"A=1;A=2;a=3", "[A][1][A][2][a][3]"},
  {"User=" JA ";PWD={" JA ";}", "[User][" JA "][PWD][" JA ";]"},
  {"DRIVER={Kintone ODBC};URL=https://x.cybozu.com;AppId=1,2",
   "[DRIVER][Kintone ODBC][URL][https://x.cybozu.com][AppId][1,2]"},
  {"{a=b", "[{a][b]"}                     /* a key is never braced */
};

START_TEST(parse_valid)
{
  struct kd_connstr cs;
  char err[128] = "junk";

  ck_assert_int_eq(kd_connstr_parse(parse_ok[_i].in, -1, &cs, err,
                                    sizeof(err)), KD_CS_OK);
  ck_assert_str_eq(err, "");
  ck_assert_str_eq(dump(&cs), parse_ok[_i].kv);
  kd_connstr_free(&cs);
  ck_assert_uint_eq(cs.n, 0);
  ck_assert_ptr_null(cs.kv);
  kd_connstr_free(&cs);                   /* idempotent */
}
END_TEST

static const struct {
  const char *in;
  const char *what;     /* substring of the message */
  const char *where;    /* "offset N" */
} parse_bad[] = {
  {"PWD={abc", "unterminated '{'", "offset 4"},
  {"A=1;PWD={abc;B=2", "unterminated '{'", "offset 8"},
  {"PWD={a}}", "unterminated '{'", "offset 4"},  /* '}}' is data */
  {"abc", "without '='", "offset 0"},
  {"A=1;B", "without '='", "offset 4"},
  {"A=1; B ;C=2", "without '='", "offset 5"},
  {"PWD={x} ;X", "without '='", "offset 9"},
  {"=x", "empty attribute name", "offset 0"},
  {"A=1; =x", "empty attribute name", "offset 5"},
  {"PWD={a}b", "after '}'", "offset 7"},
  {"PWD={a} b;C=1", "after '}'", "offset 8"}
};

START_TEST(parse_invalid)
{
  struct kd_connstr cs;
  char err[128];

  cs.n = 99;
  ck_assert_int_eq(kd_connstr_parse(parse_bad[_i].in, -1, &cs, err,
                                    sizeof(err)), KD_CS_ESYNTAX);
  ck_assert_msg(strstr(err, parse_bad[_i].what) != NULL, "message '%s'",
                err);
  ck_assert_msg(strstr(err, parse_bad[_i].where) != NULL, "message '%s'",
                err);
  ck_assert_uint_eq(cs.n, 0);
  ck_assert_ptr_null(cs.kv);
  kd_connstr_free(&cs);

  /* no message buffer at all is fine */
  ck_assert_int_eq(kd_connstr_parse(parse_bad[_i].in, -1, &cs, NULL, 0),
                   KD_CS_ESYNTAX);
}
END_TEST

START_TEST(parse_length)
{
  struct kd_connstr cs;
  char err[8];

  /* len bounds the text: "A=1;B=2" cut after "A=1" */
  ck_assert_int_eq(kd_connstr_parse("A=1;B=2", 3, &cs, err, sizeof(err)),
                   KD_CS_OK);
  ck_assert_str_eq(dump(&cs), "[A][1]");
  kd_connstr_free(&cs);
  /* a brace closed only beyond len is unterminated */
  ck_assert_int_eq(kd_connstr_parse("P={ab}", 5, &cs, err, sizeof(err)),
                   KD_CS_ESYNTAX);
  ck_assert_uint_lt(strlen(err), sizeof(err));   /* truncated, ended */
  /* a NUL inside len ends the string (SQL_NTS-style input) */
  ck_assert_int_eq(kd_connstr_parse("A=1\0B=2", 7, &cs, err, sizeof(err)),
                   KD_CS_OK);
  ck_assert_str_eq(dump(&cs), "[A][1]");
  kd_connstr_free(&cs);
  ck_assert_int_eq(kd_connstr_parse("A=1", 0, &cs, err, sizeof(err)),
                   KD_CS_OK);
  ck_assert_uint_eq(cs.n, 0);
  kd_connstr_free(&cs);
}
END_TEST

START_TEST(parse_oom)
{
  const char *in = "DSN=k;UID=alice;PWD={a;b}}c};AppId=1,2,3;X=" JA;
  struct kd_connstr cs;
  char err[64];
  long k;
  int rc = KD_CS_ENOMEM;

  for(k = 0; rc != KD_CS_OK; k++) {
    ck_assert_int_lt(k, 1000);
    ku_mem_fail_after(k);
    rc = kd_connstr_parse(in, -1, &cs, err, sizeof(err));
    ku_mem_fail_after(-1);
    if(rc) {
      ck_assert_int_eq(rc, KD_CS_ENOMEM);
      ck_assert_uint_eq(cs.n, 0);
      ck_assert_ptr_null(cs.kv);
    }
  }
  ck_assert_str_eq(dump(&cs), "[DSN][k][UID][alice][PWD][a;b}c][AppId]"
                   "[1,2,3][X][" JA "]");
  kd_connstr_free(&cs);
}
END_TEST

/* -------------------------------------------------------- get / set */

START_TEST(get_first_wins)
{
  struct kd_connstr cs;

  ck_assert_int_eq(kd_connstr_parse("uid=a;UID=b;Uid=c;PWD=;X=1", -1, &cs,
                                    NULL, 0), KD_CS_OK);
  ck_assert_str_eq(kd_connstr_get(&cs, "UID"), "a");
  ck_assert_str_eq(kd_connstr_get(&cs, "uid"), "a");
  ck_assert_str_eq(kd_connstr_get(&cs, "pwd"), "");
  ck_assert_str_eq(kd_connstr_get(&cs, "x"), "1");
  ck_assert_ptr_null(kd_connstr_get(&cs, "User"));   /* no alias lookup */
  ck_assert_ptr_null(kd_connstr_get(&cs, "UI"));
  ck_assert_ptr_null(kd_connstr_get(&cs, ""));

  /* set replaces the first occurrence, or appends */
  ck_assert_int_eq(kd_connstr_set(&cs, "Uid", "z"), KD_CS_OK);
  ck_assert_str_eq(kd_connstr_get(&cs, "UID"), "z");
  ck_assert_int_eq(kd_connstr_set(&cs, "URL", "https://h"), KD_CS_OK);
  ck_assert_str_eq(dump(&cs), "[uid][z][UID][b][Uid][c][PWD][][X][1]"
                   "[URL][https://h]");
  kd_connstr_free(&cs);
}
END_TEST

/* ------------------------------------------------------------ write */

static const char *const tricky[] = {
  "", "plain", "a b", "a;b", "a=b", "{x}", "{", "}", "}}", "{}}", "x}",
  " lead", "trail ", " both ", JA, "x;y}z{w=", "https://a.b/c?d=e&f=g",
  "C:\\certs\\client.pfx", "'quoted' \"too\"", "a\tb\nc",
  /*
   * BUG (driver/connstr.c kd_connstr_write): only a leading/trailing ' '
   * makes a value braced, but kd_connstr_parse also drops leading and
   * trailing tab, CR and LF of an unbraced value, so these come back
   * changed.  Correct: brace every value whose edges ku_trim would cut.
   */
  "\tlead tab", "trail tab\t", "trail nl\n", "\r\nlead crlf"
};

/* The first entry of `tricky` that fails today (see BUG above). */
#define TRICKY_OK 20

/* Round trip of a tricky value through write + parse (+ write). */
START_TEST(write_roundtrip)
{
  const char *v = tricky[_i];
  struct kd_connstr cs = {NULL, 0}, back;
  struct ku_buf out, again;

  ku_buf_init(&out, 4096);
  ku_buf_init(&again, 4096);
  ck_assert_int_eq(kd_connstr_set(&cs, "DSN", "k"), KD_CS_OK);
  ck_assert_int_eq(kd_connstr_set(&cs, "PWD", v), KD_CS_OK);
  ck_assert_int_eq(kd_connstr_set(&cs, "X", "1"), KD_CS_OK);
  ck_assert_int_eq(kd_connstr_write(&cs, &out, 0), KD_CS_OK);
  ck_assert_int_eq(kd_connstr_parse(ku_buf_cstr(&out), -1, &back, NULL, 0),
                   KD_CS_OK);
  ck_assert_uint_eq(back.n, 3);
  ck_assert_msg(!strcmp(kd_connstr_get(&back, "PWD"), v),
                "value '%s' came back as '%s' (written as '%s')", v,
                kd_connstr_get(&back, "PWD"), ku_buf_cstr(&out));
  ck_assert_str_eq(kd_connstr_get(&back, "X"), "1");
  ck_assert_int_eq(kd_connstr_write(&back, &again, 0), KD_CS_OK);
  ck_assert_str_eq(ku_buf_cstr(&again), ku_buf_cstr(&out));
  kd_connstr_free(&cs);
  kd_connstr_free(&back);
  ku_buf_cleanup(&out);
  ku_buf_cleanup(&again);
}
END_TEST

/* parse -> write -> parse -> write is stable for every valid input. */
START_TEST(write_stable)
{
  struct kd_connstr a, b;
  struct ku_buf w1, w2;

  ku_buf_init(&w1, 4096);
  ku_buf_init(&w2, 4096);
  ck_assert_int_eq(kd_connstr_parse(parse_ok[_i].in, -1, &a, NULL, 0),
                   KD_CS_OK);
  ck_assert_int_eq(kd_connstr_write(&a, &w1, 0), KD_CS_OK);
  ck_assert_int_eq(kd_connstr_parse(ku_buf_cstr(&w1), -1, &b, NULL, 0),
                   KD_CS_OK);
  ck_assert_str_eq(dump(&b), parse_ok[_i].kv);
  ck_assert_int_eq(kd_connstr_write(&b, &w2, 0), KD_CS_OK);
  ck_assert_str_eq(ku_buf_cstr(&w2), ku_buf_cstr(&w1));
  kd_connstr_free(&a);
  kd_connstr_free(&b);
  ku_buf_cleanup(&w1);
  ku_buf_cleanup(&w2);
}
END_TEST

START_TEST(write_exact)
{
  struct kd_connstr cs;
  struct ku_buf out;

  ku_buf_init(&out, 4096);
  ck_assert_int_eq(kd_connstr_parse("DSN=k;PWD={a;b};X={ y};E=;Z={}}}",
                                    -1, &cs, NULL, 0), KD_CS_OK);
  ck_assert_int_eq(kd_connstr_write(&cs, &out, 0), KD_CS_OK);
  ck_assert_str_eq(ku_buf_cstr(&out), "DSN=k;PWD={a;b};X={ y};E=;Z={}}}");
  kd_connstr_free(&cs);
  ku_buf_cleanup(&out);

  /* the output cap is honoured */
  ku_buf_init(&out, 8);
  ck_assert_int_eq(kd_connstr_parse("DSN=kintone;UID=alice", -1, &cs, NULL,
                                    0), KD_CS_OK);
  ck_assert_int_ne(kd_connstr_write(&cs, &out, 0), KD_CS_OK);
  kd_connstr_free(&cs);
  ku_buf_cleanup(&out);
}
END_TEST

START_TEST(write_mask)
{
  static const char *const in =
    "DSN=k;UID=alice;PWD={s;e}}cret};APIToken=tok1,tok2;"
    "AccessToken=oauth-x;ProxyPassword=proxy-pw;BasicAuthPassword=basic-pw;"
    "SSLClientCertPassword=cert-pw;OAuthAccessToken=oa;apitokens=t3;"
    "password=lower;URL=https://x.cybozu.com";
  static const char *const secrets[] = {
    "s;e}cret", "e}}cret", "tok1", "tok2", "oauth-x", "proxy-pw",
    "basic-pw", "cert-pw", "=oa;", "t3", "lower"
  };
  struct kd_connstr cs;
  struct ku_buf out;
  size_t i;

  ku_buf_init(&out, 4096);
  ck_assert_int_eq(kd_connstr_parse(in, -1, &cs, NULL, 0), KD_CS_OK);
  ck_assert_int_eq(kd_connstr_write(&cs, &out, 1), KD_CS_OK);
  ck_assert_str_eq(ku_buf_cstr(&out),
                   "DSN=k;UID=alice;PWD=****;APIToken=****;"
                   "AccessToken=****;ProxyPassword=****;"
                   "BasicAuthPassword=****;SSLClientCertPassword=****;"
                   "OAuthAccessToken=****;apitokens=****;password=****;"
                   "URL=https://x.cybozu.com");
  for(i = 0; i < N_ELEMS(secrets); i++)
    ck_assert_ptr_null(strstr(ku_buf_cstr(&out), secrets[i]));
  /* the unmasked form keeps them */
  ku_buf_reset(&out);
  ck_assert_int_eq(kd_connstr_write(&cs, &out, 0), KD_CS_OK);
  ck_assert_ptr_nonnull(strstr(ku_buf_cstr(&out), "PWD={s;e}}cret}"));
  kd_connstr_free(&cs);
  ku_buf_cleanup(&out);
}
END_TEST

static const struct {
  const char *key;
  int secret;
} secret_cases[] = {
  {"Password", 1}, {"PWD", 1}, {"pwd", 1}, {"APIToken", 1},
  {"APITOKENS", 1}, {"BasicAuthPassword", 1}, {"OAuthAccessToken", 1},
  {"AccessToken", 1}, {"SSLClientCertPassword", 1}, {"ProxyPassword", 1},
  {"User", 0}, {"UID", 0}, {"URL", 0}, {"BasicAuthUser", 0},
  {"ProxyUser", 0}, {"AppId", 0}, {"", 0}, {"Passwords", 0}
};

START_TEST(key_is_secret)
{
  ck_assert_int_eq(kd_key_is_secret(secret_cases[_i].key),
                   secret_cases[_i].secret);
}
END_TEST

static Suite *connstr_suite(void)
{
  Suite *s = suite_create("connstr");
  TCase *t;

  t = tcase_create("parse");
  tcase_add_loop_test(t, parse_valid, 0, (int)N_ELEMS(parse_ok));
  tcase_add_loop_test(t, parse_invalid, 0, (int)N_ELEMS(parse_bad));
  tcase_add_test(t, parse_length);
  tcase_add_test(t, parse_oom);
  suite_add_tcase(s, t);
  t = tcase_create("get_set");
  tcase_add_test(t, get_first_wins);
  suite_add_tcase(s, t);
  t = tcase_create("write");
  tcase_add_loop_test(t, write_roundtrip, 0, TRICKY_OK);
  tcase_add_loop_test(t, write_stable, 0, (int)N_ELEMS(parse_ok));
  tcase_add_test(t, write_exact);
  suite_add_tcase(s, t);
  t = tcase_create("write_edge_blanks");
  tcase_add_loop_test(t, write_roundtrip, TRICKY_OK,
                      (int)N_ELEMS(tricky));      /* fail: known bug */
  suite_add_tcase(s, t);
  t = tcase_create("mask");
  tcase_add_test(t, write_mask);
  tcase_add_loop_test(t, key_is_secret, 0, (int)N_ELEMS(secret_cases));
  suite_add_tcase(s, t);
  return s;
}

/* ------------------------------------------------ kd_config_build */

/* The in-memory odbc.ini: (dsn, key, value) triples. */
static const struct {
  const char *dsn, *key, *value;
} dsns[] = {
  {"kintone", "Driver", "Kintone"},
  {"kintone", "URL", "https://dsn.cybozu.com"},
  {"kintone", "User", "dsnuser"},
  {"kintone", "Password", "dsnpw"},
  {"kintone", "AppId", "1, 2"},
  {"kintone", "PageSize", "100"},
  {"kintone", "LogLevel", "2"},
  {"kintone", "Timeout", ""},                  /* empty: not applied */
  {"aliases", "Server", "https://alias.cybozu.com"},
  {"aliases", "uid", "u1"},                    /* keys are case-blind */
  {"aliases", "PWD", "p1"},
  {"aliases", "AppIds", "5"},
  {"both", "User", "canon"},
  {"both", "UID", "alias"},
  {"tokens", "URL", "https://t.cybozu.com"},
  {"tokens", "APIToken", "t1,t2"},
  {"tokens", "AppId", "10,11"},
  {"badpage", "PageSize", "9999"},
  {"scheme", "AuthScheme", "APIToken"},
  {"scheme", "User", "u"},
  {"oauth", "AccessToken", "oat"}
};

static int lookups;

/* kd_dsn_lookup_fn over `dsns`. */
static int fake_lookup(const char *dsn, const char *key, char *buf,
                       int buflen)
{
  size_t i;
  int found = 0;

  lookups++;
  buf[0] = '\0';
  for(i = 0; i < N_ELEMS(dsns); i++) {
    if(ku_strcasecmp(dsns[i].dsn, dsn))
      continue;
    found = 1;
    if(key && !ku_strcasecmp(dsns[i].key, key)) {
      snprintf(buf, (size_t)buflen, "%s", dsns[i].value);
      return (int)strlen(buf);
    }
  }
  if(!found)
    return -1;
  return key ? 0 : 1;
}

static struct kc_config cfg;
static struct kc_err err;
static struct ku_buf unknown;

static void build_setup(void)
{
  kc_config_init(&cfg);
  kc_err_clear(&err);
  ku_buf_init(&unknown, 1024);
  lookups = 0;
}

static void build_teardown(void)
{
  kc_config_cleanup(&cfg);
  ku_buf_cleanup(&unknown);
}

/* Parses cs and runs kd_config_build into the fixture's cfg. */
static int build(const char *s)
{
  struct kd_connstr cs;
  int rc;

  ck_assert_int_eq(kd_connstr_parse(s, -1, &cs, NULL, 0), KD_CS_OK);
  kc_config_cleanup(&cfg);
  ku_buf_reset(&unknown);
  rc = kd_config_build(&cs, fake_lookup, &cfg, &unknown, &err);
  kd_connstr_free(&cs);
  return rc;
}

/* Asserts the AppId list equals ids[0..n). */
static void assert_apps(const long long *ids, size_t n)
{
  size_t i;

  ck_assert_uint_eq(cfg.n_app_ids, n);
  for(i = 0; i < n; i++)
    ck_assert_int_eq(cfg.app_ids[i], ids[i]);
}

START_TEST(build_defaults)
{
  ck_assert_int_eq(build(""), KC_OK);
  ck_assert_ptr_null(cfg.url);
  ck_assert_int_eq(cfg.auth_scheme, KC_AUTH_PASSWORD);
  ck_assert_int_eq(cfg.page_size, 500);
  ck_assert_int_eq(cfg.max_concurrency, 4);
  ck_assert_int_eq(cfg.timeout_s, 60);
  ck_assert_int_eq(cfg.table_naming, KC_NAMING_NAME);
  ck_assert_int_eq(cfg.log_level, 0);
  ck_assert_int_eq(cfg.preserve_order, 1);
  ck_assert_int_eq(cfg.id_range_probe, 1);
  ck_assert_int_eq(lookups, 0);
  ck_assert_str_eq(ku_buf_cstr(&unknown), "");
  ck_assert_int_eq(err.kind, KC_EK_NONE);
}
END_TEST

START_TEST(build_dsn_values)
{
  static const long long apps[] = {1, 2};

  ck_assert_int_eq(build("DSN=kintone"), KC_OK);
  ck_assert_str_eq(cfg.url, "https://dsn.cybozu.com");
  ck_assert_str_eq(cfg.user, "dsnuser");
  ck_assert_str_eq(cfg.password, "dsnpw");
  assert_apps(apps, 2);
  ck_assert_int_eq(cfg.page_size, 100);
  ck_assert_int_eq(cfg.log_level, 2);
  ck_assert_int_eq(cfg.timeout_s, 60);         /* empty DSN value */
  ck_assert_int_eq(cfg.auth_scheme, KC_AUTH_PASSWORD);
  ck_assert_str_eq(ku_buf_cstr(&unknown), "");
  ck_assert_int_gt(lookups, 0);

  /* DSN names are case-insensitive in odbc.ini, and so in the fake */
  ck_assert_int_eq(build("dsn=KINTONE"), KC_OK);
  ck_assert_str_eq(cfg.user, "dsnuser");
}
END_TEST

START_TEST(build_overrides)
{
  static const long long apps[] = {7};

  ck_assert_int_eq(build("DSN=kintone;URL=https://cs.cybozu.com;"
                         "PageSize=50;AppIds=7"), KC_OK);
  ck_assert_str_eq(cfg.url, "https://cs.cybozu.com");
  ck_assert_int_eq(cfg.page_size, 50);
  assert_apps(apps, 1);
  ck_assert_str_eq(cfg.user, "dsnuser");       /* not overridden */

  /* aliases in the connection string override the DSN's canonical keys */
  ck_assert_int_eq(build("DSN=kintone;UID=bob;PWD={p;w}"), KC_OK);
  ck_assert_str_eq(cfg.user, "bob");
  ck_assert_str_eq(cfg.password, "p;w");

  /* an empty value in the connection string still overrides */
  ck_assert_int_eq(build("DSN=kintone;Password="), KC_OK);
  ck_assert_str_eq(cfg.password, "");

  /* a bad DSN value is not even looked at once overridden */
  ck_assert_int_eq(build("DSN=badpage;PageSize=20"), KC_OK);
  ck_assert_int_eq(cfg.page_size, 20);
  ck_assert_int_eq(build("DSN=badpage"), KC_ECONFIG);
  ck_assert_ptr_nonnull(strstr(err.message, "PageSize"));
  ck_assert_ptr_nonnull(strstr(err.message, "9999"));
}
END_TEST

START_TEST(build_dsn_aliases)
{
  static const long long apps[] = {5};

  ck_assert_int_eq(build("DSN=aliases"), KC_OK);
  ck_assert_str_eq(cfg.url, "https://alias.cybozu.com");
  ck_assert_str_eq(cfg.user, "u1");
  ck_assert_str_eq(cfg.password, "p1");
  assert_apps(apps, 1);

  /* the connection string (canonical or alias) beats the DSN alias */
  ck_assert_int_eq(build("DSN=aliases;User=x"), KC_OK);
  ck_assert_str_eq(cfg.user, "x");
  ck_assert_int_eq(build("DSN=aliases;uid=y;Password=z"), KC_OK);
  ck_assert_str_eq(cfg.user, "y");
  ck_assert_str_eq(cfg.password, "z");

  /* in one DSN the canonical key beats its alias */
  ck_assert_int_eq(build("DSN=both"), KC_OK);
  ck_assert_str_eq(cfg.user, "canon");
}
END_TEST

START_TEST(build_first_wins)
{
  ck_assert_int_eq(build("UID=a;User=b;uid=c"), KC_OK);
  ck_assert_str_eq(cfg.user, "a");
  ck_assert_int_eq(build("User=b;UID=a"), KC_OK);
  ck_assert_str_eq(cfg.user, "b");
  /* a later bad duplicate is ignored, not reported */
  ck_assert_int_eq(build("PageSize=10;PageSize=abc"), KC_OK);
  ck_assert_int_eq(cfg.page_size, 10);
}
END_TEST

static const struct {
  const char *cs;
  int rc;
  int scheme;
} scheme_cases[] = {
  {"AuthScheme=Password", KC_OK, KC_AUTH_PASSWORD},
  {"AuthScheme=password", KC_OK, KC_AUTH_PASSWORD},
  {"AuthScheme=APIToken", KC_OK, KC_AUTH_APITOKEN},
  {"authscheme=APITOKEN", KC_OK, KC_AUTH_APITOKEN},
  {"AuthScheme=OAuth", KC_OK, KC_AUTH_OAUTH},
  {"AuthScheme=Basic", KC_ECONFIG, 0},
  {"AuthScheme=", KC_ECONFIG, 0},
  {"AuthScheme=API Token", KC_ECONFIG, 0},
  /* inference when AuthScheme is absent */
  {"APIToken=t1", KC_OK, KC_AUTH_APITOKEN},
  {"APITokens=t1,t2;AppId=1,2", KC_OK, KC_AUTH_APITOKEN},
  {"APIToken=t1;User=u", KC_OK, KC_AUTH_PASSWORD},
  {"APIToken=;User=", KC_OK, KC_AUTH_PASSWORD},
  {"AccessToken=x", KC_OK, KC_AUTH_OAUTH},
  {"OAuthAccessToken=x;UID=u", KC_OK, KC_AUTH_PASSWORD},
  {"AuthScheme=Password;APIToken=t1", KC_OK, KC_AUTH_PASSWORD},
  {"DSN=tokens", KC_OK, KC_AUTH_APITOKEN},
  {"DSN=scheme", KC_OK, KC_AUTH_APITOKEN},     /* explicit in the DSN */
  {"DSN=scheme;AuthScheme=OAuth", KC_OK, KC_AUTH_OAUTH},
  {"DSN=oauth", KC_OK, KC_AUTH_OAUTH},
  {"User=u", KC_OK, KC_AUTH_PASSWORD}
};

START_TEST(build_auth_scheme)
{
  int rc = build(scheme_cases[_i].cs);

  ck_assert_int_eq(rc, scheme_cases[_i].rc);
  if(rc == KC_OK)
    ck_assert_int_eq(cfg.auth_scheme, scheme_cases[_i].scheme);
  else {
    ck_assert_int_eq(err.kind, KC_EK_CONFIG);
    ck_assert_msg(strstr(err.message, "AuthScheme") != NULL, "'%s'",
                  err.message);
    ck_assert_msg(strstr(err.message, "Password, APIToken or OAuth") !=
                  NULL, "'%s'", err.message);
  }
}
END_TEST

static const struct {
  const char *cs;
  int rc;
  size_t n;
  long long ids[4];
} appid_cases[] = {
  {"AppId=1", KC_OK, 1, {1}},
  {"AppId=1, 2 ,3", KC_OK, 3, {1, 2, 3}},
  {"AppId=,4,,", KC_OK, 1, {4}},
  {"AppId=", KC_OK, 0, {0}},
  {"AppIds={10,20}", KC_OK, 2, {10, 20}},
  {"AppId=9223372036854775807", KC_OK, 1, {9223372036854775807LL}},
  {"AppId=1,x", KC_ECONFIG, 0, {0}},
  {"AppId=0", KC_ECONFIG, 0, {0}},
  {"AppId=-3", KC_ECONFIG, 0, {0}},
  {"AppId=1.5", KC_ECONFIG, 0, {0}},
  {"AppId=1 2", KC_ECONFIG, 0, {0}},
  {"AppId=0x10", KC_ECONFIG, 0, {0}},
  {"AppId=99999999999999999999", KC_ECONFIG, 0, {0}}
};

START_TEST(build_app_ids)
{
  int rc = build(appid_cases[_i].cs);

  ck_assert_int_eq(rc, appid_cases[_i].rc);
  if(rc == KC_OK)
    assert_apps(appid_cases[_i].ids, appid_cases[_i].n);
  else {
    ck_assert_int_eq(err.kind, KC_EK_CONFIG);
    ck_assert_msg(!strncmp(err.message, "AppId must be", 13), "'%s'",
                  err.message);
    ck_assert_ptr_null(cfg.app_ids);          /* cleaned up */
  }
}
END_TEST

START_TEST(build_tokens)
{
  ck_assert_int_eq(build("APIToken= t1 ,t2,, t3 "), KC_OK);
  ck_assert_uint_eq(cfg.n_api_tokens, 3);
  ck_assert_str_eq(cfg.api_tokens[0], "t1");
  ck_assert_str_eq(cfg.api_tokens[1], "t2");
  ck_assert_str_eq(cfg.api_tokens[2], "t3");
  ck_assert_int_eq(build("DSN=tokens;APITokens=only"), KC_OK);
  ck_assert_uint_eq(cfg.n_api_tokens, 1);
  ck_assert_str_eq(cfg.api_tokens[0], "only");
  ck_assert_uint_eq(cfg.n_app_ids, 2);
  ck_assert_int_eq(build("APIToken="), KC_OK);
  ck_assert_uint_eq(cfg.n_api_tokens, 0);
}
END_TEST

static const struct {
  const char *cs;
  int rc;
  const char *prop;     /* named in the message on error */
} range_cases[] = {
  {"GuestSpaceId=5", KC_OK, NULL},
  {"PreserveOrder=off", KC_OK, NULL},
  {"PreserveOrder=maybe", KC_ECONFIG, "PreserveOrder"},
  {"IdRangeProbe=no", KC_OK, NULL},
  {"IdRangeProbe=2", KC_ECONFIG, "IdRangeProbe"},
  {"GuestSpaceId=", KC_OK, NULL},
  {"GuestSpaceId=0", KC_ECONFIG, "GuestSpaceId"},
  {"GuestSpaceId=-1", KC_ECONFIG, "GuestSpaceId"},
  {"GuestSpaceId=abc", KC_ECONFIG, "GuestSpaceId"},
  {"Timeout=0", KC_OK, NULL},
  {"Timeout=86400", KC_OK, NULL},
  {"Timeout=86401", KC_ECONFIG, "Timeout"},
  {"Timeout=-1", KC_ECONFIG, "Timeout"},
  {"Timeout=10s", KC_ECONFIG, "Timeout"},
  {"Timeout=", KC_ECONFIG, "Timeout"},
  {"MaxConcurrency=1", KC_OK, NULL},
  {"MaxConcurrency=100", KC_OK, NULL},
  {"MaxConcurrency=0", KC_ECONFIG, "MaxConcurrency"},
  {"MaxConcurrency=101", KC_ECONFIG, "MaxConcurrency"},
  {"PageSize=1", KC_OK, NULL},
  {"PageSize=500", KC_OK, NULL},
  {"PageSize=0", KC_ECONFIG, "PageSize"},
  {"PageSize=501", KC_ECONFIG, "PageSize"},
  {"PageSize=1e2", KC_ECONFIG, "PageSize"},
  {"LogLevel=0", KC_OK, NULL},
  {"LogLevel=5", KC_OK, NULL},
  {"LogLevel=6", KC_ECONFIG, "LogLevel"},
  {"LogLevel=-1", KC_ECONFIG, "LogLevel"},
  {"LogLevel=debug", KC_ECONFIG, "LogLevel"},
  {"TableNaming=Name", KC_OK, NULL},
  {"TableNaming=code", KC_OK, NULL},
  {"TableNaming=ID", KC_OK, NULL},
  {"TableNaming=Label", KC_ECONFIG, "TableNaming"},
  {"AllowInsecureHttp=1", KC_OK, NULL},
  {"AllowInsecureHttp=yes", KC_OK, NULL},
  {"AllowInsecureHttp=off", KC_OK, NULL},
  {"AllowInsecureHttp=", KC_OK, NULL},
  {"AllowInsecureHttp=2", KC_ECONFIG, "AllowInsecureHttp"},
  {"URL=https://x;PageSize=9;LogLevel=9;Timeout=1", KC_ECONFIG, "LogLevel"}
};

START_TEST(build_ranges)
{
  int rc = build(range_cases[_i].cs);

  ck_assert_int_eq(rc, range_cases[_i].rc);
  if(rc) {
    ck_assert_int_eq(err.kind, KC_EK_CONFIG);
    ck_assert_msg(!strncmp(err.message, range_cases[_i].prop,
                           strlen(range_cases[_i].prop)),
                  "'%s' does not start with %s", err.message,
                  range_cases[_i].prop);
    ck_assert_ptr_null(cfg.url);              /* cleaned up on error */
  }
}
END_TEST

START_TEST(build_values)
{
  ck_assert_int_eq(build("GuestSpaceId=5;Timeout=0;MaxConcurrency=100;"
                         "PageSize=1;LogLevel=5;TableNaming=code;"
                         "AllowInsecureHttp=TRUE;LogFile=/tmp/x.log;"
                         "BasicAuthUser=bu;BasicAuthPassword=bp;"
                         "SSLClientCert=c.pem;SSLClientCertType=PEMKEY_FILE;"
                         "SSLClientCertPassword=cp;SSLClientCertSubject=CN;"
                         "SSLServerCert=ca.pem;ProxyURL=http://p:3128;"
                         "ProxyUser=pu;ProxyPassword=pp;"
                         "OAuthAccessToken=oa;PreserveOrder=0;"
                         "IdRangeProbe=0"), KC_OK);
  ck_assert_int_eq(cfg.preserve_order, 0);
  ck_assert_int_eq(cfg.id_range_probe, 0);
  ck_assert_int_eq(cfg.guest_space_id, 5);
  ck_assert_int_eq(cfg.timeout_s, 0);
  ck_assert_int_eq(cfg.max_concurrency, 100);
  ck_assert_int_eq(cfg.page_size, 1);
  ck_assert_int_eq(cfg.log_level, 5);
  ck_assert_int_eq(cfg.table_naming, KC_NAMING_CODE);
  ck_assert_int_eq(cfg.allow_http, 1);
  ck_assert_str_eq(cfg.log_file, "/tmp/x.log");
  ck_assert_str_eq(cfg.basic_user, "bu");
  ck_assert_str_eq(cfg.basic_password, "bp");
  ck_assert_str_eq(cfg.client_cert, "c.pem");
  ck_assert_str_eq(cfg.client_cert_type, "PEMKEY_FILE");
  ck_assert_str_eq(cfg.client_cert_password, "cp");
  ck_assert_str_eq(cfg.client_cert_subject, "CN");
  ck_assert_str_eq(cfg.server_cert, "ca.pem");
  ck_assert_str_eq(cfg.proxy_url, "http://p:3128");
  ck_assert_str_eq(cfg.proxy_user, "pu");
  ck_assert_str_eq(cfg.proxy_password, "pp");
  ck_assert_str_eq(cfg.oauth_token, "oa");
  ck_assert_int_eq(cfg.auth_scheme, KC_AUTH_OAUTH);
  ck_assert_int_eq(build("TableNaming=Id"), KC_OK);
  ck_assert_int_eq(cfg.table_naming, KC_NAMING_ID);
}
END_TEST

START_TEST(build_unknown)
{
  ck_assert_int_eq(build("DRIVER={Kintone};DSN=kintone;Foo=1;Description=d;"
                         "bar=2;SAVEFILE=y;Threading=1"), KC_OK);
  ck_assert_str_eq(ku_buf_cstr(&unknown), "Foo, bar");
  ck_assert_int_eq(build("driver=x;dsn=kintone"), KC_OK);
  ck_assert_str_eq(ku_buf_cstr(&unknown), "");
  /* a NULL buffer is allowed */
  {
    struct kd_connstr cs;
    ck_assert_int_eq(kd_connstr_parse("Foo=1", -1, &cs, NULL, 0), KD_CS_OK);
    kc_config_cleanup(&cfg);
    ck_assert_int_eq(kd_config_build(&cs, fake_lookup, &cfg, NULL, &err),
                     KC_OK);
    kd_connstr_free(&cs);
  }
}
END_TEST

/* FILEDSN: the file's [ODBC] section, overridden by the string. */
START_TEST(build_filedsn)
{
  char path[] = "/tmp/check_connstr_XXXXXX";
  int fd = mkstemp(path);
  FILE *fp;
  char cs[256];

  ck_assert_int_ge(fd, 0);
  fp = fdopen(fd, "w");
  fputs("[Other]\nUser=nobody\n[ODBC]\nDRIVER=Kintone\n"
        "URL = https://f.cybozu.com\n; comment\nUID=fileuser\n"
        "PWD=filepass\nTimeout=7\nColour=ignored\n", fp);
  fclose(fp);
  snprintf(cs, sizeof(cs), "FILEDSN=%s;PWD=mine", path);
  ck_assert_int_eq(build(cs), KC_OK);
  ck_assert_str_eq(cfg.url, "https://f.cybozu.com");
  ck_assert_str_eq(cfg.user, "fileuser");
  ck_assert_str_eq(cfg.password, "mine");
  ck_assert_int_eq(cfg.timeout_s, 7);
  ck_assert_str_eq(ku_buf_cstr(&unknown), "");
  unlink(path);
  ck_assert_int_eq(build(cs), KC_ECONFIG);
  ck_assert_ptr_nonnull(strstr(err.message, "FILEDSN"));
}
END_TEST

/* The property list and the key helpers agree. */
START_TEST(property_list)
{
  size_t i;

  for(i = 0; kd_property_names[i]; i++)
    ck_assert(kd_key_is_known(kd_property_names[i]));
  ck_assert_uint_eq(i, 32);
  ck_assert(kd_key_is_known("uid"));
  ck_assert(kd_key_is_known("FileDSN"));
  ck_assert(kd_key_is_known("description"));
  ck_assert(!kd_key_is_known("Colour"));
  ck_assert(kd_key_is_secret("SSLClientCertPassword"));
  ck_assert(kd_key_is_secret("proxypassword"));
}
END_TEST

START_TEST(build_missing_dsn)
{
  ck_assert_int_eq(build("DSN=nosuch;URL=https://x"), KC_ECONFIG);
  ck_assert_int_eq(err.kind, KC_EK_CONFIG);
  ck_assert_msg(strstr(err.message, "not found") != NULL, "'%s'",
                err.message);
  ck_assert_ptr_nonnull(strstr(err.message, "'nosuch'"));
  ck_assert_ptr_null(cfg.url);
  /* an empty DSN= or no lookup function means no DSN at all */
  ck_assert_int_eq(build("DSN=;URL=https://x"), KC_OK);
  ck_assert_str_eq(cfg.url, "https://x");
  {
    struct kd_connstr cs;
    ck_assert_int_eq(kd_connstr_parse("DSN=nosuch;User=u", -1, &cs, NULL,
                                      0), KD_CS_OK);
    kc_config_cleanup(&cfg);
    ck_assert_int_eq(kd_config_build(&cs, NULL, &cfg, &unknown, &err),
                     KC_OK);
    ck_assert_str_eq(cfg.user, "u");
    kd_connstr_free(&cs);
  }
}
END_TEST

START_TEST(build_oom)
{
  struct kd_connstr cs;
  long k;
  int rc = KC_ENOMEM;

  ck_assert_int_eq(kd_connstr_parse("DSN=tokens;APIToken=a,b,c;User=u;"
                                    "AppId=1,2,3;Foo=1;LogFile=/x", -1, &cs,
                                    NULL, 0), KD_CS_OK);
  for(k = 0; rc != KC_OK; k++) {
    ck_assert_int_lt(k, 1000);
    kc_config_cleanup(&cfg);
    ku_buf_reset(&unknown);
    ku_mem_fail_after(k);
    rc = kd_config_build(&cs, fake_lookup, &cfg, &unknown, &err);
    ku_mem_fail_after(-1);
    if(rc) {
      ck_assert_int_eq(rc, KC_ENOMEM);
      ck_assert_int_eq(err.kind, KC_EK_NOMEM);
      ck_assert_ptr_null(cfg.url);
      ck_assert_ptr_null(cfg.api_tokens);
    }
  }
  ck_assert_uint_eq(cfg.n_api_tokens, 3);
  ck_assert_str_eq(cfg.url, "https://t.cybozu.com");
  kd_connstr_free(&cs);
}
END_TEST

static Suite *build_suite(void)
{
  Suite *s = suite_create("config_build");
  TCase *t;

  t = tcase_create("dsn");
  tcase_add_checked_fixture(t, build_setup, build_teardown);
  tcase_add_test(t, build_defaults);
  tcase_add_test(t, build_dsn_values);
  tcase_add_test(t, build_overrides);
  tcase_add_test(t, build_dsn_aliases);
  tcase_add_test(t, build_first_wins);
  tcase_add_test(t, build_missing_dsn);
  suite_add_tcase(s, t);
  t = tcase_create("auth_scheme");
  tcase_add_checked_fixture(t, build_setup, build_teardown);
  tcase_add_loop_test(t, build_auth_scheme, 0, (int)N_ELEMS(scheme_cases));
  suite_add_tcase(s, t);
  t = tcase_create("lists");
  tcase_add_checked_fixture(t, build_setup, build_teardown);
  tcase_add_loop_test(t, build_app_ids, 0, (int)N_ELEMS(appid_cases));
  tcase_add_test(t, build_tokens);
  suite_add_tcase(s, t);
  t = tcase_create("values");
  tcase_add_checked_fixture(t, build_setup, build_teardown);
  tcase_add_loop_test(t, build_ranges, 0, (int)N_ELEMS(range_cases));
  tcase_add_test(t, build_values);
  tcase_add_test(t, build_unknown);
  suite_add_tcase(s, t);
  t = tcase_create("filedsn");
  tcase_add_checked_fixture(t, build_setup, build_teardown);
  tcase_add_test(t, build_filedsn);
  tcase_add_test(t, property_list);
  suite_add_tcase(s, t);
  t = tcase_create("oom");
  tcase_add_checked_fixture(t, build_setup, build_teardown);
  tcase_add_test(t, build_oom);
  suite_add_tcase(s, t);
  return s;
}

/* ------------------------------------------------ kc_config_validate */

static const struct {
  const char *url;
  int allow_http;
  int scheme;
  const char *user, *password, *oauth;
  size_t tokens, apps;
  int rc;
  const char *msg;      /* substring of the message on error */
} val_cases[] = {
#define PW KC_AUTH_PASSWORD
#define TK KC_AUTH_APITOKEN
#define OA KC_AUTH_OAUTH
  {"https://x.cybozu.com", 0, PW, "u", "p", NULL, 0, 0, KC_OK, NULL},
  {"HTTPS://x.cybozu.com/", 0, PW, "u", "", NULL, 0, 0, KC_OK, NULL},
  {NULL, 0, PW, "u", "p", NULL, 0, 0, KC_ECONFIG, "URL is required"},
  {"", 0, PW, "u", "p", NULL, 0, 0, KC_ECONFIG, "URL is required"},
  {"x.cybozu.com", 0, PW, "u", "p", NULL, 0, 0, KC_ECONFIG,
   "must start with https://"},
  {"ftp://x", 0, PW, "u", "p", NULL, 0, 0, KC_ECONFIG, "https://"},
  {"https://", 0, PW, "u", "p", NULL, 0, 0, KC_ECONFIG, "no host name"},
  {"https:///k", 0, PW, "u", "p", NULL, 0, 0, KC_ECONFIG, "no host name"},
  {"https://:443", 0, PW, "u", "p", NULL, 0, 0, KC_ECONFIG, "no host name"},
  /* plain http: loopback and AllowInsecureHttp=1 only */
  {"http://x.cybozu.com", 0, PW, "u", "p", NULL, 0, 0, KC_ECONFIG,
   "must use https://"},
  {"http://x.cybozu.com", 1, PW, "u", "p", NULL, 0, 0, KC_ECONFIG,
   "AllowInsecureHttp=1"},
  {"http://localhost:8080", 0, PW, "u", "p", NULL, 0, 0, KC_ECONFIG,
   "must use https://"},
  {"http://localhost:8080", 1, PW, "u", "p", NULL, 0, 0, KC_OK, NULL},
  {"HTTP://LocalHost/", 1, PW, "u", "p", NULL, 0, 0, KC_OK, NULL},
  {"http://127.0.0.1:9/k", 1, PW, "u", "p", NULL, 0, 0, KC_OK, NULL},
  {"http://[::1]:8080", 1, PW, "u", "p", NULL, 0, 0, KC_OK, NULL},
  {"http://localhost.evil.example", 1, PW, "u", "p", NULL, 0, 0,
   KC_ECONFIG, "https://"},
  {"http://[::2]", 1, PW, "u", "p", NULL, 0, 0, KC_ECONFIG, "https://"},
  {"http://128.0.0.1", 1, PW, "u", "p", NULL, 0, 0, KC_ECONFIG,
   "https://"},
  /* credentials per scheme */
  {"https://x", 0, PW, NULL, "p", NULL, 0, 0, KC_ECONFIG,
   "AuthScheme=Password requires User"},
  {"https://x", 0, PW, "", "p", NULL, 0, 0, KC_ECONFIG,
   "AuthScheme=Password requires User"},
  {"https://x", 0, PW, "u", NULL, NULL, 0, 0, KC_ECONFIG,
   "AuthScheme=Password requires Password"},
  {"https://x", 0, TK, NULL, NULL, NULL, 0, 1, KC_ECONFIG,
   "AuthScheme=APIToken requires APIToken"},
  {"https://x", 0, TK, NULL, NULL, NULL, 1, 0, KC_ECONFIG,
   "AuthScheme=APIToken requires AppId"},
  {"https://x", 0, TK, NULL, NULL, NULL, 3, 2, KC_ECONFIG,
   "APIToken lists 3 tokens but AppId only 2 apps"},
  {"https://x", 0, TK, NULL, NULL, NULL, 2, 2, KC_OK, NULL},
  {"https://x", 0, TK, NULL, NULL, NULL, 1, 3, KC_OK, NULL},
  {"https://x", 0, OA, NULL, NULL, NULL, 0, 0, KC_ECONFIG,
   "AuthScheme=OAuth requires OAuthAccessToken"},
  {"https://x", 0, OA, NULL, NULL, "", 0, 0, KC_ECONFIG,
   "requires OAuthAccessToken"},
  {"https://x", 0, OA, NULL, NULL, "tok", 0, 0, KC_OK, NULL},
  {"https://x", 0, 7, "u", "p", NULL, 0, 0, KC_ECONFIG,
   "unknown AuthScheme"}
#undef PW
#undef TK
#undef OA
};

/* Fills cfg from val_cases[i]. */
static void fill(struct kc_config *c, size_t i)
{
  size_t k;

  kc_config_init(c);
  c->url = ku_strdup(val_cases[i].url);
  c->allow_http = val_cases[i].allow_http;
  c->auth_scheme = val_cases[i].scheme;
  c->user = ku_strdup(val_cases[i].user);
  c->password = ku_strdup(val_cases[i].password);
  c->oauth_token = ku_strdup(val_cases[i].oauth);
  if(val_cases[i].tokens) {
    c->api_tokens = ku_calloc(val_cases[i].tokens, sizeof(char *));
    for(k = 0; k < val_cases[i].tokens; k++)
      c->api_tokens[k] = ku_strdup("tok");
    c->n_api_tokens = val_cases[i].tokens;
  }
  if(val_cases[i].apps) {
    c->app_ids = ku_calloc(val_cases[i].apps, sizeof(long long));
    for(k = 0; k < val_cases[i].apps; k++)
      c->app_ids[k] = (long long)k + 1;
    c->n_app_ids = val_cases[i].apps;
  }
}

START_TEST(validate)
{
  struct kc_config c;
  struct kc_err e;
  int rc;

  fill(&c, (size_t)_i);
  kc_err_clear(&e);
  rc = kc_config_validate(&c, &e);
  ck_assert_msg(rc == val_cases[_i].rc, "%s: rc %d, message '%s'",
                val_cases[_i].url ? val_cases[_i].url : "(null)", rc,
                e.message);
  if(rc) {
    ck_assert_int_eq(e.kind, KC_EK_CONFIG);
    ck_assert_msg(strstr(e.message, val_cases[_i].msg) != NULL,
                  "'%s' lacks '%s'", e.message, val_cases[_i].msg);
  }
  else
    ck_assert_int_eq(e.kind, KC_EK_NONE);
  kc_config_cleanup(&c);
}
END_TEST

START_TEST(validate_limits)
{
  struct kc_config c;
  struct kc_err e;

  fill(&c, 0);
  c.page_size = 0;
  ck_assert_int_eq(kc_config_validate(&c, &e), KC_ECONFIG);
  ck_assert_ptr_nonnull(strstr(e.message, "PageSize"));
  c.page_size = 501;
  ck_assert_int_eq(kc_config_validate(&c, &e), KC_ECONFIG);
  c.page_size = 500;
  c.max_concurrency = 0;
  ck_assert_int_eq(kc_config_validate(&c, &e), KC_ECONFIG);
  ck_assert_ptr_nonnull(strstr(e.message, "MaxConcurrency"));
  c.max_concurrency = 101;
  ck_assert_int_eq(kc_config_validate(&c, &e), KC_ECONFIG);
  c.max_concurrency = 100;
  ck_assert_int_eq(kc_config_validate(&c, &e), KC_OK);
  ck_assert_int_eq(kc_config_validate(&c, NULL), KC_OK);
  c.page_size = 0;
  ck_assert_int_eq(kc_config_validate(&c, NULL), KC_ECONFIG);
  kc_config_cleanup(&c);
}
END_TEST

/*
 * BUG (kintone/kc_config.c kc_config_validate / loopback_host): the host
 * of an http:// URL is taken as the text before the first ':' or '/', so
 * userinfo ("user@host") is mistaken for the host, and any name that
 * starts with "127." counts as loopback.  Each URL below sends plain-http
 * credentials to a non-loopback host and must be rejected.
 */
static const char *const http_bypass[] = {
  "http://127.0.0.1@evil.example/",
  "http://localhost:80@evil.example/",
  "http://[::1]@evil.example/",
  "http://127.evil.example/"
};

START_TEST(validate_http_bypass)
{
  struct kc_config c;
  struct kc_err e;

  fill(&c, 0);
  ku_free(c.url);
  c.url = ku_strdup(http_bypass[_i]);
  c.allow_http = 1;
  ck_assert_msg(kc_config_validate(&c, &e) == KC_ECONFIG,
                "%s accepted as a loopback URL", http_bypass[_i]);
  kc_config_cleanup(&c);
}
END_TEST

START_TEST(config_copy)
{
  struct kc_config c, d;
  size_t i = 0;

  while(val_cases[i].tokens != 2 || val_cases[i].apps != 2)
    i++;
  fill(&c, i);                  /* 2 tokens, 2 apps */
  c.proxy_url = ku_strdup("http://proxy");
  ck_assert_int_eq(kc_config_copy(&d, &c), KC_OK);
  ck_assert_ptr_ne(d.url, c.url);
  ck_assert_str_eq(d.url, c.url);
  ck_assert_ptr_ne(d.api_tokens, c.api_tokens);
  ck_assert_uint_eq(d.n_api_tokens, 2);
  ck_assert_str_eq(d.api_tokens[1], "tok");
  ck_assert_uint_eq(d.n_app_ids, 2);
  ck_assert_int_eq(d.app_ids[1], 2);
  ck_assert_str_eq(d.proxy_url, "http://proxy");
  kc_config_cleanup(&c);
  ck_assert_str_eq(d.url, "https://x");      /* independent */
  kc_config_cleanup(&d);
}
END_TEST

static Suite *validate_suite(void)
{
  Suite *s = suite_create("kc_config");
  TCase *t;

  t = tcase_create("validate");
  tcase_add_loop_test(t, validate, 0, (int)N_ELEMS(val_cases));
  tcase_add_test(t, validate_limits);
  tcase_add_test(t, config_copy);
  suite_add_tcase(s, t);
  t = tcase_create("http_loopback_bypass");
  tcase_add_loop_test(t, validate_http_bypass, 0,
                      (int)N_ELEMS(http_bypass));   /* fail: known bug */
  suite_add_tcase(s, t);
  return s;
}

int main(void)
{
  SRunner *sr = srunner_create(connstr_suite());
  int failed;

  srunner_add_suite(sr, build_suite());
  srunner_add_suite(sr, validate_suite());
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
