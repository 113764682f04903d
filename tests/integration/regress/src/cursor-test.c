/*
 * cursor-test.c - static scrollable cursors: SQL_ATTR_CURSOR_TYPE (KEYSET
 * and DYNAMIC become STATIC with 01S02), SQL_ATTR_CURSOR_SCROLLABLE,
 * SQLFetchScroll FIRST/LAST/PRIOR/ABSOLUTE/RELATIVE/NEXT with rowsets of
 * 1 and 3 rows, SQL_ATTR_ROW_NUMBER, SQLGetData on a scrolled row, and
 * forward-only cursors refusing to scroll.
 */
#include "common.h"

static SQLINTEGER id[3];
static SQLLEN ind[3];
static SQLULEN fetched;
static SQLUSMALLINT status[3];

static const char *oname(SQLSMALLINT o)
{
  switch(o) {
  case SQL_FETCH_NEXT: return "NEXT";
  case SQL_FETCH_PRIOR: return "PRIOR";
  case SQL_FETCH_FIRST: return "FIRST";
  case SQL_FETCH_LAST: return "LAST";
  case SQL_FETCH_ABSOLUTE: return "ABSOLUTE";
  case SQL_FETCH_RELATIVE: return "RELATIVE";
  default: return "?";
  }
}

static void scroll(SQLHSTMT h, SQLSMALLINT o, SQLLEN off, int n)
{
  SQLULEN rownum = 0;
  SQLRETURN rc = SQLFetchScroll(h, o, off);
  int i;

  printf("%s %ld: %s fetched=%lu ids=", oname(o), (long)off,
         kr_rcname(rc), SQL_SUCCEEDED(rc) ? (unsigned long)fetched : 0UL);
  for(i = 0; SQL_SUCCEEDED(rc) && i < n; i++)
    printf("%s%d", i ? "," : "",
           status[i] == SQL_ROW_NOROW ? -1 : (int)id[i]);
  printf("\n");
  if(rc != SQL_SUCCESS && rc != SQL_NO_DATA)
    kr_diag(SQL_HANDLE_STMT, h);
  /* after the diagnostics: every call clears them */
  SQLGetStmtAttr(h, SQL_ATTR_ROW_NUMBER, &rownum, 0, NULL);
  printf("  row_number=%lu\n", (unsigned long)rownum);
}

static void open_cursor(SQLHSTMT h, int n)
{
  SQLRETURN rc;

  SQLSetStmtAttr(h, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)(SQLLEN)n, 0);
  SQLSetStmtAttr(h, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
  SQLSetStmtAttr(h, SQL_ATTR_ROW_STATUS_PTR, status, 0);
  rc = kr_execdirect(h, "SELECT \"$id\", company FROM 顧客マスタ WHERE "
                        "\"$id\" <= 10 ORDER BY \"$id\"");
  KR_MUST_STMT(rc, "SQLExecDirect", h);
  SQLBindCol(h, 1, SQL_C_SLONG, id, 0, ind);
}

int main(int argc, char **argv)
{
  SQLHSTMT h;
  SQLULEN v = 0;
  SQLRETURN rc;

  kr_init(argc, argv);
  kr_connect(SQL_OV_ODBC3);
  h = kr_stmt();

  printf("-- attributes\n");
  rc = SQLSetStmtAttr(h, SQL_ATTR_CURSOR_TYPE,
                      (SQLPOINTER)SQL_CURSOR_KEYSET_DRIVEN, 0);
  kr_report("CURSOR_TYPE=KEYSET", rc, SQL_HANDLE_STMT, h);
  SQLGetStmtAttr(h, SQL_ATTR_CURSOR_TYPE, &v, 0, NULL);
  printf("cursor type now %lu\n", (unsigned long)v);
  SQLGetStmtAttr(h, SQL_ATTR_CURSOR_SCROLLABLE, &v, 0, NULL);
  printf("scrollable %lu\n", (unsigned long)v);
  rc = SQLSetStmtAttr(h, SQL_ATTR_CURSOR_TYPE,
                      (SQLPOINTER)SQL_CURSOR_DYNAMIC, 0);
  kr_report("CURSOR_TYPE=DYNAMIC", rc, SQL_HANDLE_STMT, h);
  rc = SQLSetStmtAttr(h, SQL_ATTR_CURSOR_SCROLLABLE,
                      (SQLPOINTER)SQL_NONSCROLLABLE, 0);
  kr_report("CURSOR_SCROLLABLE=NONSCROLLABLE", rc, SQL_HANDLE_STMT, h);
  SQLGetStmtAttr(h, SQL_ATTR_CURSOR_TYPE, &v, 0, NULL);
  printf("cursor type now %lu\n", (unsigned long)v);
  rc = SQLSetStmtAttr(h, SQL_ATTR_CURSOR_SCROLLABLE,
                      (SQLPOINTER)SQL_SCROLLABLE, 0);
  kr_report("CURSOR_SCROLLABLE=SCROLLABLE", rc, SQL_HANDLE_STMT, h);
  SQLGetStmtAttr(h, SQL_ATTR_CURSOR_TYPE, &v, 0, NULL);
  printf("cursor type now %lu\n", (unsigned long)v);
  rc = SQLSetStmtAttr(h, SQL_ATTR_CURSOR_TYPE,
                      (SQLPOINTER)SQL_CURSOR_STATIC, 0);
  kr_report("CURSOR_TYPE=STATIC", rc, SQL_HANDLE_STMT, h);

  printf("-- static cursor, rowset of 1\n");
  open_cursor(h, 1);
  scroll(h, SQL_FETCH_NEXT, 0, 1);
  scroll(h, SQL_FETCH_NEXT, 0, 1);
  scroll(h, SQL_FETCH_LAST, 0, 1);
  scroll(h, SQL_FETCH_NEXT, 0, 1);
  scroll(h, SQL_FETCH_PRIOR, 0, 1);
  scroll(h, SQL_FETCH_PRIOR, 0, 1);
  scroll(h, SQL_FETCH_FIRST, 0, 1);
  scroll(h, SQL_FETCH_PRIOR, 0, 1);
  scroll(h, SQL_FETCH_NEXT, 0, 1);
  scroll(h, SQL_FETCH_ABSOLUTE, 5, 1);
  {
    char company[128];
    kr_text(h, 2, company, sizeof(company));
    printf("SQLGetData on row 5: %s\n", company);
  }
  scroll(h, SQL_FETCH_RELATIVE, 2, 1);
  scroll(h, SQL_FETCH_RELATIVE, -3, 1);
  scroll(h, SQL_FETCH_ABSOLUTE, -1, 1);
  scroll(h, SQL_FETCH_ABSOLUTE, -10, 1);
  scroll(h, SQL_FETCH_ABSOLUTE, -11, 1);
  scroll(h, SQL_FETCH_ABSOLUTE, 11, 1);
  scroll(h, SQL_FETCH_RELATIVE, -1, 1);
  scroll(h, SQL_FETCH_ABSOLUTE, 0, 1);
  scroll(h, SQL_FETCH_RELATIVE, 3, 1);
  scroll(h, 99, 0, 1);
  SQLFreeStmt(h, SQL_CLOSE);

  printf("-- static cursor, rowset of 3\n");
  open_cursor(h, 3);
  scroll(h, SQL_FETCH_NEXT, 0, 3);
  scroll(h, SQL_FETCH_NEXT, 0, 3);
  scroll(h, SQL_FETCH_LAST, 0, 3);
  scroll(h, SQL_FETCH_PRIOR, 0, 3);
  scroll(h, SQL_FETCH_ABSOLUTE, 9, 3);
  scroll(h, SQL_FETCH_ABSOLUTE, 2, 3);
  scroll(h, SQL_FETCH_PRIOR, 0, 3);
  scroll(h, SQL_FETCH_RELATIVE, 4, 3);
  SQLFreeStmt(h, SQL_CLOSE);

  printf("-- static cursor with MAX_ROWS 4\n");
  SQLSetStmtAttr(h, SQL_ATTR_MAX_ROWS, (SQLPOINTER)4, 0);
  open_cursor(h, 1);
  scroll(h, SQL_FETCH_LAST, 0, 1);
  scroll(h, SQL_FETCH_NEXT, 0, 1);
  SQLFreeStmt(h, SQL_CLOSE);
  SQLSetStmtAttr(h, SQL_ATTR_MAX_ROWS, (SQLPOINTER)0, 0);

  printf("-- static cursor over a catalog result\n");
  SQLSetStmtAttr(h, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)1, 0);
  rc = SQLTables(h, NULL, 0, NULL, 0, NULL, 0, NULL, 0);
  KR_MUST_STMT(rc, "SQLTables", h);
  rc = SQLFetchScroll(h, SQL_FETCH_LAST, 0);
  {
    char t[128];
    kr_text(h, 3, t, sizeof(t));
    printf("LAST: %s %s\n", kr_rcname(rc), t);
  }
  rc = SQLFetchScroll(h, SQL_FETCH_FIRST, 0);
  {
    char t[128];
    kr_text(h, 3, t, sizeof(t));
    printf("FIRST: %s %s\n", kr_rcname(rc), t);
  }
  SQLFreeStmt(h, SQL_CLOSE);
  SQLFreeStmt(h, SQL_UNBIND);

  printf("-- forward-only cursor\n");
  SQLSetStmtAttr(h, SQL_ATTR_CURSOR_TYPE, (SQLPOINTER)SQL_CURSOR_FORWARD_ONLY,
                 0);
  open_cursor(h, 1);
  scroll(h, SQL_FETCH_NEXT, 0, 1);
  scroll(h, SQL_FETCH_FIRST, 0, 1);
  scroll(h, SQL_FETCH_NEXT, 0, 1);
  SQLFreeStmt(h, SQL_CLOSE);
  SQLFreeHandle(SQL_HANDLE_STMT, h);
  kr_disconnect();
  return 0;
}
