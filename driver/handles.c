/*
 * handles.c - handle validation, locking and the entry-point protocol.
 * See handles.h.
 */
#include "handles.h"

#include "../util/ku_log.h"

SQLRETURN kd_enter(SQLHANDLE h, int type, struct kd_hdr **out)
{
  struct kd_hdr *hdr = h;
  static const unsigned magic[] = {0, KD_MAGIC_ENV, KD_MAGIC_DBC,
                                   KD_MAGIC_STMT, KD_MAGIC_DESC};

  *out = NULL;
  if(!hdr || type < SQL_HANDLE_ENV || type > SQL_HANDLE_DESC ||
     hdr->magic != magic[type] || hdr->type != type)
    return SQL_INVALID_HANDLE;
  if(hdr->lock)
    pthread_mutex_lock(hdr->lock);
  kd_diag_clear(&hdr->diag);
  *out = hdr;
  return SQL_SUCCESS;
}

SQLRETURN kd_leave(struct kd_hdr *h, SQLRETURN rc)
{
  h->diag.ret = rc;
  if(h->lock)
    pthread_mutex_unlock(h->lock);
  return rc;
}

SQLINTEGER kd_odbc_version(const struct kd_hdr *h)
{
  while(h && h->type != KD_H_ENV)
    h = h->parent;
  return h ? ((const struct kd_env *)h)->odbc_version
           : (SQLINTEGER)SQL_OV_ODBC3;
}

SQLRETURN kd_peek(SQLHANDLE h, int type, struct kd_hdr **out)
{
  struct kd_hdr *hdr = h;
  static const unsigned magic[] = {0, KD_MAGIC_ENV, KD_MAGIC_DBC,
                                   KD_MAGIC_STMT, KD_MAGIC_DESC};

  *out = NULL;
  if(!hdr || type < SQL_HANDLE_ENV || type > SQL_HANDLE_DESC ||
     hdr->magic != magic[type] || hdr->type != type)
    return SQL_INVALID_HANDLE;
  if(hdr->lock)
    pthread_mutex_lock(hdr->lock);
  *out = hdr;
  return SQL_SUCCESS;
}

void kd_unpeek(struct kd_hdr *h)
{
  if(h->lock)
    pthread_mutex_unlock(h->lock);
}
