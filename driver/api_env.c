/*
 * api_env.c - handle allocation and environment attributes:
 * SQLAllocHandle, SQLFreeHandle, SQLFreeStmt, SQLSetEnvAttr,
 * SQLGetEnvAttr.
 *
 * Layer: driver (entry points: thin, see handles.h).
 */
#include <stdint.h>
#include <string.h>

#include "conn.h"
#include "exec.h"
#include "desc.h"
#include "handles.h"
#include "../net/kh_http.h"
#include "../util/ku_mem.h"

static SQLRETURN alloc_env(SQLHANDLE *out)
{
  struct kd_env *e = ku_calloc(1, sizeof(*e));

  if(!e)
    return SQL_ERROR;
  e->hdr.magic = KD_MAGIC_ENV;
  e->hdr.type = KD_H_ENV;
  kd_diag_init(&e->hdr.diag);
  e->odbc_version = SQL_OV_ODBC3;
  e->output_nts = SQL_TRUE;
  pthread_mutex_init(&e->lock, NULL);
  kh_global_init();
  *out = e;
  return SQL_SUCCESS;
}

static SQLRETURN alloc_dbc(struct kd_env *env, SQLHANDLE *out)
{
  struct kd_dbc *d = ku_calloc(1, sizeof(*d));

  if(!d)
    return kd_diag_post(&env->hdr, KD_E_NOMEM, 0, NULL);
  d->hdr.magic = KD_MAGIC_DBC;
  d->hdr.type = KD_H_DBC;
  d->hdr.parent = &env->hdr;
  pthread_mutex_init(&d->lock, NULL);
  d->hdr.lock = &d->lock;
  kd_diag_init(&d->hdr.diag);
  d->env = env;
  kc_config_init(&d->cfg);
  d->autocommit = SQL_AUTOCOMMIT_ON;
  d->access_mode = SQL_MODE_READ_WRITE;
  d->txn_isolation = 0;
  pthread_mutex_lock(&env->lock);
  env->ndbc++;
  pthread_mutex_unlock(&env->lock);
  *out = d;
  return SQL_SUCCESS;
}

SQLRETURN SQL_API KD_EXPORT_API SQLAllocHandle(SQLSMALLINT type,
                                               SQLHANDLE in, SQLHANDLE *out)
{
  struct kd_hdr *h;
  SQLRETURN rc;

  if(!out)
    return SQL_ERROR;
  *out = SQL_NULL_HANDLE;
  switch(type) {
  case SQL_HANDLE_ENV:
    return alloc_env(out);
  case SQL_HANDLE_DBC:
    rc = kd_enter(in, KD_H_ENV, &h);
    if(rc)
      return rc;
    return kd_leave(h, alloc_dbc((struct kd_env *)h, out));
  case SQL_HANDLE_STMT: {
    struct kd_dbc *d;
    struct kd_stmt *s;
    rc = kd_enter(in, KD_H_DBC, &h);
    if(rc)
      return rc;
    d = (struct kd_dbc *)h;
    if(!d->db)
      return kd_leave(h, kd_diag_post(h, KD_E_NOT_CONNECTED, 0, NULL));
    s = kd_stmt_new(d);
    if(!s)
      return kd_leave(h, kd_diag_post(h, KD_E_NOMEM, 0, NULL));
    *out = s;
    return kd_leave(h, SQL_SUCCESS);
  }
  case SQL_HANDLE_DESC:
    rc = kd_enter(in, KD_H_DBC, &h);
    if(rc)
      return rc;
    return kd_leave(h, kd_desc_alloc((struct kd_dbc *)h, out));
  default:
    return SQL_ERROR;
  }
}

SQLRETURN SQL_API KD_EXPORT_API SQLFreeHandle(SQLSMALLINT type, SQLHANDLE h)
{
  struct kd_hdr *hdr;
  SQLRETURN rc;

  switch(type) {
  case SQL_HANDLE_ENV: {
    struct kd_env *e;
    rc = kd_enter(h, KD_H_ENV, &hdr);
    if(rc)
      return rc;
    e = (struct kd_env *)hdr;
    if(e->ndbc > 0)
      return kd_leave(hdr, kd_diag_post(hdr, KD_E_SEQUENCE, 0,
                                        "connections are still allocated"));
    kd_diag_cleanup(&e->hdr.diag);
    e->hdr.magic = KD_MAGIC_DEAD;
    pthread_mutex_destroy(&e->lock);
    ku_free(e);
    return SQL_SUCCESS;
  }
  case SQL_HANDLE_DBC: {
    struct kd_dbc *d;
    struct kd_env *env;
    rc = kd_enter(h, KD_H_DBC, &hdr);
    if(rc)
      return rc;
    d = (struct kd_dbc *)hdr;
    if(d->db)
      return kd_leave(hdr, kd_diag_post(hdr, KD_E_SEQUENCE, 0,
                                        "still connected"));
    env = d->env;
    kd_diag_cleanup(&d->hdr.diag);
    kc_config_cleanup(&d->cfg);
    ku_free(d->current_catalog);
    ku_free(d->dsn);
    d->hdr.magic = KD_MAGIC_DEAD;
    pthread_mutex_unlock(&d->lock);
    pthread_mutex_destroy(&d->lock);
    ku_free(d);
    pthread_mutex_lock(&env->lock);
    env->ndbc--;
    pthread_mutex_unlock(&env->lock);
    return SQL_SUCCESS;
  }
  case SQL_HANDLE_DESC: {
    pthread_mutex_t *lock;
    rc = kd_enter(h, KD_H_DESC, &hdr);
    if(rc)
      return rc;
    lock = hdr->lock;
    rc = kd_desc_free_handle((struct kd_desc *)hdr);
    if(rc != SQL_SUCCESS)
      return kd_leave(hdr, rc);
    pthread_mutex_unlock(lock);
    return SQL_SUCCESS;
  }
  case SQL_HANDLE_STMT: {
    pthread_mutex_t *lock;
    rc = kd_enter(h, KD_H_STMT, &hdr);
    if(rc)
      return rc;
    lock = hdr->lock;
    kd_stmt_free((struct kd_stmt *)hdr);
    pthread_mutex_unlock(lock);
    return SQL_SUCCESS;
  }
  default:
    return SQL_INVALID_HANDLE;
  }
}

SQLRETURN SQL_API KD_EXPORT_API SQLFreeStmt(SQLHSTMT h, SQLUSMALLINT opt)
{
  struct kd_hdr *hdr;
  struct kd_stmt *s;
  SQLRETURN rc = kd_enter(h, KD_H_STMT, &hdr);
  SQLSMALLINT i;

  if(rc)
    return rc;
  s = (struct kd_stmt *)hdr;
  switch(opt) {
  case SQL_CLOSE:
    rc = kd_stmt_close(s);
    break;
  case SQL_UNBIND:
    for(i = 1; s->ard->recs && i <= s->ard->cap; i++)
      memset(&s->ard->recs[i], 0, sizeof(s->ard->recs[i]));
    s->ard->count = 0;
    break;
  case SQL_RESET_PARAMS:
    for(i = 1; s->apd->recs && i <= s->apd->cap; i++)
      memset(&s->apd->recs[i], 0, sizeof(s->apd->recs[i]));
    s->apd->count = 0;
    s->ipd.count = 0;
    break;
  case SQL_DROP: {
    pthread_mutex_t *lock = hdr->lock;
    kd_stmt_free(s);
    pthread_mutex_unlock(lock);
    return SQL_SUCCESS;
  }
  default:
    rc = kd_diag_post(hdr, KD_E_BAD_ATTR, 0, "unknown SQLFreeStmt option");
  }
  return kd_leave(hdr, rc);
}

SQLRETURN SQL_API KD_EXPORT_API SQLSetEnvAttr(SQLHENV h, SQLINTEGER attr,
                                              SQLPOINTER val,
                                              SQLINTEGER len)
{
  struct kd_hdr *hdr;
  struct kd_env *e;
  SQLRETURN rc = kd_enter(h, KD_H_ENV, &hdr);
  SQLINTEGER v = (SQLINTEGER)(intptr_t)val;

  (void)len;
  if(rc)
    return rc;
  e = (struct kd_env *)hdr;
  switch(attr) {
  case SQL_ATTR_ODBC_VERSION:
    if(v != SQL_OV_ODBC2 && v != SQL_OV_ODBC3 && v != SQL_OV_ODBC3_80)
      rc = kd_diag_post(hdr, KD_E_BAD_ATTR_VALUE, 0,
                        "unsupported ODBC version %d", (int)v);
    else
      e->odbc_version = v;
    break;
  case SQL_ATTR_CONNECTION_POOLING:
    e->pooling = v;
    break;
  case SQL_ATTR_CP_MATCH:
    e->cp_match = v;
    break;
  case SQL_ATTR_OUTPUT_NTS:
    if(v != SQL_TRUE)
      rc = kd_diag_post(hdr, KD_E_NOT_CAPABLE, 0,
                        "strings are always NUL-terminated");
    break;
  default:
    rc = kd_diag_post(hdr, KD_E_BAD_ATTR, 0,
                      "environment attribute %d is not supported", (int)attr);
  }
  return kd_leave(hdr, rc);
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetEnvAttr(SQLHENV h, SQLINTEGER attr,
                                              SQLPOINTER val,
                                              SQLINTEGER buflen,
                                              SQLINTEGER *outlen)
{
  struct kd_hdr *hdr;
  struct kd_env *e;
  SQLRETURN rc = kd_enter(h, KD_H_ENV, &hdr);
  SQLINTEGER v;

  (void)buflen;
  if(rc)
    return rc;
  e = (struct kd_env *)hdr;
  switch(attr) {
  case SQL_ATTR_ODBC_VERSION:
    v = e->odbc_version;
    break;
  case SQL_ATTR_CONNECTION_POOLING:
    v = e->pooling;
    break;
  case SQL_ATTR_CP_MATCH:
    v = e->cp_match;
    break;
  case SQL_ATTR_OUTPUT_NTS:
    v = SQL_TRUE;
    break;
  default:
    return kd_leave(hdr, kd_diag_post(hdr, KD_E_BAD_ATTR, 0,
                                      "environment attribute %d is not "
                                      "supported", (int)attr));
  }
  if(val)
    *(SQLINTEGER *)val = v;
  if(outlen)
    *outlen = sizeof(SQLINTEGER);
  return kd_leave(hdr, SQL_SUCCESS);
}
