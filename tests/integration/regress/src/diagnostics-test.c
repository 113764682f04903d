/*
 * diagnostics-test.c - diagnostic records read twice (reading never
 * clears them), header fields, record fields through SQLGetDiagField(W),
 * several records with row and column numbers, a truncated message.
 */
#include "common.h"

/* A string diagnostic field as UTF-8 (A or W). */
static SQLRETURN field_str(SQLSMALLINT type, SQLHANDLE h, SQLSMALLINT rec,
                           SQLSMALLINT id, char *out, size_t cap)
{
  SQLSMALLINT len = 0;
  SQLRETURN rc;

  out[0] = '\0';
  if(kr_wide) {
    SQLWCHAR w[512];
    rc = SQLGetDiagFieldW(type, h, rec, id, w, sizeof(w), &len);
    if(SQL_SUCCEEDED(rc))
      kr_u8(w, -1, out, cap);
  }
  else
    rc = SQLGetDiagField(type, h, rec, id, out, (SQLSMALLINT)cap, &len);
  return rc;
}

static void fields(SQLHSTMT h)
{
  SQLINTEGER num = -1, native = -1, col = -2;
  SQLLEN row = -2, cnt = -2;
  SQLRETURN rc, rcode = -99;
  SQLSMALLINT i;
  char v[1024];

  rc = SQLGetDiagField(SQL_HANDLE_STMT, h, 0, SQL_DIAG_NUMBER, &num, 0,
                       NULL);
  printf("  SQL_DIAG_NUMBER: %s %d\n", kr_rcname(rc), (int)num);
  rc = SQLGetDiagField(SQL_HANDLE_STMT, h, 0, SQL_DIAG_RETURNCODE, &rcode,
                       0, NULL);
  printf("  SQL_DIAG_RETURNCODE: %s %s\n", kr_rcname(rc), kr_rcname(rcode));
  rc = SQLGetDiagField(SQL_HANDLE_STMT, h, 0, SQL_DIAG_CURSOR_ROW_COUNT,
                       &cnt, 0, NULL);
  printf("  SQL_DIAG_CURSOR_ROW_COUNT: %s\n", kr_rcname(rc));
  for(i = 1; i <= num; i++) {
    printf("  record %d:\n", (int)i);
    rc = field_str(SQL_HANDLE_STMT, h, i, SQL_DIAG_SQLSTATE, v, sizeof(v));
    printf("    SQLSTATE: %s %s\n", kr_rcname(rc), v);
    rc = SQLGetDiagField(SQL_HANDLE_STMT, h, i, SQL_DIAG_NATIVE, &native, 0,
                         NULL);
    printf("    NATIVE: %s %d\n", kr_rcname(rc), (int)native);
    rc = field_str(SQL_HANDLE_STMT, h, i, SQL_DIAG_MESSAGE_TEXT, v,
                   sizeof(v));
    printf("    MESSAGE_TEXT: %s %s\n", kr_rcname(rc), v);
    rc = field_str(SQL_HANDLE_STMT, h, i, SQL_DIAG_CLASS_ORIGIN, v,
                   sizeof(v));
    printf("    CLASS_ORIGIN: %s %s\n", kr_rcname(rc), v);
    rc = field_str(SQL_HANDLE_STMT, h, i, SQL_DIAG_SUBCLASS_ORIGIN, v,
                   sizeof(v));
    printf("    SUBCLASS_ORIGIN: %s %s\n", kr_rcname(rc), v);
    rc = SQLGetDiagField(SQL_HANDLE_STMT, h, i, SQL_DIAG_ROW_NUMBER, &row, 0,
                         NULL);
    printf("    ROW_NUMBER: %s %ld\n", kr_rcname(rc), (long)row);
    rc = SQLGetDiagField(SQL_HANDLE_STMT, h, i, SQL_DIAG_COLUMN_NUMBER, &col,
                         0, NULL);
    printf("    COLUMN_NUMBER: %s %d\n", kr_rcname(rc), (int)col);
  }
}

int main(int argc, char **argv)
{
  SQLHSTMT h;
  SQLRETURN rc;

  kr_init(argc, argv);
  kr_connect(SQL_OV_ODBC3);
  h = kr_stmt();

  printf("-- an error, read twice\n");
  rc = kr_execdirect(h, "SELECT * FROM no_such_table");
  printf("SQLExecDirect: %s\n", kr_rcname(rc));
  kr_diag(SQL_HANDLE_STMT, h);
  printf("again:\n");
  kr_diag(SQL_HANDLE_STMT, h);
  fields(h);

  printf("-- the next call clears them\n");
  rc = kr_execdirect(h, "SELECT 1");
  printf("SQLExecDirect: %s\n", kr_rcname(rc));
  kr_diag(SQL_HANDLE_STMT, h);
  fields(h);
  SQLFreeStmt(h, SQL_CLOSE);

  printf("-- two warnings in one fetch\n");
  {
    char a[4], b[4];
    SQLLEN ia, ib;
    rc = kr_execdirect(h, "SELECT 'abcdef', 'ghijkl'");
    KR_MUST_STMT(rc, "SQLExecDirect", h);
    SQLBindCol(h, 1, SQL_C_CHAR, a, sizeof(a), &ia);
    SQLBindCol(h, 2, SQL_C_CHAR, b, sizeof(b), &ib);
    rc = SQLFetch(h);
    printf("SQLFetch: %s '%s' %ld '%s' %ld\n", kr_rcname(rc), a, (long)ia,
           b, (long)ib);
    fields(h);
    SQLFreeStmt(h, SQL_UNBIND);
    SQLFreeStmt(h, SQL_CLOSE);
  }

  printf("-- a truncated message\n");
  rc = kr_execdirect(h, "SELEC 1");
  printf("SQLExecDirect: %s\n", kr_rcname(rc));
  {
    SQLSMALLINT len = 0;
    SQLINTEGER native;
    char state[16], msg[1024];
    if(kr_wide) {
      SQLWCHAR ws[6], wm[10];
      rc = SQLGetDiagRecW(SQL_HANDLE_STMT, h, 1, ws, &native, wm, 10, &len);
      kr_u8(ws, 5, state, sizeof(state));
      kr_u8(wm, -1, msg, sizeof(msg));
    }
    else
      rc = SQLGetDiagRec(SQL_HANDLE_STMT, h, 1, (SQLCHAR *)state, &native,
                         (SQLCHAR *)msg, 10, &len);
    printf("SQLGetDiagRec(10): %s %s '%s' full length %d\n", kr_rcname(rc),
           state, msg, (int)len);
    rc = kr_wide ? SQLGetDiagRecW(SQL_HANDLE_STMT, h, 2, NULL, NULL, NULL, 0,
                                  NULL)
                 : SQLGetDiagRec(SQL_HANDLE_STMT, h, 2, NULL, NULL, NULL, 0,
                                 NULL);
    printf("SQLGetDiagRec(2): %s\n", kr_rcname(rc));
  }
  kr_diag(SQL_HANDLE_STMT, h);

  printf("-- connection diagnostics\n");
  rc = SQLSetConnectAttr(kr_dbc, 99999, (SQLPOINTER)1, 0);
  printf("SQLSetConnectAttr(99999): %s\n", kr_rcname(rc));
  kr_diag(SQL_HANDLE_DBC, kr_dbc);
  kr_diag(SQL_HANDLE_DBC, kr_dbc);

  SQLFreeHandle(SQL_HANDLE_STMT, h);
  kr_disconnect();
  return 0;
}
