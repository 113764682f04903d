/*
 * info.h - SQLGetInfo and SQLGetFunctions answers.
 *
 * Layer: driver.  The info table states what the driver really does;
 * SQLGetFunctions is generated from exports.h, the list of exported
 * functions, which a test compares with the library's dynamic symbols.
 */
#ifndef KD_INFO_H
#define KD_INFO_H

#include <sql.h>
#include <sqlext.h>

struct kd_dbc;

/* SQLGetInfo(W) body; wide selects UTF-16 output (lengths in bytes). */
SQLRETURN kd_get_info(struct kd_dbc *dbc, SQLUSMALLINT type,
                      SQLPOINTER value, SQLSMALLINT buflen,
                      SQLSMALLINT *outlen, int wide);
/* SQLGetFunctions body (SQL_API_ALL_FUNCTIONS, ODBC3 bitmap, single). */
SQLRETURN kd_get_functions(struct kd_dbc *dbc, SQLUSMALLINT id,
                           SQLUSMALLINT *supported);

#endif
