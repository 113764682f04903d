/*
 * typeinfo.h - the driver's SQL type catalog.
 *
 * Layer: driver.  The sql layer declares each virtual-table column with
 * one of the type names below (sqlite3_column_decltype returns it); this
 * module maps a declared type (or, for expressions, the SQLite storage
 * class of the first row) to the ODBC SQL type, column size, decimal
 * digits, display size and octet length reported by SQLDescribeCol,
 * SQLColAttribute and SQLColumns, and answers SQLGetTypeInfo.
 *
 * Declared type names used by the sql layer (case-insensitive):
 *   BIGINT                 -> SQL_BIGINT
 *   INTEGER                -> SQL_INTEGER
 *   SMALLINT               -> SQL_SMALLINT
 *   DOUBLE                 -> SQL_DOUBLE
 *   DECIMAL(p,s)           -> SQL_DECIMAL (p, s)
 *   WVARCHAR(n)            -> SQL_WVARCHAR (n characters)
 *   WLONGVARCHAR           -> SQL_WLONGVARCHAR
 *   VARCHAR(n)             -> SQL_VARCHAR (n)
 *   DATE, TIME, TIMESTAMP  -> SQL_TYPE_DATE/TIME/TIMESTAMP
 *   BIT                    -> SQL_BIT
 *   VARBINARY(n)           -> SQL_VARBINARY
 */
#ifndef KD_TYPEINFO_H
#define KD_TYPEINFO_H

#include <sql.h>
#include <sqlext.h>

struct kd_typeinfo {
  SQLSMALLINT sql_type;      /* concise ODBC 3 type */
  SQLULEN column_size;       /* characters / digits / bytes */
  SQLSMALLINT decimal_digits;
  SQLLEN display_size;
  SQLLEN octet_length;       /* bytes when transferred in default C type */
  int is_unsigned;
  const char *type_name;     /* data-source-dependent name (static) */
};

/*
 * Fills ti from a declared type (may be NULL) and, when the declared type
 * is NULL or unknown, from the SQLite storage class `sqlite_type`
 * (SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL).
 */
void kd_typeinfo_from_decl(const char *decltype, int sqlite_type,
                           struct kd_typeinfo *ti);

/* ODBC 2 type code for an ODBC 3 one (dates: 9/10/11) when odbc2. */
SQLSMALLINT kd_type_for_version(SQLSMALLINT sql_type, int odbc2);

/*
 * SQL text (SQLite dialect) producing the SQLGetTypeInfo result set with
 * its 19 columns, restricted to `sql_type` (SQL_ALL_TYPES = all), with
 * DATA_TYPE/SQL_DATA_TYPE following the ODBC version.  Returns a new
 * sqlite3_mprintf'ed string (sqlite3_free), NULL when out of memory.
 * *types receives the SQL type of each of the 19 columns.
 */
char *kd_typeinfo_sql(SQLSMALLINT sql_type, int odbc2,
                      const SQLSMALLINT **types);

#endif
