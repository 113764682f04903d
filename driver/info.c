/*
 * info.c - SQLGetInfo and SQLGetFunctions answers.
 *
 * Layer: driver.  SQLGetInfo answers from one table of (info type, C
 * type, value); a few answers depend on the connection (DSN, server,
 * user) or the SQLite library linked in (RIGHT/FULL joins since 3.39).
 * Each integer answer is written with the width the ODBC 3.8 SQLGetInfo
 * reference gives for that info type (SQLUSMALLINT or SQLUINTEGER):
 * writing 4 bytes where the application reserved 2 corrupts its memory.
 * Strings go through strout.c (W lengths in bytes).
 *
 * SQLGetFunctions answers from KD_EXPORTS (exports.h), the list that
 * tests/unit/check_exports.sh checks against the library's symbols:
 * unixODBC disables every function the driver does not flag.
 *
 * Choices worth knowing:
 * - SQL_MAX_*_NAME_LEN are 0 ("no known limit"): Kintone names are
 *   Japanese and a byte limit in characters would be wrong either way.
 * - Identifiers are case-insensitive in SQLite even when quoted, so
 *   SQL_IDENTIFIER_CASE and SQL_QUOTED_IDENTIFIER_CASE are SQL_IC_MIXED.
 * - Scalar function bitmasks list the ODBC functions {fn ...} reaches:
 *   those kd_escape_translate (convert.c) maps to SQLite expressions and
 *   those SQLite implements under the same name (math functions only when
 *   SQLite was built with them); SQL_CONVERT_* are 0 as only CAST and
 *   {fn CONVERT} (SQL_CONVERT_FUNCTIONS) are available;
 *   SQL_DATETIME_LITERALS is 0 because SQLite has no DATE '...' literals
 *   (the {d '...'} escapes work).
 */
#include "info.h"

#include <string.h>
#include <sqlite3.h>

#include "exports.h"
#include "handles.h"
#include "strout.h"

/* How an answer is written. */
enum { T_STR, T_U16, T_U32 };

struct info_row {
  SQLUSMALLINT type;       /* SQL_* info type */
  int ctype;               /* T_* */
  SQLUINTEGER num;         /* T_U16 / T_U32 value */
  const char *str;         /* T_STR value */
};

#define S(t, v) {t, T_STR, 0, v}
#define H(t, v) {t, T_U16, (SQLUINTEGER)(v), NULL}
#define U(t, v) {t, T_U32, (SQLUINTEGER)(v), NULL}

static const struct info_row info_rows[] = {
  /* driver and data source */
  S(SQL_DRIVER_NAME, "libkintoneodbc.so"),
  S(SQL_DRIVER_VER, "00.01.0000"),
  S(SQL_DRIVER_ODBC_VER, "03.80"),
  S(SQL_ODBC_VER, "03.80"),
  S(SQL_DBMS_NAME, "Kintone"),
  S(SQL_DBMS_VER, "01.00.0000"),
  S(SQL_DATABASE_NAME, ""),
  S(SQL_XOPEN_CLI_YEAR, "1995"),
  S(SQL_DATA_SOURCE_READ_ONLY, "N"),
  S(SQL_ACCESSIBLE_TABLES, "Y"),
  S(SQL_ACCESSIBLE_PROCEDURES, "N"),
  S(SQL_DESCRIBE_PARAMETER, "N"),
  S(SQL_NEED_LONG_DATA_LEN, "N"),
  S(SQL_MULT_RESULT_SETS, "N"),
  S(SQL_MULTIPLE_ACTIVE_TXN, "Y"),
  S(SQL_PROCEDURES, "N"),
  S(SQL_ROW_UPDATES, "N"),
  S(SQL_INTEGRITY, "N"),
  S(SQL_MAX_ROW_SIZE_INCLUDES_LONG, "N"),
  H(SQL_ACTIVE_ENVIRONMENTS, 0),
  H(SQL_MAX_DRIVER_CONNECTIONS, 0),
  H(SQL_MAX_CONCURRENT_ACTIVITIES, 0),
  H(SQL_ODBC_API_CONFORMANCE, SQL_OAC_LEVEL1),
  H(SQL_ODBC_SQL_CONFORMANCE, SQL_OSC_CORE),
  H(SQL_ODBC_SAG_CLI_CONFORMANCE, SQL_OSCC_COMPLIANT),
  U(SQL_ODBC_INTERFACE_CONFORMANCE, SQL_OIC_CORE),
  U(SQL_SQL_CONFORMANCE, SQL_SC_SQL92_ENTRY),
  U(SQL_STANDARD_CLI_CONFORMANCE,
    SQL_SCC_XOPEN_CLI_VERSION1 | SQL_SCC_ISO92_CLI),
  H(SQL_FILE_USAGE, SQL_FILE_NOT_SUPPORTED),
  U(SQL_ASYNC_MODE, SQL_AM_NONE),
  U(SQL_MAX_ASYNC_CONCURRENT_STATEMENTS, 0),
  U(SQL_ASYNC_DBC_FUNCTIONS, SQL_ASYNC_DBC_NOT_CAPABLE),
  U(SQL_ASYNC_NOTIFICATION, SQL_ASYNC_NOTIFICATION_NOT_CAPABLE),
  U(SQL_DRIVER_AWARE_POOLING_SUPPORTED,
    SQL_DRIVER_AWARE_POOLING_NOT_CAPABLE),
  U(SQL_DTC_TRANSITION_COST, 0),
  U(SQL_GETDATA_EXTENSIONS,
    SQL_GD_ANY_COLUMN | SQL_GD_ANY_ORDER | SQL_GD_BOUND),

  /* names and terms */
  S(SQL_IDENTIFIER_QUOTE_CHAR, "\""),
  S(SQL_CATALOG_NAME, "N"),
  S(SQL_CATALOG_NAME_SEPARATOR, ""),
  S(SQL_CATALOG_TERM, ""),
  S(SQL_SCHEMA_TERM, ""),
  S(SQL_PROCEDURE_TERM, ""),
  S(SQL_TABLE_TERM, "table"),
  S(SQL_SEARCH_PATTERN_ESCAPE, "\\"),
  S(SQL_SPECIAL_CHARACTERS, ""),
  S(SQL_COLLATION_SEQ, "UTF-8"),
  S(SQL_KEYWORDS,
    "ABORT,ANALYZE,ATTACH,AUTOINCREMENT,CONFLICT,DATABASE,DETACH,"
    "EXCLUSIVE,EXPLAIN,FAIL,GLOB,IF,IGNORE,INDEXED,INSTEAD,ISNULL,LIMIT,"
    "NOTNULL,OFFSET,PLAN,PRAGMA,QUERY,RAISE,RECURSIVE,REGEXP,REINDEX,"
    "RELEASE,RENAME,REPLACE,ROW,SAVEPOINT,TEMP,TRIGGER,VACUUM,VIRTUAL,"
    "WITHOUT"),
  U(SQL_CATALOG_USAGE, 0),
  U(SQL_SCHEMA_USAGE, 0),
  H(SQL_CATALOG_LOCATION, 0),
  H(SQL_IDENTIFIER_CASE, SQL_IC_MIXED),
  H(SQL_QUOTED_IDENTIFIER_CASE, SQL_IC_MIXED),
  H(SQL_MAX_CATALOG_NAME_LEN, 0),
  H(SQL_MAX_SCHEMA_NAME_LEN, 0),
  H(SQL_MAX_TABLE_NAME_LEN, 0),
  H(SQL_MAX_COLUMN_NAME_LEN, 0),
  H(SQL_MAX_CURSOR_NAME_LEN, 0),
  H(SQL_MAX_PROCEDURE_NAME_LEN, 0),
  H(SQL_MAX_IDENTIFIER_LEN, 0),
  H(SQL_MAX_USER_NAME_LEN, 0),

  /* transactions */
  H(SQL_TXN_CAPABLE, SQL_TC_NONE),
  U(SQL_DEFAULT_TXN_ISOLATION, 0),
  U(SQL_TXN_ISOLATION_OPTION, 0),
  H(SQL_CURSOR_COMMIT_BEHAVIOR, SQL_CB_PRESERVE),
  H(SQL_CURSOR_ROLLBACK_BEHAVIOR, SQL_CB_PRESERVE),

  /* cursors; a static scrollable cursor besides forward-only */
  U(SQL_SCROLL_OPTIONS, SQL_SO_FORWARD_ONLY | SQL_SO_STATIC),
  U(SQL_FETCH_DIRECTION,
    SQL_FD_FETCH_NEXT | SQL_FD_FETCH_FIRST | SQL_FD_FETCH_LAST |
    SQL_FD_FETCH_PRIOR | SQL_FD_FETCH_ABSOLUTE | SQL_FD_FETCH_RELATIVE),
  U(SQL_SCROLL_CONCURRENCY, SQL_SCCO_READ_ONLY),
  U(SQL_CURSOR_SENSITIVITY, SQL_INSENSITIVE),
  U(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1, SQL_CA1_NEXT),
  U(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2,
    SQL_CA2_READ_ONLY_CONCURRENCY | SQL_CA2_MAX_ROWS_SELECT),
  U(SQL_STATIC_CURSOR_ATTRIBUTES1,
    SQL_CA1_NEXT | SQL_CA1_ABSOLUTE | SQL_CA1_RELATIVE),
  /* CRC_EXACT: a static cursor knows its row count (diagnostic header
     SQL_DIAG_CURSOR_ROW_COUNT); SENSITIVITY_DELETIONS holds trivially
     for a read-only cursor.  LibreOffice emulates scrolling (badly: it
     loops on SQLGetData after the end) unless both are reported. */
  U(SQL_STATIC_CURSOR_ATTRIBUTES2,
    SQL_CA2_READ_ONLY_CONCURRENCY | SQL_CA2_MAX_ROWS_SELECT |
    SQL_CA2_CRC_EXACT | SQL_CA2_SENSITIVITY_DELETIONS),
  U(SQL_KEYSET_CURSOR_ATTRIBUTES1, 0),
  U(SQL_KEYSET_CURSOR_ATTRIBUTES2, 0),
  U(SQL_DYNAMIC_CURSOR_ATTRIBUTES1, 0),
  U(SQL_DYNAMIC_CURSOR_ATTRIBUTES2, 0),
  U(SQL_STATIC_SENSITIVITY, 0),
  U(SQL_LOCK_TYPES, 0),
  U(SQL_POS_OPERATIONS, 0),
  U(SQL_POSITIONED_STATEMENTS, 0),
  U(SQL_BOOKMARK_PERSISTENCE, 0),

  /* statements and parameters */
  U(SQL_BATCH_SUPPORT, 0),
  U(SQL_BATCH_ROW_COUNT, 0),
  U(SQL_PARAM_ARRAY_ROW_COUNTS, SQL_PARC_BATCH),
  U(SQL_PARAM_ARRAY_SELECTS, SQL_PAS_NO_SELECT),
  U(SQL_MAX_ROW_SIZE, 0),
  U(SQL_MAX_STATEMENT_LEN, 0),
  U(SQL_MAX_CHAR_LITERAL_LEN, 0),
  U(SQL_MAX_BINARY_LITERAL_LEN, 0),
  U(SQL_MAX_INDEX_SIZE, 0),
  H(SQL_MAX_COLUMNS_IN_GROUP_BY, 0),
  H(SQL_MAX_COLUMNS_IN_INDEX, 0),
  H(SQL_MAX_COLUMNS_IN_ORDER_BY, 0),
  H(SQL_MAX_COLUMNS_IN_SELECT, 0),
  H(SQL_MAX_COLUMNS_IN_TABLE, 0),
  H(SQL_MAX_TABLES_IN_SELECT, 0),
  U(SQL_INSERT_STATEMENT, SQL_IS_INSERT_LITERALS | SQL_IS_INSERT_SEARCHED),

  /* SQL dialect (SQLite) */
  S(SQL_ORDER_BY_COLUMNS_IN_SELECT, "N"),
  S(SQL_EXPRESSIONS_IN_ORDERBY, "Y"),
  S(SQL_COLUMN_ALIAS, "Y"),
  S(SQL_LIKE_ESCAPE_CLAUSE, "Y"),
  S(SQL_OUTER_JOINS, "Y"),
  H(SQL_CORRELATION_NAME, SQL_CN_ANY),
  H(SQL_NON_NULLABLE_COLUMNS, SQL_NNC_NON_NULL),
  H(SQL_NULL_COLLATION, SQL_NC_LOW),
  H(SQL_CONCAT_NULL_BEHAVIOR, SQL_CB_NULL),
  H(SQL_GROUP_BY, SQL_GB_NO_RELATION),
  U(SQL_UNION, SQL_U_UNION | SQL_U_UNION_ALL),
  U(SQL_SUBQUERIES,
    SQL_SQ_CORRELATED_SUBQUERIES | SQL_SQ_COMPARISON | SQL_SQ_EXISTS |
    SQL_SQ_IN),
  U(SQL_AGGREGATE_FUNCTIONS,
    SQL_AF_ALL | SQL_AF_AVG | SQL_AF_COUNT | SQL_AF_DISTINCT | SQL_AF_MAX |
    SQL_AF_MIN | SQL_AF_SUM),
  U(SQL_SQL92_PREDICATES,
    SQL_SP_BETWEEN | SQL_SP_COMPARISON | SQL_SP_EXISTS | SQL_SP_IN |
    SQL_SP_ISNOTNULL | SQL_SP_ISNULL | SQL_SP_LIKE),
  U(SQL_SQL92_VALUE_EXPRESSIONS,
    SQL_SVE_CASE | SQL_SVE_CAST | SQL_SVE_COALESCE | SQL_SVE_NULLIF),
  U(SQL_SQL92_STRING_FUNCTIONS, SQL_SSF_LOWER | SQL_SSF_UPPER),
  U(SQL_SQL92_NUMERIC_VALUE_FUNCTIONS, 0),
  U(SQL_SQL92_DATETIME_FUNCTIONS,
    SQL_SDF_CURRENT_DATE | SQL_SDF_CURRENT_TIME | SQL_SDF_CURRENT_TIMESTAMP),
  U(SQL_SQL92_ROW_VALUE_CONSTRUCTOR,
    SQL_SRVC_VALUE_EXPRESSION | SQL_SRVC_NULL),
  U(SQL_SQL92_FOREIGN_KEY_DELETE_RULE, 0),
  U(SQL_SQL92_FOREIGN_KEY_UPDATE_RULE, 0),
  U(SQL_SQL92_GRANT, 0),
  U(SQL_SQL92_REVOKE, 0),
  U(SQL_DATETIME_LITERALS, 0),
  U(SQL_SYSTEM_FUNCTIONS,
    SQL_FN_SYS_IFNULL | SQL_FN_SYS_DBNAME | SQL_FN_SYS_USERNAME),
  U(SQL_TIMEDATE_FUNCTIONS,
    SQL_FN_TD_NOW | SQL_FN_TD_CURDATE | SQL_FN_TD_CURTIME |
    SQL_FN_TD_CURRENT_DATE | SQL_FN_TD_CURRENT_TIME |
    SQL_FN_TD_CURRENT_TIMESTAMP | SQL_FN_TD_YEAR | SQL_FN_TD_MONTH |
    SQL_FN_TD_DAYOFMONTH | SQL_FN_TD_DAYOFWEEK | SQL_FN_TD_DAYOFYEAR |
    SQL_FN_TD_WEEK | SQL_FN_TD_QUARTER | SQL_FN_TD_HOUR |
    SQL_FN_TD_MINUTE | SQL_FN_TD_SECOND),
  U(SQL_TIMEDATE_ADD_INTERVALS, 0),
  U(SQL_TIMEDATE_DIFF_INTERVALS, 0),
  U(SQL_CONVERT_FUNCTIONS, SQL_FN_CVT_CAST | SQL_FN_CVT_CONVERT),
  U(SQL_CONVERT_BIGINT, 0),
  U(SQL_CONVERT_BINARY, 0),
  U(SQL_CONVERT_BIT, 0),
  U(SQL_CONVERT_CHAR, 0),
  U(SQL_CONVERT_DATE, 0),
  U(SQL_CONVERT_DECIMAL, 0),
  U(SQL_CONVERT_DOUBLE, 0),
  U(SQL_CONVERT_FLOAT, 0),
  U(SQL_CONVERT_INTEGER, 0),
  U(SQL_CONVERT_LONGVARCHAR, 0),
  U(SQL_CONVERT_NUMERIC, 0),
  U(SQL_CONVERT_REAL, 0),
  U(SQL_CONVERT_SMALLINT, 0),
  U(SQL_CONVERT_TIME, 0),
  U(SQL_CONVERT_TIMESTAMP, 0),
  U(SQL_CONVERT_TINYINT, 0),
  U(SQL_CONVERT_VARBINARY, 0),
  U(SQL_CONVERT_VARCHAR, 0),
  U(SQL_CONVERT_LONGVARBINARY, 0),
  U(SQL_CONVERT_GUID, 0),
  U(SQL_CONVERT_WCHAR, 0),
  U(SQL_CONVERT_WLONGVARCHAR, 0),
  U(SQL_CONVERT_WVARCHAR, 0),
  U(SQL_CONVERT_INTERVAL_DAY_TIME, 0),
  U(SQL_CONVERT_INTERVAL_YEAR_MONTH, 0),

  /* no DDL */
  U(SQL_ALTER_TABLE, 0),
  U(SQL_ALTER_DOMAIN, 0),
  U(SQL_CREATE_ASSERTION, 0),
  U(SQL_CREATE_CHARACTER_SET, 0),
  U(SQL_CREATE_COLLATION, 0),
  U(SQL_CREATE_DOMAIN, 0),
  U(SQL_CREATE_SCHEMA, 0),
  U(SQL_CREATE_TABLE, 0),
  U(SQL_CREATE_TRANSLATION, 0),
  U(SQL_CREATE_VIEW, 0),
  U(SQL_DROP_ASSERTION, 0),
  U(SQL_DROP_CHARACTER_SET, 0),
  U(SQL_DROP_COLLATION, 0),
  U(SQL_DROP_DOMAIN, 0),
  U(SQL_DROP_SCHEMA, 0),
  U(SQL_DROP_TABLE, 0),
  U(SQL_DROP_TRANSLATION, 0),
  U(SQL_DROP_VIEW, 0),
  U(SQL_DDL_INDEX, 0),
  U(SQL_INDEX_KEYWORDS, SQL_IK_NONE),
  U(SQL_INFO_SCHEMA_VIEWS, 0)
};

/* Copies the host part of a URL ("https://h:443/x" -> "h"). */
static void url_host(const char *url, char *out, size_t outsz)
{
  const char *p, *e;
  size_t n;

  out[0] = '\0';
  if(!url)
    return;
  p = strstr(url, "://");
  p = p ? p + 3 : url;
  e = p;
  if(*e == '[') {            /* IPv6 literal: keep the brackets */
    while(*e && *e != ']')
      e++;
    if(*e)
      e++;
  }
  else {
    while(*e && *e != ':' && *e != '/' && *e != '?' && *e != '#')
      e++;
  }
  n = (size_t)(e - p);
  if(n >= outsz)
    n = outsz - 1;
  memcpy(out, p, n);
  out[n] = '\0';
}

/* Writes an integer answer of 2 or 4 bytes. */
static SQLRETURN put_num(SQLPOINTER value, SQLSMALLINT *outlen, int ctype,
                         SQLUINTEGER v)
{
  if(ctype == T_U16) {
    SQLUSMALLINT s = (SQLUSMALLINT)v;
    if(value)
      memcpy(value, &s, sizeof(s));
    if(outlen)
      *outlen = sizeof(s);
  }
  else {
    if(value)
      memcpy(value, &v, sizeof(v));
    if(outlen)
      *outlen = sizeof(v);
  }
  return SQL_SUCCESS;
}

/* See info.h. */
SQLRETURN kd_get_info(struct kd_dbc *dbc, SQLUSMALLINT type,
                      SQLPOINTER value, SQLSMALLINT buflen,
                      SQLSMALLINT *outlen, int wide)
{
  struct kd_hdr *h = &dbc->hdr;
  char host[256];
  size_t i;
  int modern = sqlite3_libversion_number() >= 3039000;

  switch(type) {
  case SQL_DATA_SOURCE_NAME:
    return kd_out_str_s(h, wide, dbc->dsn ? dbc->dsn : "", value, buflen,
                        outlen, 1);
  case SQL_SERVER_NAME:
    url_host(dbc->cfg.url, host, sizeof(host));
    return kd_out_str_s(h, wide, host, value, buflen, outlen, 1);
  case SQL_USER_NAME:
    return kd_out_str_s(h, wide, dbc->cfg.user ? dbc->cfg.user : "", value,
                        buflen, outlen, 1);
  case SQL_OJ_CAPABILITIES:
    /* RIGHT and FULL OUTER JOIN arrived in SQLite 3.39 */
    return put_num(value, outlen, T_U32,
                   SQL_OJ_LEFT | SQL_OJ_NESTED | SQL_OJ_NOT_ORDERED |
                   SQL_OJ_INNER | SQL_OJ_ALL_COMPARISON_OPS |
                   (modern ? SQL_OJ_RIGHT | SQL_OJ_FULL : 0));
  case SQL_SQL92_RELATIONAL_JOIN_OPERATORS:
    return put_num(value, outlen, T_U32,
                   SQL_SRJO_CROSS_JOIN | SQL_SRJO_INNER_JOIN |
                   SQL_SRJO_LEFT_OUTER_JOIN | SQL_SRJO_NATURAL_JOIN |
                   (modern ? SQL_SRJO_RIGHT_OUTER_JOIN |
                    SQL_SRJO_FULL_OUTER_JOIN : 0));
  case SQL_STRING_FUNCTIONS:
    /* {fn} names SQLite implements or the escape translation maps */
    return put_num(value, outlen, T_U32,
                   SQL_FN_STR_LENGTH | SQL_FN_STR_LTRIM | SQL_FN_STR_RTRIM |
                   SQL_FN_STR_REPLACE | SQL_FN_STR_CHAR |
                   SQL_FN_STR_SUBSTRING | SQL_FN_STR_UCASE |
                   SQL_FN_STR_LCASE | SQL_FN_STR_CONCAT | SQL_FN_STR_LEFT |
                   SQL_FN_STR_RIGHT | SQL_FN_STR_LOCATE |
                   SQL_FN_STR_LOCATE_2 | SQL_FN_STR_SPACE |
                   SQL_FN_STR_ASCII | SQL_FN_STR_CHAR_LENGTH |
                   SQL_FN_STR_CHARACTER_LENGTH | SQL_FN_STR_OCTET_LENGTH);
  case SQL_NUMERIC_FUNCTIONS:
    /* abs, round, sign, random are core; the rest need SQLite's math
       functions (SQLITE_ENABLE_MATH_FUNCTIONS) */
    return put_num(value, outlen, T_U32,
                   SQL_FN_NUM_ABS | SQL_FN_NUM_ROUND | SQL_FN_NUM_SIGN |
                   SQL_FN_NUM_MOD | SQL_FN_NUM_RAND |
                   (sqlite3_compileoption_used("ENABLE_MATH_FUNCTIONS") ?
                    SQL_FN_NUM_CEILING | SQL_FN_NUM_FLOOR |
                    SQL_FN_NUM_POWER | SQL_FN_NUM_SQRT | SQL_FN_NUM_LOG |
                    SQL_FN_NUM_EXP | SQL_FN_NUM_LOG10 | SQL_FN_NUM_PI |
                    SQL_FN_NUM_SIN | SQL_FN_NUM_COS | SQL_FN_NUM_TAN |
                    SQL_FN_NUM_ASIN | SQL_FN_NUM_ACOS | SQL_FN_NUM_ATAN |
                    SQL_FN_NUM_ATAN2 | SQL_FN_NUM_DEGREES |
                    SQL_FN_NUM_RADIANS | SQL_FN_NUM_TRUNCATE : 0));
  default:
    break;
  }
  for(i = 0; i < sizeof(info_rows) / sizeof(info_rows[0]); i++) {
    const struct info_row *r = &info_rows[i];
    if(r->type != type)
      continue;
    if(r->ctype == T_STR)
      return kd_out_str_s(h, wide, r->str, value, buflen, outlen, 1);
    return put_num(value, outlen, r->ctype, r->num);
  }
  return kd_diag_post(h, KD_E_BAD_INFO_TYPE, 0,
                      "Information type %u out of range", (unsigned)type);
}

/* Marks function id in an SQL_API_ODBC3_ALL_FUNCTIONS bitmap. */
#define FUNC_ESET(map, id) \
  ((map)[(id) >> 4] |= (SQLUSMALLINT)(1U << ((id) & 0x000F)))

/* The function ids of the exports, in exports.h order. */
#define KD_ID(name, id) id,
static const SQLUSMALLINT export_ids[] = { KD_EXPORTS(KD_ID) };
#undef KD_ID

/* See info.h. */
SQLRETURN kd_get_functions(struct kd_dbc *dbc, SQLUSMALLINT id,
                           SQLUSMALLINT *supported)
{
  size_t i, n = sizeof(export_ids) / sizeof(export_ids[0]);

  if(!supported)
    return kd_diag_post(&dbc->hdr, KD_E_NULL_POINTER, 0, NULL);
  if(id == SQL_API_ODBC3_ALL_FUNCTIONS) {
    memset(supported, 0,
           SQL_API_ODBC3_ALL_FUNCTIONS_SIZE * sizeof(SQLUSMALLINT));
    for(i = 0; i < n; i++)
      FUNC_ESET(supported, export_ids[i]);
    return SQL_SUCCESS;
  }
  if(id == SQL_API_ALL_FUNCTIONS) {
    memset(supported, 0, 100 * sizeof(SQLUSMALLINT));
    for(i = 0; i < n; i++) {
      if(export_ids[i] < 100)
        supported[export_ids[i]] = SQL_TRUE;
    }
    return SQL_SUCCESS;
  }
  *supported = SQL_FALSE;
  for(i = 0; i < n; i++) {
    if(export_ids[i] == id) {
      *supported = SQL_TRUE;
      break;
    }
  }
  return SQL_SUCCESS;
}
