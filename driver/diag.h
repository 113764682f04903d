/*
 * diag.h - diagnostic records on handles.
 *
 * Layer: driver.  Each handle (struct kd_hdr) owns a struct kd_diag.
 * Entry points clear it on entry (kd_enter); internals append records
 * with kd_diag_post(), which returns the SQLRETURN the caller should
 * return.  Reading records (SQLGetDiagRec/Field) never clears them.
 *
 *   if(!buf)
 *     return kd_diag_post(&stmt->hdr, KD_E_NULL_POINTER, 0, NULL);
 *   return kd_diag_post(&stmt->hdr, KD_E_NO_TABLE, 404,
 *                       "table %s not found", name);
 *
 * Messages are formatted as "[Kintone][ODBC] <text>" (UTF-8).
 */
#ifndef KD_DIAG_H
#define KD_DIAG_H

#include <sql.h>
#include <sqlext.h>

#include "sqlstate.h"

struct kd_hdr;
struct kc_err;

struct kd_diag_rec {
  char sqlstate[6];        /* "HY000" */
  SQLINTEGER native;       /* native error (HTTP status, curl code...) */
  char *message;           /* UTF-8, owned */
  SQLLEN row;              /* SQL_DIAG_ROW_NUMBER or SQL_NO_ROW_NUMBER */
  SQLINTEGER column;       /* SQL_DIAG_COLUMN_NUMBER or SQL_NO_COLUMN_NUMBER */
};

struct kd_diag {
  struct kd_diag_rec *recs;  /* owned array */
  SQLSMALLINT count;         /* records in use */
  SQLSMALLINT cap;
  SQLRETURN ret;             /* SQL_DIAG_RETURNCODE of the last call */
  SQLLEN row_count;          /* SQL_DIAG_CURSOR_ROW_COUNT / ROW_COUNT */
  SQLINTEGER dyn_code;       /* SQL_DIAG_DYNAMIC_FUNCTION_CODE */
  const char *dyn_func;      /* SQL_DIAG_DYNAMIC_FUNCTION (static text) */
  int lost;                  /* a record was dropped for lack of memory:
                                reading reports HY001 instead of nothing */
};

void kd_diag_init(struct kd_diag *d);
void kd_diag_clear(struct kd_diag *d);        /* drops every record */
void kd_diag_cleanup(struct kd_diag *d);      /* frees */

/*
 * Appends a record of kind `e` to h's diagnostics.  fmt may be NULL for
 * the default text of `e`.  Returns SQL_SUCCESS_WITH_INFO for warnings,
 * SQL_ERROR otherwise (also when memory for the record runs out: then the
 * record is dropped but the return code still tells the failure).
 */
SQLRETURN kd_diag_post(struct kd_hdr *h, enum kd_err e, long native,
                       const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));
/* As kd_diag_post with a row/column number attached. */
SQLRETURN kd_diag_post_at(struct kd_hdr *h, enum kd_err e, long native,
                          SQLLEN row, SQLINTEGER col, const char *fmt, ...)
  __attribute__((format(printf, 6, 7)));
/* Posts a Kintone client error, message "... (code=X, id=Y)". */
SQLRETURN kd_diag_post_kc(struct kd_hdr *h, const struct kc_err *err);

#endif
