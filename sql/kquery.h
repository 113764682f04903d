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

/*
 * Renders a condition template against argv.  *never gets 1 when the
 * condition can match no row (e.g. $id = 2.5, $id > NULL); then `out` is
 * left untouched.  Returns SQLITE_OK or SQLITE_ERROR (malformed
 * template).
 */
int kq_render(const char *tmpl, sqlite3_value **argv, int argc,
              sqlite3_str *out, int *never);

#endif
