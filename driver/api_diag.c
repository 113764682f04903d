/*
 * api_diag.c - SQLGetDiagRec(W) and SQLGetDiagField(W).  Reading
 * diagnostics never clears them (kd_peek, not kd_enter).
 *
 * Layer: driver.
 */
#include <string.h>

#include "handles.h"
#include "strout.h"

static SQLRETURN get_rec(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT n,
                         int wide, void *state, SQLINTEGER *native,
                         void *msg, SQLSMALLINT max, SQLSMALLINT *mlen)
{
  struct kd_hdr *hdr;
  struct kd_diag_rec *r;
  SQLRETURN rc = kd_peek(h, type, &hdr);
  struct kd_diag saved;

  if(rc)
    return rc;
  if(n < 1 || max < 0) {
    kd_unpeek(hdr);
    return SQL_ERROR;
  }
  if(n == 1 && !hdr->diag.count && hdr->diag.lost) {
    /* the only record could not be stored: memory ran out */
    static const char oom[] = "[Kintone][ODBC] out of memory";
    if(native)
      *native = 0;
    if(state) {
      static const char st[6] = "HY001";
      int i;
      for(i = 0; i < 6; i++) {
        if(wide)
          ((SQLWCHAR *)state)[i] = (SQLWCHAR)(unsigned char)st[i];
        else
          ((char *)state)[i] = st[i];
      }
    }
    rc = kd_out_str_s(hdr, wide, oom, msg, max, mlen, 0);
    kd_unpeek(hdr);
    return rc == SQL_SUCCESS_WITH_INFO ? rc : SQL_SUCCESS;
  }
  if(n > hdr->diag.count) {
    kd_unpeek(hdr);
    return SQL_NO_DATA;
  }
  r = &hdr->diag.recs[n - 1];
  if(native)
    *native = r->native;
  if(state) {
    if(wide) {
      SQLWCHAR *w = state;
      int i;
      for(i = 0; i < 6; i++)
        w[i] = (SQLWCHAR)(unsigned char)r->sqlstate[i];
    }
    else
      memcpy(state, r->sqlstate, 6);
  }
  /* truncating the message must not add a record to the list read */
  saved = hdr->diag;
  hdr->diag.count = 0;
  hdr->diag.recs = NULL;
  hdr->diag.cap = 0;
  rc = kd_out_str_s(hdr, wide, r->message, msg, max, mlen, 0);
  kd_diag_cleanup(&hdr->diag);
  hdr->diag = saved;
  kd_unpeek(hdr);
  return rc;
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetDiagRec(SQLSMALLINT type, SQLHANDLE h,
                                              SQLSMALLINT n, SQLCHAR *state,
                                              SQLINTEGER *native,
                                              SQLCHAR *msg, SQLSMALLINT max,
                                              SQLSMALLINT *mlen)
{
  return get_rec(type, h, n, 0, state, native, msg, max, mlen);
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetDiagRecW(SQLSMALLINT type, SQLHANDLE h,
                                               SQLSMALLINT n,
                                               SQLWCHAR *state,
                                               SQLINTEGER *native,
                                               SQLWCHAR *msg,
                                               SQLSMALLINT max,
                                               SQLSMALLINT *mlen)
{
  return get_rec(type, h, n, 1, state, native, msg, max, mlen);
}

static SQLRETURN get_field(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT n,
                           SQLSMALLINT id, void *val, SQLSMALLINT max,
                           SQLSMALLINT *len, int wide)
{
  struct kd_hdr *hdr;
  struct kd_diag *d;
  struct kd_diag_rec *r;
  SQLRETURN rc = kd_peek(h, type, &hdr);
  const char *str = NULL;

  if(rc)
    return rc;
  d = &hdr->diag;
  rc = SQL_SUCCESS;
  switch(id) {
  case SQL_DIAG_NUMBER:
    *(SQLINTEGER *)val = d->count;
    goto done;
  case SQL_DIAG_RETURNCODE:
    *(SQLRETURN *)val = d->ret;
    goto done;
  case SQL_DIAG_CURSOR_ROW_COUNT:
  case SQL_DIAG_ROW_COUNT:
    if(type != SQL_HANDLE_STMT) {
      rc = SQL_ERROR;
      goto done;
    }
    *(SQLLEN *)val = ((struct kd_stmt *)hdr)->row_count;
    goto done;
  case SQL_DIAG_DYNAMIC_FUNCTION:
    str = "";
    goto string;
  case SQL_DIAG_DYNAMIC_FUNCTION_CODE:
    *(SQLINTEGER *)val = SQL_DIAG_UNKNOWN_STATEMENT;
    goto done;
  default:
    break;
  }
  if(n < 1) {
    rc = SQL_ERROR;
    goto done;
  }
  if(n > d->count) {
    rc = SQL_NO_DATA;
    goto done;
  }
  r = &d->recs[n - 1];
  switch(id) {
  case SQL_DIAG_SQLSTATE:
    str = r->sqlstate;
    break;
  case SQL_DIAG_NATIVE:
    *(SQLINTEGER *)val = r->native;
    goto done;
  case SQL_DIAG_MESSAGE_TEXT:
    str = r->message;
    break;
  case SQL_DIAG_CLASS_ORIGIN:
    str = !strncmp(r->sqlstate, "IM", 2) ? "ODBC 3.0" : "ISO 9075";
    break;
  case SQL_DIAG_SUBCLASS_ORIGIN:
    str = "ODBC 3.0";
    break;
  case SQL_DIAG_CONNECTION_NAME:
  case SQL_DIAG_SERVER_NAME:
    str = "";
    break;
  case SQL_DIAG_ROW_NUMBER:
    *(SQLLEN *)val = r->row;
    goto done;
  case SQL_DIAG_COLUMN_NUMBER:
    *(SQLINTEGER *)val = r->column;
    goto done;
  default:
    rc = SQL_ERROR;
    goto done;
  }
string:
  {
    struct kd_diag saved = hdr->diag;
    hdr->diag.count = 0;
    hdr->diag.recs = NULL;
    hdr->diag.cap = 0;
    rc = kd_out_str_s(hdr, wide, str, val, max, len, 1);
    kd_diag_cleanup(&hdr->diag);
    hdr->diag = saved;
  }
done:
  kd_unpeek(hdr);
  return rc;
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetDiagField(SQLSMALLINT type,
                                                SQLHANDLE h, SQLSMALLINT n,
                                                SQLSMALLINT id,
                                                SQLPOINTER val,
                                                SQLSMALLINT max,
                                                SQLSMALLINT *len)
{
  return get_field(type, h, n, id, val, max, len, 0);
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetDiagFieldW(SQLSMALLINT type,
                                                 SQLHANDLE h, SQLSMALLINT n,
                                                 SQLSMALLINT id,
                                                 SQLPOINTER val,
                                                 SQLSMALLINT max,
                                                 SQLSMALLINT *len)
{
  return get_field(type, h, n, id, val, max, len, 1);
}
