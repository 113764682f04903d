/*
 * connect-test.c - connecting, SQLGetInfo, SQLGetFunctions, connection
 * and environment attributes, failed connections.
 */
#include "common.h"

/* Prints a string info value read with SQLGetInfo(W). */
static void info_str(SQLUSMALLINT type, const char *name)
{
  SQLSMALLINT len = 0;
  SQLRETURN rc;
  char v[512];

  if(kr_wide) {
    SQLWCHAR w[256];
    rc = SQLGetInfoW(kr_dbc, type, w, sizeof(w), &len);
    if(SQL_SUCCEEDED(rc))
      kr_u8(w, len / (SQLSMALLINT)sizeof(SQLWCHAR), v, sizeof(v));
  }
  else
    rc = SQLGetInfo(kr_dbc, type, v, sizeof(v), &len);
  if(!SQL_SUCCEEDED(rc)) {
    kr_report(name, rc, SQL_HANDLE_DBC, kr_dbc);
    return;
  }
  printf("%s = '%s' (%d chars)\n", name, v, (int)strlen(v));
}

static void info_num(SQLUSMALLINT type, const char *name, int is_short)
{
  SQLUINTEGER u = 0;
  SQLUSMALLINT s = 0;
  SQLRETURN rc;

  if(is_short)
    rc = SQLGetInfo(kr_dbc, type, &s, sizeof(s), NULL);
  else
    rc = SQLGetInfo(kr_dbc, type, &u, sizeof(u), NULL);
  if(!SQL_SUCCEEDED(rc)) {
    kr_report(name, rc, SQL_HANDLE_DBC, kr_dbc);
    return;
  }
  printf("%s = 0x%lx\n", name, is_short ? (unsigned long)s
                                        : (unsigned long)u);
}

int main(int argc, char **argv)
{
  SQLUSMALLINT funcs[SQL_API_ODBC3_ALL_FUNCTIONS_SIZE];
  static const struct { SQLUSMALLINT id; const char *name; } fl[] = {
    {SQL_API_SQLFETCHSCROLL, "SQLFetchScroll"},
    {SQL_API_SQLGETDATA, "SQLGetData"},
    {SQL_API_SQLROWCOUNT, "SQLRowCount"},
    {SQL_API_SQLTABLES, "SQLTables"},
    {SQL_API_SQLCOLUMNS, "SQLColumns"},
    {SQL_API_SQLPRIMARYKEYS, "SQLPrimaryKeys"},
    {SQL_API_SQLSTATISTICS, "SQLStatistics"},
    {SQL_API_SQLSPECIALCOLUMNS, "SQLSpecialColumns"},
    {SQL_API_SQLFOREIGNKEYS, "SQLForeignKeys"},
    {SQL_API_SQLPROCEDURES, "SQLProcedures"},
    {SQL_API_SQLGETDESCFIELD, "SQLGetDescField"},
    {SQL_API_SQLPARAMDATA, "SQLParamData"},
    {SQL_API_SQLDESCRIBEPARAM, "SQLDescribeParam"},
    {SQL_API_SQLNATIVESQL, "SQLNativeSql"},
    {SQL_API_SQLSETPOS, "SQLSetPos"},
    {SQL_API_SQLBROWSECONNECT, "SQLBrowseConnect"}
  };
  SQLUINTEGER ac = 0;
  SQLINTEGER ver = 0;
  SQLRETURN rc;
  size_t i;

  kr_init(argc, argv);
  kr_connect(SQL_OV_ODBC3);
  rc = SQLGetEnvAttr(kr_env, SQL_ATTR_ODBC_VERSION, &ver, 0, NULL);
  printf("SQLGetEnvAttr(ODBC_VERSION): %s %d\n", kr_rcname(rc), (int)ver);

  info_str(SQL_DBMS_NAME, "SQL_DBMS_NAME");
  info_str(SQL_DRIVER_ODBC_VER, "SQL_DRIVER_ODBC_VER");
  info_str(SQL_DATA_SOURCE_NAME, "SQL_DATA_SOURCE_NAME");
  info_str(SQL_IDENTIFIER_QUOTE_CHAR, "SQL_IDENTIFIER_QUOTE_CHAR");
  info_str(SQL_SEARCH_PATTERN_ESCAPE, "SQL_SEARCH_PATTERN_ESCAPE");
  info_str(SQL_CATALOG_NAME, "SQL_CATALOG_NAME");
  info_str(SQL_DATA_SOURCE_READ_ONLY, "SQL_DATA_SOURCE_READ_ONLY");
  info_str(SQL_DESCRIBE_PARAMETER, "SQL_DESCRIBE_PARAMETER");
  info_str(SQL_NEED_LONG_DATA_LEN, "SQL_NEED_LONG_DATA_LEN");
  info_num(SQL_GETDATA_EXTENSIONS, "SQL_GETDATA_EXTENSIONS", 0);
  info_num(SQL_SCROLL_OPTIONS, "SQL_SCROLL_OPTIONS", 0);
  info_num(SQL_STATIC_CURSOR_ATTRIBUTES1, "SQL_STATIC_CURSOR_ATTRIBUTES1",
           0);
  info_num(SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1,
           "SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1", 0);
  info_num(SQL_TXN_CAPABLE, "SQL_TXN_CAPABLE", 1);
  info_num(SQL_CURSOR_COMMIT_BEHAVIOR, "SQL_CURSOR_COMMIT_BEHAVIOR", 1);

  /* a small buffer: truncated, NUL-terminated, full length reported */
  {
    char small[16];
    SQLSMALLINT len = 0;
    if(kr_wide) {
      SQLWCHAR w[4];
      rc = SQLGetInfoW(kr_dbc, SQL_DBMS_NAME, w, sizeof(w), &len);
      kr_u8(w, -1, small, sizeof(small));
      len = (SQLSMALLINT)(len / sizeof(SQLWCHAR));
    }
    else
      rc = SQLGetInfo(kr_dbc, SQL_DBMS_NAME, small, 4, &len);
    printf("SQL_DBMS_NAME into 4 characters: %s '%s' len=%d\n",
           kr_rcname(rc), small, (int)len);
    kr_diag(SQL_HANDLE_DBC, kr_dbc);
  }
  rc = SQLGetInfo(kr_dbc, 65000, NULL, 0, NULL);
  kr_report("SQLGetInfo(65000)", rc, SQL_HANDLE_DBC, kr_dbc);

  rc = SQLGetFunctions(kr_dbc, SQL_API_ODBC3_ALL_FUNCTIONS, funcs);
  printf("SQLGetFunctions: %s\n", kr_rcname(rc));
  for(i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
    printf("  %s: %s\n", fl[i].name,
           SQL_FUNC_EXISTS(funcs, fl[i].id) ? "yes" : "no");

  rc = SQLSetConnectAttr(kr_dbc, SQL_ATTR_AUTOCOMMIT,
                         (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0);
  kr_report("SQLSetConnectAttr(AUTOCOMMIT OFF)", rc, SQL_HANDLE_DBC, kr_dbc);
  rc = SQLGetConnectAttr(kr_dbc, SQL_ATTR_AUTOCOMMIT, &ac, 0, NULL);
  printf("autocommit: %s %u\n", kr_rcname(rc), (unsigned)ac);
  rc = SQLEndTran(SQL_HANDLE_DBC, kr_dbc, SQL_COMMIT);
  kr_report("SQLEndTran(COMMIT)", rc, SQL_HANDLE_DBC, kr_dbc);
  rc = SQLEndTran(SQL_HANDLE_DBC, kr_dbc, SQL_ROLLBACK);
  kr_report("SQLEndTran(ROLLBACK)", rc, SQL_HANDLE_DBC, kr_dbc);
  {
    SQLHSTMT h = kr_stmt();
    kr_exec_print(h, "SELECT 1 AS one, 'あ' AS kana");
    SQLFreeHandle(SQL_HANDLE_STMT, h);
  }
  kr_disconnect();

  /* a wrong password: 28000 */
  rc = kr_connect_to(kr_dsn(), "demo", "wrong", SQL_OV_ODBC3, 1);
  kr_report("SQLConnect(wrong password)", rc, SQL_HANDLE_DBC, kr_dbc);
  SQLFreeHandle(SQL_HANDLE_DBC, kr_dbc);
  SQLFreeHandle(SQL_HANDLE_ENV, kr_env);

  /* the same DSN in ODBC 2 mode */
  kr_connect(SQL_OV_ODBC2);
  rc = SQLGetEnvAttr(kr_env, SQL_ATTR_ODBC_VERSION, &ver, 0, NULL);
  printf("SQLGetEnvAttr(ODBC_VERSION): %s %d\n", kr_rcname(rc), (int)ver);
  kr_disconnect();
  return 0;
}
