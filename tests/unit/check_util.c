/*
 * check_util.c - unit tests of the util layer: ku_buf, ku_str, ku_utf,
 * ku_mem and ku_log.
 *
 * Links libku.la only.  One Suite per module; a TCase per behaviour;
 * most cases are tables.  Leak checks inside OOM loops compare glibc's
 * mallinfo2() in-use byte counts before and after each failed attempt;
 * glibc's per-thread cache hides frees from mallinfo2, so they run only
 * with it off:
 *
 *   GLIBC_TUNABLES=glibc.malloc.tcache_count=0 tests/unit/check_util
 */
#include <check.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/ku_buf.h"
#include "util/ku_log.h"
#include "util/ku_mem.h"
#include "util/ku_str.h"
#include "util/ku_utf.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* "日本語" = 9 bytes, 3 characters. */
#define JA "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"
/* U+1F600 (grinning face): 4 bytes, a surrogate pair. */
#define EMOJI "\xf0\x9f\x98\x80"

/* Bytes in use on the heap (for leak checks inside one test), or 0 when
   the tcache makes the count meaningless. */
static size_t heap_in_use(void)
{
  const char *t = getenv("GLIBC_TUNABLES");
  struct mallinfo2 mi;

  if(!t || !strstr(t, "tcache_count=0"))
    return 0;
  mi = mallinfo2();
  return mi.uordblks;
}

/* ------------------------------------------------------------ ku_buf */

START_TEST(buf_empty)
{
  struct ku_buf b;

  ku_buf_init(&b, 100);
  ck_assert_ptr_null(b.ptr);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_str_eq(ku_buf_cstr(&b), "");
  ck_assert_int_eq(ku_buf_add(&b, "", 0), KU_OK);
  ck_assert_str_eq(ku_buf_cstr(&b), "");
  ck_assert_uint_eq(b.len, 0);
  ku_buf_cleanup(&b);
  ku_buf_cleanup(&b);                 /* twice is harmless */
  ck_assert_ptr_null(b.ptr);
}
END_TEST

START_TEST(buf_growth)
{
  struct ku_buf b;
  char want[5000];
  size_t i;

  ku_buf_init(&b, sizeof(want));
  for(i = 0; i < sizeof(want) - 1; i++) {
    want[i] = (char)('a' + i % 26);
    ck_assert_int_eq(ku_buf_addc(&b, want[i]), KU_OK);
    ck_assert_uint_eq(b.len, i + 1);
    ck_assert_uint_ge(b.cap, b.len + 1);
    ck_assert_uint_le(b.cap, b.max + 1);
    ck_assert_int_eq(b.ptr[b.len], '\0');
  }
  want[i] = '\0';
  ck_assert_str_eq(ku_buf_cstr(&b), want);
  ck_assert_int_eq(ku_buf_adds(&b, "x"), KU_OK);   /* exactly max */
  ck_assert_uint_eq(b.len, b.max);
  ck_assert_int_eq(ku_buf_adds(&b, "y"), KU_ETOOBIG);
  ku_buf_cleanup(&b);

  /* binary data with NULs keeps its length */
  ku_buf_init(&b, 64);
  ck_assert_int_eq(ku_buf_add(&b, "a\0b", 3), KU_OK);
  ck_assert_uint_eq(b.len, 3);
  ck_assert_int_eq(memcmp(b.ptr, "a\0b", 4), 0);
  ku_buf_cleanup(&b);
}
END_TEST

static const struct {
  size_t max;           /* cap */
  const char *pre;      /* added first (must fit) */
  size_t add;           /* then this many 'z' bytes */
  int rc;               /* expected result of the second add */
} cap_cases[] = {
  {0, "", 0, KU_OK},
  {0, "", 1, KU_ETOOBIG},
  {1, "", 1, KU_OK},
  {1, "a", 1, KU_ETOOBIG},
  {10, "", 10, KU_OK},
  {10, "", 11, KU_ETOOBIG},
  {10, "abcde", 5, KU_OK},
  {10, "abcde", 6, KU_ETOOBIG},
  {64, "", 64, KU_OK},
  {64, "", 65, KU_ETOOBIG},
  {100, "x", (size_t)-1, KU_ETOOBIG},       /* no size_t overflow */
  {100, "x", (size_t)-1 / 2, KU_ETOOBIG}
};

START_TEST(buf_cap)
{
  struct ku_buf b;
  size_t n = cap_cases[_i].add, plen = strlen(cap_cases[_i].pre);
  char *z = NULL;

  if(n < 1000) {
    z = malloc(n + 1);
    ck_assert_ptr_nonnull(z);
    memset(z, 'z', n);
  }
  ku_buf_init(&b, cap_cases[_i].max);
  ck_assert_int_eq(ku_buf_adds(&b, cap_cases[_i].pre), KU_OK);
  ck_assert_int_eq(ku_buf_add(&b, z ? z : "", n), cap_cases[_i].rc);
  if(cap_cases[_i].rc) {
    /* a refused add leaves the buffer as it was */
    ck_assert_uint_eq(b.len, plen);
    ck_assert_str_eq(ku_buf_cstr(&b), cap_cases[_i].pre);
  }
  else
    ck_assert_uint_eq(b.len, plen + n);
  ck_assert_uint_le(b.len, b.max);
  ku_buf_cleanup(&b);
  free(z);
}
END_TEST

/*
 * BUG (util/ku_buf.c grow()): with max == SIZE_MAX ("no cap"), the clamp
 * `ncap > b->max + 1` wraps to `ncap > 0`, so ncap becomes 0, realloc
 * gets 0 (-> 1 byte) and cap is recorded as 0: the next add writes past
 * the allocation.  Correct: the clamp must not apply when max + 1
 * overflows.  Only the empty add is done here so the test never writes
 * out of bounds.
 */
START_TEST(buf_unbounded_cap)
{
  struct ku_buf b;

  ku_buf_init(&b, (size_t)-1);
  ck_assert_int_eq(ku_buf_add(&b, "", 0), KU_OK);
  ck_assert_uint_ge(b.cap, 1);
  if(b.cap >= 1) {
    ck_assert_int_eq(ku_buf_adds(&b, "more than one byte of text"), KU_OK);
    ck_assert_uint_ge(b.cap, b.len + 1);
    ck_assert_str_eq(ku_buf_cstr(&b), "more than one byte of text");
  }
  ku_buf_cleanup(&b);
}
END_TEST

START_TEST(buf_printf)
{
  struct ku_buf b;
  char big[300];
  int i;

  ku_buf_init(&b, 1000);
  ck_assert_int_eq(ku_buf_printf(&b, "app=%d", 7), KU_OK);
  ck_assert_int_eq(ku_buf_printf(&b, "&q=%s", "x y"), KU_OK);
  ck_assert_int_eq(ku_buf_printf(&b, "%s", ""), KU_OK);
  ck_assert_str_eq(ku_buf_cstr(&b), "app=7&q=x y");
  ck_assert_uint_eq(b.len, 11);
  /* a long expansion forces growth past the initial 64 bytes */
  memset(big, 'k', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  ck_assert_int_eq(ku_buf_printf(&b, "[%s]%lld", big, -5LL), KU_OK);
  ck_assert_uint_eq(b.len, 11 + 1 + 299 + 1 + 2);
  ck_assert_int_eq(strncmp(ku_buf_cstr(&b) + 11, "[kkk", 4), 0);
  ck_assert_str_eq(ku_buf_cstr(&b) + b.len - 3, "]-5");
  ku_buf_cleanup(&b);

  /* over the cap: refused, unchanged */
  ku_buf_init(&b, 8);
  ck_assert_int_eq(ku_buf_printf(&b, "%d", 1234), KU_OK);
  ck_assert_int_eq(ku_buf_printf(&b, "%d", 12345), KU_ETOOBIG);
  ck_assert_str_eq(ku_buf_cstr(&b), "1234");
  ck_assert_int_eq(ku_buf_printf(&b, "%d", 5678), KU_OK);
  ck_assert_str_eq(ku_buf_cstr(&b), "12345678");
  for(i = 0; i < 3; i++)
    ck_assert_int_eq(ku_buf_printf(&b, "%c", 'x'), KU_ETOOBIG);
  ku_buf_cleanup(&b);
}
END_TEST

START_TEST(buf_steal)
{
  struct ku_buf b;
  char *s;

  ku_buf_init(&b, 100);
  ck_assert_int_eq(ku_buf_adds(&b, "hello"), KU_OK);
  s = ku_buf_steal(&b);
  ck_assert_str_eq(s, "hello");
  ck_assert_ptr_null(b.ptr);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_uint_eq(b.cap, 0);
  ck_assert_uint_eq(b.max, 100);
  ck_assert_str_eq(ku_buf_cstr(&b), "");
  ku_free(s);
  /* the buffer is usable again */
  ck_assert_int_eq(ku_buf_adds(&b, "again"), KU_OK);
  ck_assert_str_eq(ku_buf_cstr(&b), "again");
  ku_buf_cleanup(&b);

  /* stealing an empty buffer still gives an owned "" */
  ku_buf_init(&b, 100);
  s = ku_buf_steal(&b);
  ck_assert_ptr_nonnull(s);
  ck_assert_str_eq(s, "");
  ku_free(s);
  ku_buf_cleanup(&b);
}
END_TEST

/* a known size is allocated once, exactly; what is added then stays in it */
START_TEST(buf_reserve)
{
  struct ku_buf b;
  char *p;
  char chunk[1000];

  memset(chunk, 'r', sizeof(chunk));
  ku_buf_init(&b, 300000);
  ck_assert_int_eq(ku_buf_reserve(&b, 250000), KU_OK);
  ck_assert_uint_eq(b.cap, 250001);   /* not the next power of two */
  ck_assert_uint_eq(b.len, 0);
  p = b.ptr;
  while(b.len < 250000)
    ck_assert_int_eq(ku_buf_add(&b, chunk, sizeof(chunk)), KU_OK);
  ck_assert_ptr_eq(b.ptr, p);         /* never moved */
  ck_assert_uint_eq(b.cap, 250001);
  ck_assert_int_eq(b.ptr[b.len], '\0');
  ck_assert_int_eq(ku_buf_reserve(&b, 100), KU_OK);   /* never shrinks */
  ck_assert_uint_eq(b.cap, 250001);
  ck_assert_int_eq(ku_buf_reserve(&b, 300001), KU_ETOOBIG);
  ck_assert_int_eq(ku_buf_reserve(&b, (size_t)-1), KU_ETOOBIG);
  ck_assert_uint_eq(b.len, 250000);   /* a refusal changes nothing */
  ck_assert_int_eq(ku_buf_add(&b, chunk, 1), KU_OK);   /* grows on */
  ck_assert_uint_eq(b.len, 250001);
  ku_buf_cleanup(&b);
}
END_TEST

START_TEST(buf_reset)
{
  struct ku_buf b;
  char *p;
  size_t cap;

  ku_buf_init(&b, 100);
  ku_buf_reset(&b);                   /* before any add */
  ck_assert_str_eq(ku_buf_cstr(&b), "");
  ck_assert_int_eq(ku_buf_adds(&b, "0123456789"), KU_OK);
  p = b.ptr;
  cap = b.cap;
  ku_buf_reset(&b);
  ck_assert_uint_eq(b.len, 0);
  ck_assert_ptr_eq(b.ptr, p);         /* storage kept */
  ck_assert_uint_eq(b.cap, cap);
  ck_assert_str_eq(ku_buf_cstr(&b), "");
  ck_assert_int_eq(ku_buf_adds(&b, "ab"), KU_OK);
  ck_assert_str_eq(ku_buf_cstr(&b), "ab");
  /* the cap applies to len after a reset, not to what was added before */
  ku_buf_reset(&b);
  ck_assert_int_eq(ku_buf_add(&b, "x", 0), KU_OK);
  ck_assert_uint_eq(b.len, 0);
  ku_buf_cleanup(&b);
}
END_TEST

START_TEST(buf_oom)
{
  struct ku_buf b;
  long n;
  int rc = KU_ENOMEM;

  for(n = 0; rc; n++) {
    ku_buf_init(&b, 1 << 16);
    ck_assert_int_eq(ku_buf_adds(&b, "seed"), KU_OK);
    ku_mem_fail_after(n);
    rc = ku_buf_printf(&b, "%0200d", 1);
    ku_mem_fail_after(-1);
    if(rc) {
      ck_assert_int_eq(rc, KU_ENOMEM);
      ck_assert_str_eq(ku_buf_cstr(&b), "seed");
    }
    ku_buf_cleanup(&b);
    ck_assert_int_lt(n, 100);
  }
}
END_TEST

static Suite *buf_suite(void)
{
  Suite *s = suite_create("ku_buf");
  TCase *t;

  t = tcase_create("empty");
  tcase_add_test(t, buf_empty);
  suite_add_tcase(s, t);
  t = tcase_create("growth");
  tcase_add_test(t, buf_growth);
  suite_add_tcase(s, t);
  t = tcase_create("cap");
  tcase_add_loop_test(t, buf_cap, 0, (int)N_ELEMS(cap_cases));
  tcase_add_test(t, buf_unbounded_cap);       /* fails: known bug */
  suite_add_tcase(s, t);
  t = tcase_create("printf");
  tcase_add_test(t, buf_printf);
  suite_add_tcase(s, t);
  t = tcase_create("steal");
  tcase_add_test(t, buf_steal);
  suite_add_tcase(s, t);
  t = tcase_create("reset");
  tcase_add_test(t, buf_reset);
  tcase_add_test(t, buf_reserve);
  suite_add_tcase(s, t);
  t = tcase_create("oom");
  tcase_add_test(t, buf_oom);
  suite_add_tcase(s, t);
  return s;
}

/* ------------------------------------------------------------ ku_str */

static int sign(int v)
{
  return v < 0 ? -1 : v > 0;
}

static const struct {
  const char *a, *b;
  size_t n;             /* for ku_strncasecmp */
  int full;             /* sign of ku_strcasecmp */
  int part;             /* sign of ku_strncasecmp(a, b, n) */
} case_cases[] = {
  {"", "", 0, 0, 0},
  {"abc", "ABC", 3, 0, 0},
  {"AuthScheme", "authscheme", 99, 0, 0},
  {"a", "b", 1, -1, -1},
  {"B", "a", 1, 1, 1},
  {"abc", "abcd", 3, -1, 0},
  {"abcd", "ABC", 3, 1, 0},
  {"", "a", 1, -1, -1},
  {"x", "y", 0, -1, 0},
  {"[", "{", 1, -1, -1},              /* '[' is not 'Z' + 1 folded */
  {"@", "`", 1, -1, -1},
  {"\xc3\xa4", "\xc3\x84", 2, 1, 1}   /* no folding beyond ASCII */
};

START_TEST(str_casecmp)
{
  ck_assert_int_eq(sign(ku_strcasecmp(case_cases[_i].a, case_cases[_i].b)),
                   case_cases[_i].full);
  ck_assert_int_eq(sign(ku_strcasecmp(case_cases[_i].b, case_cases[_i].a)),
                   -case_cases[_i].full);
  ck_assert_int_eq(sign(ku_strncasecmp(case_cases[_i].a, case_cases[_i].b,
                                       case_cases[_i].n)),
                   case_cases[_i].part);
}
END_TEST

/* RFC 4648 section 10 test vectors. */
static const struct {
  const char *plain;
  const char *b64;
} b64_cases[] = {
  {"", ""},
  {"f", "Zg=="},
  {"fo", "Zm8="},
  {"foo", "Zm9v"},
  {"foob", "Zm9vYg=="},
  {"fooba", "Zm9vYmE="},
  {"foobar", "Zm9vYmFy"},
  {"user:pa ss", "dXNlcjpwYSBzcw=="},
  {"\xff\xfe\xfd", "//79"},
  {"\xfb\xff", "+/8="}
};

START_TEST(str_base64_vectors)
{
  struct ku_buf b;
  const char *plain = b64_cases[_i].plain, *enc = b64_cases[_i].b64;

  ku_buf_init(&b, 256);
  ck_assert_int_eq(ku_base64_encode(&b, plain, strlen(plain)), KU_OK);
  ck_assert_str_eq(ku_buf_cstr(&b), enc);
  ku_buf_reset(&b);
  ck_assert_int_eq(ku_base64_decode(&b, enc, strlen(enc)), KU_OK);
  ck_assert_uint_eq(b.len, strlen(plain));
  ck_assert_str_eq(ku_buf_cstr(&b), plain);
  ku_buf_cleanup(&b);
}
END_TEST

START_TEST(str_base64_roundtrip)
{
  unsigned char data[256];
  struct ku_buf enc, dec;
  size_t len, i;

  for(i = 0; i < sizeof(data); i++)
    data[i] = (unsigned char)(255 - i);
  for(len = 0; len <= sizeof(data); len++) {
    ku_buf_init(&enc, 1024);
    ku_buf_init(&dec, 1024);
    ck_assert_int_eq(ku_base64_encode(&enc, data, len), KU_OK);
    ck_assert_uint_eq(enc.len, (len + 2) / 3 * 4);
    ck_assert_int_eq(ku_base64_decode(&dec, enc.ptr ? enc.ptr : "",
                                      enc.len), KU_OK);
    ck_assert_uint_eq(dec.len, len);
    ck_assert_int_eq(memcmp(ku_buf_cstr(&dec), data, len), 0);
    ku_buf_cleanup(&enc);
    ku_buf_cleanup(&dec);
  }
}
END_TEST

START_TEST(str_base64_decode_input)
{
  struct ku_buf b;
  static const char *const bad[] = {
    "Zm9v!", "Zm9v\x80", "Zg==Zg==", "Zg=a", "-_-_", "Zm 9v.", "Zm9v\0Zg"
  };
  size_t i;

  ku_buf_init(&b, 256);
  /* whitespace anywhere is skipped */
  ck_assert_int_eq(ku_base64_decode(&b, " Zm9v\r\nYmFy\t", 12), KU_OK);
  ck_assert_str_eq(ku_buf_cstr(&b), "foobar");
  ku_buf_reset(&b);
  /* len bounds the input */
  ck_assert_int_eq(ku_base64_decode(&b, "Zm9vYmFy", 4), KU_OK);
  ck_assert_str_eq(ku_buf_cstr(&b), "foo");
  for(i = 0; i < N_ELEMS(bad); i++) {
    size_t len = i == N_ELEMS(bad) - 1 ? 7 : strlen(bad[i]);
    ku_buf_reset(&b);
    ck_assert_msg(ku_base64_decode(&b, bad[i], len) == KU_EINVAL,
                  "bad base64 #%zu accepted", i);
  }
  /* the output cap is honoured */
  ku_buf_cleanup(&b);
  ku_buf_init(&b, 2);
  ck_assert_int_eq(ku_base64_decode(&b, "Zm9v", 4), KU_ETOOBIG);
  ku_buf_cleanup(&b);
}
END_TEST

static const struct {
  const char *in;
  size_t len;           /* 0: strlen */
  const char *out;
} url_cases[] = {
  {"", 0, ""},
  {"AZaz09-_.~", 0, "AZaz09-_.~"},
  {" ", 0, "%20"},
  {"a b+c", 0, "a%20b%2Bc"},
  {"%", 0, "%25"},
  {"!*'();:@&=+$,/?#[]", 0,
   "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D"},
  {"\"<>\\^`{|}", 0, "%22%3C%3E%5C%5E%60%7B%7C%7D"},
  {JA, 0, "%E6%97%A5%E6%9C%AC%E8%AA%9E"},
  {EMOJI, 0, "%F0%9F%98%80"},
  {"a\0b", 3, "a%00b"},
  {"\r\n\t\x7f", 0, "%0D%0A%09%7F"},
  {"$id > 5 order by $id", 0, "%24id%20%3E%205%20order%20by%20%24id"}
};

START_TEST(str_url_encode)
{
  struct ku_buf b;
  const char *in = url_cases[_i].in;
  size_t len = url_cases[_i].len ? url_cases[_i].len : strlen(in);

  ku_buf_init(&b, 1024);
  ck_assert_int_eq(ku_buf_adds(&b, "q="), KU_OK);
  ck_assert_int_eq(ku_url_encode(&b, in, len), KU_OK);
  ck_assert_str_eq(ku_buf_cstr(&b) + 2, url_cases[_i].out);
  ku_buf_cleanup(&b);
}
END_TEST

static const struct {
  const char *in;
  size_t skip;          /* leading blanks dropped */
  size_t len;           /* result length */
} trim_cases[] = {
  {"", 0, 0},
  {"   ", 3, 0},
  {"abc", 0, 3},
  {"  abc", 2, 3},
  {"abc  ", 0, 3},
  {" \t\r\na b\n\r\t ", 4, 3},
  {"\va\f", 0, 3},                    /* only space, tab, CR, LF */
  {" x ", 1, 1}
};

START_TEST(str_trim)
{
  const char *in = trim_cases[_i].in, *t;
  size_t len = strlen(in);

  t = ku_trim(in, &len);
  ck_assert_ptr_eq(t, in + trim_cases[_i].skip);
  ck_assert_uint_eq(len, trim_cases[_i].len);
  /* len limits the view: trailing blanks beyond it are not seen */
  len = 2;
  t = ku_trim("a  b", &len);
  ck_assert_uint_eq(len, 1);
  ck_assert_int_eq(*t, 'a');
}
END_TEST

static const struct {
  const char *in;
  size_t n;
  const char *items[10];
} split_cases[] = {
  {NULL, 0, {NULL}},
  {"", 0, {NULL}},
  {"   ", 0, {NULL}},
  {",", 0, {NULL}},
  {" , ,, ", 0, {NULL}},
  {"a", 1, {"a"}},
  {"a,b", 2, {"a", "b"}},
  {" a , b ,c ", 3, {"a", "b", "c"}},
  {"a,,b", 2, {"a", "b"}},
  {",a,", 1, {"a"}},
  {"a b, c d", 2, {"a b", "c d"}},
  {"\ta\r\n,\nb", 2, {"a", "b"}},
  {"1,2,3,4,5,6,7,8,9", 9, {"1", "2", "3", "4", "5", "6", "7", "8", "9"}},
  {JA "," EMOJI, 2, {JA, EMOJI}}
};

START_TEST(str_split_list)
{
  char **items = (char **)1;
  size_t n = 99, i;

  ck_assert_int_eq(ku_split_list(split_cases[_i].in, &items, &n), KU_OK);
  ck_assert_uint_eq(n, split_cases[_i].n);
  if(!n)
    ck_assert_ptr_null(items);
  for(i = 0; i < n; i++)
    ck_assert_str_eq(items[i], split_cases[_i].items[i]);
  ku_strlist_free(items, n);
  ku_strlist_free(NULL, 3);           /* NULL is accepted */
}
END_TEST

static const struct {
  const char *in;
  int rc;
  long long v;
} int_cases[] = {
  {"0", KU_OK, 0},
  {"-0", KU_OK, 0},
  {"+5", KU_OK, 5},
  {"-5", KU_OK, -5},
  {"007", KU_OK, 7},
  {"123456789012", KU_OK, 123456789012LL},
  {"9223372036854775807", KU_OK, 9223372036854775807LL},
  {"-9223372036854775808", KU_OK, -9223372036854775807LL - 1},
  {"9223372036854775808", KU_EINVAL, 0},
  {"-9223372036854775809", KU_EINVAL, 0},
  {"99999999999999999999999", KU_EINVAL, 0},
  {NULL, KU_EINVAL, 0},
  {"", KU_EINVAL, 0},
  {"-", KU_EINVAL, 0},
  {"+", KU_EINVAL, 0},
  {"abc", KU_EINVAL, 0},
  {"12a", KU_EINVAL, 0},
  {"1.5", KU_EINVAL, 0},
  {"1e3", KU_EINVAL, 0},
  {"0x10", KU_EINVAL, 0},
  {"5 ", KU_EINVAL, 0},
  {"--5", KU_EINVAL, 0},
  {"1,2", KU_EINVAL, 0}
};

START_TEST(str_parse_int64)
{
  long long v = 4242;

  ck_assert_int_eq(ku_parse_int64(int_cases[_i].in, &v), int_cases[_i].rc);
  if(int_cases[_i].rc == KU_OK)
    ck_assert_int_eq(v, int_cases[_i].v);
  else
    ck_assert_int_eq(v, 4242);        /* untouched on failure */
}
END_TEST

static Suite *str_suite(void)
{
  Suite *s = suite_create("ku_str");
  TCase *t;

  t = tcase_create("casecmp");
  tcase_add_loop_test(t, str_casecmp, 0, (int)N_ELEMS(case_cases));
  suite_add_tcase(s, t);
  t = tcase_create("base64");
  tcase_add_loop_test(t, str_base64_vectors, 0, (int)N_ELEMS(b64_cases));
  tcase_add_test(t, str_base64_roundtrip);
  tcase_add_test(t, str_base64_decode_input);
  suite_add_tcase(s, t);
  t = tcase_create("url_encode");
  tcase_add_loop_test(t, str_url_encode, 0, (int)N_ELEMS(url_cases));
  suite_add_tcase(s, t);
  t = tcase_create("trim");
  tcase_add_loop_test(t, str_trim, 0, (int)N_ELEMS(trim_cases));
  suite_add_tcase(s, t);
  t = tcase_create("split_list");
  tcase_add_loop_test(t, str_split_list, 0, (int)N_ELEMS(split_cases));
  suite_add_tcase(s, t);
  t = tcase_create("parse_int64");
  tcase_add_loop_test(t, str_parse_int64, 0, (int)N_ELEMS(int_cases));
  suite_add_tcase(s, t);
  return s;
}

/* ------------------------------------------------------------ ku_utf */

static const struct {
  const char *utf8;
  size_t nunits;
  uint16_t units[8];
} utf_cases[] = {
  {"", 0, {0}},
  {"abc", 3, {'a', 'b', 'c'}},
  {"\xc2\x80", 1, {0x80}},                      /* U+0080 */
  {"\xdf\xbf", 1, {0x7ff}},                     /* U+07FF */
  {"\xe0\xa0\x80", 1, {0x800}},                 /* U+0800 */
  {"\xef\xbf\xbf", 1, {0xffff}},                /* U+FFFF */
  {"\xee\x80\x80", 1, {0xe000}},                /* after surrogates */
  {"\xed\x9f\xbf", 1, {0xd7ff}},                /* before surrogates */
  {JA, 3, {0x65e5, 0x672c, 0x8a9e}},
  {"\xef\xbd\xb6\xef\xbe\x80", 2, {0xff76, 0xff80}},   /* halfwidth kana */
  {"a" EMOJI "b", 4, {'a', 0xd83d, 0xde00, 'b'}},
  {"\xf0\x90\x80\x80", 2, {0xd800, 0xdc00}},    /* U+10000 */
  {"\xf4\x8f\xbf\xbf", 2, {0xdbff, 0xdfff}},    /* U+10FFFF */
  {"\xe3\x81\x82" EMOJI JA, 6,
   {0x3042, 0xd83d, 0xde00, 0x65e5, 0x672c, 0x8a9e}}
};

START_TEST(utf_roundtrip)
{
  const char *s = utf_cases[_i].utf8;
  size_t len = strlen(s), wlen = 99, blen = 99, i;
  uint16_t *w = NULL;
  char *back = NULL;

  ck_assert_int_eq(ku_utf8_to_utf16(s, len, &w, &wlen), KU_OK);
  ck_assert_uint_eq(wlen, utf_cases[_i].nunits);
  for(i = 0; i < wlen; i++)
    ck_assert_uint_eq(w[i], utf_cases[_i].units[i]);
  ck_assert_uint_eq(w[wlen], 0);
  ck_assert_uint_eq(ku_utf16_len(w), wlen);
  ck_assert_uint_eq(ku_utf8_utf16_units(s, len), wlen);
  ck_assert_int_eq(ku_utf16_to_utf8(w, wlen, &back, &blen), KU_OK);
  ck_assert_uint_eq(blen, len);
  ck_assert_str_eq(back, s);
  ku_free(w);
  ku_free(back);
  /* outlen is optional */
  ck_assert_int_eq(ku_utf8_to_utf16(s, len, &w, NULL), KU_OK);
  ku_free(w);
}
END_TEST

START_TEST(utf_decode_valid)
{
  uint32_t cp = 0;

  ck_assert_uint_eq(ku_utf8_decode("A", 1, &cp), 1);
  ck_assert_uint_eq(cp, 'A');
  ck_assert_uint_eq(ku_utf8_decode("\xc3\xa9x", 3, &cp), 2);
  ck_assert_uint_eq(cp, 0xe9);
  ck_assert_uint_eq(ku_utf8_decode(JA, 9, &cp), 3);
  ck_assert_uint_eq(cp, 0x65e5);
  ck_assert_uint_eq(ku_utf8_decode(EMOJI, 4, &cp), 4);
  ck_assert_uint_eq(cp, 0x1f600);
  ck_assert_uint_eq(ku_utf8_decode("", 0, &cp), 0);
  ck_assert_uint_eq(ku_utf8_decode("\0", 1, &cp), 1);
  ck_assert_uint_eq(cp, 0);
}
END_TEST

static const char *const bad_utf8[] = {
  "\x80",                       /* lone continuation */
  "\xbf",
  "\xff",
  "\xfe",
  "\xc0\x80",                   /* overlong NUL */
  "\xc1\xbf",                   /* overlong U+007F */
  "\xe0\x80\xaf",               /* overlong '/' */
  "\xe0\x9f\xbf",               /* overlong U+07FF */
  "\xf0\x80\x80\xaf",           /* overlong '/' */
  "\xf0\x8f\xbf\xbf",           /* overlong U+FFFF */
  "\xed\xa0\x80",               /* U+D800 */
  "\xed\xaf\xbf",               /* U+DBFF */
  "\xed\xb0\x80",               /* U+DC00 */
  "\xed\xbf\xbf",               /* U+DFFF */
  "\xed\xa0\xbd\xed\xb8\x80",   /* CESU-8 surrogate pair */
  "\xf4\x90\x80\x80",           /* U+110000 */
  "\xf7\xbf\xbf\xbf",
  "\xf8\x88\x80\x80\x80",       /* 5-byte form */
  "\xc3",                       /* truncated */
  "\xe6\x97",
  "\xf0\x9f\x98",
  "a\xe6" "b",                  /* continuation missing mid-string */
  "\xe6\x97" "a",
  "\xc3\xa9\xa9",               /* extra continuation */
  JA "\xe6"
};

START_TEST(utf_invalid_utf8)
{
  const char *s = bad_utf8[_i];
  uint16_t *w = (uint16_t *)1;
  size_t wlen = 77, i = 0;
  uint32_t cp;

  ck_assert_int_eq(ku_utf8_to_utf16(s, strlen(s), &w, &wlen), KU_EILSEQ);
  ck_assert_ptr_eq(w, (uint16_t *)1);  /* outputs untouched */
  ck_assert_uint_eq(wlen, 77);
  /* the decoder refuses it somewhere; no step runs past the input */
  while(i < strlen(s)) {
    size_t n = ku_utf8_decode(s + i, strlen(s) - i, &cp);
    if(!n)
      break;
    ck_assert_uint_le(i + n, strlen(s));
    i += n;
  }
  ck_assert_uint_lt(i, strlen(s));
}
END_TEST

static const struct {
  size_t len;
  uint16_t u[4];
} bad_utf16[] = {
  {1, {0xd800}},
  {1, {0xdbff}},
  {1, {0xdc00}},
  {1, {0xdfff}},
  {2, {0xd800, 'a'}},
  {2, {'a', 0xdfff}},
  {2, {0xdc00, 0xd800}},                /* reversed pair */
  {2, {0xd83d, 0xd83d}},                /* two highs */
  {3, {'x', 'y', 0xd83d}},              /* high at the end */
  {1, {0xd83d, 0xde00}}                 /* len splits the pair */
};

START_TEST(utf_unpaired_surrogates)
{
  char *out = (char *)1;
  size_t olen = 55;

  ck_assert_int_eq(ku_utf16_to_utf8(bad_utf16[_i].u, bad_utf16[_i].len,
                                    &out, &olen), KU_EILSEQ);
  ck_assert_ptr_eq(out, (char *)1);
  ck_assert_uint_eq(olen, 55);
}
END_TEST

START_TEST(utf16_edges)
{
  static const uint16_t nul_inside[] = {'a', 0, 'b'};
  static const uint16_t pair[] = {0xd83d, 0xde00, 0};
  char *out = NULL;
  size_t olen = 0;

  /* len counts units, so an embedded 0 unit is data */
  ck_assert_int_eq(ku_utf16_to_utf8(nul_inside, 3, &out, &olen), KU_OK);
  ck_assert_uint_eq(olen, 3);
  ck_assert_int_eq(memcmp(out, "a\0b", 4), 0);
  ku_free(out);
  ck_assert_int_eq(ku_utf16_to_utf8(pair, 0, &out, &olen), KU_OK);
  ck_assert_str_eq(out, "");
  ck_assert_uint_eq(olen, 0);
  ku_free(out);
  ck_assert_int_eq(ku_utf16_to_utf8(pair, 2, &out, NULL), KU_OK);
  ck_assert_str_eq(out, EMOJI);
  ku_free(out);
  ck_assert_uint_eq(ku_utf16_len(pair), 2);
  ck_assert_uint_eq(ku_utf16_len(pair + 2), 0);
}
END_TEST

START_TEST(utf_prefix)
{
  static const char *const texts[] = {
    JA, "a" EMOJI "b", "ab\xc3\xa9" JA EMOJI "z", "plain ascii",
    "\xff\xfe" "a"                     /* invalid bytes count as 1 */
  };
  size_t t, max;

  /* table: "日本語" gives whole characters only */
  for(max = 0; max <= 10; max++)
    ck_assert_uint_eq(ku_utf8_prefix(JA, 9, max), max >= 9 ? 9 : max / 3 * 3);
  ck_assert_uint_eq(ku_utf8_prefix("a" EMOJI "b", 6, 4), 1);
  ck_assert_uint_eq(ku_utf8_prefix("a" EMOJI "b", 6, 5), 5);
  ck_assert_uint_eq(ku_utf8_prefix("", 0, 5), 0);

  /* property: the prefix never exceeds max, never splits a character
     and is the longest such prefix */
  for(t = 0; t < N_ELEMS(texts); t++) {
    const char *s = texts[t];
    size_t len = strlen(s);
    for(max = 0; max <= len + 2; max++) {
      size_t p = ku_utf8_prefix(s, len, max), i = 0;
      uint32_t cp;
      ck_assert_uint_le(p, max);
      ck_assert_uint_le(p, len);
      while(i < p) {
        size_t n = ku_utf8_decode(s + i, len - i, &cp);
        i += n ? n : 1;
      }
      ck_assert_uint_eq(i, p);        /* ends on a boundary */
      if(p < len) {
        size_t n = ku_utf8_decode(s + p, len - p, &cp);
        ck_assert_uint_gt(p + (n ? n : 1), max);   /* longest */
      }
    }
  }
}
END_TEST

START_TEST(utf_units)
{
  ck_assert_uint_eq(ku_utf8_utf16_units("", 0), 0);
  ck_assert_uint_eq(ku_utf8_utf16_units("abc", 3), 3);
  ck_assert_uint_eq(ku_utf8_utf16_units(JA, 9), 3);
  ck_assert_uint_eq(ku_utf8_utf16_units(JA, 8), 4);   /* 2 + 2 bad bytes */
  ck_assert_uint_eq(ku_utf8_utf16_units("a" EMOJI "b", 6), 4);
  ck_assert_uint_eq(ku_utf8_utf16_units(EMOJI EMOJI, 8), 4);
  ck_assert_uint_eq(ku_utf8_utf16_units("\xff", 1), 1);
  ck_assert_uint_eq(ku_utf8_utf16_units("\xed\xa0\x80", 3), 3);
}
END_TEST

START_TEST(utf_oom)
{
  static const uint16_t none[] = {0};
  uint16_t *w = NULL;
  char *u = NULL;

  ku_mem_fail_after(0);
  ck_assert_int_eq(ku_utf8_to_utf16(JA, 9, &w, NULL), KU_ENOMEM);
  ck_assert_int_eq(ku_utf16_to_utf8(none, 0, &u, NULL), KU_ENOMEM);
  ku_mem_fail_after(-1);
  ck_assert_ptr_null(w);
  ck_assert_ptr_null(u);
}
END_TEST

static Suite *utf_suite(void)
{
  Suite *s = suite_create("ku_utf");
  TCase *t;

  t = tcase_create("roundtrip");
  tcase_add_loop_test(t, utf_roundtrip, 0, (int)N_ELEMS(utf_cases));
  tcase_add_test(t, utf_decode_valid);
  tcase_add_test(t, utf16_edges);
  suite_add_tcase(s, t);
  t = tcase_create("invalid_utf8");
  tcase_add_loop_test(t, utf_invalid_utf8, 0, (int)N_ELEMS(bad_utf8));
  suite_add_tcase(s, t);
  t = tcase_create("unpaired_surrogates");
  tcase_add_loop_test(t, utf_unpaired_surrogates, 0,
                      (int)N_ELEMS(bad_utf16));
  suite_add_tcase(s, t);
  t = tcase_create("prefix");
  tcase_add_test(t, utf_prefix);
  suite_add_tcase(s, t);
  t = tcase_create("units");
  tcase_add_test(t, utf_units);
  suite_add_tcase(s, t);
  t = tcase_create("oom");
  tcase_add_test(t, utf_oom);
  suite_add_tcase(s, t);
  return s;
}

/* ------------------------------------------------------------ ku_mem */

START_TEST(mem_fail_after)
{
  void *p[4];
  char *d;
  int i;

  ku_mem_fail_after(-1);
  for(i = 0; i < 3; i++) {
    p[i] = ku_malloc(16);
    ck_assert_ptr_nonnull(p[i]);
  }
  ck_assert_int_eq(ku_mem_fail_after(2), 3);     /* counts since last */
  for(i = 0; i < 3; i++)
    ku_free(p[i]);

  /* two more succeed, then every kind of allocation fails */
  p[0] = ku_malloc(8);
  p[1] = ku_calloc(2, 8);
  ck_assert_ptr_nonnull(p[0]);
  ck_assert_ptr_nonnull(p[1]);
  ck_assert_ptr_null(ku_malloc(8));
  ck_assert_ptr_null(ku_calloc(1, 1));
  ck_assert_ptr_null(ku_realloc(p[0], 64));       /* p[0] still valid */
  ck_assert_ptr_null(ku_strdup("x"));
  ck_assert_ptr_null(ku_strndup("xyz", 2));
  ck_assert_ptr_null(ku_malloc(0));
  ck_assert_int_eq(ku_mem_fail_after(-1), 8);

  /* recovered */
  p[2] = ku_realloc(p[0], 64);
  ck_assert_ptr_nonnull(p[2]);
  d = ku_strndup("xyz", 2);
  ck_assert_str_eq(d, "xy");
  ku_free(d);
  ku_free(p[1]);
  ku_free(p[2]);

  ku_mem_fail_after(0);
  ck_assert_ptr_null(ku_malloc(1));
  ku_mem_fail_after(-1);
}
END_TEST

START_TEST(mem_helpers)
{
  char *d;

  ck_assert_ptr_null(ku_strdup(NULL));
  ck_assert_ptr_null(ku_strndup(NULL, 3));
  d = ku_strdup("");
  ck_assert_str_eq(d, "");
  ku_free(d);
  d = ku_strndup(JA, 3);
  ck_assert_str_eq(d, "\xe6\x97\xa5");
  ku_free(d);
  d = ku_malloc(0);                   /* never NULL for 0 */
  ck_assert_ptr_nonnull(d);
  ku_free(d);
  ku_free(NULL);
}
END_TEST

START_TEST(mem_oom_split_list)
{
  const char *in = " a, bb ,ccc,,dddd,e,f,g,h,i,j ";
  char **items = NULL;
  size_t n = 0, before;
  long k;
  int rc = KU_ENOMEM, failures = 0;

  for(k = 0; rc != KU_OK; k++) {
    ck_assert_int_lt(k, 1000);
    before = heap_in_use();
    ku_mem_fail_after(k);
    rc = ku_split_list(in, &items, &n);
    ku_mem_fail_after(-1);
    if(rc != KU_OK) {
      ck_assert_msg(rc == KU_ENOMEM, "fail_after(%ld): rc %d", k, rc);
      ck_assert_ptr_null(items);
      ck_assert_uint_eq(n, 0);
      ck_assert_msg(heap_in_use() == before, "fail_after(%ld) leaked", k);
      failures++;
    }
  }
  /* 10 strings and 3 array (re)allocations: 4, 8, 16 slots */
  ck_assert_int_eq(failures, 13);
  ck_assert_uint_eq(n, 10);
  ck_assert_str_eq(items[9], "j");
  ku_strlist_free(items, n);
}
END_TEST

START_TEST(mem_oom_base64_redact)
{
  struct ku_buf b;
  long k;
  int rc = KU_ENOMEM;
  struct ku_log *log = ku_log_new(NULL, 0);
  char *r = NULL;

  ck_assert_ptr_nonnull(log);
  ck_assert_int_eq(ku_log_secret(log, "hunter22"), KU_OK);
  for(k = 0; rc != KU_OK; k++) {
    ck_assert_int_lt(k, 1000);
    ku_buf_init(&b, 1 << 16);
    ku_mem_fail_after(k);
    rc = ku_base64_encode(&b, JA JA JA JA JA JA JA JA JA JA, 90);
    ku_mem_fail_after(-1);
    if(rc)
      ck_assert_int_eq(rc, KU_ENOMEM);
    ku_buf_cleanup(&b);
  }
  for(k = 0; !r; k++) {
    ck_assert_int_lt(k, 1000);
    ku_mem_fail_after(k);
    r = ku_log_redact(log, "pw=hunter22 and more text to grow the buffer "
                      "beyond sixty-four bytes: hunter22");
    ku_mem_fail_after(-1);
  }
  ck_assert_str_eq(r, "pw=**** and more text to grow the buffer "
                   "beyond sixty-four bytes: ****");
  ku_free(r);
  ku_log_free(log);
}
END_TEST

static Suite *mem_suite(void)
{
  Suite *s = suite_create("ku_mem");
  TCase *t;

  t = tcase_create("fail_after");
  tcase_add_test(t, mem_fail_after);
  tcase_add_test(t, mem_helpers);
  suite_add_tcase(s, t);
  t = tcase_create("oom_loops");
  tcase_add_test(t, mem_oom_split_list);
  tcase_add_test(t, mem_oom_base64_redact);
  suite_add_tcase(s, t);
  return s;
}

/* ------------------------------------------------------------ ku_log */

static char log_path[64];

static void log_setup(void)
{
  int fd;

  snprintf(log_path, sizeof(log_path), "/tmp/check_util_log.XXXXXX");
  fd = mkstemp(log_path);
  ck_assert_int_ge(fd, 0);
  close(fd);
}

static void log_teardown(void)
{
  unlink(log_path);
}

/* The whole log file as a malloc'ed string. */
static char *slurp(const char *path)
{
  FILE *fp = fopen(path, "rb");
  char *s;
  long n;

  ck_assert_ptr_nonnull(fp);
  fseek(fp, 0, SEEK_END);
  n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  s = malloc((size_t)n + 1);
  ck_assert_ptr_nonnull(s);
  ck_assert_uint_eq(fread(s, 1, (size_t)n, fp), (size_t)n);
  s[n] = '\0';
  fclose(fp);
  return s;
}

static int count_lines(const char *s)
{
  int n = 0;

  for(; *s; s++)
    n += *s == '\n';
  return n;
}

/* base64 of s into a static buffer. */
static const char *b64_of(const char *s)
{
  static char out[256];
  struct ku_buf b;

  ku_buf_init(&b, sizeof(out) - 1);
  ck_assert_int_eq(ku_base64_encode(&b, s, strlen(s)), KU_OK);
  snprintf(out, sizeof(out), "%s", ku_buf_cstr(&b));
  ku_buf_cleanup(&b);
  return out;
}

static const struct {
  const char *in;
  const char *out;
} redact_cases[] = {
  {"", ""},
  {"nothing secret here", "nothing secret here"},
  {"pwd=S3cr3t!x", "pwd=****"},
  {"S3cr3t!xS3cr3t!x", "********"},
  {"[S3cr3t!x] [S3cr3t!x]", "[****] [****]"},
  {"Authorization: Basic UzNjcjN0IXg=", "Authorization: Basic ****"},
  {"tok=abcdefgh tok2=abcdefghijkl", "tok=**** tok2=****"},   /* longest */
  {"S3cr3t!", "S3cr3t!"},                                 /* partial */
  {"s3cr3t!x", "s3cr3t!x"}                                /* case */
};

START_TEST(log_redact)
{
  struct ku_log *log = ku_log_new(NULL, 0);
  char *r;

  ck_assert_ptr_nonnull(log);
  ck_assert_int_eq(ku_log_secret(log, "S3cr3t!x"), KU_OK);
  ck_assert_int_eq(ku_log_secret(log, "abcdefgh"), KU_OK);
  ck_assert_int_eq(ku_log_secret(log, "abcdefghijkl"), KU_OK);
  ck_assert_int_eq(ku_log_secret(log, "S3cr3t!x"), KU_OK);   /* dup */
  ck_assert_int_eq(ku_log_secret(log, ""), KU_OK);
  ck_assert_int_eq(ku_log_secret(log, NULL), KU_OK);
  ck_assert_int_eq(ku_log_secret(NULL, "x"), KU_OK);
  r = ku_log_redact(log, redact_cases[_i].in);
  ck_assert_ptr_nonnull(r);
  ck_assert_str_eq(r, redact_cases[_i].out);
  ck_assert_ptr_null(strstr(r, "S3cr3t!x"));
  ck_assert_ptr_null(strstr(r, b64_of("S3cr3t!x")));
  ku_free(r);
  ku_log_free(log);
}
END_TEST

START_TEST(log_redact_no_log)
{
  char *r = ku_log_redact(NULL, "plain S3cr3t");

  ck_assert_str_eq(r, "plain S3cr3t");
  ku_free(r);
  ku_log_free(NULL);
}
END_TEST

START_TEST(log_file_redacted)
{
  static const char *const secrets[] = {
    "hunter2-password", "api-token-0123456789", JA "pw", "user:pass word"
  };
  struct ku_log *log = ku_log_new(log_path, KU_LOG_DEBUG);
  char *text;
  size_t i;

  ck_assert_ptr_nonnull(log);
  for(i = 0; i < N_ELEMS(secrets); i++)
    ck_assert_int_eq(ku_log_secret(log, secrets[i]), KU_OK);
  for(i = 0; i < N_ELEMS(secrets); i++) {
    char b64[256];
    snprintf(b64, sizeof(b64), "%s", b64_of(secrets[i]));
    KLOG(log, KU_LOG_INFO, "auth", "secret %zu raw=<%s> b64=<%s>", i,
         secrets[i], b64);
    KLOG(log, KU_LOG_DEBUG, "http", "X-Header: %s%s", b64, secrets[i]);
  }
  ku_log_free(log);
  text = slurp(log_path);
  ck_assert_int_eq(count_lines(text), 2 * (int)N_ELEMS(secrets));
  for(i = 0; i < N_ELEMS(secrets); i++) {
    ck_assert_msg(!strstr(text, secrets[i]), "secret %zu in log", i);
    ck_assert_msg(!strstr(text, b64_of(secrets[i])), "b64 %zu in log", i);
  }
  ck_assert_ptr_nonnull(strstr(text, "raw=<****> b64=<****>"));
  ck_assert_ptr_nonnull(strstr(text, "X-Header: ********"));
  ck_assert_ptr_nonnull(strstr(text, " INFO  [auth] "));
  ck_assert_ptr_nonnull(strstr(text, " DEBUG [http] "));
  ck_assert_ptr_nonnull(strstr(text, "(check_util.c:"));
  free(text);
}
END_TEST

START_TEST(log_levels)
{
  int level = _i, msg, want = 0;
  struct ku_log *log = ku_log_new(log_path, level);
  char *text;

  ck_assert_ptr_nonnull(log);
  for(msg = KU_LOG_ERROR; msg <= KU_LOG_TRACE; msg++) {
    ck_assert_int_eq(ku_log_enabled(log, msg), msg <= level);
    KLOG(log, msg, "lvl", "message at %d", msg);
    want += msg <= level;
  }
  /* a direct write below the threshold is dropped too */
  ku_log_write(log, KU_LOG_TRACE + 1, "lvl", __FILE__, __LINE__, "x");
  ku_log_free(log);
  text = slurp(log_path);
  ck_assert_int_eq(count_lines(text), want);
  ck_assert_int_eq(strstr(text, "message at 5") != NULL,
                   level >= KU_LOG_TRACE);
  ck_assert_int_eq(strstr(text, "ERROR [lvl] message at 1") != NULL,
                   level >= KU_LOG_ERROR);
  free(text);
}
END_TEST

START_TEST(log_disabled)
{
  struct ku_log *log;

  log = ku_log_new(NULL, KU_LOG_TRACE);
  ck_assert_ptr_nonnull(log);
  ck_assert_int_eq(ku_log_enabled(log, KU_LOG_ERROR), 0);
  KLOG(log, KU_LOG_ERROR, "x", "dropped");
  ku_log_free(log);
  log = ku_log_new("", KU_LOG_TRACE);
  ck_assert_int_eq(ku_log_enabled(log, KU_LOG_ERROR), 0);
  ku_log_free(log);
  log = ku_log_new("/nonexistent-dir/sub/x.log", KU_LOG_TRACE);
  ck_assert_ptr_nonnull(log);
  ck_assert_int_eq(ku_log_enabled(log, KU_LOG_ERROR), 0);
  KLOG(log, KU_LOG_ERROR, "x", "dropped");
  ku_log_free(log);
  ck_assert_int_eq(ku_log_enabled(NULL, KU_LOG_ERROR), 0);
  KLOG((struct ku_log *)NULL, KU_LOG_ERROR, "x", "dropped");
  /* a level above TRACE is clamped, not rejected */
  log = ku_log_new(log_path, 99);
  ck_assert_int_eq(ku_log_enabled(log, KU_LOG_TRACE), 1);
  ck_assert_int_eq(ku_log_enabled(log, KU_LOG_TRACE + 1), 0);
  ku_log_free(log);
}
END_TEST

static Suite *log_suite(void)
{
  Suite *s = suite_create("ku_log");
  TCase *t;

  t = tcase_create("redact");
  tcase_add_loop_test(t, log_redact, 0, (int)N_ELEMS(redact_cases));
  tcase_add_test(t, log_redact_no_log);
  suite_add_tcase(s, t);
  t = tcase_create("file");
  tcase_add_checked_fixture(t, log_setup, log_teardown);
  tcase_add_test(t, log_file_redacted);
  suite_add_tcase(s, t);
  t = tcase_create("levels");
  tcase_add_checked_fixture(t, log_setup, log_teardown);
  tcase_add_loop_test(t, log_levels, KU_LOG_OFF, KU_LOG_TRACE + 1);
  tcase_add_test(t, log_disabled);
  suite_add_tcase(s, t);
  return s;
}

int main(void)
{
  SRunner *sr = srunner_create(buf_suite());
  int failed;

  srunner_add_suite(sr, str_suite());
  srunner_add_suite(sr, utf_suite());
  srunner_add_suite(sr, mem_suite());
  srunner_add_suite(sr, log_suite());
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
