/*
 * catalog.h - catalog functions (SQLTables, SQLColumns, SQLGetTypeInfo,
 * SQLPrimaryKeys, SQLStatistics, SQLSpecialColumns, SQLForeignKeys,
 * SQLProcedures, SQLProcedureColumns, SQLTablePrivileges,
 * SQLColumnPrivileges) as queries over the sql layer's system tables.
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

/* SQLStatistics: the unique index on "$id" of an exact table name. */
SQLRETURN kd_catalog_statistics(struct kd_stmt *s, const char *cat,
                                const char *schem, const char *table,
                                SQLUSMALLINT unique);
/* SQLSpecialColumns: "$id" (SQL_BEST_ROWID), "$revision" (SQL_ROWVER). */
SQLRETURN kd_catalog_special_columns(struct kd_stmt *s, SQLUSMALLINT id,
                                     const char *cat, const char *schem,
                                     const char *table);
/*
 * SQLForeignKeys: subtable child tables ("$parent_id") referring to their
 * app's table ("$id"), from sys.Tables; an empty, well-shaped result when
 * the sql layer has no sys.Tables.  Table names are exact (not patterns).
 */
SQLRETURN kd_catalog_foreign_keys(struct kd_stmt *s, const char *pkcat,
                                  const char *pkschem, const char *pktable,
                                  const char *fkcat, const char *fkschem,
                                  const char *fktable);
/* SQLProcedures / SQLProcedureColumns: empty, well-shaped results. */
SQLRETURN kd_catalog_procedures(struct kd_stmt *s);
SQLRETURN kd_catalog_procedure_columns(struct kd_stmt *s);
/* SQLTablePrivileges (columns = 0) / SQLColumnPrivileges: empty. */
SQLRETURN kd_catalog_privileges(struct kd_stmt *s, int columns);

#endif
