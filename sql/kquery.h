/*
 * kquery.h - building Kintone query text.  All quoting happens here.
 *
 * Layer: sql.  A plan's condition template (plan.h) plus xFilter's
 * argument values become the condition of a Kintone query; the cursor
 * then adds paging (`$id > last order by $id asc limit 500`).
 *
 * Every user value reaches the query through kq_quote() (string
 * literals) or as a canonical integer rendered by this module, never
 * as raw text.
 */
#ifndef KS_KQUERY_H
#define KS_KQUERY_H

#include <stddef.h>
#include <sqlite3.h>

/* Appends s as a Kintone string literal: "..." with \\ \" \t \n
   escaped.  Returns 0, or 1 if s holds a character Kintone cannot take
   inside a literal (CR or another control character). */
int kq_quote(sqlite3_str *out, const char *s, size_t len);
/* The shortest decimal text that reads back as d (15 to 17 digits), as
   Kintone is sent a number in a query or a record. */
void kq_number_text(double d, char *buf, size_t cap);

/* How a column's values are written in a Kintone condition. */
enum kq_kind {
  KQ_ID = 1,      /* $id: integers, exact */
  KQ_NUMBER,      /* NUMBER, CALC(number): numbers */
  KQ_TEXT,        /* SINGLE_LINE_TEXT, LINK, STATUS: strings */
  KQ_DATE,        /* 'YYYY-MM-DD' */
  KQ_DATETIME,    /* 'YYYY-MM-DD HH:MM:SS' in the column's zone ->
                     "...THH:MM:00Z" in UTC */
  KQ_TIME,        /* 'HH:MM:SS' -> "HH:MM" */
  KQ_CHOICE,      /* DROP_DOWN, RADIO_BUTTON: option keys, in/not in */
  KQ_USER,        /* CREATOR, MODIFIER: user codes, in/not in */
  KQ_LONGTEXT     /* MULTI_LINE_TEXT, RICH_TEXT: is empty */
};

struct ku_tz;

struct kq_col {
  const char *code;             /* field code */
  int kind;                     /* enum kq_kind */
  const char *const *options;   /* KQ_CHOICE: valid keys, NULL = any */
  size_t noptions;
};

/* Finds the column named by a template term (code, len bytes). */
typedef const struct kq_col *(*kq_lookup_fn)(void *ctx, const char *code,
                                             size_t len);

/*
 * Renders a condition template (plan.h) against xFilter's argv.  Each
 * term becomes Kintone text whose answer is the same as SQL's or a
 * superset of it; a term whose value cannot be written that way is left
 * out (the planner never omits such terms, so SQLite still checks them).
 * *never gets 1 when no row can match (e.g. $id = 2.5, x = NULL); then
 * `out` is left untouched.  "in" terms read their list with
 * sqlite3_vtab_in_first/next, so they only work inside xFilter.
 * Returns SQLITE_OK or SQLITE_ERROR (malformed template, unknown column).
 */
int kq_render_cols(const char *tmpl, sqlite3_value **argv, int argc,
                   kq_lookup_fn lookup, void *ctx, sqlite3_str *out,
                   int *never);
/*
 * kq_render_cols with the TimeZone of the connection: KQ_DATETIME
 * values are wall-clock times in `tz` (NULL = UTC) and are sent as the
 * UTC instants they denote.  Where the zone's offset changes near a
 * value (daylight saving), the term keeps covering every instant whose
 * wall-clock time satisfies it: a time shown twice (clocks going back)
 * becomes a range over both instants, a time that never occurs (clocks
 * going forward) matches nothing with = and bounds at the change.
 */
int kq_render_cols_tz(const char *tmpl, sqlite3_value **argv, int argc,
                      kq_lookup_fn lookup, void *ctx,
                      const struct ku_tz *tz, sqlite3_str *out,
                      int *never);
/* kq_render_cols for templates on $id alone. */
int kq_render(const char *tmpl, sqlite3_value **argv, int argc,
              sqlite3_str *out, int *never);

#endif
