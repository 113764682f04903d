/*
 * convert.h - data conversion between SQLite values and ODBC C types.
 *
 * Layer: driver.  Output: a result column value (struct kd_value, read
 * from a sqlite3_stmt by exec.c) to any SQL_C_* type the ODBC 3.8
 * conversion tables allow for the column's SQL type, with 01004 (string
 * truncation), 01S07 (fractional truncation), 22003 (numeric range),
 * 22018 (bad cast), 22007 (bad datetime text), 07006 (not allowed).
 * Input: a bound parameter (APD + IPD record) to a sqlite3_bind_* call.
 *
 * Text values are UTF-8.  DATE values are "YYYY-MM-DD", TIME "HH:MM:SS"
 * (or "HH:MM"), TIMESTAMP "YYYY-MM-DD HH:MM:SS[.fff]" (a "T" separator
 * and a trailing "Z" are accepted on input), all in the form the sql
 * layer produces.
 */
#ifndef KD_CONVERT_H
#define KD_CONVERT_H

#include <stddef.h>
#include <sql.h>
#include <sqlext.h>
#include <sqlite3.h>

struct kd_hdr;
struct kd_desc_rec;

enum kd_vkind { KD_V_NULL = 0, KD_V_INT, KD_V_DOUBLE, KD_V_TEXT, KD_V_BLOB };

struct kd_value {
  int kind;                /* enum kd_vkind */
  long long i;             /* KD_V_INT */
  double d;                /* KD_V_DOUBLE */
  const char *s;           /* KD_V_TEXT (UTF-8) / KD_V_BLOB bytes; borrowed */
  size_t len;              /* bytes of s */
  SQLSMALLINT sql_type;    /* the column's SQL type (IRD concise type) */
};

/* Reads column `col` (0-based) of the current row of st into v. */
void kd_value_from_sqlite(sqlite3_stmt *st, int col, SQLSMALLINT sql_type,
                          struct kd_value *v);

/*
 * Converts v to C type `ctype` (SQL_C_DEFAULT resolves from v->sql_type)
 * into buf (buflen bytes).  *ind gets SQL_NULL_DATA for NULL (22002 when
 * ind is NULL and the value is NULL); *lenp gets the byte length of the
 * full remaining value (or SQL_NO_TOTAL).  ind and lenp may be the same
 * pointer or NULL.
 *
 * `offset` implements SQLGetData in pieces: NULL for bound columns;
 * otherwise it holds the bytes of the source already returned for this
 * column and is advanced; once everything was returned the next call
 * answers SQL_NO_DATA.  Character and binary targets are chunked;
 * other targets return SQL_NO_DATA on a second call.
 *
 * `row`/`col` go into diagnostics (SQL_DIAG_ROW/COLUMN_NUMBER).
 * Returns SQL_SUCCESS, SQL_SUCCESS_WITH_INFO, SQL_NO_DATA or SQL_ERROR
 * (with a diagnostic posted on h).
 */
SQLRETURN kd_convert_out(struct kd_hdr *h, const struct kd_value *v,
                         SQLSMALLINT ctype, SQLPOINTER buf, SQLLEN buflen,
                         SQLLEN *ind, SQLLEN *lenp, SQLLEN *offset,
                         SQLLEN row, SQLINTEGER col);

/*
 * Binds parameter `idx` (1-based) of st from an application buffer:
 * apd gives the C type, data pointer, octet length and indicator (already
 * adjusted for bind offsets and row-wise/column-wise position by the
 * caller: data/octet_len/ind below), ipd the SQL type, size and digits.
 * SQL_NULL_DATA binds NULL; SQL_NTS strings are measured.  Dates, times
 * and timestamps bind as the text forms above; exact numerics as text,
 * integers as 64-bit, floats as double, binary as blobs, WCHAR converted
 * to UTF-8.  Posts 22003/22018/22007/HY003/HY104 etc. on error.
 */
SQLRETURN kd_bind_param(struct kd_hdr *h, sqlite3_stmt *st, int idx,
                        SQLSMALLINT ctype, SQLSMALLINT sqltype,
                        SQLULEN colsize, SQLSMALLINT digits,
                        SQLPOINTER data, SQLLEN octet_len, SQLLEN *ind);

/*
 * Bytes of one value of a fixed-size C type (SQL_C_SLONG: 4, dates: the
 * struct size...); 0 for variable-length types (CHAR, WCHAR, BINARY,
 * DEFAULT), whose size is the bound buffer length.  Column-wise arrays
 * step by this size, since SQLBindCol ignores the buffer length of
 * fixed-size types.
 */
SQLLEN kd_ctype_size(SQLSMALLINT ctype);

/*
 * ODBC escape clauses -> SQLite text (SQLPrepare, SQLExecDirect,
 * SQLNativeSql): {d '..'}, {t '..'}, {ts '..'} and {guid '..'} become
 * the quoted literal; {fn f(args)} maps ODBC scalar functions to SQLite
 * expressions (UCASE -> upper, CONCAT -> ||, YEAR -> strftime...,
 * CONVERT(x, SQL_type) -> CAST; other names pass through); {oj ...} is
 * its contents; {escape 'c'} is ESCAPE 'c'; escapes nest.  Quoted
 * literals, quoted identifiers and comments are copied unchanged.
 *
 * Returns a new string (ku_free).  On failure returns NULL with a message
 * in err (errsz bytes; empty when memory ran out) and *unsupported (may
 * be NULL) set to 1 for features the driver lacks ({call}, {?= call},
 * {interval}: HYC00) or 0 for malformed text (42000).
 */
char *kd_escape_translate(const char *sql, int *unsupported, char *err,
                          size_t errsz);

/* The default C type for an SQL type (SQL_C_DEFAULT resolution). */
SQLSMALLINT kd_default_ctype(SQLSMALLINT sql_type);

#endif
