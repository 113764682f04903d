/*
 * exec.h - statements: prepare, execute, fetch, bindings, descriptors.
 *
 * Layer: driver (over sql/).  The state machine of a statement over one
 * sqlite3_stmt.  Execution steps once, so that errors surface at
 * SQLExecute and result types of expressions are known before the first
 * fetch; that row is then returned by the first SQLFetch.
 */
#ifndef KD_EXEC_H
#define KD_EXEC_H

#include "handles.h"

struct kd_stmt *kd_stmt_new(struct kd_dbc *dbc);   /* NULL on OOM */
void kd_stmt_free(struct kd_stmt *s);              /* unlinks, frees */

void kd_desc_init(struct kd_desc *d, int kind, struct kd_stmt *s,
                  struct kd_dbc *dbc);
void kd_desc_cleanup(struct kd_desc *d);
/* Makes records 0..n exist; 0 on success. */
int kd_desc_ensure(struct kd_desc *d, SQLSMALLINT n);
/* Clears one record (keeps storage). */
void kd_desc_rec_clear(struct kd_desc_rec *r);

SQLRETURN kd_stmt_close(struct kd_stmt *s);         /* closes a cursor */
SQLRETURN kd_stmt_prepare(struct kd_stmt *s, const char *sql);
SQLRETURN kd_stmt_execute(struct kd_stmt *s);
/*
 * Runs an internal query (catalog functions) as the statement's result
 * set; `types` (may be NULL) forces the SQL type of each column;
 * `params` are bound as text (NULL entries bind NULL).
 */
SQLRETURN kd_stmt_run_internal(struct kd_stmt *s, const char *sql,
                               const SQLSMALLINT *types, int ntypes,
                               const char *const *params, int nparams);
SQLRETURN kd_stmt_fetch(struct kd_stmt *s, SQLSMALLINT orientation,
                        SQLLEN offset);
SQLRETURN kd_stmt_get_data(struct kd_stmt *s, SQLUSMALLINT col,
                           SQLSMALLINT ctype, SQLPOINTER buf, SQLLEN buflen,
                           SQLLEN *ind);
SQLRETURN kd_stmt_bind_col(struct kd_stmt *s, SQLUSMALLINT col,
                           SQLSMALLINT ctype, SQLPOINTER buf, SQLLEN buflen,
                           SQLLEN *ind);
SQLRETURN kd_stmt_bind_param(struct kd_stmt *s, SQLUSMALLINT n,
                             SQLSMALLINT io, SQLSMALLINT ctype,
                             SQLSMALLINT sqltype, SQLULEN colsize,
                             SQLSMALLINT digits, SQLPOINTER buf,
                             SQLLEN buflen, SQLLEN *ind);
SQLRETURN kd_stmt_set_attr(struct kd_stmt *s, SQLINTEGER attr,
                           SQLPOINTER val, SQLINTEGER len);
SQLRETURN kd_stmt_get_attr(struct kd_stmt *s, SQLINTEGER attr,
                           SQLPOINTER val, SQLINTEGER buflen,
                           SQLINTEGER *outlen);
/*
 * Data at execution.  kd_stmt_execute answers SQL_NEED_DATA when a bound
 * parameter's length is SQL_DATA_AT_EXEC or SQL_LEN_DATA_AT_EXEC(n)
 * (PARAMSET_SIZE 1 only).  kd_stmt_param_data then names the next such
 * parameter (*token = its bound data pointer) with SQL_NEED_DATA, and
 * after the last one executes and returns the execution's result;
 * kd_stmt_put_data appends a piece to the current parameter (character
 * and binary values in any number of pieces, SQL_NULL_DATA alone, fixed
 * types in one piece; HY019 otherwise).  Closing or re-preparing the
 * statement, or executing it again, drops a pending sequence.
 */
SQLRETURN kd_stmt_param_data(struct kd_stmt *s, SQLPOINTER *token);
SQLRETURN kd_stmt_put_data(struct kd_stmt *s, SQLPOINTER data, SQLLEN len);
/* SQLDescribeParam: the bound SQL type, else SQL_WVARCHAR; 07009. */
SQLRETURN kd_stmt_describe_param(struct kd_stmt *s, SQLUSMALLINT n,
                                 SQLSMALLINT *type, SQLULEN *size,
                                 SQLSMALLINT *digits, SQLSMALLINT *nullable);
/* Posts the error behind a failed sqlite call (Kintone's if parked). */
SQLRETURN kd_stmt_sqlite_error(struct kd_stmt *s, int rc);

#endif
