/*
 * api_desc.c - descriptor entry points: SQLGetDescField(W),
 * SQLSetDescField(W), SQLGetDescRec(W), SQLSetDescRec, SQLCopyDesc.
 *
 * Layer: driver (thin entry points; logic in desc.c).  Descriptors share
 * their connection's lock (kd_enter with KD_H_DESC).
 */
#include "desc.h"
#include "handles.h"

#define ENTER_DESC(h, d)                                        \
  struct kd_hdr *hdr_;                                          \
  struct kd_desc *d;                                            \
  SQLRETURN rc_ = kd_enter((h), KD_H_DESC, &hdr_);              \
  if(rc_)                                                       \
    return rc_;                                                 \
  d = (struct kd_desc *)hdr_

SQLRETURN SQL_API KD_EXPORT_API SQLGetDescField(SQLHDESC h, SQLSMALLINT rec,
                                                SQLSMALLINT field,
                                                SQLPOINTER val,
                                                SQLINTEGER buflen,
                                                SQLINTEGER *outlen)
{
  ENTER_DESC(h, d);
  return kd_leave(&d->hdr, kd_desc_get_field(d, rec, field, val, buflen,
                                             outlen, 0));
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetDescFieldW(SQLHDESC h, SQLSMALLINT rec,
                                                 SQLSMALLINT field,
                                                 SQLPOINTER val,
                                                 SQLINTEGER buflen,
                                                 SQLINTEGER *outlen)
{
  ENTER_DESC(h, d);
  return kd_leave(&d->hdr, kd_desc_get_field(d, rec, field, val, buflen,
                                             outlen, 1));
}

SQLRETURN SQL_API KD_EXPORT_API SQLSetDescField(SQLHDESC h, SQLSMALLINT rec,
                                                SQLSMALLINT field,
                                                SQLPOINTER val,
                                                SQLINTEGER buflen)
{
  ENTER_DESC(h, d);
  return kd_leave(&d->hdr, kd_desc_set_field(d, rec, field, val, buflen,
                                             0));
}

SQLRETURN SQL_API KD_EXPORT_API SQLSetDescFieldW(SQLHDESC h, SQLSMALLINT rec,
                                                 SQLSMALLINT field,
                                                 SQLPOINTER val,
                                                 SQLINTEGER buflen)
{
  ENTER_DESC(h, d);
  return kd_leave(&d->hdr, kd_desc_set_field(d, rec, field, val, buflen,
                                             1));
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetDescRec(
  SQLHDESC h, SQLSMALLINT rec, SQLCHAR *name, SQLSMALLINT namemax,
  SQLSMALLINT *namelen, SQLSMALLINT *type, SQLSMALLINT *subtype,
  SQLLEN *length, SQLSMALLINT *precision, SQLSMALLINT *scale,
  SQLSMALLINT *nullable)
{
  ENTER_DESC(h, d);
  return kd_leave(&d->hdr, kd_desc_get_rec(d, rec, name, namemax, namelen,
                                           type, subtype, length, precision,
                                           scale, nullable, 0));
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetDescRecW(
  SQLHDESC h, SQLSMALLINT rec, SQLWCHAR *name, SQLSMALLINT namemax,
  SQLSMALLINT *namelen, SQLSMALLINT *type, SQLSMALLINT *subtype,
  SQLLEN *length, SQLSMALLINT *precision, SQLSMALLINT *scale,
  SQLSMALLINT *nullable)
{
  ENTER_DESC(h, d);
  return kd_leave(&d->hdr, kd_desc_get_rec(d, rec, name, namemax, namelen,
                                           type, subtype, length, precision,
                                           scale, nullable, 1));
}

SQLRETURN SQL_API KD_EXPORT_API SQLSetDescRec(
  SQLHDESC h, SQLSMALLINT rec, SQLSMALLINT type, SQLSMALLINT subtype,
  SQLLEN length, SQLSMALLINT precision, SQLSMALLINT scale, SQLPOINTER data,
  SQLLEN *strlen_ptr, SQLLEN *ind_ptr)
{
  ENTER_DESC(h, d);
  return kd_leave(&d->hdr, kd_desc_set_rec(d, rec, type, subtype, length,
                                           precision, scale, data,
                                           strlen_ptr, ind_ptr));
}

SQLRETURN SQL_API KD_EXPORT_API SQLCopyDesc(SQLHDESC src, SQLHDESC dst)
{
  struct kd_hdr *sh = src;
  SQLRETURN rc;
  int other_lock;

  ENTER_DESC(dst, d);
  /* the source usually shares the destination's connection lock, which
     kd_enter already holds: validate it by hand, lock only a foreign
     connection's */
  if(!sh || sh->magic != KD_MAGIC_DESC || sh->type != KD_H_DESC) {
    kd_leave(&d->hdr, SQL_INVALID_HANDLE);
    return SQL_INVALID_HANDLE;
  }
  other_lock = sh->lock && sh->lock != d->hdr.lock;
  if(other_lock)
    pthread_mutex_lock(sh->lock);
  rc = kd_desc_copy((struct kd_desc *)sh, d);
  if(other_lock)
    pthread_mutex_unlock(sh->lock);
  return kd_leave(&d->hdr, rc);
}
