/*
 * conn.h - connecting and disconnecting, connection attributes.
 *
 * Layer: driver.
 */
#ifndef KD_CONN_H
#define KD_CONN_H

#include "handles.h"
#include "../util/ku_buf.h"

/*
 * Connects dbc from a connection string (UTF-8; for SQLConnect the
 * caller builds "DSN=..;UID=..;PWD=..").  On success `out` (may be NULL)
 * receives the completed connection string with the DSN's settings.
 */
SQLRETURN kd_dbc_connect(struct kd_dbc *dbc, const char *connstr,
                         struct ku_buf *out);
/* Closes the connection and frees its statements. */
SQLRETURN kd_dbc_disconnect(struct kd_dbc *dbc);
SQLRETURN kd_dbc_set_attr(struct kd_dbc *dbc, SQLINTEGER attr,
                          SQLPOINTER val, SQLINTEGER len, int wide);
SQLRETURN kd_dbc_get_attr(struct kd_dbc *dbc, SQLINTEGER attr,
                          SQLPOINTER val, SQLINTEGER buflen,
                          SQLINTEGER *outlen, int wide);

#endif
