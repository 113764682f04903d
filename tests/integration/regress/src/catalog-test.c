/*
 * catalog-test.c - SQLTables patterns and enumerations, SQLColumns (18
 * columns, required ones never NULL), SQLPrimaryKeys, SQLStatistics,
 * SQLSpecialColumns, SQLForeignKeys (subtable child tables),
 * SQLProcedures(Columns),
 * SQLTable/ColumnPrivileges, SQLGetTypeInfo in ODBC 3 and ODBC 2.
 */
#include "common.h"

/* A catalog argument: NULL, or a string passed with SQL_NTS. */
#define A(x) (x)

static SQLWCHAR *w1, *w2, *w3, *w4;

static void wfree(void)
{
  free(w1);
  free(w2);
  free(w3);
  free(w4);
  w1 = w2 = w3 = w4 = NULL;
}

static void show(SQLHSTMT h, const char *what, SQLRETURN rc)
{
  printf("-- %s\n", what);
  if(!SQL_SUCCEEDED(rc)) {
    kr_report(what, rc, SQL_HANDLE_STMT, h);
    SQLFreeStmt(h, SQL_CLOSE);
    return;
  }
  kr_print_rows(h, -1);
}

static void tables(SQLHSTMT h, const char *c, const char *s, const char *t,
                   const char *ty)
{
  char what[256];
  SQLRETURN rc;

  snprintf(what, sizeof(what), "SQLTables(%s, %s, %s, %s)",
           c ? c : "NULL", s ? s : "NULL", t ? t : "NULL",
           ty ? ty : "NULL");
  if(kr_wide) {
    w1 = kr_w(c), w2 = kr_w(s), w3 = kr_w(t), w4 = kr_w(ty);
    rc = SQLTablesW(h, w1, SQL_NTS, w2, SQL_NTS, w3, SQL_NTS, w4, SQL_NTS);
    wfree();
  }
  else
    rc = SQLTables(h, (SQLCHAR *)c, SQL_NTS, (SQLCHAR *)s, SQL_NTS,
                   (SQLCHAR *)t, SQL_NTS, (SQLCHAR *)ty, SQL_NTS);
  show(h, what, rc);
}

static void columns(SQLHSTMT h, const char *t, const char *col)
{
  char what[256];
  SQLRETURN rc;

  snprintf(what, sizeof(what), "SQLColumns(NULL, NULL, %s, %s)",
           t ? t : "NULL", col ? col : "NULL");
  if(kr_wide) {
    w3 = kr_w(t), w4 = kr_w(col);
    rc = SQLColumnsW(h, NULL, 0, NULL, 0, w3, SQL_NTS, w4, SQL_NTS);
    wfree();
  }
  else
    rc = SQLColumns(h, NULL, 0, NULL, 0, (SQLCHAR *)t, SQL_NTS,
                    (SQLCHAR *)col, SQL_NTS);
  show(h, what, rc);
}

/* SQLColumns with a schema (the system tables are schema "sys"). */
static void columns_in(SQLHSTMT h, const char *sc, const char *t,
                       const char *col)
{
  char what[256];
  SQLRETURN rc;

  snprintf(what, sizeof(what), "SQLColumns(NULL, %s, %s, %s)",
           sc ? sc : "NULL", t ? t : "NULL", col ? col : "NULL");
  if(kr_wide) {
    w2 = kr_w(sc), w3 = kr_w(t), w4 = kr_w(col);
    rc = SQLColumnsW(h, NULL, 0, w2, SQL_NTS, w3, SQL_NTS, w4, SQL_NTS);
    wfree();
  }
  else
    rc = SQLColumns(h, NULL, 0, (SQLCHAR *)sc, SQL_NTS, (SQLCHAR *)t,
                    SQL_NTS, (SQLCHAR *)col, SQL_NTS);
  show(h, what, rc);
}

/* Checks that the required SQLColumns columns are never NULL. */
static void columns_required(SQLHSTMT h, const char *t)
{
  static const int req[] = {3, 4, 5, 6, 7, 8, 11, 14, 17};
  long rows = 0, nulls = 0;
  SQLSMALLINT n = 0;
  SQLRETURN rc;
  size_t i;

  if(kr_wide) {
    w3 = kr_w(t);
    rc = SQLColumnsW(h, NULL, 0, NULL, 0, w3, SQL_NTS, NULL, 0);
    wfree();
  }
  else
    rc = SQLColumns(h, NULL, 0, NULL, 0, (SQLCHAR *)t, SQL_NTS, NULL, 0);
  KR_MUST_STMT(rc, "SQLColumns", h);
  SQLNumResultCols(h, &n);
  while(SQL_SUCCEEDED(SQLFetch(h))) {
    rows++;
    for(i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
      char v[512];
      SQLLEN ind;
      SQLGetData(h, (SQLUSMALLINT)req[i], SQL_C_CHAR, v, sizeof(v), &ind);
      if(ind == SQL_NULL_DATA) {
        printf("  NULL in column %d of row %ld\n", req[i], rows);
        nulls++;
      }
    }
  }
  SQLFreeStmt(h, SQL_CLOSE);
  printf("SQLColumns(%s): %d result columns, %ld rows, %ld NULLs in "
         "required columns\n", t, (int)n, rows, nulls);
}

static void primary_keys(SQLHSTMT h, const char *t)
{
  char what[256];
  SQLRETURN rc;

  snprintf(what, sizeof(what), "SQLPrimaryKeys(NULL, NULL, %s)", t);
  if(kr_wide) {
    w3 = kr_w(t);
    rc = SQLPrimaryKeysW(h, NULL, 0, NULL, 0, w3, SQL_NTS);
    wfree();
  }
  else
    rc = SQLPrimaryKeys(h, NULL, 0, NULL, 0, (SQLCHAR *)t, SQL_NTS);
  show(h, what, rc);
}

static void statistics(SQLHSTMT h, const char *t, SQLUSMALLINT unique)
{
  char what[256];
  SQLRETURN rc;

  snprintf(what, sizeof(what), "SQLStatistics(NULL, NULL, %s, %s)", t,
           unique == SQL_INDEX_UNIQUE ? "UNIQUE" : "ALL");
  if(kr_wide) {
    w3 = kr_w(t);
    rc = SQLStatisticsW(h, NULL, 0, NULL, 0, w3, SQL_NTS, unique,
                        SQL_QUICK);
    wfree();
  }
  else
    rc = SQLStatistics(h, NULL, 0, NULL, 0, (SQLCHAR *)t, SQL_NTS, unique,
                       SQL_QUICK);
  show(h, what, rc);
}

static void special_columns(SQLHSTMT h, SQLUSMALLINT id, const char *t)
{
  char what[256];
  SQLRETURN rc;

  snprintf(what, sizeof(what), "SQLSpecialColumns(%s, %s)",
           id == SQL_BEST_ROWID ? "BEST_ROWID" : "ROWVER", t);
  if(kr_wide) {
    w3 = kr_w(t);
    rc = SQLSpecialColumnsW(h, id, NULL, 0, NULL, 0, w3, SQL_NTS,
                            SQL_SCOPE_SESSION, SQL_NULLABLE);
    wfree();
  }
  else
    rc = SQLSpecialColumns(h, id, NULL, 0, NULL, 0, (SQLCHAR *)t, SQL_NTS,
                           SQL_SCOPE_SESSION, SQL_NULLABLE);
  show(h, what, rc);
}

static void foreign_keys(SQLHSTMT h, const char *pk, const char *fk)
{
  char what[256];
  SQLRETURN rc;

  snprintf(what, sizeof(what), "SQLForeignKeys(%s, %s)", pk ? pk : "NULL",
           fk ? fk : "NULL");
  if(kr_wide) {
    w3 = kr_w(pk), w4 = kr_w(fk);
    rc = SQLForeignKeysW(h, NULL, 0, NULL, 0, w3, SQL_NTS, NULL, 0, NULL, 0,
                         w4, SQL_NTS);
    wfree();
  }
  else
    rc = SQLForeignKeys(h, NULL, 0, NULL, 0, (SQLCHAR *)pk, SQL_NTS, NULL,
                        0, NULL, 0, (SQLCHAR *)fk, SQL_NTS);
  show(h, what, rc);
}

static void procedures(SQLHSTMT h)
{
  SQLRETURN rc;

  if(kr_wide)
    rc = SQLProceduresW(h, NULL, 0, NULL, 0, NULL, 0);
  else
    rc = SQLProcedures(h, NULL, 0, NULL, 0, NULL, 0);
  show(h, "SQLProcedures", rc);
  if(kr_wide)
    rc = SQLProcedureColumnsW(h, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
  else
    rc = SQLProcedureColumns(h, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
  show(h, "SQLProcedureColumns", rc);
  if(kr_wide) {
    w3 = kr_w("%");
    rc = SQLTablePrivilegesW(h, NULL, 0, NULL, 0, w3, SQL_NTS);
    wfree();
  }
  else
    rc = SQLTablePrivileges(h, NULL, 0, NULL, 0, (SQLCHAR *)"%", SQL_NTS);
  show(h, "SQLTablePrivileges", rc);
  if(kr_wide) {
    w3 = kr_w("顧客マスタ");
    rc = SQLColumnPrivilegesW(h, NULL, 0, NULL, 0, w3, SQL_NTS, NULL, 0);
    wfree();
  }
  else
    rc = SQLColumnPrivileges(h, NULL, 0, NULL, 0, (SQLCHAR *)"顧客マスタ",
                             SQL_NTS, NULL, 0);
  show(h, "SQLColumnPrivileges", rc);
}

static void type_info(SQLHSTMT h, SQLSMALLINT t)
{
  char what[64];
  SQLRETURN rc;

  snprintf(what, sizeof(what), "SQLGetTypeInfo(%d)", (int)t);
  rc = kr_wide ? SQLGetTypeInfoW(h, t) : SQLGetTypeInfo(h, t);
  show(h, what, rc);
}

int main(int argc, char **argv)
{
  SQLHSTMT h;

  kr_init(argc, argv);
  kr_connect(SQL_OV_ODBC3);
  h = kr_stmt();

  tables(h, NULL, NULL, NULL, NULL);
  tables(h, NULL, NULL, "顧客%", NULL);
  tables(h, NULL, NULL, "_売管理", NULL);
  tables(h, NULL, NULL, "%", "'TABLE','VIEW'");
  tables(h, NULL, NULL, "%", "VIEW");
  tables(h, NULL, NULL, "nosuch%", NULL);
  tables(h, SQL_ALL_CATALOGS, "", "", NULL);
  tables(h, "", SQL_ALL_SCHEMAS, "", NULL);
  tables(h, "", "", "", SQL_ALL_TABLE_TYPES);
  /* the system tables: listed when asked for by schema or by type */
  tables(h, NULL, "sys", NULL, NULL);
  tables(h, NULL, "s_s", "P%", NULL);
  tables(h, NULL, NULL, "%", "'SYSTEM TABLE'");
  tables(h, NULL, "%", "%s", "TABLE, SYSTEM TABLE");
  tables(h, NULL, "sys", NULL, "TABLE");
  tables(h, NULL, "other", NULL, NULL);
  columns_in(h, "sys", "Apps", NULL);
  columns_in(h, "sys", "%", "app_id");
  columns_in(h, "other", "%", NULL);

  columns(h, "顧客マスタ", NULL);
  columns(h, "販売管理", "%_id");
  columns(h, "nosuch", NULL);
  columns_required(h, "顧客マスタ");
  columns_required(h, "販売管理");

  primary_keys(h, "顧客マスタ");
  statistics(h, "顧客マスタ", SQL_INDEX_ALL);
  statistics(h, "販売管理", SQL_INDEX_UNIQUE);
  special_columns(h, SQL_BEST_ROWID, "顧客マスタ");
  special_columns(h, SQL_ROWVER, "顧客マスタ");
  foreign_keys(h, "販売管理", NULL);
  foreign_keys(h, NULL, "販売管理");

  /* a subtable's child table: "$parent_id" refers to the app's "$id" */
  columns(h, "販売管理_lines", NULL);
  columns_required(h, "販売管理_lines");
  primary_keys(h, "販売管理_lines");
  statistics(h, "販売管理_lines", SQL_INDEX_ALL);
  special_columns(h, SQL_BEST_ROWID, "販売管理_lines");
  special_columns(h, SQL_ROWVER, "販売管理_lines");
  foreign_keys(h, NULL, "販売管理_lines");
  foreign_keys(h, "顧客マスタ", NULL);
  procedures(h);

  type_info(h, SQL_ALL_TYPES);
  type_info(h, SQL_TYPE_DATE);
  type_info(h, SQL_WVARCHAR);
  SQLFreeHandle(SQL_HANDLE_STMT, h);
  kr_disconnect();

  /* ODBC 2: date types are 9/10/11 */
  kr_connect(SQL_OV_ODBC2);
  h = kr_stmt();
  type_info(h, SQL_ALL_TYPES);
  type_info(h, SQL_DATE);
  columns(h, "顧客マスタ", "%日時");
  SQLFreeHandle(SQL_HANDLE_STMT, h);
  kr_disconnect();
  return 0;
}
