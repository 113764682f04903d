/*
 * fuzz_sql.c - libFuzzer target for the planner behind xBestIndex
 * (sql/plan.c): SQL text needs a server and a ks_db, so instead the
 * planner is fed random sqlite3_index_info and the idxStr codec random
 * text.
 *
 * Invariants:
 *   - ks_plan_decode on any text never crashes; when it accepts the
 *     text, encode(decode(t)) decodes to the same plan and encodes to
 *     the same text (a fixed point after one round);
 *   - ks_plan_best_caps with random constraints (any column, operator,
 *     usability), ORDER BY, colUsed and column capabilities returns
 *     SQLITE_OK; the argvIndex values it assigns are exactly 1..k; omit
 *     is set only on constraints it consumes; its idxStr decodes, names
 *     only placeholders ?1..?k and LIMIT/OFFSET at the indexes it gave
 *     them; orderByConsumed only for ORDER BY on one orderable column
 *     ("$id" without caps); tables whose rows are not records
 *     (subtables) get no LIMIT/OFFSET/count plan.
 */
#include "fuzz_util.h"

#include <sqlite3.h>

#include "sql/plan.h"

static void same_plan(const struct ks_plan *a, const struct ks_plan *b)
{
  FZ_ASSERT(!strcmp(a->cond, b->cond));
  FZ_ASSERT(!strcmp(a->order, b->order));
  FZ_ASSERT(a->all_fields == b->all_fields && a->cols == b->cols);
  FZ_ASSERT(a->limit_arg == b->limit_arg);
  FZ_ASSERT(a->offset_arg == b->offset_arg);
  FZ_ASSERT(a->count_only == b->count_only);
}

static void codec(const char *text)
{
  struct ks_plan p, p2, p3;
  char *e1, *e2;

  if(ks_plan_decode(text, &p))
    return;
  e1 = ks_plan_encode(&p);
  FZ_ASSERT(e1);
  FZ_ASSERT(ks_plan_decode(e1, &p2) == 0);
  e2 = ks_plan_encode(&p2);
  FZ_ASSERT(e2);
  FZ_ASSERT(ks_plan_decode(e2, &p3) == 0);
  same_plan(&p2, &p3);
  if(strcmp(e1, e2))
    fprintf(stderr, "[%s] -> [%s] -> [%s]\n", text, e1, e2);
  FZ_ASSERT(!strcmp(e1, e2));
  sqlite3_free(e1);
  sqlite3_free(e2);
}

static const unsigned char sqlops[] = {
  SQLITE_INDEX_CONSTRAINT_EQ, SQLITE_INDEX_CONSTRAINT_GT,
  SQLITE_INDEX_CONSTRAINT_LE, SQLITE_INDEX_CONSTRAINT_LT,
  SQLITE_INDEX_CONSTRAINT_GE, SQLITE_INDEX_CONSTRAINT_MATCH,
  SQLITE_INDEX_CONSTRAINT_LIKE, SQLITE_INDEX_CONSTRAINT_GLOB,
  SQLITE_INDEX_CONSTRAINT_REGEXP, SQLITE_INDEX_CONSTRAINT_NE,
  SQLITE_INDEX_CONSTRAINT_ISNOT, SQLITE_INDEX_CONSTRAINT_ISNOTNULL,
  SQLITE_INDEX_CONSTRAINT_ISNULL, SQLITE_INDEX_CONSTRAINT_IS,
  SQLITE_INDEX_CONSTRAINT_LIMIT, SQLITE_INDEX_CONSTRAINT_OFFSET,
  SQLITE_INDEX_CONSTRAINT_FUNCTION
};

#define MAXC 40

static void planner(struct fz_in *in)
{
  struct sqlite3_index_constraint cons[MAXC];
  struct sqlite3_index_constraint_usage use[MAXC];
  struct sqlite3_index_orderby ob[4];
  struct ks_colcap caps[80];
  char codes[80][8];
  sqlite3_index_info info;
  struct ks_plan p;
  int ncols = 1 + (int)(fz_byte(in) % 80), i, k = 0, seen[MAXC + 2];
  int with_caps = fz_byte(in) & 1, records = !(fz_byte(in) & 3), rc;
  const char *q;

  memset(&info, 0, sizeof(info));
  memset(cons, 0, sizeof(cons));
  memset(use, 0, sizeof(use));
  memset(seen, 0, sizeof(seen));
  memset(caps, 0, sizeof(caps));
  info.nConstraint = (int)(fz_byte(in) % (MAXC + 1));
  for(i = 0; i < info.nConstraint; i++) {
    cons[i].iColumn = (int)(fz_byte(in) % (unsigned)(ncols + 3)) - 1;
    cons[i].op = sqlops[fz_byte(in) % sizeof(sqlops)];
    cons[i].usable = fz_byte(in) & 1;
  }
  info.nOrderBy = (int)(fz_byte(in) % 4);
  for(i = 0; i < info.nOrderBy; i++) {
    ob[i].iColumn = (int)(fz_byte(in) % (unsigned)(ncols + 1)) - 1;
    ob[i].desc = fz_byte(in) & 1;
  }
  info.aConstraint = cons;
  info.aConstraintUsage = use;
  info.aOrderBy = ob;
  info.colUsed = (sqlite3_uint64)fz_i64(in);
  for(i = 0; i < ncols; i++) {
    snprintf(codes[i], sizeof(codes[i]), i ? "f%d" : "$id", i);
    caps[i].code = codes[i];
    caps[i].ops = fz_byte(in);
    caps[i].exact = fz_byte(in) & 1;
    caps[i].orderable = i == 0 || (fz_byte(in) & 1);
  }
  rc = ks_plan_best_caps(&info, ncols, with_caps ? caps : NULL, 0,
                         records);
  FZ_ASSERT(rc == SQLITE_OK);
  for(i = 0; i < info.nConstraint; i++) {
    int a = use[i].argvIndex;
    FZ_ASSERT(a >= 0 && a <= info.nConstraint);
    if(a) {
      FZ_ASSERT(!seen[a]);
      seen[a] = 1;
      k = a > k ? a : k;
      FZ_ASSERT(cons[i].usable ||
                cons[i].op == SQLITE_INDEX_CONSTRAINT_LIMIT ||
                cons[i].op == SQLITE_INDEX_CONSTRAINT_OFFSET);
    }
    if(use[i].omit)
      FZ_ASSERT(a || cons[i].op == SQLITE_INDEX_CONSTRAINT_ISNULL);
  }
  for(i = 1; i <= k; i++)
    FZ_ASSERT(seen[i]);                 /* exactly 1..k */
  FZ_ASSERT(k <= KS_PLAN_MAX_ARGS);
  if(info.orderByConsumed)
    FZ_ASSERT(info.nOrderBy == 1 && ob[0].iColumn >= 0 &&
              ob[0].iColumn < ncols &&
              (with_caps ? caps[ob[0].iColumn].orderable
                         : ob[0].iColumn == 0));
  FZ_ASSERT(info.idxStr);
  FZ_ASSERT(ks_plan_decode(info.idxStr, &p) == 0);
  for(q = strchr(p.cond, '?'); q; q = strchr(q + 1, '?')) {
    long n = strtol(q + 1, NULL, 10);
    FZ_ASSERT(n >= 1 && n <= k);
  }
  for(i = 0; i < info.nConstraint; i++) {
    if(cons[i].op == SQLITE_INDEX_CONSTRAINT_LIMIT && use[i].argvIndex)
      FZ_ASSERT(p.limit_arg == use[i].argvIndex);
    if(cons[i].op == SQLITE_INDEX_CONSTRAINT_OFFSET && use[i].argvIndex)
      FZ_ASSERT(p.offset_arg == use[i].argvIndex);
  }
  FZ_ASSERT(p.limit_arg >= 0 && p.limit_arg <= k);
  if(!records)                  /* subtable rows: no LIMIT/OFFSET/count */
    FZ_ASSERT(!p.limit_arg && !p.offset_arg && !p.count_only);
  FZ_ASSERT(p.offset_arg >= 0 && p.offset_arg <= k);
  codec(info.idxStr);
  if(info.needToFreeIdxStr)
    sqlite3_free(info.idxStr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fz_in in = {data, size};

  if(!size)
    return 0;
  if(fz_byte(&in) & 1) {
    char *text = malloc(in.n + 1);
    FZ_ASSERT(text);
    memcpy(text, in.p, in.n);
    text[in.n] = '\0';
    codec(text);
    free(text);
  }
  else
    planner(&in);
  return 0;
}
