/*
 * desc.h - descriptors: fields and records of ARD/APD/IRD/IPD, explicit
 * (application-allocated) descriptors, SQLCopyDesc.
 *
 * Layer: driver.  The descriptor structures live in handles.h; the
 * implicit four of a statement are set up by exec.c (kd_desc_init).
 * This module reads and writes their fields for SQLGetDescField,
 * SQLSetDescField, SQLGetDescRec, SQLSetDescRec and SQLCopyDesc, and owns
 * explicit descriptors (SQLAllocHandle(SQL_HANDLE_DESC)), which an
 * application installs with SQL_ATTR_APP_ROW_DESC/APP_PARAM_DESC.
 *
 *   struct kd_desc *d;
 *   kd_desc_alloc(dbc, &d);                         (SQLAllocHandle)
 *   kd_desc_set_field(d, 1, SQL_DESC_CONCISE_TYPE, (SQLPOINTER)4, 0, 0);
 *   kd_stmt_set_attr(s, SQL_ATTR_APP_ROW_DESC, d, 0);
 *   kd_desc_free_handle(d);                         (SQLFreeHandle)
 */
#ifndef KD_DESC_H
#define KD_DESC_H

#include "handles.h"

/*
 * Allocates an explicit descriptor on a connection (SQL_DESC_ALLOC_USER).
 * *out receives the handle; HY001 on OOM, 08003 when not connected.
 */
SQLRETURN kd_desc_alloc(struct kd_dbc *dbc, SQLHANDLE *out);
/*
 * Frees an explicit descriptor entered with kd_enter (the caller saved
 * d->hdr.lock and unlocks it after SQL_SUCCESS; the handle is gone).
 * Statements using it fall back to their implicit descriptors.  An
 * implicit descriptor is refused with HY017 (the handle stays valid and
 * the caller must kd_leave).
 */
SQLRETURN kd_desc_free_handle(struct kd_desc *d);
/* Frees every explicit descriptor of dbc (SQLDisconnect, SQLFreeHandle
   of the connection); caller holds the connection lock. */
void kd_desc_free_all(struct kd_dbc *dbc);

/* SQLGetDescField(W) body; strings through strout (wide: UTF-16,
   lengths in bytes). */
SQLRETURN kd_desc_get_field(struct kd_desc *d, SQLSMALLINT rec,
                            SQLSMALLINT field, SQLPOINTER val,
                            SQLINTEGER buflen, SQLINTEGER *outlen,
                            int wide);
/* SQLSetDescField(W) body; `val` is UTF-8 or UTF-16 for SQL_DESC_NAME. */
SQLRETURN kd_desc_set_field(struct kd_desc *d, SQLSMALLINT rec,
                            SQLSMALLINT field, SQLPOINTER val,
                            SQLINTEGER buflen, int wide);
/* SQLGetDescRec(W) body. */
SQLRETURN kd_desc_get_rec(struct kd_desc *d, SQLSMALLINT rec,
                          SQLPOINTER name, SQLSMALLINT namemax,
                          SQLSMALLINT *namelen, SQLSMALLINT *type,
                          SQLSMALLINT *subtype, SQLLEN *length,
                          SQLSMALLINT *precision, SQLSMALLINT *scale,
                          SQLSMALLINT *nullable, int wide);
/* SQLSetDescRec body. */
SQLRETURN kd_desc_set_rec(struct kd_desc *d, SQLSMALLINT rec,
                          SQLSMALLINT type, SQLSMALLINT subtype,
                          SQLLEN length, SQLSMALLINT precision,
                          SQLSMALLINT scale, SQLPOINTER data,
                          SQLLEN *strlen_ptr, SQLLEN *ind_ptr);
/* SQLCopyDesc body: every field of src into dst (dst may not be an IRD). */
SQLRETURN kd_desc_copy(struct kd_desc *src, struct kd_desc *dst);

/*
 * SQL_ATTR_APP_ROW_DESC / APP_PARAM_DESC: installs `h` (an explicit
 * descriptor of the statement's connection, or NULL / the implicit one
 * to return to the implicit descriptor) as the statement's ARD or APD.
 */
SQLRETURN kd_desc_attach(struct kd_stmt *s, int kind, SQLPOINTER h);

#endif
