/*
 * errors-test.c - the SQLSTATEs of common mistakes: syntax errors,
 * unknown tables and columns, several statements at once, bad column
 * numbers, fetching without a cursor, function sequence, attributes,
 * cursor state, invalid handles.
 */
#include "common.h"

static void sql(SQLHSTMT h, const char *q)
{
  SQLRETURN rc = kr_execdirect(h, q);

  printf("-- %s\n", q);
  kr_report("SQLExecDirect", rc, SQL_HANDLE_STMT, h);
  SQLFreeStmt(h, SQL_CLOSE);
}

int main(int argc, char **argv)
{
  SQLHSTMT h;
  SQLRETURN rc;
  SQLLEN ind;
  char buf[32];

  kr_init(argc, argv);
  kr_connect(SQL_OV_ODBC3);
  h = kr_stmt();

  sql(h, "SELEC 1");
  sql(h, "SELECT * FROM 存在しない表");
  sql(h, "SELECT no_such_column FROM 顧客マスタ");
  sql(h, "SELECT 1; SELECT 2");
  sql(h, "SELECT 1 FROM 顧客マスタ WHERE");
  sql(h, "SELECT no_such_function(1)");
  sql(h, "");

  printf("-- SQLFetch without a result set\n");
  rc = SQLFetch(h);
  kr_report("SQLFetch", rc, SQL_HANDLE_STMT, h);

  printf("-- SQLExecute without SQLPrepare\n");
  rc = SQLExecute(h);
  kr_report("SQLExecute", rc, SQL_HANDLE_STMT, h);

  printf("-- bad column numbers\n");
  rc = kr_execdirect(h, "SELECT 1, 2");
  KR_MUST_STMT(rc, "SQLExecDirect", h);
  rc = SQLDescribeCol(h, 3, NULL, 0, NULL, NULL, NULL, NULL, NULL);
  kr_report("SQLDescribeCol(3)", rc, SQL_HANDLE_STMT, h);
  rc = SQLGetData(h, 1, SQL_C_CHAR, buf, sizeof(buf), &ind);
  kr_report("SQLGetData before SQLFetch", rc, SQL_HANDLE_STMT, h);
  rc = SQLFetch(h);
  kr_report("SQLFetch", rc, SQL_HANDLE_STMT, h);
  rc = SQLGetData(h, 3, SQL_C_CHAR, buf, sizeof(buf), &ind);
  kr_report("SQLGetData(3)", rc, SQL_HANDLE_STMT, h);
  rc = SQLGetData(h, 0, SQL_C_CHAR, buf, sizeof(buf), &ind);
  kr_report("SQLGetData(0)", rc, SQL_HANDLE_STMT, h);
  rc = SQLColAttribute(h, 1, 9999, NULL, 0, NULL, NULL);
  kr_report("SQLColAttribute(field 9999)", rc, SQL_HANDLE_STMT, h);
  rc = SQLGetData(h, 1, SQL_C_TYPE_DATE, buf, sizeof(buf), &ind);
  kr_report("SQLGetData(1 as DATE)", rc, SQL_HANDLE_STMT, h);

  printf("-- cursor state\n");
  rc = kr_execdirect(h, "SELECT 1");
  kr_report("SQLExecDirect with an open cursor", rc, SQL_HANDLE_STMT, h);
  rc = SQLCloseCursor(h);
  kr_report("SQLCloseCursor", rc, SQL_HANDLE_STMT, h);
  rc = SQLCloseCursor(h);
  kr_report("SQLCloseCursor again", rc, SQL_HANDLE_STMT, h);

  printf("-- attributes\n");
  rc = SQLSetStmtAttr(h, 99999, (SQLPOINTER)1, 0);
  kr_report("SQLSetStmtAttr(99999)", rc, SQL_HANDLE_STMT, h);
  rc = SQLSetStmtAttr(h, SQL_ATTR_CONCURRENCY, (SQLPOINTER)SQL_CONCUR_LOCK,
                      0);
  kr_report("SQLSetStmtAttr(CONCURRENCY=LOCK)", rc, SQL_HANDLE_STMT, h);
  rc = SQLSetStmtAttr(h, SQL_ATTR_USE_BOOKMARKS, (SQLPOINTER)SQL_UB_VARIABLE,
                      0);
  kr_report("SQLSetStmtAttr(USE_BOOKMARKS)", rc, SQL_HANDLE_STMT, h);
  rc = SQLSetStmtAttr(h, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)0, 0);
  kr_report("SQLSetStmtAttr(ROW_ARRAY_SIZE=0)", rc, SQL_HANDLE_STMT, h);

  printf("-- invalid handles\n");
  rc = SQLFetch(SQL_NULL_HSTMT);
  printf("SQLFetch(NULL): %s\n", kr_rcname(rc));

  SQLFreeHandle(SQL_HANDLE_STMT, h);
  kr_disconnect();
  return 0;
}
