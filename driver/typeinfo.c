/*
 * typeinfo.c - declared column types -> ODBC type descriptions, and the
 * SQLGetTypeInfo result set.
 *
 * Layer: driver.  The sql layer declares virtual-table columns with the
 * names listed in typeinfo.h; kd_typeinfo_from_decl() turns such a name
 * (or, for expressions without one, the SQLite storage class) into what
 * SQLDescribeCol, SQLColAttribute and SQLColumns report.
 *
 *   struct kd_typeinfo ti;
 *   kd_typeinfo_from_decl(sqlite3_column_decltype(st, i),
 *                         sqlite3_column_type(st, i), &ti);
 *
 * Size choices (clients size their buffers from them):
 * - OCTET_LENGTH is the byte size of a transfer in the default C type:
 *   WVARCHAR(n) -> 2n (SQL_C_WCHAR, UTF-16 units; characters outside the
 *   BMP need two units, which ODBC also counts as two characters),
 *   VARCHAR(n) -> 4n (SQL_C_CHAR is UTF-8 here), DECIMAL(p,s) -> p+2,
 *   dates -> the size of their C structs.
 * - Text of unknown length (expressions without a declared type such as
 *   substr(notes, 1, 20000), a || b, CAST(x AS TEXT), upper(x); columns
 *   declared TEXT; NULL first rows) is WLONGVARCHAR, as psqlODBC
 *   describes PostgreSQL's unbounded text (TextAsLongVarchar, on by
 *   default).  It was WVARCHAR(4000): clients that size bound buffers
 *   from the description (RODBC) then silently cut longer values, and
 *   the operand of an expression may be a multi-line text of 90,000
 *   bytes.  Block-fetching clients already meet WLONGVARCHAR in every
 *   MULTI_LINE_TEXT column and fetch it with SQLGetData (nanodbc) or
 *   cap their buffers (Tableau, RODBC: 65,535 bytes).  A declared
 *   WVARCHAR/VARCHAR without a length stays 4000.
 * - WLONGVARCHAR reports 1073741823 (2^30 - 1) characters, the value
 *   other drivers use for unbounded Unicode text; 2n still fits SQLLEN
 *   and SQLINTEGER.
 * - SQLGetTypeInfo lists WVARCHAR/VARCHAR/VARBINARY with 65535: pyodbc
 *   takes that as the longest parameter it binds inline (no
 *   data-at-execution), and Kintone text fields stay below it.
 */
#include "typeinfo.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sqlite3.h>

#define UNKNOWN_TEXT_SIZE 4000
#define LONG_TEXT_SIZE 1073741823
#define MAX_INLINE_SIZE 65535

/* Fills a fixed-size description. */
static void set(struct kd_typeinfo *ti, SQLSMALLINT t, SQLULEN size,
                SQLSMALLINT digits, SQLLEN display, SQLLEN octet,
                const char *name)
{
  ti->sql_type = t;
  ti->column_size = size;
  ti->decimal_digits = digits;
  ti->display_size = display;
  ti->octet_length = octet;
  ti->is_unsigned = 0;
  ti->type_name = name;
}

/*
 * Reads "(a)" or "(a,b)" after a type name; returns the number of
 * arguments read (0 when absent or malformed).
 */
static int type_args(const char *p, long *a, long *b)
{
  char *end;

  while(*p == ' ')
    p++;
  if(*p != '(')
    return 0;
  *a = strtol(p + 1, &end, 10);
  if(end == p + 1 || *a < 0)
    return 0;
  p = end;
  while(*p == ' ')
    p++;
  if(*p == ')')
    return 1;
  if(*p != ',')
    return 0;
  *b = strtol(p + 1, &end, 10);
  if(end == p + 1 || *b < 0)
    return 0;
  return 2;
}

/* Description for a storage class (expressions without a decltype). */
static void from_storage(int sqlite_type, struct kd_typeinfo *ti)
{
  switch(sqlite_type) {
  case SQLITE_INTEGER:
    set(ti, SQL_BIGINT, 19, 0, 20, 8, "BIGINT");
    break;
  case SQLITE_FLOAT:
    set(ti, SQL_DOUBLE, 15, 0, 24, 8, "DOUBLE");
    break;
  case SQLITE_BLOB:
    set(ti, SQL_VARBINARY, MAX_INLINE_SIZE, 0, 2 * MAX_INLINE_SIZE,
        MAX_INLINE_SIZE, "VARBINARY");
    break;
  default:                 /* TEXT, NULL: length unknown */
    set(ti, SQL_WLONGVARCHAR, LONG_TEXT_SIZE, 0, LONG_TEXT_SIZE,
        2 * (SQLLEN)LONG_TEXT_SIZE, "WLONGVARCHAR");
    break;
  }
}

/* 1 if the declared type starts with the type name `n` as a word. */
static int is_name(const char *decl, const char *n)
{
  size_t len = strlen(n);

  return !strncasecmp(decl, n, len) &&
    (decl[len] == '\0' || decl[len] == '(' || decl[len] == ' ');
}

/* See typeinfo.h. */
void kd_typeinfo_from_decl(const char *decl, int sqlite_type,
                           struct kd_typeinfo *ti)
{
  long a = 0, b = 0;
  int nargs;

  if(!decl) {
    from_storage(sqlite_type, ti);
    return;
  }
  while(*decl == ' ')
    decl++;
  nargs = type_args(decl + strcspn(decl, "( "), &a, &b);
  if(is_name(decl, "BIGINT"))
    set(ti, SQL_BIGINT, 19, 0, 20, 8, "BIGINT");
  else if(is_name(decl, "INTEGER") || is_name(decl, "INT"))
    set(ti, SQL_INTEGER, 10, 0, 11, 4, "INTEGER");
  else if(is_name(decl, "SMALLINT"))
    set(ti, SQL_SMALLINT, 5, 0, 6, 2, "SMALLINT");
  else if(is_name(decl, "DOUBLE") || is_name(decl, "REAL") ||
          is_name(decl, "FLOAT"))
    set(ti, SQL_DOUBLE, 15, 0, 24, 8, "DOUBLE");
  else if(is_name(decl, "DECIMAL") || is_name(decl, "NUMERIC")) {
    long p = nargs >= 1 ? a : 38, s = nargs == 2 ? b : 0;
    if(p < 1 || p > 38)
      p = 38;
    if(s > p)
      s = p;
    set(ti, SQL_DECIMAL, (SQLULEN)p, (SQLSMALLINT)s, p + 2, p + 2,
        "DECIMAL");
  }
  else if(is_name(decl, "WVARCHAR") || is_name(decl, "NVARCHAR")) {
    long n = nargs >= 1 && a > 0 ? a : UNKNOWN_TEXT_SIZE;
    if(n > LONG_TEXT_SIZE)
      n = LONG_TEXT_SIZE;
    set(ti, SQL_WVARCHAR, (SQLULEN)n, 0, n, 2 * n, "WVARCHAR");
  }
  else if(is_name(decl, "WLONGVARCHAR"))
    set(ti, SQL_WLONGVARCHAR, LONG_TEXT_SIZE, 0, LONG_TEXT_SIZE,
        2 * (SQLLEN)LONG_TEXT_SIZE, "WLONGVARCHAR");
  else if(is_name(decl, "VARCHAR")) {
    long n = nargs >= 1 && a > 0 ? a : UNKNOWN_TEXT_SIZE;
    if(n > LONG_TEXT_SIZE / 4)
      n = LONG_TEXT_SIZE / 4;
    set(ti, SQL_VARCHAR, (SQLULEN)n, 0, n, 4 * n, "VARCHAR");
  }
  else if(is_name(decl, "DATE"))
    set(ti, SQL_TYPE_DATE, 10, 0, 10, sizeof(SQL_DATE_STRUCT), "DATE");
  else if(is_name(decl, "TIMESTAMP") || is_name(decl, "DATETIME"))
    set(ti, SQL_TYPE_TIMESTAMP, 19, 0, 19, sizeof(SQL_TIMESTAMP_STRUCT),
        "TIMESTAMP");
  else if(is_name(decl, "TIME"))
    set(ti, SQL_TYPE_TIME, 8, 0, 8, sizeof(SQL_TIME_STRUCT), "TIME");
  else if(is_name(decl, "BIT") || is_name(decl, "BOOLEAN"))
    set(ti, SQL_BIT, 1, 0, 1, 1, "BIT");
  else if(is_name(decl, "VARBINARY")) {
    long n = nargs >= 1 && a > 0 ? a : MAX_INLINE_SIZE;
    if(n > LONG_TEXT_SIZE)
      n = LONG_TEXT_SIZE;
    set(ti, SQL_VARBINARY, (SQLULEN)n, 0, 2 * n, n, "VARBINARY");
  }
  else
    from_storage(sqlite_type, ti);
}

/* ODBC 2 date codes (9/10/11) when odbc2; other types unchanged. */
SQLSMALLINT kd_type_for_version(SQLSMALLINT sql_type, int odbc2)
{
  if(!odbc2)
    return sql_type;
  switch(sql_type) {
  case SQL_TYPE_DATE:
    return SQL_DATE;
  case SQL_TYPE_TIME:
    return SQL_TIME;
  case SQL_TYPE_TIMESTAMP:
    return SQL_TIMESTAMP;
  default:
    return sql_type;
  }
}

/* One SQLGetTypeInfo row; NO in a number field means NULL. */
struct type_row {
  const char *name;          /* TYPE_NAME, LOCAL_TYPE_NAME */
  SQLSMALLINT type;          /* DATA_TYPE (ODBC 3) */
  long size;                 /* COLUMN_SIZE */
  const char *prefix;        /* LITERAL_PREFIX (SQL literal or NULL) */
  const char *suffix;        /* LITERAL_SUFFIX */
  const char *params;        /* CREATE_PARAMS */
  int case_sensitive;        /* CASE_SENSITIVE */
  int searchable;            /* SEARCHABLE */
  int unsigned_attr;         /* UNSIGNED_ATTRIBUTE */
  int auto_unique;           /* AUTO_UNIQUE_VALUE */
  int min_scale;             /* MINIMUM_SCALE */
  int max_scale;             /* MAXIMUM_SCALE */
  int datetime_sub;          /* SQL_DATETIME_SUB */
  int radix;                 /* NUM_PREC_RADIX */
};

#define Q "''''"             /* the SQL literal for a single quote */
#define NO (-32768)          /* NULL in an integer column */

static const struct type_row type_rows[] = {
  {"BIT", SQL_BIT, 1, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 1, NO, NO, NO,
   NO, NO},
  {"BIGINT", SQL_BIGINT, 19, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0, 0,
   0, NO, 10},
  {"VARBINARY", SQL_VARBINARY, MAX_INLINE_SIZE, "'X'''", Q, "'length'", 0,
   SQL_PRED_BASIC, NO, NO, NO, NO, NO, NO},
  {"NUMERIC", SQL_NUMERIC, 38, NULL, NULL, "'precision,scale'", 0,
   SQL_PRED_BASIC, 0, 0, 0, 38, NO, 10},
  {"DECIMAL", SQL_DECIMAL, 38, NULL, NULL, "'precision,scale'", 0,
   SQL_PRED_BASIC, 0, 0, 0, 38, NO, 10},
  {"INTEGER", SQL_INTEGER, 10, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0,
   0, 0, NO, 10},
  {"SMALLINT", SQL_SMALLINT, 5, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0,
   0, 0, NO, 10},
  {"DOUBLE", SQL_DOUBLE, 15, NULL, NULL, NULL, 0, SQL_PRED_BASIC, 0, 0, NO,
   NO, NO, 10},
  {"VARCHAR", SQL_VARCHAR, MAX_INLINE_SIZE, Q, Q, "'length'", 1,
   SQL_SEARCHABLE, NO, NO, NO, NO, NO, NO},
  {"WVARCHAR", SQL_WVARCHAR, MAX_INLINE_SIZE, Q, Q, "'length'", 1,
   SQL_SEARCHABLE, NO, NO, NO, NO, NO, NO},
  {"WLONGVARCHAR", SQL_WLONGVARCHAR, LONG_TEXT_SIZE, Q, Q, NULL, 1,
   SQL_SEARCHABLE, NO, NO, NO, NO, NO, NO},
  {"DATE", SQL_TYPE_DATE, 10, Q, Q, NULL, 0, SQL_PRED_BASIC, NO, NO, NO,
   NO, SQL_CODE_DATE, NO},
  {"TIME", SQL_TYPE_TIME, 8, Q, Q, NULL, 0, SQL_PRED_BASIC, NO, NO, NO, NO,
   SQL_CODE_TIME, NO},
  {"TIMESTAMP", SQL_TYPE_TIMESTAMP, 19, Q, Q, NULL, 0, SQL_PRED_BASIC, NO,
   NO, 0, 0, SQL_CODE_TIMESTAMP, NO}
};

/* Column types of the SQLGetTypeInfo result set (ODBC 3.8 order). */
static const SQLSMALLINT type_cols[19] = {
  SQL_WVARCHAR,   /* TYPE_NAME */
  SQL_SMALLINT,   /* DATA_TYPE */
  SQL_INTEGER,    /* COLUMN_SIZE */
  SQL_WVARCHAR,   /* LITERAL_PREFIX */
  SQL_WVARCHAR,   /* LITERAL_SUFFIX */
  SQL_WVARCHAR,   /* CREATE_PARAMS */
  SQL_SMALLINT,   /* NULLABLE */
  SQL_SMALLINT,   /* CASE_SENSITIVE */
  SQL_SMALLINT,   /* SEARCHABLE */
  SQL_SMALLINT,   /* UNSIGNED_ATTRIBUTE */
  SQL_SMALLINT,   /* FIXED_PREC_SCALE */
  SQL_SMALLINT,   /* AUTO_UNIQUE_VALUE */
  SQL_WVARCHAR,   /* LOCAL_TYPE_NAME */
  SQL_SMALLINT,   /* MINIMUM_SCALE */
  SQL_SMALLINT,   /* MAXIMUM_SCALE */
  SQL_SMALLINT,   /* SQL_DATA_TYPE */
  SQL_SMALLINT,   /* SQL_DATETIME_SUB */
  SQL_INTEGER,    /* NUM_PREC_RADIX */
  SQL_SMALLINT    /* INTERVAL_PRECISION */
};

/* Appends an integer column, or NULL for NO. */
static void add_int(sqlite3_str *s, long v)
{
  if(v == NO)
    sqlite3_str_appendall(s, ", NULL");
  else
    sqlite3_str_appendf(s, ", %ld", v);
}

/* Appends a literal SQL text column, or NULL. */
static void add_sql(sqlite3_str *s, const char *lit)
{
  sqlite3_str_appendf(s, ", %s", lit ? lit : "NULL");
}

/* See typeinfo.h. */
char *kd_typeinfo_sql(SQLSMALLINT sql_type, int odbc2,
                      const SQLSMALLINT **types)
{
  sqlite3_str *s = sqlite3_str_new(NULL);
  size_t i;

  if(types)
    *types = type_cols;
  /* accept either spelling of the date codes from any application */
  if(sql_type == SQL_DATE || sql_type == SQL_TYPE_DATE)
    sql_type = odbc2 ? SQL_DATE : SQL_TYPE_DATE;
  else if(sql_type == SQL_TIME || sql_type == SQL_TYPE_TIME)
    sql_type = odbc2 ? SQL_TIME : SQL_TYPE_TIME;
  else if(sql_type == SQL_TIMESTAMP || sql_type == SQL_TYPE_TIMESTAMP)
    sql_type = odbc2 ? SQL_TIMESTAMP : SQL_TYPE_TIMESTAMP;

  sqlite3_str_appendall(s,
    "WITH t(TYPE_NAME, DATA_TYPE, COLUMN_SIZE, LITERAL_PREFIX, "
    "LITERAL_SUFFIX, CREATE_PARAMS, NULLABLE, CASE_SENSITIVE, SEARCHABLE, "
    "UNSIGNED_ATTRIBUTE, FIXED_PREC_SCALE, AUTO_UNIQUE_VALUE, "
    "LOCAL_TYPE_NAME, MINIMUM_SCALE, MAXIMUM_SCALE, SQL_DATA_TYPE, "
    "SQL_DATETIME_SUB, NUM_PREC_RADIX, INTERVAL_PRECISION) AS (VALUES ");
  for(i = 0; i < sizeof(type_rows) / sizeof(type_rows[0]); i++) {
    const struct type_row *r = &type_rows[i];
    int dt = r->datetime_sub > 0;
    sqlite3_str_appendf(s, "%s('%s', %d", i ? ", " : "", r->name,
                        (int)kd_type_for_version(r->type, odbc2));
    add_int(s, r->size);
    add_sql(s, r->prefix);
    add_sql(s, r->suffix);
    add_sql(s, r->params);
    add_int(s, SQL_NULLABLE);
    add_int(s, r->case_sensitive);
    add_int(s, r->searchable);
    add_int(s, r->unsigned_attr);
    add_int(s, 0);                             /* FIXED_PREC_SCALE */
    add_int(s, r->auto_unique);
    sqlite3_str_appendf(s, ", '%s'", r->name); /* LOCAL_TYPE_NAME */
    add_int(s, r->min_scale);
    add_int(s, r->max_scale);
    add_int(s, dt ? SQL_DATETIME : r->type);   /* SQL_DATA_TYPE */
    add_int(s, dt ? r->datetime_sub : NO);
    add_int(s, r->radix);
    sqlite3_str_appendall(s, ", NULL)");       /* INTERVAL_PRECISION */
  }
  sqlite3_str_appendall(s, ") SELECT * FROM t");
  if(sql_type != SQL_ALL_TYPES)
    sqlite3_str_appendf(s, " WHERE DATA_TYPE = %d", (int)sql_type);
  sqlite3_str_appendall(s, " ORDER BY DATA_TYPE, TYPE_NAME");
  return sqlite3_str_finish(s);
}
