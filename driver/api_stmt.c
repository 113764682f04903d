/*
 * api_stmt.c - statement entry points: SQLPrepare(W), SQLExecute,
 * SQLExecDirect(W), SQLNumResultCols, SQLDescribeCol(W),
 * SQLColAttribute(W), SQLBindCol, SQLFetch, SQLFetchScroll, SQLGetData,
 * SQLRowCount, SQLMoreResults, SQLCloseCursor, SQLCancel, SQLNumParams,
 * SQLBindParameter, SQLSet/GetStmtAttr(W), SQLDescribeParam,
 * SQLParamData, SQLPutData.
 *
 * Layer: driver (thin entry points; logic in exec.c).
 */
#include <string.h>

#include "exec.h"
#include "handles.h"
#include "strout.h"
#include "typeinfo.h"
#include "../sql/ks_db.h"
#include "../util/ku_mem.h"

#define ENTER_STMT(h, s)                                        \
  struct kd_hdr *hdr_;                                          \
  struct kd_stmt *s;                                            \
  SQLRETURN rc_ = kd_enter((h), KD_H_STMT, &hdr_);              \
  if(rc_)                                                       \
    return rc_;                                                 \
  s = (struct kd_stmt *)hdr_

static SQLRETURN prepare(struct kd_stmt *s, int wide, const void *sql,
                         SQLINTEGER len, int execute)
{
  char *text = NULL;
  SQLRETURN r = kd_in_str(&s->hdr, wide, sql, len, &text);

  if(!SQL_SUCCEEDED(r))
    return r;
  if(!text)
    return kd_diag_post(&s->hdr, KD_E_NULL_POINTER, 0, "no SQL text");
  r = kd_stmt_prepare(s, text);
  ku_free(text);
  if(r == SQL_SUCCESS && execute)
    r = kd_stmt_execute(s);
  return r;
}

SQLRETURN SQL_API KD_EXPORT_API SQLPrepare(SQLHSTMT h, SQLCHAR *sql,
                                           SQLINTEGER len)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, prepare(s, 0, sql, len, 0));
}

SQLRETURN SQL_API KD_EXPORT_API SQLPrepareW(SQLHSTMT h, SQLWCHAR *sql,
                                            SQLINTEGER len)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, prepare(s, 1, sql, len, 0));
}

SQLRETURN SQL_API KD_EXPORT_API SQLExecDirect(SQLHSTMT h, SQLCHAR *sql,
                                              SQLINTEGER len)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, prepare(s, 0, sql, len, 1));
}

SQLRETURN SQL_API KD_EXPORT_API SQLExecDirectW(SQLHSTMT h, SQLWCHAR *sql,
                                               SQLINTEGER len)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, prepare(s, 1, sql, len, 1));
}

SQLRETURN SQL_API KD_EXPORT_API SQLExecute(SQLHSTMT h)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, kd_stmt_execute(s));
}

SQLRETURN SQL_API KD_EXPORT_API SQLNumResultCols(SQLHSTMT h,
                                                 SQLSMALLINT *n)
{
  ENTER_STMT(h, s);
  if(n)
    *n = (SQLSMALLINT)s->ncols;
  return kd_leave(&s->hdr, SQL_SUCCESS);
}

static int odbc2(struct kd_stmt *s)
{
  return kd_odbc_version(&s->hdr) == SQL_OV_ODBC2;
}

static SQLRETURN describe_col(struct kd_stmt *s, int wide, SQLUSMALLINT col,
                              void *name, SQLSMALLINT max, SQLSMALLINT *nlen,
                              SQLSMALLINT *type, SQLULEN *size,
                              SQLSMALLINT *digits, SQLSMALLINT *nullable)
{
  struct kd_desc_rec *r;

  if(s->state == KD_S_ALLOCATED)
    return kd_diag_post(&s->hdr, KD_E_SEQUENCE, 0, "no prepared statement");
  if(col < 1 || col > s->ncols)
    return kd_diag_post(&s->hdr, KD_E_BAD_COLUMN, 0,
                        "column %u does not exist", (unsigned)col);
  r = &s->ird.recs[col];
  if(type)
    *type = kd_type_for_version(r->concise_type, odbc2(s));
  if(size)
    *size = r->length;
  if(digits)
    *digits = r->scale;
  if(nullable)
    *nullable = r->nullable;
  return kd_out_str_s(&s->hdr, wide, r->name, name, max, nlen, 0);
}

SQLRETURN SQL_API KD_EXPORT_API SQLDescribeCol(
  SQLHSTMT h, SQLUSMALLINT col, SQLCHAR *name, SQLSMALLINT max,
  SQLSMALLINT *nlen, SQLSMALLINT *type, SQLULEN *size, SQLSMALLINT *digits,
  SQLSMALLINT *nullable)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, describe_col(s, 0, col, name, max, nlen, type,
                                        size, digits, nullable));
}

SQLRETURN SQL_API KD_EXPORT_API SQLDescribeColW(
  SQLHSTMT h, SQLUSMALLINT col, SQLWCHAR *name, SQLSMALLINT max,
  SQLSMALLINT *nlen, SQLSMALLINT *type, SQLULEN *size, SQLSMALLINT *digits,
  SQLSMALLINT *nullable)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, describe_col(s, 1, col, name, max, nlen, type,
                                        size, digits, nullable));
}

static SQLRETURN col_attribute(struct kd_stmt *s, int wide, SQLUSMALLINT col,
                               SQLUSMALLINT field, void *cbuf,
                               SQLSMALLINT cmax, SQLSMALLINT *clen,
                               SQLLEN *num)
{
  struct kd_desc_rec *r;
  const char *str = NULL;
  SQLLEN n = 0;

  if(s->state == KD_S_ALLOCATED)
    return kd_diag_post(&s->hdr, KD_E_SEQUENCE, 0, "no prepared statement");
  if(field == SQL_DESC_COUNT || field == SQL_COLUMN_COUNT) {
    if(num)
      *num = s->ncols;
    return SQL_SUCCESS;
  }
  if(col < 1 || col > s->ncols)
    return kd_diag_post(&s->hdr, KD_E_BAD_COLUMN, 0,
                        "column %u does not exist", (unsigned)col);
  r = &s->ird.recs[col];
  switch(field) {
  case SQL_DESC_NAME:
  case SQL_DESC_LABEL:
  case SQL_COLUMN_NAME:
    str = r->name;
    break;
  case SQL_DESC_BASE_COLUMN_NAME:
    str = r->base_column;
    break;
  case SQL_DESC_TABLE_NAME:
  case SQL_DESC_BASE_TABLE_NAME:
    str = r->table;
    break;
  case SQL_DESC_TYPE_NAME:
  case SQL_DESC_LOCAL_TYPE_NAME:
    str = r->type_name;
    break;
  case SQL_DESC_CATALOG_NAME:
  case SQL_DESC_SCHEMA_NAME:
    str = "";
    break;
  case SQL_DESC_LITERAL_PREFIX:
  case SQL_DESC_LITERAL_SUFFIX:
    str = (r->concise_type == SQL_WVARCHAR ||
           r->concise_type == SQL_WLONGVARCHAR ||
           r->concise_type == SQL_VARCHAR ||
           r->concise_type == SQL_TYPE_DATE ||
           r->concise_type == SQL_TYPE_TIME ||
           r->concise_type == SQL_TYPE_TIMESTAMP) ? "'" : "";
    break;
  case SQL_DESC_CONCISE_TYPE:
    n = kd_type_for_version(r->concise_type, odbc2(s));
    break;
  case SQL_DESC_TYPE:
    n = odbc2(s) ? kd_type_for_version(r->concise_type, 1) : r->type;
    break;
  case SQL_DESC_LENGTH:
    n = (SQLLEN)r->length;
    break;
  case SQL_COLUMN_LENGTH:
  case SQL_DESC_OCTET_LENGTH:
    n = r->octet_len_ird;
    break;
  case SQL_DESC_PRECISION:
  case SQL_COLUMN_PRECISION:
    n = (r->concise_type == SQL_DECIMAL || r->concise_type == SQL_NUMERIC ||
         field == SQL_COLUMN_PRECISION) ? (SQLLEN)r->length : r->precision;
    if(r->concise_type == SQL_TYPE_TIMESTAMP && field == SQL_DESC_PRECISION)
      n = 0;
    break;
  case SQL_DESC_SCALE:
  case SQL_COLUMN_SCALE:
    n = r->scale;
    break;
  case SQL_DESC_DISPLAY_SIZE:
    n = r->display_size;
    break;
  case SQL_DESC_NULLABLE:
  case SQL_COLUMN_NULLABLE:
    n = r->nullable;
    break;
  case SQL_DESC_UNSIGNED:
    n = r->is_unsigned ? SQL_TRUE : SQL_FALSE;
    break;
  case SQL_DESC_AUTO_UNIQUE_VALUE:
    n = SQL_FALSE;
    break;
  case SQL_DESC_CASE_SENSITIVE:
    n = (r->concise_type == SQL_WVARCHAR ||
         r->concise_type == SQL_WLONGVARCHAR ||
         r->concise_type == SQL_VARCHAR) ? SQL_TRUE : SQL_FALSE;
    break;
  case SQL_DESC_SEARCHABLE:
    n = r->concise_type == SQL_WLONGVARCHAR ? SQL_PRED_CHAR
                                            : SQL_PRED_SEARCHABLE;
    break;
  case SQL_DESC_UPDATABLE:
    n = SQL_ATTR_READONLY;
    break;
  case SQL_DESC_FIXED_PREC_SCALE:
    n = SQL_FALSE;
    break;
  case SQL_DESC_NUM_PREC_RADIX:
    n = (r->concise_type == SQL_DECIMAL || r->concise_type == SQL_BIGINT ||
         r->concise_type == SQL_INTEGER || r->concise_type == SQL_SMALLINT)
          ? 10 : r->concise_type == SQL_DOUBLE ? 2 : 0;
    break;
  case SQL_DESC_UNNAMED:
    n = (r->name && *r->name) ? SQL_NAMED : SQL_UNNAMED;
    break;
  default:
    return kd_diag_post(&s->hdr, KD_E_BAD_DESC_FIELD, 0,
                        "descriptor field %u is not supported",
                        (unsigned)field);
  }
  if(str)
    return kd_out_str_s(&s->hdr, wide, str, cbuf, cmax, clen, 1);
  if(num)
    *num = n;
  return SQL_SUCCESS;
}

SQLRETURN SQL_API KD_EXPORT_API SQLColAttribute(
  SQLHSTMT h, SQLUSMALLINT col, SQLUSMALLINT field, SQLPOINTER cbuf,
  SQLSMALLINT cmax, SQLSMALLINT *clen, SQLLEN *num)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, col_attribute(s, 0, col, field, cbuf, cmax, clen,
                                         num));
}

SQLRETURN SQL_API KD_EXPORT_API SQLColAttributeW(
  SQLHSTMT h, SQLUSMALLINT col, SQLUSMALLINT field, SQLPOINTER cbuf,
  SQLSMALLINT cmax, SQLSMALLINT *clen, SQLLEN *num)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, col_attribute(s, 1, col, field, cbuf, cmax, clen,
                                         num));
}

SQLRETURN SQL_API KD_EXPORT_API SQLBindCol(SQLHSTMT h, SQLUSMALLINT col,
                                           SQLSMALLINT ctype, SQLPOINTER buf,
                                           SQLLEN len, SQLLEN *ind)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, kd_stmt_bind_col(s, col, ctype, buf, len, ind));
}

SQLRETURN SQL_API KD_EXPORT_API SQLFetch(SQLHSTMT h)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, kd_stmt_fetch(s, SQL_FETCH_NEXT, 0));
}

SQLRETURN SQL_API KD_EXPORT_API SQLFetchScroll(SQLHSTMT h,
                                               SQLSMALLINT orientation,
                                               SQLLEN offset)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, kd_stmt_fetch(s, orientation, offset));
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetData(SQLHSTMT h, SQLUSMALLINT col,
                                           SQLSMALLINT ctype, SQLPOINTER buf,
                                           SQLLEN len, SQLLEN *ind)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, kd_stmt_get_data(s, col, ctype, buf, len, ind));
}

SQLRETURN SQL_API KD_EXPORT_API SQLRowCount(SQLHSTMT h, SQLLEN *n)
{
  ENTER_STMT(h, s);
  if(n)
    *n = s->state == KD_S_EXECUTED ? s->row_count : -1;
  return kd_leave(&s->hdr, SQL_SUCCESS);
}

SQLRETURN SQL_API KD_EXPORT_API SQLMoreResults(SQLHSTMT h)
{
  ENTER_STMT(h, s);
  /* one statement, one result: close it and report no more */
  kd_stmt_close(s);
  return kd_leave(&s->hdr, SQL_NO_DATA);
}

SQLRETURN SQL_API KD_EXPORT_API SQLCloseCursor(SQLHSTMT h)
{
  ENTER_STMT(h, s);
  if(s->state != KD_S_CURSOR)
    return kd_leave(&s->hdr, kd_diag_post(&s->hdr, KD_E_CURSOR_STATE, 0,
                                          "no open cursor"));
  return kd_leave(&s->hdr, kd_stmt_close(s));
}

SQLRETURN SQL_API KD_EXPORT_API SQLCancel(SQLHSTMT h)
{
  struct kd_stmt *s = h;

  /* called from another thread while the statement runs: no lock, only
     flags that the transfer loop and SQLite poll */
  if(!s || s->hdr.magic != KD_MAGIC_STMT)
    return SQL_INVALID_HANDLE;
  s->cancel = 1;
  if(s->dbc && s->dbc->db) {
    *ks_db_cancel_flag(s->dbc->db) = 1;
    sqlite3_interrupt(ks_db_sqlite(s->dbc->db));
  }
  return SQL_SUCCESS;
}

SQLRETURN SQL_API KD_EXPORT_API SQLNumParams(SQLHSTMT h, SQLSMALLINT *n)
{
  ENTER_STMT(h, s);
  if(!s->st)
    return kd_leave(&s->hdr, kd_diag_post(&s->hdr, KD_E_SEQUENCE, 0,
                                          "no prepared statement"));
  if(n)
    *n = (SQLSMALLINT)sqlite3_bind_parameter_count(s->st);
  return kd_leave(&s->hdr, SQL_SUCCESS);
}

SQLRETURN SQL_API KD_EXPORT_API SQLBindParameter(
  SQLHSTMT h, SQLUSMALLINT n, SQLSMALLINT io, SQLSMALLINT ctype,
  SQLSMALLINT sqltype, SQLULEN colsize, SQLSMALLINT digits, SQLPOINTER buf,
  SQLLEN buflen, SQLLEN *ind)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, kd_stmt_bind_param(s, n, io, ctype, sqltype,
                                              colsize, digits, buf, buflen,
                                              ind));
}

SQLRETURN SQL_API KD_EXPORT_API SQLSetStmtAttr(SQLHSTMT h, SQLINTEGER attr,
                                               SQLPOINTER val,
                                               SQLINTEGER len)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, kd_stmt_set_attr(s, attr, val, len));
}

SQLRETURN SQL_API KD_EXPORT_API SQLSetStmtAttrW(SQLHSTMT h, SQLINTEGER attr,
                                                SQLPOINTER val,
                                                SQLINTEGER len)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, kd_stmt_set_attr(s, attr, val, len));
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetStmtAttr(SQLHSTMT h, SQLINTEGER attr,
                                               SQLPOINTER val,
                                               SQLINTEGER len,
                                               SQLINTEGER *outlen)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, kd_stmt_get_attr(s, attr, val, len, outlen));
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetStmtAttrW(SQLHSTMT h, SQLINTEGER attr,
                                                SQLPOINTER val,
                                                SQLINTEGER len,
                                                SQLINTEGER *outlen)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, kd_stmt_get_attr(s, attr, val, len, outlen));
}

SQLRETURN SQL_API KD_EXPORT_API SQLDescribeParam(SQLHSTMT h, SQLUSMALLINT n,
                                                 SQLSMALLINT *type,
                                                 SQLULEN *size,
                                                 SQLSMALLINT *digits,
                                                 SQLSMALLINT *nullable)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, kd_stmt_describe_param(s, n, type, size, digits,
                                                  nullable));
}

SQLRETURN SQL_API KD_EXPORT_API SQLParamData(SQLHSTMT h, SQLPOINTER *token)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, kd_stmt_param_data(s, token));
}

SQLRETURN SQL_API KD_EXPORT_API SQLPutData(SQLHSTMT h, SQLPOINTER data,
                                           SQLLEN len)
{
  ENTER_STMT(h, s);
  return kd_leave(&s->hdr, kd_stmt_put_data(s, data, len));
}
