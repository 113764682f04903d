/*
 * check_plan.c - unit tests of the pure planner (sql/plan.c: ks_plan_best
 * and the idxStr codec) and of Kintone query text (sql/kquery.c:
 * kq_quote, kq_render).
 *
 * Links libks.la.  ks_plan_best() is fed hand-built sqlite3_index_info
 * structs; kq_render() gets real sqlite3_value objects, duplicated from
 * the columns of `SELECT ?1, ?2, ...` run in an in-memory database.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "sql/kquery.h"
#include "sql/plan.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

#define EQ SQLITE_INDEX_CONSTRAINT_EQ
#define GT SQLITE_INDEX_CONSTRAINT_GT
#define GE SQLITE_INDEX_CONSTRAINT_GE
#define LT SQLITE_INDEX_CONSTRAINT_LT
#define LE SQLITE_INDEX_CONSTRAINT_LE
#define NE SQLITE_INDEX_CONSTRAINT_NE
#define LIKE SQLITE_INDEX_CONSTRAINT_LIKE
#define GLOB SQLITE_INDEX_CONSTRAINT_GLOB
#define IS SQLITE_INDEX_CONSTRAINT_IS
#define ISNULL SQLITE_INDEX_CONSTRAINT_ISNULL
#define LIMIT SQLITE_INDEX_CONSTRAINT_LIMIT
#define OFFSET SQLITE_INDEX_CONSTRAINT_OFFSET

#define MAXC 40

/* A hand-built xBestIndex call: inputs, then ks_plan_best's outputs. */
struct ixi {
  sqlite3_index_info info;
  struct sqlite3_index_constraint cons[MAXC];
  struct sqlite3_index_constraint_usage use[MAXC];
  struct sqlite3_index_orderby order[4];
};

static void ixi_init(struct ixi *x)
{
  memset(x, 0, sizeof(*x));
  x->info.aConstraint = x->cons;
  x->info.aConstraintUsage = x->use;
  x->info.aOrderBy = x->order;
  x->info.estimatedCost = -1;
  x->info.estimatedRows = -1;
}

static void add_cons(struct ixi *x, int col, int op, int usable)
{
  struct sqlite3_index_constraint *c = &x->cons[x->info.nConstraint++];

  c->iColumn = col;
  c->op = (unsigned char)op;
  c->usable = (unsigned char)usable;
}

static void add_order(struct ixi *x, int col, int desc)
{
  x->order[x->info.nOrderBy].iColumn = col;
  x->order[x->info.nOrderBy].desc = (unsigned char)desc;
  x->info.nOrderBy++;
}

/*
 * Runs ks_plan_best and checks what SQLite requires of any answer:
 * argvIndex values are exactly 1..N without gaps or repeats, omit only
 * with an argvIndex, idxNum = N, idxStr owned and decodable.
 */
static void run_best(struct ixi *x)
{
  int seen[MAXC + 1], i, n = 0;
  struct ks_plan p;

  ck_assert_int_eq(ks_plan_best(&x->info, 8), SQLITE_OK);
  memset(seen, 0, sizeof(seen));
  for(i = 0; i < x->info.nConstraint; i++) {
    int a = x->use[i].argvIndex;
    ck_assert_int_ge(a, 0);
    ck_assert_int_le(a, x->info.nConstraint);
    if(a) {
      ck_assert_int_eq(seen[a], 0);
      seen[a] = 1;
      n++;
    }
    else
      ck_assert_int_eq(x->use[i].omit, 0);
  }
  for(i = 1; i <= n; i++)
    ck_assert_int_eq(seen[i], 1);
  ck_assert_int_eq(x->info.idxNum, n);
  ck_assert_ptr_nonnull(x->info.idxStr);
  ck_assert_int_eq(x->info.needToFreeIdxStr, 1);
  ck_assert_int_eq(ks_plan_decode(x->info.idxStr, &p), 0);
  ck_assert_double_gt(x->info.estimatedCost, 0);
  ck_assert_int_gt(x->info.estimatedRows, 0);
}

static void ixi_free(struct ixi *x)
{
  if(x->info.needToFreeIdxStr)
    sqlite3_free(x->info.idxStr);
  x->info.idxStr = NULL;
}

/* ------------------------------------------------------ ks_plan_best */

static const struct {
  int n;
  struct {
    int col, op, usable;
  } c[6];
  int norder;
  struct {
    int col, desc;
  } o[2];
  unsigned long long used;      /* colUsed */
  /* expected */
  int argv[6];
  int omit[6];
  int obc;                      /* orderByConsumed */
  const char *idx;
} best_cases[] = {
  /* 0: full scan of two columns */
  {0, {{0}}, 0, {{0}}, 0x5, {0}, {0}, 0, "Q:|O:|F:0,2|L:0|S:0"},
  /* 1-5: each comparison on $id is pushed and omitted */
  {1, {{0, EQ, 1}}, 0, {{0}}, 0x2, {1}, {1}, 0,
   "Q:$id = ?1|O:|F:1|L:0|S:0"},
  {1, {{0, GT, 1}}, 0, {{0}}, 0x2, {1}, {1}, 0,
   "Q:$id > ?1|O:|F:1|L:0|S:0"},
  {1, {{0, GE, 1}}, 0, {{0}}, 0x2, {1}, {1}, 0,
   "Q:$id >= ?1|O:|F:1|L:0|S:0"},
  {1, {{0, LT, 1}}, 0, {{0}}, 0x2, {1}, {1}, 0,
   "Q:$id < ?1|O:|F:1|L:0|S:0"},
  {1, {{0, LE, 1}}, 0, {{0}}, 0x2, {1}, {1}, 0,
   "Q:$id <= ?1|O:|F:1|L:0|S:0"},
  /* 6: a range */
  {2, {{0, GT, 1}, {0, LE, 1}}, 0, {{0}}, 0x3, {1, 2}, {1, 1}, 0,
   "Q:$id > ?1 and $id <= ?2|O:|F:0,1|L:0|S:0"},
  /* 7-12: other operators on $id stay with SQLite */
  {1, {{0, NE, 1}}, 0, {{0}}, 0x3, {0}, {0}, 0, "Q:|O:|F:0,1|L:0|S:0"},
  {1, {{0, LIKE, 1}}, 0, {{0}}, 0x3, {0}, {0}, 0, "Q:|O:|F:0,1|L:0|S:0"},
  {1, {{0, GLOB, 1}}, 0, {{0}}, 0x3, {0}, {0}, 0, "Q:|O:|F:0,1|L:0|S:0"},
  {1, {{0, IS, 1}}, 0, {{0}}, 0x3, {0}, {0}, 0, "Q:|O:|F:0,1|L:0|S:0"},
  {1, {{0, ISNULL, 1}}, 0, {{0}}, 0x3, {0}, {0}, 0, "Q:|O:|F:0,1|L:0|S:0"},
  {1, {{0, EQ, 0}}, 0, {{0}}, 0x3, {0}, {0}, 0, "Q:|O:|F:0,1|L:0|S:0"},
  /* 13-14: other columns: not used, not omitted */
  {1, {{1, EQ, 1}}, 0, {{0}}, 0x2, {0}, {0}, 0, "Q:|O:|F:1|L:0|S:0"},
  {3, {{2, GT, 1}, {0, GE, 1}, {-1, EQ, 1}}, 0, {{0}}, 0x5, {0, 1, 0},
   {0, 1, 0}, 0, "Q:$id >= ?1|O:|F:0,2|L:0|S:0"},
  /* 15-18: LIMIT/OFFSET consumed when everything else is omitted */
  {1, {{0, LIMIT, 1}}, 0, {{0}}, 0x2, {1}, {1}, 0,
   "Q:|O:|F:1|L:1|S:0"},
  {2, {{0, LIMIT, 1}, {0, OFFSET, 1}}, 0, {{0}}, 0x2, {1, 2}, {1, 1}, 0,
   "Q:|O:|F:1|L:1|S:2"},
  {3, {{0, OFFSET, 1}, {0, GT, 1}, {0, LIMIT, 1}}, 0, {{0}}, 0x2,
   {3, 1, 2}, {1, 1, 1}, 0, "Q:$id > ?1|O:|F:1|L:2|S:3"},
  {2, {{0, EQ, 1}, {0, LIMIT, 1}}, 0, {{0}}, 0x2, {1, 2}, {1, 1}, 0,
   "Q:$id = ?1|O:|F:1|L:2|S:0"},
  /* 19-21: ... but not when a constraint is left to SQLite */
  {2, {{1, EQ, 1}, {0, LIMIT, 1}}, 0, {{0}}, 0x2, {0, 0}, {0, 0}, 0,
   "Q:|O:|F:1|L:0|S:0"},
  {3, {{0, GT, 1}, {1, EQ, 1}, {0, LIMIT, 1}}, 0, {{0}}, 0x3, {1, 0, 0},
   {1, 0, 0}, 0, "Q:$id > ?1|O:|F:0,1|L:0|S:0"},
  {2, {{0, GT, 0}, {0, LIMIT, 1}}, 0, {{0}}, 0x2, {0, 0}, {0, 0}, 0,
   "Q:|O:|F:1|L:0|S:0"},
  /* 22: OFFSET without LIMIT is never consumed */
  {1, {{0, OFFSET, 1}}, 0, {{0}}, 0x2, {0}, {0}, 0, "Q:|O:|F:1|L:0|S:0"},
  /* 23-24: ORDER BY $id asc/desc is served */
  {0, {{0}}, 1, {{0, 0}}, 0x3, {0}, {0}, 1, "Q:|O:asc|F:0,1|L:0|S:0"},
  {0, {{0}}, 1, {{0, 1}}, 0x3, {0}, {0}, 1, "Q:|O:desc|F:0,1|L:0|S:0"},
  /* 25-27: ORDER BY anything else is not */
  {0, {{0}}, 1, {{1, 0}}, 0x3, {0}, {0}, 0, "Q:|O:|F:0,1|L:0|S:0"},
  {0, {{0}}, 2, {{0, 0}, {1, 0}}, 0x3, {0}, {0}, 0,
   "Q:|O:|F:0,1|L:0|S:0"},
  {0, {{0}}, 1, {{-1, 0}}, 0x3, {0}, {0}, 0, "Q:|O:|F:0,1|L:0|S:0"},
  /* 28-30: LIMIT with ORDER BY: only when the order is served */
  {2, {{0, LIMIT, 1}, {0, OFFSET, 1}}, 1, {{0, 1}}, 0x3, {1, 2}, {1, 1}, 1,
   "Q:|O:desc|F:0,1|L:1|S:2"},
  {1, {{0, LIMIT, 1}}, 1, {{1, 0}}, 0x3, {0}, {0}, 0,
   "Q:|O:|F:0,1|L:0|S:0"},
  {2, {{0, LT, 1}, {0, LIMIT, 1}}, 2, {{0, 0}, {2, 1}}, 0x5, {1, 0},
   {1, 0}, 0, "Q:$id < ?1|O:|F:0,2|L:0|S:0"},
  /* 31-33: colUsed: bit 63 means "63 or more" -> every field */
  {0, {{0}}, 0, {{0}}, 1ULL << 63, {0}, {0}, 0, "Q:|O:|F:*|L:0|S:0"},
  {0, {{0}}, 0, {{0}}, ~0ULL, {0}, {0}, 0, "Q:|O:|F:*|L:0|S:0"},
  {0, {{0}}, 0, {{0}}, 1ULL << 62 | 1, {0}, {0}, 0,
   "Q:|O:|F:0,62|L:0|S:0"},
  /* 34-37: count-only when no column is read and all is omitted */
  {0, {{0}}, 0, {{0}}, 0, {0}, {0}, 0, "Q:|O:|F:|L:0|S:0|C"},
  {1, {{0, GT, 1}}, 0, {{0}}, 0, {1}, {1}, 0, "Q:$id > ?1|O:|F:|L:0|S:0|C"},
  {1, {{0, LIMIT, 1}}, 0, {{0}}, 0, {1}, {1}, 0, "Q:|O:|F:|L:1|S:0|C"},
  {1, {{1, EQ, 1}}, 0, {{0}}, 0, {0}, {0}, 0, "Q:|O:|F:|L:0|S:0"}
};

START_TEST(best_table)
{
  struct ixi x;
  int i;

  ixi_init(&x);
  for(i = 0; i < best_cases[_i].n; i++)
    add_cons(&x, best_cases[_i].c[i].col, best_cases[_i].c[i].op,
             best_cases[_i].c[i].usable);
  for(i = 0; i < best_cases[_i].norder; i++)
    add_order(&x, best_cases[_i].o[i].col, best_cases[_i].o[i].desc);
  x.info.colUsed = (sqlite3_uint64)best_cases[_i].used;
  run_best(&x);
  ck_assert_str_eq(x.info.idxStr, best_cases[_i].idx);
  for(i = 0; i < best_cases[_i].n; i++) {
    ck_assert_msg(x.use[i].argvIndex == best_cases[_i].argv[i],
                  "constraint %d: argvIndex %d", i, x.use[i].argvIndex);
    ck_assert_msg(x.use[i].omit == best_cases[_i].omit[i],
                  "constraint %d: omit %d", i, x.use[i].omit);
  }
  ck_assert_int_eq(x.info.orderByConsumed, best_cases[_i].obc);
  ixi_free(&x);
}
END_TEST

START_TEST(best_estimates)
{
  struct ixi full, eq, range;

  ixi_init(&full);
  full.info.colUsed = 1;
  run_best(&full);
  ixi_init(&eq);
  add_cons(&eq, 0, EQ, 1);
  eq.info.colUsed = 1;
  run_best(&eq);
  ixi_init(&range);
  add_cons(&range, 0, GT, 1);
  range.info.colUsed = 1;
  run_best(&range);

  ck_assert_int_eq(eq.info.estimatedRows, 1);
  ck_assert_int_ne(eq.info.idxFlags & SQLITE_INDEX_SCAN_UNIQUE, 0);
  ck_assert_int_eq(range.info.idxFlags & SQLITE_INDEX_SCAN_UNIQUE, 0);
  ck_assert_int_eq(full.info.idxFlags & SQLITE_INDEX_SCAN_UNIQUE, 0);
  ck_assert_int_lt(eq.info.estimatedRows, range.info.estimatedRows);
  ck_assert_int_lt(range.info.estimatedRows, full.info.estimatedRows);
  ck_assert_double_lt(eq.info.estimatedCost, range.info.estimatedCost);
  ck_assert_double_lt(range.info.estimatedCost, full.info.estimatedCost);
  ixi_free(&full);
  ixi_free(&eq);
  ixi_free(&range);
}
END_TEST

START_TEST(best_many_constraints)
{
  struct ixi x;
  struct ks_plan p;
  int i, used = 0;

  ixi_init(&x);
  for(i = 0; i < MAXC - 1; i++)
    add_cons(&x, 0, GT, 1);
  add_cons(&x, 0, LIMIT, 1);
  x.info.colUsed = 1;
  run_best(&x);
  for(i = 0; i < MAXC; i++)
    used += x.use[i].argvIndex != 0;
  /* capped below KS_PLAN_MAX_ARGS; the rest (and LIMIT) stay local */
  ck_assert_int_le(used, KS_PLAN_MAX_ARGS);
  ck_assert_int_gt(used, 0);
  ck_assert_int_eq(x.use[MAXC - 1].argvIndex, 0);
  ck_assert_int_eq(ks_plan_decode(x.info.idxStr, &p), 0);
  ck_assert_int_eq(p.limit_arg, 0);
  ck_assert_uint_lt(strlen(p.cond), sizeof(p.cond));
  ck_assert_ptr_nonnull(strstr(p.cond, "?1 and"));
  ixi_free(&x);
}
END_TEST

/* -------------------------------------------------------- the codec */

static int plan_eq(const struct ks_plan *a, const struct ks_plan *b)
{
  return !strcmp(a->cond, b->cond) && !strcmp(a->order, b->order) &&
         a->all_fields == b->all_fields && a->cols == b->cols &&
         a->limit_arg == b->limit_arg && a->offset_arg == b->offset_arg &&
         a->count_only == b->count_only;
}

static const struct {
  const char *cond;
  const char *order;
  int all_fields;
  unsigned long long cols;
  int limit, offset, count;
  const char *text;     /* expected encoding, NULL = don't check */
} codec_cases[] = {
  {"", "", 0, 0, 0, 0, 0, "Q:|O:|F:|L:0|S:0"},
  {"", "", 0, 0, 0, 0, 1, "Q:|O:|F:|L:0|S:0|C"},
  {"$id = ?1", "", 0, 0x1, 0, 0, 0, "Q:$id = ?1|O:|F:0|L:0|S:0"},
  {"$id > ?1 and $id <= ?2", "asc", 0, 0x6, 3, 4, 0,
   "Q:$id > ?1 and $id <= ?2|O:asc|F:1,2|L:3|S:4"},
  {"", "desc", 1, 0, 1, 2, 0, "Q:|O:desc|F:*|L:1|S:2"},
  {"", "", 0, 1ULL << 63, 0, 0, 0, "Q:|O:|F:63|L:0|S:0"},
  {"", "", 0, ~0ULL, 0, 0, 0, NULL},
  {"$id >= ?1", "", 0, 0, 2, 0, 1, "Q:$id >= ?1|O:|F:|L:2|S:0|C"},
  {"", "", 0, 0xaaaaaaaaaaaaaaaaULL, 31, 32, 1, NULL}
};

START_TEST(codec_roundtrip)
{
  struct ks_plan p, q;
  char *s;

  memset(&p, 0, sizeof(p));
  snprintf(p.cond, sizeof(p.cond), "%s", codec_cases[_i].cond);
  snprintf(p.order, sizeof(p.order), "%s", codec_cases[_i].order);
  p.all_fields = codec_cases[_i].all_fields;
  p.cols = codec_cases[_i].cols;
  p.limit_arg = codec_cases[_i].limit;
  p.offset_arg = codec_cases[_i].offset;
  p.count_only = codec_cases[_i].count;
  s = ks_plan_encode(&p);
  ck_assert_ptr_nonnull(s);
  if(codec_cases[_i].text)
    ck_assert_str_eq(s, codec_cases[_i].text);
  memset(&q, 0x5a, sizeof(q));
  ck_assert_int_eq(ks_plan_decode(s, &q), 0);
  ck_assert_msg(plan_eq(&p, &q), "plan changed through '%s'", s);
  sqlite3_free(s);
}
END_TEST

START_TEST(codec_long_condition)
{
  struct ks_plan p, q;
  char *s;
  size_t n = 0;
  int i = 1;

  memset(&p, 0, sizeof(p));
  /* as long as the struct allows: 1023 characters */
  while(n + 16 < sizeof(p.cond) - 1)
    n += (size_t)snprintf(p.cond + n, sizeof(p.cond) - n, "%s$id > ?%d",
                          n ? " and " : "", i++);
  memset(p.cond + n, ' ', sizeof(p.cond) - 1 - n);
  p.cond[sizeof(p.cond) - 1] = '\0';
  p.cols = 3;
  s = ks_plan_encode(&p);
  ck_assert_int_eq(ks_plan_decode(s, &q), 0);
  ck_assert_uint_eq(strlen(q.cond), sizeof(q.cond) - 1);
  ck_assert(plan_eq(&p, &q));
  sqlite3_free(s);
}
END_TEST

START_TEST(codec_from_best)
{
  struct ixi x;
  struct ks_plan p;

  ixi_init(&x);
  add_cons(&x, 0, GE, 1);
  add_cons(&x, 0, LT, 1);
  add_cons(&x, 0, LIMIT, 1);
  add_cons(&x, 0, OFFSET, 1);
  add_order(&x, 0, 1);
  x.info.colUsed = (1ULL << 5) | 1;
  run_best(&x);
  ck_assert_int_eq(ks_plan_decode(x.info.idxStr, &p), 0);
  ck_assert_str_eq(p.cond, "$id >= ?1 and $id < ?2");
  ck_assert_str_eq(p.order, "desc");
  ck_assert_int_eq(p.all_fields, 0);
  ck_assert_uint_eq(p.cols, (1ULL << 5) | 1);
  ck_assert_int_eq(p.limit_arg, 3);
  ck_assert_int_eq(p.offset_arg, 4);
  ck_assert_int_eq(p.count_only, 0);
  ixi_free(&x);
}
END_TEST

static const char *const bad_idx[] = {
  "",
  "Q:",
  "Q:|O:|F:",
  "Q:|O:|F:|L:0",
  "O:|F:|L:0|S:0",                      /* no Q */
  "Q:|F:|L:0|S:0",                      /* no O */
  "Q:|O:|L:0|S:0",                      /* no F */
  "Q:|O:|F:64|L:0|S:0",                 /* column out of range */
  "Q:|O:|F:-1|L:0|S:0",
  "Q:|O:|F:a|L:0|S:0",
  "Q:|O:|F:1,,2|L:0|S:0",
  "Q:|O:|F:1;2|L:0|S:0",
  "Q:|O:ascending|F:|L:0|S:0"           /* longer than the field */
};

START_TEST(codec_malformed)
{
  struct ks_plan p;

  ck_assert_msg(ks_plan_decode(bad_idx[_i], &p) != 0, "'%s' accepted",
                bad_idx[_i]);
}
END_TEST

START_TEST(codec_null)
{
  struct ks_plan p;

  ck_assert_int_ne(ks_plan_decode(NULL, &p), 0);
  /* fields may come in any order; C is recognised at the end only */
  ck_assert_int_eq(ks_plan_decode("S:2|L:1|F:0|O:asc|Q:$id = ?1", &p), 0);
  ck_assert_str_eq(p.cond, "$id = ?1");
  ck_assert_str_eq(p.order, "asc");
  ck_assert_int_eq(p.limit_arg, 1);
  ck_assert_int_eq(p.offset_arg, 2);
  ck_assert_uint_eq(p.cols, 1);
  ck_assert_int_eq(p.count_only, 0);
}
END_TEST

static Suite *plan_suite(void)
{
  Suite *s = suite_create("plan");
  TCase *t;

  t = tcase_create("best_index");
  tcase_add_loop_test(t, best_table, 0, (int)N_ELEMS(best_cases));
  tcase_add_test(t, best_estimates);
  tcase_add_test(t, best_many_constraints);
  suite_add_tcase(s, t);
  t = tcase_create("codec");
  tcase_add_loop_test(t, codec_roundtrip, 0, (int)N_ELEMS(codec_cases));
  tcase_add_test(t, codec_long_condition);
  tcase_add_test(t, codec_from_best);
  tcase_add_loop_test(t, codec_malformed, 0, (int)N_ELEMS(bad_idx));
  tcase_add_test(t, codec_null);
  suite_add_tcase(s, t);
  return s;
}

/* ---------------------------------------------------------- kq_quote */

static const struct {
  const char *in;
  size_t len;           /* 0: strlen */
  int rc;
  const char *out;      /* what follows the "x = " prefix */
} quote_cases[] = {
  {"", 0, 0, "\"\""},
  {"abc", 0, 0, "\"abc\""},
  {"a\"b", 0, 0, "\"a\\\"b\""},
  {"a\\b", 0, 0, "\"a\\\\b\""},
  {"\\\"", 0, 0, "\"\\\\\\\"\""},
  {"\"", 0, 0, "\"\\\"\""},
  {"\\", 0, 0, "\"\\\\\""},
  {"tab\there", 0, 0, "\"tab\\there\""},
  {"line\nbreak", 0, 0, "\"line\\nbreak\""},
  {"'single'", 0, 0, "\"'single'\""},
  {"\xe6\x97\xa5\xe6\x9c\xac", 0, 0, "\"\xe6\x97\xa5\xe6\x9c\xac\""},
  {"\") or ($id > \"0", 0, 0, "\"\\\") or ($id > \\\"0\""},
  {"a\rb", 0, 1, NULL},
  {"\r", 0, 1, NULL},
  {"\x01", 0, 1, NULL},
  {"\x1f", 0, 1, NULL},
  {"\x1b[0m", 0, 1, NULL},
  {"del\x7f", 0, 1, NULL},
  {"a\0b", 3, 1, NULL},
  {"ok\"\r", 0, 1, NULL}                  /* rejected before any output */
};

/* 1 if s is exactly one Kintone string literal (escapes honoured). */
static int one_literal(const char *s)
{
  size_t i, n = strlen(s);

  if(n < 2 || s[0] != '"')
    return 0;
  for(i = 1; i < n; i++) {
    if(s[i] == '\\') {
      if(!strchr("\\\"tn", s[i + 1]))
        return 0;
      i++;
    }
    else if(s[i] == '"')
      return i == n - 1;
  }
  return 0;
}

START_TEST(quote)
{
  sqlite3_str *out = sqlite3_str_new(NULL);
  const char *in = quote_cases[_i].in;
  size_t len = quote_cases[_i].len ? quote_cases[_i].len : strlen(in);
  char *s;

  sqlite3_str_appendall(out, "x = ");
  ck_assert_int_eq(kq_quote(out, in, len), quote_cases[_i].rc);
  s = sqlite3_str_finish(out);
  if(quote_cases[_i].rc)
    ck_assert_str_eq(s, "x = ");        /* untouched */
  else {
    ck_assert_str_eq(s + 4, quote_cases[_i].out);
    ck_assert_msg(one_literal(s + 4), "'%s' is not one literal", s + 4);
  }
  sqlite3_free(s);
}
END_TEST

/* --------------------------------------------------------- kq_render */

enum { A_INT, A_REAL, A_TEXT, A_NULL, A_BLOB };

struct arg {
  int type;
  long long i;
  double d;
  const char *t;
};

#define I(v) {A_INT, (v), 0, NULL}
#define R(v) {A_REAL, 0, (v), NULL}
#define T(v) {A_TEXT, 0, 0, (v)}
#define NUL {A_NULL, 0, 0, NULL}
#define BLOB {A_BLOB, 0, 0, "\x01\x02"}

static sqlite3 *db;

static void db_setup(void)
{
  ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
}

static void db_teardown(void)
{
  sqlite3_close(db);
  db = NULL;
}

/*
 * Fills v[0..n) with protected sqlite3_value copies of args, obtained
 * from `SELECT ?1, ..., ?n`.  Free each with sqlite3_value_free.
 */
static void make_values(const struct arg *args, int n, sqlite3_value **v)
{
  char sql[256] = "SELECT ";
  sqlite3_stmt *st;
  size_t used = strlen(sql);
  int i;

  if(!n)
    return;
  for(i = 0; i < n; i++)
    used += (size_t)snprintf(sql + used, sizeof(sql) - used, "%s?%d",
                             i ? ", " : "", i + 1);
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  for(i = 0; i < n; i++) {
    int rc = SQLITE_OK;
    switch(args[i].type) {
    case A_INT:
      rc = sqlite3_bind_int64(st, i + 1, args[i].i);
      break;
    case A_REAL:
      rc = sqlite3_bind_double(st, i + 1, args[i].d);
      break;
    case A_TEXT:
      rc = sqlite3_bind_text(st, i + 1, args[i].t, -1, SQLITE_STATIC);
      break;
    case A_BLOB:
      rc = sqlite3_bind_blob(st, i + 1, args[i].t, 2, SQLITE_STATIC);
      break;
    default:
      rc = sqlite3_bind_null(st, i + 1);
    }
    ck_assert_int_eq(rc, SQLITE_OK);
  }
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  for(i = 0; i < n; i++) {
    v[i] = sqlite3_value_dup(sqlite3_column_value(st, i));
    ck_assert_ptr_nonnull(v[i]);
  }
  sqlite3_finalize(st);
}

#define BIG 1e19

static const struct {
  const char *tmpl;
  int n;
  struct arg a[3];
  int rc;
  int never;
  const char *out;      /* appended after "Q:"; NULL = untouched */
} render_cases[] = {
  /* 0-6: integers */
  {"", 0, {NUL}, SQLITE_OK, 0, ""},
  {"$id = ?1", 1, {I(5)}, SQLITE_OK, 0, "$id = 5"},
  {"$id > ?1 and $id <= ?2", 2, {I(1), I(10)}, SQLITE_OK, 0,
   "$id > 1 and $id <= 10"},
  {"$id >= ?2 and $id < ?1", 2, {I(10), I(1)}, SQLITE_OK, 0,
   "$id >= 1 and $id < 10"},
  {"$id > ?1", 1, {I(-5)}, SQLITE_OK, 0, "$id > -5"},
  {"$id < ?1", 1, {I(INT64_MAX)}, SQLITE_OK, 0,
   "$id < 9223372036854775807"},
  {"$id >= ?1", 1, {I(INT64_MIN)}, SQLITE_OK, 0,
   "$id >= -9223372036854775808"},
  /* 7-11: fractional bounds select the same integers */
  {"$id = ?1", 1, {R(2.5)}, SQLITE_OK, 1, NULL},
  {"$id > ?1", 1, {R(2.5)}, SQLITE_OK, 0, "$id > 2"},
  {"$id >= ?1", 1, {R(2.5)}, SQLITE_OK, 0, "$id >= 3"},
  {"$id < ?1", 1, {R(2.5)}, SQLITE_OK, 0, "$id < 3"},
  {"$id <= ?1", 1, {R(2.5)}, SQLITE_OK, 0, "$id <= 2"},
  /* 12-16: negative fractions round the same way on the number line */
  {"$id > ?1", 1, {R(-2.5)}, SQLITE_OK, 0, "$id > -3"},
  {"$id >= ?1", 1, {R(-2.5)}, SQLITE_OK, 0, "$id >= -2"},
  {"$id < ?1", 1, {R(-2.5)}, SQLITE_OK, 0, "$id < -2"},
  {"$id <= ?1", 1, {R(-2.5)}, SQLITE_OK, 0, "$id <= -3"},
  {"$id = ?1", 1, {R(-0.5)}, SQLITE_OK, 1, NULL},
  /* 17-19: integral reals are integers */
  {"$id = ?1", 1, {R(3.0)}, SQLITE_OK, 0, "$id = 3"},
  {"$id > ?1", 1, {R(0.0)}, SQLITE_OK, 0, "$id > 0"},
  {"$id <= ?1", 1, {R(1e15)}, SQLITE_OK, 0, "$id <= 1000000000000000"},
  /* 20-25: beyond the int64 range */
  {"$id < ?1", 1, {R(BIG)}, SQLITE_OK, 0, ""},
  {"$id > ?1", 1, {R(BIG)}, SQLITE_OK, 1, NULL},
  {"$id = ?1", 1, {R(BIG)}, SQLITE_OK, 1, NULL},
  {"$id > ?1", 1, {R(-BIG)}, SQLITE_OK, 0, ""},
  {"$id <= ?1", 1, {R(-BIG)}, SQLITE_OK, 1, NULL},
  {"$id >= ?1 and $id < ?2", 2, {R(-BIG), R(BIG)}, SQLITE_OK, 0, ""},
  /* 26-30: NULL never matches */
  {"$id = ?1", 1, {NUL}, SQLITE_OK, 1, NULL},
  {"$id > ?1", 1, {NUL}, SQLITE_OK, 1, NULL},
  {"$id < ?1", 1, {NUL}, SQLITE_OK, 1, NULL},
  {"$id > ?1 and $id = ?2", 2, {I(1), NUL}, SQLITE_OK, 1, NULL},
  {"$id = ?1 and $id > ?2", 2, {NUL, I(1)}, SQLITE_OK, 1, NULL},
  /* 31-35: numeric text is a number */
  {"$id = ?1", 1, {T("5")}, SQLITE_OK, 0, "$id = 5"},
  {"$id > ?1", 1, {T("-12")}, SQLITE_OK, 0, "$id > -12"},
  {"$id > ?1", 1, {T("2.5")}, SQLITE_OK, 0, "$id > 2"},
  {"$id = ?1", 1, {T("2.5")}, SQLITE_OK, 1, NULL},
  {"$id <= ?1", 1, {T("7.0")}, SQLITE_OK, 0, "$id <= 7"},
  /* 36-43: other text (and blobs) sort after every number */
  {"$id < ?1", 1, {T("abc")}, SQLITE_OK, 0, ""},
  {"$id <= ?1", 1, {T("abc")}, SQLITE_OK, 0, ""},
  {"$id = ?1", 1, {T("abc")}, SQLITE_OK, 1, NULL},
  {"$id > ?1", 1, {T("abc")}, SQLITE_OK, 1, NULL},
  {"$id >= ?1", 1, {T("5x")}, SQLITE_OK, 1, NULL},
  {"$id = ?1", 1, {T("")}, SQLITE_OK, 1, NULL},
  {"$id < ?1", 1, {BLOB}, SQLITE_OK, 0, ""},
  {"$id > ?1", 1, {BLOB}, SQLITE_OK, 1, NULL},
  /* 44-46: terms that always hold are dropped, " and " stays right */
  {"$id < ?1 and $id > ?2", 2, {T("x"), I(4)}, SQLITE_OK, 0, "$id > 4"},
  {"$id > ?1 and $id < ?2", 2, {I(3), T("x")}, SQLITE_OK, 0, "$id > 3"},
  {"$id <= ?1 and $id > ?2 and $id < ?3", 3, {T("x"), I(1), R(9.5)},
   SQLITE_OK, 0, "$id > 1 and $id < 10"},
  /* 47-55: malformed templates */
  {"id > ?1", 1, {I(1)}, SQLITE_ERROR, 0, NULL},
  {"$id > 1", 1, {I(1)}, SQLITE_ERROR, 0, NULL},
  {"$id > ?0", 1, {I(1)}, SQLITE_ERROR, 0, NULL},
  {"$id > ?2", 1, {I(1)}, SQLITE_ERROR, 0, NULL},
  {"$id > ?", 1, {I(1)}, SQLITE_ERROR, 0, NULL},
  {"$id >?1", 1, {I(1)}, SQLITE_ERROR, 0, NULL},
  {"$id > ?1 or $id < ?1", 1, {I(1)}, SQLITE_ERROR, 0, NULL},
  {"$id > ?1 and", 1, {I(1)}, SQLITE_ERROR, 0, NULL},
  {"$id like ?1", 1, {I(1)}, SQLITE_ERROR, 0, NULL}
};

START_TEST(render)
{
  sqlite3_value *v[3] = {NULL, NULL, NULL};
  sqlite3_str *out = sqlite3_str_new(NULL);
  int never = -1, rc, i;
  char *s;

  make_values(render_cases[_i].a, render_cases[_i].n, v);
  sqlite3_str_appendall(out, "Q:");
  rc = kq_render(render_cases[_i].tmpl, v, render_cases[_i].n, out, &never);
  s = sqlite3_str_finish(out);
  ck_assert_msg(rc == render_cases[_i].rc, "rc %d, out '%s'", rc, s);
  if(rc == SQLITE_OK)
    ck_assert_int_eq(never, render_cases[_i].never);
  if(render_cases[_i].out)
    ck_assert_str_eq(s + 2, render_cases[_i].out);
  else
    ck_assert_str_eq(s, "Q:");          /* left untouched */
  sqlite3_free(s);
  for(i = 0; i < render_cases[_i].n; i++)
    sqlite3_value_free(v[i]);
}
END_TEST

/*
 * The kq_render answers agree with SQLite itself: for each operator and
 * bound, the ids 1..20 that `SELECT id FROM t WHERE id <op> ?` returns
 * (t has an INTEGER column) are exactly the ids the rendered Kintone
 * condition selects.
 */
START_TEST(render_matches_sqlite)
{
  static const char *const ops[] = {"=", ">", ">=", "<", "<="};
  static const struct arg bounds[] = {
    I(5), I(0), I(21), I(-3), R(2.5), R(7.0), R(-0.5), R(19.999), R(BIG),
    R(-BIG), T("5"), T("12.25"), T("abc"), T(""), NUL, BLOB
  };
  size_t o, b;
  int id;

  ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE t(id INTEGER);"
                                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
                                "SELECT x + 1 FROM c WHERE x < 20) "
                                "INSERT INTO t SELECT x FROM c;", NULL,
                                NULL, NULL), SQLITE_OK);
  for(o = 0; o < N_ELEMS(ops); o++) {
    for(b = 0; b < N_ELEMS(bounds); b++) {
      char tmpl[32], sql[64], *cond;
      sqlite3_value *v;
      sqlite3_str *out = sqlite3_str_new(NULL);
      sqlite3_stmt *st;
      int never, want[21], got[21];

      snprintf(tmpl, sizeof(tmpl), "$id %s ?1", ops[o]);
      make_values(&bounds[b], 1, &v);
      ck_assert_int_eq(kq_render(tmpl, &v, 1, out, &never), SQLITE_OK);
      cond = sqlite3_str_finish(out);

      /* what SQLite returns */
      memset(want, 0, sizeof(want));
      snprintf(sql, sizeof(sql), "SELECT id FROM t WHERE id %s ?1", ops[o]);
      ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
                       SQLITE_OK);
      ck_assert_int_eq(sqlite3_bind_value(st, 1, v), SQLITE_OK);
      while(sqlite3_step(st) == SQLITE_ROW)
        want[sqlite3_column_int(st, 0)] = 1;
      sqlite3_finalize(st);

      /* what the rendered condition ("$id op N" or nothing) selects */
      for(id = 1; id <= 20; id++) {
        char op[3];
        long long n;
        got[id] = 0;
        if(never)
          continue;
        if(!cond || !*cond) {
          got[id] = 1;
          continue;
        }
        ck_assert_int_eq(sscanf(cond, "$id %2s %lld", op, &n), 2);
        got[id] = !strcmp(op, "=") ? id == n : !strcmp(op, ">") ? id > n :
                  !strcmp(op, ">=") ? id >= n : !strcmp(op, "<") ? id < n :
                  id <= n;
      }
      for(id = 1; id <= 20; id++)
        ck_assert_msg(got[id] == want[id],
                      "$id %s bound #%zu: id %d: SQLite %d, Kintone '%s'%s",
                      ops[o], b, id, want[id], cond ? cond : "",
                      never ? " (never)" : "");
      sqlite3_free(cond);
      sqlite3_value_free(v);
    }
  }
}
END_TEST

/* From a plan to query text: best index -> idxStr -> decode -> render. */
START_TEST(render_from_plan)
{
  struct ixi x;
  struct ks_plan p;
  struct arg a[2] = {R(2.5), T("10")};
  sqlite3_value *v[2];
  sqlite3_str *out = sqlite3_str_new(NULL);
  int never = -1;
  char *s;

  ixi_init(&x);
  add_cons(&x, 0, GT, 1);
  add_cons(&x, 0, LE, 1);
  x.info.colUsed = 1;
  run_best(&x);
  ck_assert_int_eq(ks_plan_decode(x.info.idxStr, &p), 0);
  make_values(a, 2, v);
  ck_assert_int_eq(kq_render(p.cond, v, x.info.idxNum, out, &never),
                   SQLITE_OK);
  s = sqlite3_str_finish(out);
  ck_assert_int_eq(never, 0);
  ck_assert_str_eq(s, "$id > 2 and $id <= 10");
  sqlite3_free(s);
  sqlite3_value_free(v[0]);
  sqlite3_value_free(v[1]);
  ixi_free(&x);
}
END_TEST

static Suite *kquery_suite(void)
{
  Suite *s = suite_create("kquery");
  TCase *t;

  t = tcase_create("quote");
  tcase_add_loop_test(t, quote, 0, (int)N_ELEMS(quote_cases));
  suite_add_tcase(s, t);
  t = tcase_create("render");
  tcase_add_checked_fixture(t, db_setup, db_teardown);
  tcase_add_loop_test(t, render, 0, (int)N_ELEMS(render_cases));
  tcase_add_test(t, render_matches_sqlite);
  tcase_add_test(t, render_from_plan);
  suite_add_tcase(s, t);
  return s;
}

int main(void)
{
  SRunner *sr = srunner_create(plan_suite());
  int failed;

  srunner_add_suite(sr, kquery_suite());
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
