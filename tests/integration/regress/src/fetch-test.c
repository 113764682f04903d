/*
 * fetch-test.c - bound columns, SQLGetData in pieces (SQL_C_CHAR and
 * SQL_C_WCHAR, Japanese text and an emoji outside the BMP), block
 * cursors column-wise and row-wise with SQL_ATTR_ROW_ARRAY_SIZE, the
 * rows-fetched and row-status pointers, SQL_ATTR_MAX_ROWS.
 */
#include "common.h"

#define TEXT "日本語テキスト😀と漢字"

static const char *status_name(SQLUSMALLINT st)
{
  switch(st) {
  case SQL_ROW_SUCCESS: return "SUCCESS";
  case SQL_ROW_SUCCESS_WITH_INFO: return "SUCCESS_WITH_INFO";
  case SQL_ROW_ERROR: return "ERROR";
  case SQL_ROW_NOROW: return "NOROW";
  default: return "?";
  }
}

static void bound(SQLHSTMT h)
{
  SQLBIGINT id;
  SQLCHAR company[64];
  SQLWCHAR wcompany[8];
  SQL_DATE_STRUCT since;
  SQLLEN ind[4];
  SQLRETURN rc;
  char u[128];

  printf("-- bound columns\n");
  rc = kr_execdirect(h, "SELECT \"$id\", company, company, since FROM "
                        "顧客マスタ WHERE \"$id\" <= 3 ORDER BY \"$id\"");
  KR_MUST_STMT(rc, "SQLExecDirect", h);
  SQLBindCol(h, 1, SQL_C_SBIGINT, &id, 0, &ind[0]);
  SQLBindCol(h, 2, SQL_C_CHAR, company, sizeof(company), &ind[1]);
  /* too small: truncated, 01004, length of the whole value */
  SQLBindCol(h, 3, SQL_C_WCHAR, wcompany, sizeof(wcompany), &ind[2]);
  SQLBindCol(h, 4, SQL_C_TYPE_DATE, &since, 0, &ind[3]);
  while((rc = SQLFetch(h)) != SQL_NO_DATA) {
    kr_u8(wcompany, -1, u, sizeof(u));
    printf("%s: %lld|%s (%ld)|%s (%ld)|%04d-%02d-%02d\n", kr_rcname(rc),
           (long long)id, company, (long)ind[1], u, (long)ind[2],
           since.year, since.month, since.day);
    if(rc != SQL_SUCCESS)
      kr_diag(SQL_HANDLE_STMT, h);
    if(!SQL_SUCCEEDED(rc))
      break;
  }
  SQLFreeStmt(h, SQL_UNBIND);
  SQLFreeStmt(h, SQL_CLOSE);
}

static void chunks(SQLHSTMT h, SQLSMALLINT ctype, SQLLEN bufsize)
{
  char buf[64];
  SQLLEN ind;
  SQLRETURN rc;
  int i;

  printf("-- SQLGetData %s in %ld-byte pieces\n",
         ctype == SQL_C_CHAR ? "SQL_C_CHAR" : "SQL_C_WCHAR", (long)bufsize);
  rc = kr_execdirect(h, "SELECT '" TEXT "' AS t");
  KR_MUST_STMT(rc, "SQLExecDirect", h);
  rc = SQLFetch(h);
  KR_MUST_STMT(rc, "SQLFetch", h);
  for(i = 0; i < 20; i++) {
    char u[256];
    memset(buf, 0x7f, sizeof(buf));
    rc = SQLGetData(h, 1, ctype, buf, bufsize, &ind);
    if(rc == SQL_NO_DATA) {
      printf("  %s\n", kr_rcname(rc));
      break;
    }
    if(!SQL_SUCCEEDED(rc)) {
      kr_report("SQLGetData", rc, SQL_HANDLE_STMT, h);
      break;
    }
    if(ctype == SQL_C_WCHAR)
      kr_u8((SQLWCHAR *)buf, -1, u, sizeof(u));
    else
      snprintf(u, sizeof(u), "%s", buf);
    printf("  %s ind=%ld '%s'\n", kr_rcname(rc), (long)ind, u);
  }
  SQLFreeStmt(h, SQL_CLOSE);
}

static void block_columnwise(SQLHSTMT h)
{
  SQLINTEGER id[4];
  SQLCHAR pref[4][32];
  SQLLEN ind1[4], ind2[4];
  SQLUSMALLINT status[4];
  SQLULEN fetched = 0, rownum = 0;
  SQLRETURN rc;
  int i, set = 0;

  printf("-- block cursor, column-wise, 4 rows per fetch\n");
  SQLSetStmtAttr(h, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)4, 0);
  SQLSetStmtAttr(h, SQL_ATTR_ROW_STATUS_PTR, status, 0);
  SQLSetStmtAttr(h, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
  rc = kr_execdirect(h, "SELECT \"$id\", prefecture FROM 顧客マスタ WHERE "
                        "\"$id\" <= 10 ORDER BY \"$id\"");
  KR_MUST_STMT(rc, "SQLExecDirect", h);
  SQLBindCol(h, 1, SQL_C_SLONG, id, 0, ind1);
  SQLBindCol(h, 2, SQL_C_CHAR, pref, sizeof(pref[0]), ind2);
  while((rc = SQLFetchScroll(h, SQL_FETCH_NEXT, 0)) != SQL_NO_DATA) {
    if(!SQL_SUCCEEDED(rc)) {
      kr_report("SQLFetchScroll", rc, SQL_HANDLE_STMT, h);
      break;
    }
    SQLGetStmtAttr(h, SQL_ATTR_ROW_NUMBER, &rownum, 0, NULL);
    printf("rowset %d: %s fetched=%lu row_number=%lu\n", ++set,
           kr_rcname(rc), (unsigned long)fetched, (unsigned long)rownum);
    for(i = 0; i < 4; i++) {
      if(status[i] == SQL_ROW_NOROW)
        printf("  [%d] %s\n", i, status_name(status[i]));
      else
        printf("  [%d] %s %d|%s\n", i, status_name(status[i]), (int)id[i],
               pref[i]);
    }
  }
  printf("end: fetched=%lu\n", (unsigned long)fetched);
  SQLFreeStmt(h, SQL_UNBIND);
  SQLFreeStmt(h, SQL_CLOSE);
  SQLSetStmtAttr(h, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)1, 0);
  SQLSetStmtAttr(h, SQL_ATTR_ROW_STATUS_PTR, NULL, 0);
  SQLSetStmtAttr(h, SQL_ATTR_ROWS_FETCHED_PTR, NULL, 0);
}

struct row {
  SQLBIGINT id;
  SQLLEN id_ind;
  SQLWCHAR company[40];
  SQLLEN company_ind;
  double amount;
  SQLLEN amount_ind;
};

static void block_rowwise(SQLHSTMT h)
{
  struct row rows[3];
  SQLUSMALLINT status[3];
  SQLULEN fetched = 0;
  SQLRETURN rc;
  int i;

  printf("-- block cursor, row-wise, 3 rows per fetch, MAX_ROWS 5\n");
  SQLSetStmtAttr(h, SQL_ATTR_ROW_BIND_TYPE, (SQLPOINTER)sizeof(struct row),
                 0);
  SQLSetStmtAttr(h, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)3, 0);
  SQLSetStmtAttr(h, SQL_ATTR_ROW_STATUS_PTR, status, 0);
  SQLSetStmtAttr(h, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
  SQLSetStmtAttr(h, SQL_ATTR_MAX_ROWS, (SQLPOINTER)5, 0);
  rc = kr_execdirect(h, "SELECT \"$id\", deal_name, amount FROM 販売管理 "
                        "ORDER BY \"$id\"");
  KR_MUST_STMT(rc, "SQLExecDirect", h);
  SQLBindCol(h, 1, SQL_C_SBIGINT, &rows[0].id, 0, &rows[0].id_ind);
  SQLBindCol(h, 2, SQL_C_WCHAR, rows[0].company, sizeof(rows[0].company),
             &rows[0].company_ind);
  SQLBindCol(h, 3, SQL_C_DOUBLE, &rows[0].amount, 0, &rows[0].amount_ind);
  while((rc = SQLFetch(h)) != SQL_NO_DATA) {
    if(!SQL_SUCCEEDED(rc)) {
      kr_report("SQLFetch", rc, SQL_HANDLE_STMT, h);
      break;
    }
    printf("%s fetched=%lu\n", kr_rcname(rc), (unsigned long)fetched);
    for(i = 0; i < (int)fetched; i++) {
      char u[256];
      kr_u8(rows[i].company, -1, u, sizeof(u));
      printf("  [%d] %s %lld|%s|%.2f\n", i, status_name(status[i]),
             (long long)rows[i].id, u, rows[i].amount);
    }
  }
  SQLFreeStmt(h, SQL_UNBIND);
  SQLFreeStmt(h, SQL_CLOSE);
  SQLSetStmtAttr(h, SQL_ATTR_ROW_BIND_TYPE, SQL_BIND_BY_COLUMN, 0);
  SQLSetStmtAttr(h, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)1, 0);
  SQLSetStmtAttr(h, SQL_ATTR_ROW_STATUS_PTR, NULL, 0);
  SQLSetStmtAttr(h, SQL_ATTR_ROWS_FETCHED_PTR, NULL, 0);
  SQLSetStmtAttr(h, SQL_ATTR_MAX_ROWS, (SQLPOINTER)0, 0);
}

/* Column metadata through SQLDescribeCol and SQLColAttribute. */
static void describe(SQLHSTMT h, const char *sql)
{
  SQLSMALLINT n = 0, i;
  SQLRETURN rc;

  printf("-- describe %s\n", sql);
  rc = kr_prepare(h, sql);
  KR_MUST_STMT(rc, "SQLPrepare", h);
  SQLNumResultCols(h, &n);
  for(i = 1; i <= n; i++) {
    char name[256];
    SQLSMALLINT type, digits, nullable;
    SQLULEN size;
    SQLLEN disp = 0, uns = 0, oct = 0;
    kr_colname(h, (SQLUSMALLINT)i, name, sizeof(name));
    SQLDescribeCol(h, (SQLUSMALLINT)i, NULL, 0, NULL, &type, &size, &digits,
                   &nullable);
    SQLColAttribute(h, (SQLUSMALLINT)i, SQL_DESC_DISPLAY_SIZE, NULL, 0,
                    NULL, &disp);
    SQLColAttribute(h, (SQLUSMALLINT)i, SQL_DESC_UNSIGNED, NULL, 0, NULL,
                    &uns);
    SQLColAttribute(h, (SQLUSMALLINT)i, SQL_DESC_OCTET_LENGTH, NULL, 0,
                    NULL, &oct);
    printf("  %s type=%d size=%lu digits=%d nullable=%d display=%ld "
           "unsigned=%ld octets=%ld\n", name, type, (unsigned long)size,
           digits, nullable, (long)disp, (long)uns, (long)oct);
  }
  SQLFreeStmt(h, SQL_CLOSE);
}

int main(int argc, char **argv)
{
  SQLHSTMT h;

  kr_init(argc, argv);
  kr_connect(SQL_OV_ODBC3);
  h = kr_stmt();
  bound(h);
  chunks(h, SQL_C_CHAR, 10);
  chunks(h, SQL_C_WCHAR, 10);
  chunks(h, SQL_C_WCHAR, 6);
  block_columnwise(h);
  block_rowwise(h);
  describe(h, "SELECT \"$id\", company, since, 更新日時, 1.5 AS x "
              "FROM 顧客マスタ");
  /* text expressions have no known length: long text, so that clients
     sizing buffers from the description do not cut their values */
  describe(h, "SELECT substr(notes, 1, 20000) AS s, deal_name || stage AS c, "
              "CAST(amount AS TEXT) AS t, upper(deal_name) AS u FROM 販売管理");
  kr_exec_print(h, "SELECT '" TEXT "' AS t, NULL AS n, 1.25 AS d, "
                   "x'e381' AS b");
  SQLFreeHandle(SQL_HANDLE_STMT, h);
  kr_disconnect();
  return 0;
}
