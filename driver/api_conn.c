/*
 * api_conn.c - connection entry points: SQLConnect(W),
 * SQLDriverConnect(W), SQLDisconnect, SQLEndTran, SQLGetInfo(W),
 * SQLGetFunctions, SQLSet/GetConnectAttr(W), SQLNativeSql(W).
 *
 * Layer: driver (thin entry points; logic in conn.c, info.c).
 */
#include <string.h>

#include "conn.h"
#include "convert.h"
#include "connstr.h"
#include "handles.h"
#include "info.h"
#include "strout.h"
#include "../util/ku_mem.h"

/* "DSN=..;UID=..;PWD=.." for SQLConnect, braces where needed. */
static SQLRETURN connect_common(struct kd_dbc *d, int wide, const void *dsn,
                                SQLSMALLINT dlen, const void *uid,
                                SQLSMALLINT ulen, const void *pwd,
                                SQLSMALLINT plen)
{
  char *a = NULL, *b = NULL, *c = NULL;
  struct kd_connstr cs = {NULL, 0};
  struct ku_buf out;
  SQLRETURN r;

  r = kd_in_str(&d->hdr, wide, dsn, dlen, &a);
  if(SQL_SUCCEEDED(r))
    r = kd_in_str(&d->hdr, wide, uid, ulen, &b);
  if(SQL_SUCCEEDED(r))
    r = kd_in_str(&d->hdr, wide, pwd, plen, &c);
  if(!SQL_SUCCEEDED(r))
    goto out;
  ku_buf_init(&out, 1 << 20);
  if((a && kd_connstr_set(&cs, "DSN", a)) ||
     (b && *b && kd_connstr_set(&cs, "UID", b)) ||
     (c && *c && kd_connstr_set(&cs, "PWD", c)) ||
     kd_connstr_write(&cs, &out, 0))
    r = kd_diag_post(&d->hdr, KD_E_NOMEM, 0, NULL);
  else
    r = kd_dbc_connect(d, ku_buf_cstr(&out), NULL);
  if(out.ptr)
    memset(out.ptr, 0, out.len);
  ku_buf_cleanup(&out);
out:
  kd_connstr_free(&cs);
  ku_free(a);
  ku_free(b);
  if(c) {
    memset(c, 0, strlen(c));
    ku_free(c);
  }
  return r;
}

SQLRETURN SQL_API KD_EXPORT_API SQLConnect(SQLHDBC h, SQLCHAR *dsn,
                                           SQLSMALLINT dlen, SQLCHAR *uid,
                                           SQLSMALLINT ulen, SQLCHAR *pwd,
                                           SQLSMALLINT plen)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  if(rc)
    return rc;
  rc = connect_common((struct kd_dbc *)hdr, 0, dsn, dlen, uid, ulen, pwd,
                      plen);
  return kd_leave(hdr, rc);
}

SQLRETURN SQL_API KD_EXPORT_API SQLConnectW(SQLHDBC h, SQLWCHAR *dsn,
                                            SQLSMALLINT dlen, SQLWCHAR *uid,
                                            SQLSMALLINT ulen, SQLWCHAR *pwd,
                                            SQLSMALLINT plen)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  if(rc)
    return rc;
  ((struct kd_dbc *)hdr)->wide = 1;
  rc = connect_common((struct kd_dbc *)hdr, 1, dsn, dlen, uid, ulen, pwd,
                      plen);
  return kd_leave(hdr, rc);
}

static SQLRETURN driver_connect(struct kd_dbc *d, int wide, const void *in,
                                SQLSMALLINT inlen, void *out,
                                SQLSMALLINT outmax, SQLSMALLINT *outlen,
                                SQLUSMALLINT completion)
{
  char *cs = NULL;
  struct ku_buf full;
  SQLRETURN r, w;

  if(completion != SQL_DRIVER_NOPROMPT && completion != SQL_DRIVER_COMPLETE &&
     completion != SQL_DRIVER_PROMPT &&
     completion != SQL_DRIVER_COMPLETE_REQUIRED)
    return kd_diag_post(&d->hdr, KD_E_BAD_COMPLETION, 0, NULL);
  r = kd_in_str(&d->hdr, wide, in, inlen, &cs);
  if(!SQL_SUCCEEDED(r))
    return r;
  ku_buf_init(&full, 1 << 20);
  /* no dialogs on this platform: every completion mode connects with
     what it was given, failing with a clear message when incomplete */
  r = kd_dbc_connect(d, cs ? cs : "", &full);
  if(SQL_SUCCEEDED(r) && (out || outlen)) {
    w = kd_out_str_s(&d->hdr, wide, ku_buf_cstr(&full), out, outmax, outlen,
                     0);
    if(w != SQL_SUCCESS)
      r = w;
  }
  if(full.ptr)
    memset(full.ptr, 0, full.len);
  ku_buf_cleanup(&full);
  if(cs) {
    memset(cs, 0, strlen(cs));
    ku_free(cs);
  }
  return r;
}

SQLRETURN SQL_API KD_EXPORT_API SQLDriverConnect(
  SQLHDBC h, SQLHWND hwnd, SQLCHAR *in, SQLSMALLINT inlen, SQLCHAR *out,
  SQLSMALLINT outmax, SQLSMALLINT *outlen, SQLUSMALLINT completion)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  (void)hwnd;
  if(rc)
    return rc;
  rc = driver_connect((struct kd_dbc *)hdr, 0, in, inlen, out, outmax,
                      outlen, completion);
  return kd_leave(hdr, rc);
}

SQLRETURN SQL_API KD_EXPORT_API SQLDriverConnectW(
  SQLHDBC h, SQLHWND hwnd, SQLWCHAR *in, SQLSMALLINT inlen, SQLWCHAR *out,
  SQLSMALLINT outmax, SQLSMALLINT *outlen, SQLUSMALLINT completion)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  (void)hwnd;
  if(rc)
    return rc;
  ((struct kd_dbc *)hdr)->wide = 1;
  rc = driver_connect((struct kd_dbc *)hdr, 1, in, inlen, out, outmax,
                      outlen, completion);
  return kd_leave(hdr, rc);
}

SQLRETURN SQL_API KD_EXPORT_API SQLDisconnect(SQLHDBC h)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  if(rc)
    return rc;
  return kd_leave(hdr, kd_dbc_disconnect((struct kd_dbc *)hdr));
}

SQLRETURN SQL_API KD_EXPORT_API SQLEndTran(SQLSMALLINT type, SQLHANDLE h,
                                           SQLSMALLINT op)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, type, &hdr);

  if(rc)
    return rc;
  if(op != SQL_COMMIT && op != SQL_ROLLBACK)
    rc = kd_diag_post(hdr, KD_E_BAD_TXN_OP, 0, NULL);
  /* every statement is applied when it runs (Kintone has no
     transactions spanning requests): COMMIT and ROLLBACK have nothing
     pending to act on */
  return kd_leave(hdr, rc);
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetInfo(SQLHDBC h, SQLUSMALLINT type,
                                           SQLPOINTER val, SQLSMALLINT len,
                                           SQLSMALLINT *outlen)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  if(rc)
    return rc;
  return kd_leave(hdr, kd_get_info((struct kd_dbc *)hdr, type, val, len,
                                   outlen, 0));
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetInfoW(SQLHDBC h, SQLUSMALLINT type,
                                            SQLPOINTER val, SQLSMALLINT len,
                                            SQLSMALLINT *outlen)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  if(rc)
    return rc;
  return kd_leave(hdr, kd_get_info((struct kd_dbc *)hdr, type, val, len,
                                   outlen, 1));
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetFunctions(SQLHDBC h, SQLUSMALLINT id,
                                                SQLUSMALLINT *supported)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  if(rc)
    return rc;
  return kd_leave(hdr, kd_get_functions((struct kd_dbc *)hdr, id,
                                        supported));
}

SQLRETURN SQL_API KD_EXPORT_API SQLSetConnectAttr(SQLHDBC h, SQLINTEGER attr,
                                                  SQLPOINTER val,
                                                  SQLINTEGER len)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  if(rc)
    return rc;
  return kd_leave(hdr, kd_dbc_set_attr((struct kd_dbc *)hdr, attr, val, len,
                                       0));
}

SQLRETURN SQL_API KD_EXPORT_API SQLSetConnectAttrW(SQLHDBC h,
                                                   SQLINTEGER attr,
                                                   SQLPOINTER val,
                                                   SQLINTEGER len)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  if(rc)
    return rc;
  return kd_leave(hdr, kd_dbc_set_attr((struct kd_dbc *)hdr, attr, val, len,
                                       1));
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetConnectAttr(SQLHDBC h, SQLINTEGER attr,
                                                  SQLPOINTER val,
                                                  SQLINTEGER len,
                                                  SQLINTEGER *outlen)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  if(rc)
    return rc;
  return kd_leave(hdr, kd_dbc_get_attr((struct kd_dbc *)hdr, attr, val, len,
                                       outlen, 0));
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetConnectAttrW(SQLHDBC h,
                                                   SQLINTEGER attr,
                                                   SQLPOINTER val,
                                                   SQLINTEGER len,
                                                   SQLINTEGER *outlen)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  if(rc)
    return rc;
  return kd_leave(hdr, kd_dbc_get_attr((struct kd_dbc *)hdr, attr, val, len,
                                       outlen, 1));
}

/* The SQL as the driver runs it: ODBC escapes translated to SQLite. */
static SQLRETURN native_sql(struct kd_dbc *d, int wide, const void *in,
                            SQLINTEGER inlen, void *out, SQLINTEGER outmax,
                            SQLINTEGER *outlen)
{
  char *s = NULL, *t, err[256] = "";
  int unsupported = 0;
  SQLRETURN r = kd_in_str(&d->hdr, wide, in, inlen, &s);

  if(!SQL_SUCCEEDED(r))
    return r;
  if(!s)
    return kd_diag_post(&d->hdr, KD_E_NULL_POINTER, 0, NULL);
  t = kd_escape_translate(s, &unsupported, err, sizeof(err));
  ku_free(s);
  if(!t) {
    if(!err[0])
      return kd_diag_post(&d->hdr, KD_E_NOMEM, 0, NULL);
    return kd_diag_post(&d->hdr, unsupported ? KD_E_NOT_CAPABLE
                                             : KD_E_SYNTAX, 0, "%s", err);
  }
  r = kd_out_str_i(&d->hdr, wide, t, out, outmax, outlen, 0);
  ku_free(t);
  return r;
}

SQLRETURN SQL_API KD_EXPORT_API SQLNativeSql(SQLHDBC h, SQLCHAR *in,
                                             SQLINTEGER inlen, SQLCHAR *out,
                                             SQLINTEGER outmax,
                                             SQLINTEGER *outlen)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  if(rc)
    return rc;
  return kd_leave(hdr, native_sql((struct kd_dbc *)hdr, 0, in, inlen, out,
                                  outmax, outlen));
}

SQLRETURN SQL_API KD_EXPORT_API SQLNativeSqlW(SQLHDBC h, SQLWCHAR *in,
                                              SQLINTEGER inlen, SQLWCHAR *out,
                                              SQLINTEGER outmax,
                                              SQLINTEGER *outlen)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_DBC, &hdr);

  if(rc)
    return rc;
  return kd_leave(hdr, native_sql((struct kd_dbc *)hdr, 1, in, inlen, out,
                                  outmax, outlen));
}
