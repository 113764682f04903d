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
 * Pushdown rules (what makes a constraint "pushed and omitted"): only
 * predicates whose Kintone meaning equals SQL's on the mapped value are
 * omitted; today those are comparisons on $id (=, <, <=, >, >=).  LIMIT
 * and OFFSET are consumed only when every constraint was omitted and
 * the ORDER BY (if any) is served.  Everything else stays with SQLite.
 */
#ifndef KS_PLAN_H
#define KS_PLAN_H

#include <stddef.h>
#include <sqlite3.h>

#define KS_PLAN_MAX_ARGS 32

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
 * a table with `ncols` columns whose column 0 is $id.
 * `col_pushable` (may be NULL) is reserved for per-type pushdown rules.
 */
int ks_plan_best(sqlite3_index_info *info, int ncols);

/* Encodes a plan as idxStr text (sqlite3_malloc'ed). */
char *ks_plan_encode(const struct ks_plan *p);
/* Decodes idxStr; 0 on success, non-zero for malformed text. */
int ks_plan_decode(const char *s, struct ks_plan *p);

#endif
