/*
 * plan.h - the pure planner behind xBestIndex, and the plan codec.
 *
 * Layer: sql.  ks_plan_best() looks at the constraints, ORDER BY and
 * columns SQLite offers for an app table and decides what Kintone is
 * asked; the decision travels to xFilter as idxStr, a compact text that
 * EXPLAIN QUERY PLAN also shows, so a user can see the pushdown:
 *
 *   Q:<condition template>|O:<asc|desc|>|F:<cols|*>|L:<argv>|S:<argv>|C
 *
 *   Q  Kintone condition with ?N placeholders for xFilter argv[N-1],
 *      e.g. "$id > ?1 and $id <= ?2"; empty = no condition
 *   O  order served by Kintone on $id ("asc", "desc"); empty = none
 *      needed (records are then read in ascending $id order anyway)
 *   F  column indexes to request as Kintone `fields`, or "*" for all
 *   L  argv number holding LIMIT (0 = none); S the same for OFFSET
 *   C  count-only: no column is read, rows come from totalCount
 *
 * Condition terms are "<field code> <op> ?N" joined by " and ", where
 * op is one of = != < <= > >= in isnull (isnull takes no argument).
 *
 * Pushdown rules: a predicate is pushed when Kintone's answer for it is
 * the same as SQL's or a superset of it (kquery.c renders each value so
 * that this holds, and drops a term whose value it cannot render that
 * way); it is omitted (SQLite does not recheck) only when the answers
 * are equal, which today is comparisons on $id.  LIMIT and OFFSET are
 * consumed only when every constraint was omitted and the ORDER BY (if
 * any) is served.  Everything else stays with SQLite.
 */
#ifndef KS_PLAN_H
#define KS_PLAN_H

#include <stddef.h>
#include <sqlite3.h>

#define KS_PLAN_MAX_ARGS 32
#define KS_PLAN_RECORDS 10000.0       /* assumed records of an app */
#define KS_PLAN_ROWS_PER_RECORD 3.0   /* assumed subtable rows per record */
#define KS_PLAN_REQUEST_COST 1000.0   /* one request, in rows' worth */

/* Operators a column can push to Kintone (struct ks_colcap.ops). */
enum {
  KS_OP_EQ = 1 << 0,
  KS_OP_NE = 1 << 1,
  KS_OP_LT = 1 << 2,
  KS_OP_LE = 1 << 3,
  KS_OP_GT = 1 << 4,
  KS_OP_GE = 1 << 5,
  KS_OP_IN = 1 << 6,         /* a whole IN list at once */
  KS_OP_ISNULL = 1 << 7,
  KS_OP_RANGE = KS_OP_LT | KS_OP_LE | KS_OP_GT | KS_OP_GE
};

/* What the planner may do with one column. */
struct ks_colcap {
  const char *code;        /* field code as written in Kintone queries */
  unsigned ops;            /* KS_OP_* the column can push */
  int exact;               /* Kintone's answer equals SQL's: omit */
  int orderable;           /* ORDER BY it is served by $id order */
};

struct ks_plan {
  char cond[1024];          /* condition template */
  char order[8];            /* "", "asc", "desc" */
  int all_fields;           /* F:* */
  unsigned long long cols;  /* F: bit i = column i (i < 64) */
  int limit_arg;            /* L */
  int offset_arg;           /* S */
  int count_only;           /* C */
};

/*
 * Fills `info` (argvIndex, omit, orderByConsumed, idxStr, estimates) for
 * a table with `ncols` columns whose column 0 is $id.  Without `caps`
 * only $id comparisons are pushed.  With caps, each column pushes the
 * operators caps[i].ops names; IN lists are asked for all at once when
 * `use_vtab_in` (a real xBestIndex call: sqlite3_vtab_in may be used).
 * Constraints are omitted only on exact columns.  `rows_are_records`
 * is 0 for subtable tables (several rows per record): then LIMIT, OFFSET
 * and count-only plans are never used.
 */
int ks_plan_best_caps(sqlite3_index_info *info, int ncols,
                      const struct ks_colcap *caps, int use_vtab_in,
                      int rows_are_records);
/* ks_plan_best_caps without caps: $id comparisons only. */
int ks_plan_best(sqlite3_index_info *info, int ncols);

/* Encodes a plan as idxStr text (sqlite3_malloc'ed). */
char *ks_plan_encode(const struct ks_plan *p);
/* Decodes idxStr; 0 on success, non-zero for malformed text. */
int ks_plan_decode(const char *s, struct ks_plan *p);

#endif
