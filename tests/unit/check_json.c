/*
 * check_json.c - unit tests of net/kj_arena.c's incremental parser (the
 * parser of every records page).
 *
 * Links libkh.la.  The parser must accept exactly the texts yajl_tree
 * (kj_parse) accepts and build the same tree, wherever the pieces of the
 * body are cut: every text of the table below is fed whole, cut at every
 * byte, and (when short) cut at every pair of bytes, and compared with
 * yajl_tree member for member.  The deliberate difference (an escaped
 * surrogate without its pair becomes U+FFFD) and the error messages are
 * checked on their own.  yajl_tree also takes comments, which Kintone
 * never sends, and a value followed by a string that never ends, as the
 * value: kj_stream refuses both (the latter is in test_errors).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "net/kj_arena.h"
#include "net/kj_json.h"
#include "util/ku_mem.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Kintone records page, with every kind of field value. */
#define PAGE                                                                 \
  "{\"records\":[{\"$id\":{\"type\":\"__ID__\",\"value\":\"1\"},"            \
  "\"name\":{\"type\":\"SINGLE_LINE_TEXT\",\"value\":\"\\u6771\\u4eac \"},"  \
  "\"memo\":{\"type\":\"MULTI_LINE_TEXT\",\"value\":\"a\\nb\\t\\\"c\\\"\\\\"  \
  "\\/\\b\\f\\r\"},"                                                          \
  "\"ja\":{\"type\":\"SINGLE_LINE_TEXT\",\"value\":\"\xe6\x9d\xb1\xe4\xba"   \
  "\xac\xf0\x9f\x98\x80\xc3\xa9\"},"                                          \
  "\"tags\":{\"type\":\"CHECK_BOX\",\"value\":[\"a\",\"b\"]},"                \
  "\"who\":{\"type\":\"USER_SELECT\",\"value\":[{\"code\":\"sato\","          \
  "\"name\":\"Sato\"}]},"                                                     \
  "\"sub\":{\"type\":\"SUBTABLE\",\"value\":[{\"id\":\"7\",\"value\":"        \
  "{\"q\":{\"type\":\"NUMBER\",\"value\":\"3\"}}}]},"                         \
  "\"empty\":{\"type\":\"FILE\",\"value\":[]},"                               \
  "\"nothing\":{\"type\":\"NUMBER\",\"value\":null}}],"                       \
  "\"totalCount\":null,\"n\":[0,-1,12.5,-0.25e3,1E+2,2e-2,"                   \
  "9223372036854775807,9223372036854775808,1e999],"                           \
  "\"t\":true,\"f\":false,\"o\":{}}"

/* Accepted by yajl (and so by kj_stream). */
static const char *const good[] = {
  PAGE,
  "{}", "[]", "0", "-0", "1.5", "\"\"", "\"x\"", "true", "false", "null",
  "{\"\":\"\"}", "[\"\",\"\\\\\"]",
  " \t\n\r\v\f[ 1 , 2 ]\v\f ",
  "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]",
  "{\"a\":{\"b\":{\"c\":[{\"d\":\"e\"}]}}}",
  "{\"a\":1,\"a\":2}",                       /* duplicate keys kept */
  "[\"\\u0041\\u00e9\\u4e2d\\uD83D\\uDE00\"]",
  "\"\x7f\"",
  /* lead and continuation bytes as yajl checks them: no overlong or
     surrogate checks */
  "\"\xc0\x80\xed\xa0\x80\xf7\xbf\xbf\xbf\"",
  "[12345678901234567890123, 0.000001, 1e-400]",
  "{\"a\" : [ true , false , null ] }",
  "[\"abcdefghijklmnopqrstuvwxyz0123456789\\\"abcdefghijklmnop\"]",
};

/* Refused by yajl (and so by kj_stream). */
static const char *const bad[] = {
  "", " ", "{", "[", "[1", "[1,", "{\"a\"", "{\"a\":", "{\"a\":1",
  "{\"a\":1,}", "[1,]", "[,1]", "{,}", "{1:2}", "{\"a\" 1}", "[1 2]",
  "]", "}", "[}", "{]", "1 2", "{} x", "[] []", "\"abc", "\"a\\\"",
  "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\x01\"", "\"a\nb\"",
  "\"\x80\"", "\"\xc3\"", "\"\xc3(\"", "\"\xe6\x9d\"", "\"\xf8\x80\x80\"",
  "\"\xff\"", "-", "--1", "+1", ".5", "01", "1.", "1.e5", "1e", "1e+",
  "0x10", "tru", "truex", "nul", "nulll", "True", "NULL", "f",
  "\xef\xbb\xbf{}", "'a'", "[1,,2]", "{\"a\"::1}",
};

/* ---- helpers -------------------------------------------------------------- */

/* a is yajl_tree's, b kj_stream's */
static int same(yajl_val a, yajl_val b)
{
  size_t i;

  if(!a || !b || a->type != b->type)
    return 0;
  switch(a->type) {
  case yajl_t_string:
    return !strcmp(a->u.string, b->u.string);
  case yajl_t_number:
    if(strcmp(a->u.number.r, b->u.number.r) ||
       a->u.number.flags != b->u.number.flags)
      return 0;
    if((a->u.number.flags & YAJL_NUMBER_INT_VALID) &&
       a->u.number.i != b->u.number.i)
      return 0;
    return 1;
  case yajl_t_object:
    if(a->u.object.len != b->u.object.len)
      return 0;
    for(i = 0; i < a->u.object.len; i++)
      if(strcmp(a->u.object.keys[i], b->u.object.keys[i]) ||
         !same(a->u.object.values[i], b->u.object.values[i]))
        return 0;
    return 1;
  case yajl_t_array:
    if(a->u.array.len != b->u.array.len)
      return 0;
    for(i = 0; i < a->u.array.len; i++)
      if(!same(a->u.array.values[i], b->u.array.values[i]))
        return 0;
    return 1;
  default:
    return 1;
  }
}

/* Parses text fed in up to three pieces cut at c1 <= c2; the tree (arena
   in *a) or NULL with err. */
static yajl_val parse_cut(const char *text, size_t len, size_t c1, size_t c2,
                          struct kj_pool *pool, struct kj_arena **a,
                          char *err, size_t errlen)
{
  struct kj_stream *s = kj_stream_new(pool);
  yajl_val v;

  ck_assert_ptr_nonnull(s);
  kj_stream_feed(s, text, c1);
  kj_stream_feed(s, text + c1, c2 - c1);
  kj_stream_feed(s, text + c2, len - c2);
  err[0] = '\0';
  v = kj_stream_finish(s, a, err, errlen);
  kj_stream_free(s);
  return v;
}

/* kj_stream against yajl_tree for one text, at cuts c1 <= c2. */
static void check_cut(const char *text, size_t c1, size_t c2,
                      struct kj_pool *pool)
{
  size_t len = strlen(text);
  char err[256], yerr[256];
  struct kj_arena *a = NULL;
  yajl_val ref = NULL, got;
  int rc = kj_parse(text, len, &ref, yerr, sizeof(yerr));

  got = parse_cut(text, len, c1, c2, pool, &a, err, sizeof(err));
  if(rc) {
    ck_assert_msg(!got, "accepted what yajl refuses (%s): [%s] cut %zu/%zu",
                  yerr, text, c1, c2);
    ck_assert_msg(!strncmp(err, "invalid JSON: ", 14) && !strchr(err, '\n'),
                  "error text [%s]", err);
  }
  else {
    ck_assert_msg(got != NULL, "refused (%s): [%s] cut %zu/%zu", err, text,
                  c1, c2);
    ck_assert_msg(same(ref, got), "tree differs: [%s] cut %zu/%zu", text,
                  c1, c2);
  }
  kj_arena_free(a);
  yajl_tree_free(ref);
}

static void check_all_cuts(const char *text, struct kj_pool *pool)
{
  size_t len = strlen(text), i, j;

  for(i = 0; i <= len; i++)
    check_cut(text, i, i, pool);
  if(len <= 48)
    for(i = 0; i <= len; i++)
      for(j = i; j <= len; j++)
        check_cut(text, i, j, pool);
}

/* The one string a text of one string parses to (in a static buffer). */
static const char *string_of(const char *text, size_t cut)
{
  static char out[64];
  char err[256];
  struct kj_arena *a = NULL;
  yajl_val v = parse_cut(text, strlen(text), cut, cut, NULL, &a, err,
                         sizeof(err));

  ck_assert_msg(v && YAJL_IS_STRING(v), "[%s]: %s", text, err);
  snprintf(out, sizeof(out), "%s", v->u.string);
  kj_arena_free(a);
  return out;
}

/* ---- cases --------------------------------------------------------------- */

START_TEST(test_good_as_yajl)
{
  struct kj_pool *pool = kj_pool_new(1 << 20);
  yajl_val ref;
  char err[256];

  ck_assert_int_eq(kj_parse(good[_i], strlen(good[_i]), &ref, err,
                            sizeof(err)), 0);
  yajl_tree_free(ref);
  check_all_cuts(good[_i], pool);
  kj_pool_release(pool);
}
END_TEST

START_TEST(test_bad_as_yajl)
{
  yajl_val ref = NULL;
  char err[256];

  ck_assert_msg(kj_parse(bad[_i], strlen(bad[_i]), &ref, err,
                         sizeof(err)) != 0, "yajl accepts [%s]", bad[_i]);
  check_all_cuts(bad[_i], NULL);
}
END_TEST

/* Escapes: pairs joined, lone halves U+FFFD, nothing after them lost. */
START_TEST(test_surrogates)
{
  static const struct { const char *in, *out; } t[] = {
    { "\"\\uD83D\\uDE00\"", "\xf0\x9f\x98\x80" },
    { "\"\\ud800\\udc00\"", "\xf0\x90\x80\x80" },
    { "\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf" },
    { "\"\\uD800\"", "\xef\xbf\xbd" },
    { "\"\\uD800x\"", "\xef\xbf\xbdx" },
    { "\"\\uD800\\n\"", "\xef\xbf\xbd\n" },
    { "\"\\uD800\\u0041\"", "\xef\xbf\xbd" "A" },
    { "\"\\uD800\\uD83D\\uDE00\"", "\xef\xbf\xbd\xf0\x9f\x98\x80" },
    { "\"\\uDC00\"", "\xef\xbf\xbd" },
    { "\"a\\uDE00b\"", "a\xef\xbf\xbd" "b" },
    { "\"\\u00e9\\u0800\\uFFFF\"", "\xc3\xa9\xe0\xa0\x80\xef\xbf\xbf" },
  };
  size_t i, cut;

  for(i = 0; i < N_ELEMS(t); i++)
    for(cut = 0; cut <= strlen(t[i].in); cut++)
      ck_assert_msg(!strcmp(string_of(t[i].in, cut), t[i].out),
                    "%s cut at %zu", t[i].in, cut);
}
END_TEST

/* Errors name the problem and the byte where it was found. */
START_TEST(test_errors)
{
  static const struct { const char *in, *msg; } t[] = {
    { "[1,]", "invalid JSON: unexpected character at byte 3" },
    { "{} x", "invalid JSON: text after the end of the value at byte 3" },
    { "\"ab\\q\"", "invalid JSON: invalid escape in a string at byte 4" },
    { "\"ab\\u12x4\"",
      "invalid JSON: invalid \\u escape in a string at byte 7" },
    { "[\"a\x01\"]",
      "invalid JSON: control character in a string at byte 3" },
    { "[\"\xc3(\"]", "invalid JSON: invalid UTF-8 in a string at byte 3" },
    { "[1, 01]", "invalid JSON: invalid number at byte 4" },
    { "[1, nul]", "invalid JSON: invalid literal at byte 4" },
    { "{\"a\":", "invalid JSON: premature end of text at byte 5" },
    { "[\"abc", "invalid JSON: unterminated string at byte 5" },
    { "", "invalid JSON: premature end of text at byte 0" },
    /* yajl takes these as the value before the string */
    { "{} \"abc", "invalid JSON: text after the end of the value at byte 3" },
    { "1\"", "invalid JSON: text after the end of the value at byte 1" },
  };
  char err[256];
  struct kj_arena *a;
  size_t i, cut;

  for(i = 0; i < N_ELEMS(t); i++)
    for(cut = 0; cut <= strlen(t[i].in); cut++) {
      ck_assert_ptr_null(parse_cut(t[i].in, strlen(t[i].in), cut, cut, NULL,
                                   &a, err, sizeof(err)));
      ck_assert_msg(!strcmp(err, t[i].msg), "%s cut at %zu: [%s]",
                    t[i].in, cut, err);
    }
}
END_TEST

/* Nesting: 64 levels parse, 65 are refused with their own message. */
START_TEST(test_depth)
{
  char text[200], err[256];
  struct kj_arena *a = NULL;
  yajl_val v;
  int d;

  for(d = 64; d <= 65; d++) {
    memset(text, '[', (size_t)d);
    memset(text + d, ']', (size_t)d);
    text[2 * d] = '\0';
    v = parse_cut(text, strlen(text), 10, 70, NULL, &a, err, sizeof(err));
    if(d == 64)
      ck_assert_ptr_nonnull(v);
    else {
      ck_assert_ptr_null(v);
      ck_assert_str_eq(err, "invalid JSON: nested too deeply");
    }
    kj_arena_free(a);
    a = NULL;
  }
}
END_TEST

/* kj_stream_drop leaves out string members of that name deep enough. */
START_TEST(test_drop)
{
  static const char text[] =
    "{\"type\":\"top\",\"records\":[{\"f\":{\"type\":\"NUMBER\",\"value\":"
    "\"1\"},\"g\":{\"type\":[1],\"value\":\"2\"}}]}";
  char err[256];
  struct kj_arena *a = NULL;
  struct kj_stream *s;
  size_t cut;
  yajl_val v, rec;

  for(cut = 0; cut <= sizeof(text) - 1; cut++) {
    s = kj_stream_new(NULL);
    kj_stream_drop(s, "type", 4);
    kj_stream_feed(s, text, cut);
    kj_stream_feed(s, text + cut, sizeof(text) - 1 - cut);
    v = kj_stream_finish(s, &a, err, sizeof(err));
    kj_stream_free(s);
    ck_assert_ptr_nonnull(v);
    ck_assert_str_eq(kj_str(kj_get(v, "type")), "top");   /* depth 1 */
    rec = kj_at(kj_get(v, "records"), 0);
    ck_assert_ptr_null(kj_get(kj_get(rec, "f"), "type"));
    ck_assert_str_eq(kj_str(kj_get(kj_get(rec, "f"), "value")), "1");
    ck_assert_uint_eq(kj_get(rec, "f")->u.object.len, 1);
    /* not a string: kept */
    ck_assert_ptr_nonnull(kj_get(kj_get(rec, "g"), "type"));
    kj_arena_free(a);
    a = NULL;
  }
}
END_TEST

/* A long string cut into many small pieces (the slow path throughout). */
START_TEST(test_long_string_pieces)
{
  size_t n = 100000, i, step;
  char *text = malloc(n + 3), err[256];
  struct kj_arena *a = NULL;
  struct kj_stream *s;
  yajl_val v;

  ck_assert_ptr_nonnull(text);
  text[0] = '"';
  for(i = 1; i <= n; i++)
    text[i] = (char)('a' + i % 26);
  text[3] = '\\';              /* one escape early on: \a is not one */
  text[4] = 'n';
  text[n + 1] = '"';
  text[n + 2] = '\0';
  for(step = 1; step <= 7; step += 3) {
    s = kj_stream_new(NULL);
    for(i = 0; i < n + 2; i += step)
      kj_stream_feed(s, text + i, i + step <= n + 2 ? step : n + 2 - i);
    v = kj_stream_finish(s, &a, err, sizeof(err));
    kj_stream_free(s);
    ck_assert_msg(v && YAJL_IS_STRING(v), "%s", err);
    ck_assert_uint_eq(strlen(v->u.string), n - 1);
    ck_assert_int_eq(v->u.string[2], '\n');
    ck_assert_int_eq(memcmp(v->u.string + 3, text + 5, n - 4), 0);
    kj_arena_free(a);
    a = NULL;
  }
  free(text);
}
END_TEST

/* Every allocation that fails gives "out of memory", never another
   error, a crash or a leak (ASan and valgrind runs of the suite). */
START_TEST(test_out_of_memory)
{
  /* escapes and a long string force the token buffer too */
  static const char text[] =
    "{\"records\":[{\"a\":{\"type\":\"X\",\"value\":\"\\u00e9\\n\"},"
    "\"b\":{\"value\":[\"x\",1.5,true,null,{}]}}],\"long\":"
    "\"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\"}";
  size_t len = sizeof(text) - 1;
  struct kj_arena *a;
  struct kj_stream *st;
  char err[256];
  yajl_val v = NULL;
  long n;

  for(n = 0; n < 10000 && !v; n++) {
    ku_mem_fail_after(n);
    a = NULL;
    st = kj_stream_new(NULL);
    if(st) {
      kj_stream_drop(st, "type", 4);
      kj_stream_feed(st, text, 20);
      kj_stream_feed(st, text + 20, 41);
      kj_stream_feed(st, text + 61, len - 61);
      err[0] = '\0';
      v = kj_stream_finish(st, &a, err, sizeof(err));
      kj_stream_free(st);
      if(!v)
        ck_assert_msg(!strcmp(err, "out of memory"), "after %ld: [%s]", n,
                      err);
    }
    ku_mem_fail_after(-1);
    if(v)
      ck_assert_str_eq(kj_str(kj_get(v, "long")),
                       "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
    kj_arena_free(a);
  }
  ck_assert_msg(v != NULL, "never parsed");
  ck_assert_int_gt(n, 3);       /* some allocations did fail first */
}
END_TEST

static Suite *stream_suite(void)
{
  Suite *s = suite_create("kj_stream");
  TCase *tc = tcase_create("as_yajl");

  tcase_set_timeout(tc, 60);
  tcase_add_loop_test(tc, test_good_as_yajl, 0, (int)N_ELEMS(good));
  tcase_add_loop_test(tc, test_bad_as_yajl, 0, (int)N_ELEMS(bad));
  suite_add_tcase(s, tc);
  tc = tcase_create("own");
  tcase_add_test(tc, test_surrogates);
  tcase_add_test(tc, test_errors);
  tcase_add_test(tc, test_depth);
  tcase_add_test(tc, test_drop);
  tcase_add_test(tc, test_long_string_pieces);
  tcase_add_test(tc, test_out_of_memory);
  suite_add_tcase(s, tc);
  return s;
}

int main(void)
{
  SRunner *sr = srunner_create(stream_suite());
  int failed;

  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
