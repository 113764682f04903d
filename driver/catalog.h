/*
 * catalog.h - catalog functions (SQLTables, SQLColumns, SQLGetTypeInfo,
 * SQLPrimaryKeys) as queries over the sql layer's system tables.
 *
 * Layer: driver.  Each catalog call becomes a SELECT over sys.Apps and
 * pragma_table_info() with two SQL functions registered on the
 * connection: odbc_match(pattern, value, is_pattern) implements ODBC
 * search patterns ('%', '_', '\' escape; case-sensitive), and
 * odbc_col(decltype, what, odbc2) reports the ODBC type attributes of a
 * declared column type (from typeinfo.c).
 */
#ifndef KD_CATALOG_H
#define KD_CATALOG_H

#include <sqlite3.h>

#include "handles.h"

int kd_catalog_register(sqlite3 *db);

/* Arguments are UTF-8, NULL meaning "not given". */
SQLRETURN kd_catalog_tables(struct kd_stmt *s, const char *cat,
                            const char *schem, const char *table,
                            const char *types);
SQLRETURN kd_catalog_columns(struct kd_stmt *s, const char *cat,
                             const char *schem, const char *table,
                             const char *column);
SQLRETURN kd_catalog_type_info(struct kd_stmt *s, SQLSMALLINT type);
SQLRETURN kd_catalog_primary_keys(struct kd_stmt *s, const char *cat,
                                  const char *schem, const char *table);

#endif
