/*
 * conn_probe - connects through the unixODBC driver manager and prints
 * what an application sees: the return code, every diagnostic record,
 * and the rows of optional queries.  Used by tests/suites/65-*.sh.
 *
 *   conn_probe [-w] CONNSTR [SQL...]        SQLDriverConnect(W)
 *   conn_probe -c DSN UID PWD [SQL...]      SQLConnect
 *
 * Output lines:
 *   connect: SQL_SUCCESS | SQL_SUCCESS_WITH_INFO | SQL_ERROR (...)
 *   diag: STATE|native|message
 *   row: v1|v2|...
 *   exec: SQL_ERROR        (then diag: lines)
 * Exit status: 0 when connected, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sql.h>
#include <sqlext.h>

static const char *rc_name(SQLRETURN rc)
{
  switch(rc) {
  case SQL_SUCCESS:
    return "SQL_SUCCESS";
  case SQL_SUCCESS_WITH_INFO:
    return "SQL_SUCCESS_WITH_INFO";
  case SQL_ERROR:
    return "SQL_ERROR";
  case SQL_INVALID_HANDLE:
    return "SQL_INVALID_HANDLE";
  case SQL_NO_DATA:
    return "SQL_NO_DATA";
  default:
    return "other";
  }
}

static void diags(SQLSMALLINT type, SQLHANDLE h)
{
  SQLSMALLINT i;

  for(i = 1; i < 20; i++) {
    SQLCHAR state[6] = "", msg[4096] = "";
    SQLINTEGER native = 0;
    SQLSMALLINT len = 0;
    if(!SQL_SUCCEEDED(SQLGetDiagRec(type, h, i, state, &native, msg,
                                    sizeof(msg), &len)))
      break;
    printf("diag: %s|%ld|%s\n", state, (long)native, msg);
  }
}

/* UTF-8 (ASCII in practice) -> SQLWCHAR, NUL-terminated; caller frees. */
static SQLWCHAR *widen(const char *s)
{
  size_t n = strlen(s), i;
  SQLWCHAR *w = calloc(n + 1, sizeof(SQLWCHAR));

  if(!w)
    exit(2);
  for(i = 0; i < n; i++)
    w[i] = (SQLWCHAR)(unsigned char)s[i];
  return w;
}

static void run_sql(SQLHDBC dbc, const char *sql)
{
  SQLHSTMT st;
  SQLSMALLINT ncol, c;
  SQLRETURN rc;

  SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
  rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
  if(!SQL_SUCCEEDED(rc)) {
    printf("exec: %s\n", rc_name(rc));
    diags(SQL_HANDLE_STMT, st);
    SQLFreeHandle(SQL_HANDLE_STMT, st);
    return;
  }
  SQLNumResultCols(st, &ncol);
  while(SQL_SUCCEEDED(rc = SQLFetch(st))) {
    printf("row: ");
    for(c = 1; c <= ncol; c++) {
      char buf[1024];
      SQLLEN ind = 0;
      rc = SQLGetData(st, (SQLUSMALLINT)c, SQL_C_CHAR, buf, sizeof(buf),
                      &ind);
      printf("%s%s", c > 1 ? "|" : "",
             ind == SQL_NULL_DATA ? "NULL" : buf);
    }
    printf("\n");
  }
  if(rc != SQL_NO_DATA) {
    printf("fetch: %s\n", rc_name(rc));
    diags(SQL_HANDLE_STMT, st);
  }
  SQLFreeHandle(SQL_HANDLE_STMT, st);
}

int main(int argc, char **argv)
{
  SQLHENV env;
  SQLHDBC dbc;
  SQLRETURN rc;
  int i = 1, wide = 0;

  if(argc > 1 && !strcmp(argv[1], "-w")) {
    wide = 1;
    i++;
  }
  if(i >= argc) {
    fprintf(stderr, "usage: conn_probe [-w] CONNSTR [SQL...]\n"
                    "       conn_probe -c DSN UID PWD [SQL...]\n");
    return 2;
  }
  SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
  SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
  SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
  if(!strcmp(argv[i], "-c")) {
    if(i + 3 >= argc)
      return 2;
    rc = SQLConnect(dbc, (SQLCHAR *)argv[i + 1], SQL_NTS,
                    (SQLCHAR *)argv[i + 2], SQL_NTS,
                    (SQLCHAR *)argv[i + 3], SQL_NTS);
    i += 4;
  }
  else if(wide) {
    SQLWCHAR *w = widen(argv[i]);
    SQLWCHAR out[32000];
    SQLSMALLINT outlen = 0;
    rc = SQLDriverConnectW(dbc, NULL, w, SQL_NTS, out, 32000, &outlen,
                           SQL_DRIVER_NOPROMPT);
    free(w);
    i++;
  }
  else {
    SQLCHAR out[32000];
    SQLSMALLINT outlen = 0;
    rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *)argv[i], SQL_NTS, out,
                          sizeof(out), &outlen, SQL_DRIVER_NOPROMPT);
    i++;
  }
  printf("connect: %s\n", rc_name(rc));
  diags(SQL_HANDLE_DBC, dbc);
  if(SQL_SUCCEEDED(rc)) {
    for(; i < argc; i++)
      run_sql(dbc, argv[i]);
    SQLDisconnect(dbc);
  }
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  return SQL_SUCCEEDED(rc) ? 0 : 1;
}
