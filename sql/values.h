/*
 * values.h - Kintone field JSON -> SQL values (the read side of the type
 * mapping; write.c holds the other direction).
 *
 * Layer: sql.
 *   $id, $revision            INTEGER
 *   NUMBER, CALC(number)      INTEGER or REAL
 *   DATE                      'YYYY-MM-DD'
 *   TIME                      'HH:MM:SS'
 *   DATETIME, *_TIME          'YYYY-MM-DD HH:MM:SS' in UTC, or in the
 *                             column's TimeZone (ks_col.tz)
 *   CREATOR, MODIFIER         user code
 *   multi-value fields        JSON array text (selection keys; user,
 *                             organization and group codes; file names)
 *   text, links, selections   TEXT
 * Empty values ("" / null / []) are NULL.
 */
#ifndef KS_VALUES_H
#define KS_VALUES_H

#include <sqlite3.h>
#include <yajl/yajl_tree.h>

struct ks_col;

/* Sets the result of column `col` from its field's "value" JSON. */
void ks_value_result(sqlite3_context *ctx, const struct ks_col *col,
                     yajl_val v);

#endif
