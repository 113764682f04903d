/*
 * diag.c - diagnostic records attached to every handle.
 *
 * Layer: driver.  Records live in a growable array on the handle's
 * struct kd_diag (capped at MAX_RECS; further records are dropped, as
 * SQLGetDiagRec readers never look past a few).  Errors are kept ahead
 * of warnings, so the first record an application reads (pyodbc shows
 * only that one) explains why the call failed.  The SQLSTATE follows
 * the environment's ODBC version (sqlstate.c holds both spellings).
 *
 *   return kd_diag_post(&stmt->hdr, KD_E_NO_TABLE, 404,
 *                       "table %s not found", name);
 *
 * Message text: "[Kintone][ODBC] <text>", UTF-8, at most MAX_MSG bytes
 * (cut at a character boundary).
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "handles.h"
#include "../kintone/kc_error.h"
#include "../util/ku_mem.h"
#include "../util/ku_utf.h"

#define MSG_PREFIX "[Kintone][ODBC] "
#define MAX_RECS 256          /* records kept per handle */
#define MAX_MSG 4096          /* bytes of one message including NUL */

/* Sets d to an empty state that owns nothing. */
void kd_diag_init(struct kd_diag *d)
{
  d->recs = NULL;
  d->count = 0;
  d->cap = 0;
  d->ret = SQL_SUCCESS;
  d->row_count = 0;
  d->dyn_code = 0;
  d->dyn_func = "";
}

/* Frees the messages of every record and keeps the array for reuse. */
void kd_diag_clear(struct kd_diag *d)
{
  SQLSMALLINT i;

  for(i = 0; i < d->count; i++) {
    ku_free(d->recs[i].message);
    d->recs[i].message = NULL;
  }
  d->count = 0;
  d->ret = SQL_SUCCESS;
  d->lost = 0;
}

/* Frees everything d owns; d is left initialised (empty). */
void kd_diag_cleanup(struct kd_diag *d)
{
  kd_diag_clear(d);
  ku_free(d->recs);
  kd_diag_init(d);
}

/*
 * Ensures room for one more record.  Returns 0 on success, 1 when the
 * record must be dropped (cap reached or no memory).
 */
static int reserve(struct kd_diag *d)
{
  struct kd_diag_rec *n;
  int ncap;

  if(d->count < d->cap)
    return 0;
  if(d->cap >= MAX_RECS)
    return 1;
  ncap = d->cap ? d->cap * 2 : 4;
  if(ncap > MAX_RECS)
    ncap = MAX_RECS;
  n = ku_realloc(d->recs, (size_t)ncap * sizeof(*n));
  if(!n)
    return 1;
  d->recs = n;
  d->cap = (SQLSMALLINT)ncap;
  return 0;
}

/*
 * Appends (errors: inserts before the first warning) a record built
 * from the already formatted text `body` (NULL = default text of e).
 * Returns the SQLRETURN matching e; memory failures drop the record.
 */
static SQLRETURN add_rec(struct kd_hdr *h, enum kd_err e, long native,
                         SQLLEN row, SQLINTEGER col, const char *body)
{
  struct kd_diag *d = &h->diag;
  struct kd_diag_rec *r;
  int warning = kd_err_is_warning(e);
  SQLRETURN rc = warning ? SQL_SUCCESS_WITH_INFO : SQL_ERROR;
  char msg[MAX_MSG];
  size_t plen = strlen(MSG_PREFIX), blen;
  int odbc2 = kd_odbc_version(h) == SQL_OV_ODBC2;
  SQLSMALLINT pos, i;

  if(!body)
    body = kd_err_text(e);
  blen = strlen(body);
  blen = ku_utf8_prefix(body, blen, sizeof(msg) - plen - 1);
  memcpy(msg, MSG_PREFIX, plen);
  memcpy(msg + plen, body, blen);
  msg[plen + blen] = '\0';

  if(reserve(d)) {
    if(d->cap < MAX_RECS)
      d->lost = 1;
    return rc;
  }
  pos = d->count;
  if(!warning) {
    for(i = 0; i < d->count; i++) {
      if(d->recs[i].sqlstate[0] == '0' && d->recs[i].sqlstate[1] == '1')
        break;
    }
    pos = i;
  }
  r = &d->recs[pos];
  if(pos < d->count)
    memmove(r + 1, r, (size_t)(d->count - pos) * sizeof(*r));
  memset(r, 0, sizeof(*r));
  r->message = ku_strdup(msg);
  if(!r->message) {
    /* undo the shift: the record is dropped */
    if(pos < d->count)
      memmove(r, r + 1, (size_t)(d->count - pos) * sizeof(*r));
    d->lost = 1;
    return rc;
  }
  memcpy(r->sqlstate, kd_sqlstate(e, odbc2), 5);
  r->sqlstate[5] = '\0';
  r->native = (SQLINTEGER)native;
  r->row = row;
  r->column = col;
  d->count++;
  return rc;
}

/*
 * Formats fmt/ap (NULL fmt: the default text) and adds the record.
 * Messages longer than MAX_MSG are cut at a character boundary.
 */
static SQLRETURN vpost(struct kd_hdr *h, enum kd_err e, long native,
                       SQLLEN row, SQLINTEGER col, const char *fmt,
                       va_list ap)
{
  char body[MAX_MSG];
  int n;

  if(!fmt)
    return add_rec(h, e, native, row, col, NULL);
  n = vsnprintf(body, sizeof(body), fmt, ap);
  if(n < 0)
    return add_rec(h, e, native, row, col, NULL);
  return add_rec(h, e, native, row, col, body);
}

/* See diag.h: record without row/column; returns the matching code. */
SQLRETURN kd_diag_post(struct kd_hdr *h, enum kd_err e, long native,
                       const char *fmt, ...)
{
  va_list ap;
  SQLRETURN rc;

  va_start(ap, fmt);
  rc = vpost(h, e, native, SQL_NO_ROW_NUMBER, SQL_NO_COLUMN_NUMBER, fmt,
             ap);
  va_end(ap);
  return rc;
}

/* See diag.h: record with SQL_DIAG_ROW_NUMBER/COLUMN_NUMBER set. */
SQLRETURN kd_diag_post_at(struct kd_hdr *h, enum kd_err e, long native,
                          SQLLEN row, SQLINTEGER col, const char *fmt, ...)
{
  va_list ap;
  SQLRETURN rc;

  va_start(ap, fmt);
  rc = vpost(h, e, native, row, col, fmt, ap);
  va_end(ap);
  return rc;
}

/*
 * Posts err as "<message> (code=<code>, id=<id>)"; the parenthesis and
 * each part appear only when non-empty.  An empty message uses the
 * default text of the mapped kind.  Native error = err->native.
 */
SQLRETURN kd_diag_post_kc(struct kd_hdr *h, const struct kc_err *err)
{
  enum kd_err e = kd_err_from_kc(err->kind);
  char msg[sizeof(err->message) + 1];
  char code[sizeof(err->code) + 1];
  char id[sizeof(err->id) + 1];

  /* the struct arrays may lack a NUL if a writer misbehaved */
  memcpy(msg, err->message, sizeof(err->message));
  msg[sizeof(err->message)] = '\0';
  if(!msg[0])
    snprintf(msg, sizeof(msg), "%s", kd_err_text(e));
  memcpy(code, err->code, sizeof(err->code));
  code[sizeof(err->code)] = '\0';
  memcpy(id, err->id, sizeof(err->id));
  id[sizeof(err->id)] = '\0';

  if(code[0] && id[0])
    return kd_diag_post(h, e, err->native, "%s (code=%s, id=%s)", msg,
                        code, id);
  if(code[0])
    return kd_diag_post(h, e, err->native, "%s (code=%s)", msg, code);
  if(id[0])
    return kd_diag_post(h, e, err->native, "%s (id=%s)", msg, id);
  return kd_diag_post(h, e, err->native, "%s", msg);
}
