/*
 * params-test.c - parameters of every C type bound with SQLBindParameter
 * and read back through "SELECT ?", NULL and SQL_C_DEFAULT, a parameter
 * in a WHERE clause on a Kintone table, SQLNumParams, SQLDescribeParam,
 * data at execution (SQLParamData/SQLPutData), parameter arrays on
 * SELECT (refused) and on INSERT/DELETE (row-wise and column-wise, with
 * status arrays and SQLRowCount).
 */
#include "common.h"

static void one(SQLHSTMT h, const char *what, SQLSMALLINT ctype,
                SQLSMALLINT sqltype, SQLULEN size, SQLSMALLINT digits,
                void *buf, SQLLEN buflen, SQLLEN *ind)
{
  SQLRETURN rc;
  char v[256];

  SQLFreeStmt(h, SQL_RESET_PARAMS);
  rc = SQLBindParameter(h, 1, SQL_PARAM_INPUT, ctype, sqltype, size, digits,
                        buf, buflen, ind);
  if(!SQL_SUCCEEDED(rc)) {
    kr_report(what, rc, SQL_HANDLE_STMT, h);
    return;
  }
  rc = SQLExecute(h);
  if(!SQL_SUCCEEDED(rc)) {
    kr_report(what, rc, SQL_HANDLE_STMT, h);
    SQLFreeStmt(h, SQL_CLOSE);
    return;
  }
  if(rc != SQL_SUCCESS)
    kr_report(what, rc, SQL_HANDLE_STMT, h);
  rc = SQLFetch(h);
  if(!SQL_SUCCEEDED(rc))
    kr_report("SQLFetch", rc, SQL_HANDLE_STMT, h);
  else {
    char t[64];
    kr_text(h, 2, t, sizeof(t));
    kr_text(h, 1, v, sizeof(v));
    printf("%s -> %s (%s)\n", what, v, t);
  }
  SQLFreeStmt(h, SQL_CLOSE);
}

int main(int argc, char **argv)
{
  SQLHSTMT h;
  SQLRETURN rc;
  SQLLEN nts = SQL_NTS, nul = SQL_NULL_DATA, len;
  SQLSMALLINT np = -1;

  kr_init(argc, argv);
  kr_connect(SQL_OV_ODBC3);
  h = kr_stmt();
  rc = kr_prepare(h, "SELECT ?, typeof(?1)");
  KR_MUST_STMT(rc, "SQLPrepare", h);
  rc = SQLNumParams(h, &np);
  printf("SQLNumParams: %s %d\n", kr_rcname(rc), (int)np);
  {
    SQLSMALLINT type = 0, digits = 0, nullable = 0;
    SQLULEN size = 0;
    rc = SQLDescribeParam(h, 1, &type, &size, &digits, &nullable);
    printf("SQLDescribeParam: %s", kr_rcname(rc));
    if(SQL_SUCCEEDED(rc))
      printf(" type=%d size=%lu digits=%d nullable=%d", type,
             (unsigned long)size, digits, nullable);
    printf("\n");
    if(rc != SQL_SUCCESS)
      kr_diag(SQL_HANDLE_STMT, h);
  }
  {
    char c[] = "日本語😀";
    one(h, "SQL_C_CHAR", SQL_C_CHAR, SQL_VARCHAR, 20, 0, c, sizeof(c),
        &nts);
    len = 6;                    /* the first two characters */
    one(h, "SQL_C_CHAR length 6", SQL_C_CHAR, SQL_VARCHAR, 20, 0, c,
        sizeof(c), &len);
  }
  {
    SQLWCHAR *w = kr_w("ワイド文字😀");
    one(h, "SQL_C_WCHAR", SQL_C_WCHAR, SQL_WVARCHAR, 20, 0, w, 0, &nts);
    len = 2 * (SQLLEN)sizeof(SQLWCHAR);
    one(h, "SQL_C_WCHAR 4 bytes", SQL_C_WCHAR, SQL_WVARCHAR, 20, 0, w, 0,
        &len);
    free(w);
  }
  {
    SQLINTEGER i = -123456;
    SQLUINTEGER u = 4000000000u;
    SQLSMALLINT sh = -32768;
    SQLUSMALLINT ush = 65535;
    SQLSCHAR ti = -128;
    SQLCHAR uti = 255;
    SQLBIGINT bi = -9007199254740993LL;
    SQLUBIGINT ubi = 18446744073709551615ULL;
    double d = 3.25;
    float f = -0.5f;
    unsigned char bit = 1;
    one(h, "SQL_C_SLONG", SQL_C_SLONG, SQL_INTEGER, 0, 0, &i, 0, NULL);
    one(h, "SQL_C_LONG", SQL_C_LONG, SQL_INTEGER, 0, 0, &i, 0, NULL);
    one(h, "SQL_C_ULONG", SQL_C_ULONG, SQL_BIGINT, 0, 0, &u, 0, NULL);
    one(h, "SQL_C_SSHORT", SQL_C_SSHORT, SQL_SMALLINT, 0, 0, &sh, 0, NULL);
    one(h, "SQL_C_USHORT", SQL_C_USHORT, SQL_INTEGER, 0, 0, &ush, 0, NULL);
    one(h, "SQL_C_STINYINT", SQL_C_STINYINT, SQL_TINYINT, 0, 0, &ti, 0,
        NULL);
    one(h, "SQL_C_UTINYINT", SQL_C_UTINYINT, SQL_SMALLINT, 0, 0, &uti, 0,
        NULL);
    one(h, "SQL_C_SBIGINT", SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &bi, 0, NULL);
    one(h, "SQL_C_UBIGINT", SQL_C_UBIGINT, SQL_DECIMAL, 20, 0, &ubi, 0,
        NULL);
    one(h, "SQL_C_DOUBLE", SQL_C_DOUBLE, SQL_DOUBLE, 0, 0, &d, 0, NULL);
    one(h, "SQL_C_FLOAT", SQL_C_FLOAT, SQL_REAL, 0, 0, &f, 0, NULL);
    one(h, "SQL_C_BIT", SQL_C_BIT, SQL_BIT, 0, 0, &bit, 0, NULL);
    one(h, "SQL_C_DOUBLE to DECIMAL(10,2)", SQL_C_DOUBLE, SQL_DECIMAL, 10, 2,
        &d, 0, NULL);
  }
  {
    SQL_NUMERIC_STRUCT n;
    memset(&n, 0, sizeof(n));
    n.precision = 10;
    n.scale = 3;
    n.sign = 0;                 /* negative */
    n.val[0] = 0x39;            /* 12345 = 0x3039 */
    n.val[1] = 0x30;
    one(h, "SQL_C_NUMERIC", SQL_C_NUMERIC, SQL_NUMERIC, 10, 3, &n, 0, NULL);
    {
      char t[] = "1234.5600";
      one(h, "SQL_C_CHAR to NUMERIC", SQL_C_CHAR, SQL_NUMERIC, 10, 4, t,
          sizeof(t), &nts);
    }
  }
  {
    SQL_DATE_STRUCT dt = {2024, 2, 29};
    SQL_TIME_STRUCT tm = {23, 59, 58};
    SQL_TIMESTAMP_STRUCT ts = {2024, 12, 31, 9, 8, 7, 500000000};
    one(h, "SQL_C_TYPE_DATE", SQL_C_TYPE_DATE, SQL_TYPE_DATE, 10, 0, &dt, 0,
        NULL);
    one(h, "SQL_C_DATE", SQL_C_DATE, SQL_TYPE_DATE, 10, 0, &dt, 0, NULL);
    one(h, "SQL_C_TYPE_TIME", SQL_C_TYPE_TIME, SQL_TYPE_TIME, 8, 0, &tm, 0,
        NULL);
    one(h, "SQL_C_TYPE_TIMESTAMP", SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP,
        23, 3, &ts, 0, NULL);
    one(h, "SQL_C_TIMESTAMP", SQL_C_TIMESTAMP, SQL_TYPE_TIMESTAMP, 19, 0,
        &ts, 0, NULL);
    one(h, "SQL_C_TYPE_TIMESTAMP to DATE", SQL_C_TYPE_TIMESTAMP,
        SQL_TYPE_DATE, 10, 0, &ts, 0, NULL);
  }
  {
    unsigned char b[] = {0xde, 0xad, 0x00, 0xef};
    len = 4;
    one(h, "SQL_C_BINARY", SQL_C_BINARY, SQL_VARBINARY, 4, 0, b, 4, &len);
  }
  one(h, "NULL (SQL_C_DEFAULT)", SQL_C_DEFAULT, SQL_VARCHAR, 1, 0, NULL, 0,
      &nul);
  one(h, "NULL (SQL_C_SLONG)", SQL_C_SLONG, SQL_INTEGER, 0, 0, NULL, 0,
      &nul);
  {
    char t[] = "42";
    one(h, "SQL_C_DEFAULT for VARCHAR", SQL_C_DEFAULT, SQL_VARCHAR, 2, 0, t,
        sizeof(t), &nts);
  }
  {
    char bad[] = "abc";
    one(h, "SQL_C_CHAR 'abc' as INTEGER", SQL_C_CHAR, SQL_INTEGER, 0, 0,
        bad, sizeof(bad), &nts);
  }
  one(h, "bad C type", 999, SQL_INTEGER, 0, 0, &np, 0, NULL);
  SQLFreeStmt(h, SQL_RESET_PARAMS);
  rc = SQLExecute(h);
  kr_report("SQLExecute without parameters", rc, SQL_HANDLE_STMT, h);
  SQLFreeStmt(h, SQL_CLOSE);

  /* a parameter in a WHERE clause on a Kintone table */
  {
    SQLWCHAR *pref = kr_w("広島県");
    rc = kr_prepare(h, "SELECT \"$id\", company FROM 顧客マスタ WHERE "
                       "prefecture = ? ORDER BY \"$id\" LIMIT 3");
    KR_MUST_STMT(rc, "SQLPrepare", h);
    SQLBindParameter(h, 1, SQL_PARAM_INPUT, SQL_C_WCHAR, SQL_WVARCHAR, 10, 0,
                     pref, 0, &nts);
    rc = SQLExecute(h);
    KR_MUST_STMT(rc, "SQLExecute", h);
    printf("-- WHERE prefecture = ?\n");
    kr_print_rows(h, -1);
    free(pref);
  }

  /* data at execution */
  {
    SQLLEN dae = SQL_LEN_DATA_AT_EXEC(0), dae2 = SQL_DATA_AT_EXEC;
    SQLPOINTER token = NULL;
    SQLINTEGER num = 7;
    SQLFreeStmt(h, SQL_RESET_PARAMS);
    rc = kr_prepare(h, "SELECT ? || '/' || ?, ?");
    KR_MUST_STMT(rc, "SQLPrepare", h);
    SQLBindParameter(h, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_WLONGVARCHAR,
                     100, 0, (SQLPOINTER)1, 0, &dae);
    SQLBindParameter(h, 2, SQL_PARAM_INPUT, SQL_C_WCHAR, SQL_WVARCHAR,
                     100, 0, (SQLPOINTER)2, 0, &dae2);
    SQLBindParameter(h, 3, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0,
                     &num, 0, NULL);
    rc = SQLExecute(h);
    printf("-- data at execution\nSQLExecute: %s\n", kr_rcname(rc));
    while(rc == SQL_NEED_DATA) {
      rc = SQLParamData(h, &token);
      printf("SQLParamData: %s token=%ld\n", kr_rcname(rc), (long)token);
      if(rc != SQL_NEED_DATA)
        break;
      if(token == (SQLPOINTER)1) {
        SQLRETURN r1 = SQLPutData(h, "ながい", SQL_NTS);
        SQLRETURN r2 = SQLPutData(h, "テキスト😀", SQL_NTS);
        printf("SQLPutData x2: %s %s\n", kr_rcname(r1), kr_rcname(r2));
      }
      else {
        SQLWCHAR *w = kr_w("幅");
        SQLRETURN r1 = SQLPutData(h, w, 2);
        SQLRETURN r2 = SQLPutData(h, w, 2);
        printf("SQLPutData x2: %s %s\n", kr_rcname(r1), kr_rcname(r2));
        free(w);
      }
    }
    if(!SQL_SUCCEEDED(rc))
      kr_diag(SQL_HANDLE_STMT, h);
    else
      kr_print_rows(h, -1);
    /* SQLCancel abandons the data-at-execution sequence */
    rc = SQLExecute(h);
    printf("SQLExecute: %s\n", kr_rcname(rc));
    rc = SQLCancel(h);
    printf("SQLCancel: %s\n", kr_rcname(rc));
    rc = SQLPutData(h, "x", 1);
    kr_report("SQLPutData after SQLCancel", rc, SQL_HANDLE_STMT, h);
  }

  /* parameter arrays on a statement with a result set: refused */
  {
    SQLINTEGER vals[3] = {1, 2, 3};
    SQLUSMALLINT st[3];
    SQLULEN done = 0;
    SQLFreeStmt(h, SQL_CLOSE);
    SQLFreeStmt(h, SQL_RESET_PARAMS);
    rc = kr_prepare(h, "SELECT ?");
    KR_MUST_STMT(rc, "SQLPrepare", h);
    SQLSetStmtAttr(h, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)3, 0);
    SQLSetStmtAttr(h, SQL_ATTR_PARAM_STATUS_PTR, st, 0);
    SQLSetStmtAttr(h, SQL_ATTR_PARAMS_PROCESSED_PTR, &done, 0);
    SQLBindParameter(h, 1, SQL_PARAM_INPUT, SQL_C_SLONG, SQL_INTEGER, 0, 0,
                     vals, 0, NULL);
    rc = SQLExecute(h);
    kr_report("SQLExecute with PARAMSET_SIZE 3", rc, SQL_HANDLE_STMT, h);
    SQLSetStmtAttr(h, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0);
  }
  /* parameter arrays on INSERT and DELETE: row-wise binding, status
     array, rows processed, SQLRowCount (the rows are removed again) */
  {
    struct prow {
      char id[8];
      SQLLEN id_ind;
      SQLWCHAR company[16];
      SQLLEN company_ind;
    } rows[3];
    SQLUSMALLINT st[3];
    SQLULEN done = 0;
    SQLLEN count = -2;
    int i;
    printf("-- parameter arrays: INSERT 3 rows, row-wise\n");
    SQLFreeStmt(h, SQL_CLOSE);
    SQLFreeStmt(h, SQL_RESET_PARAMS);
    for(i = 0; i < 3; i++) {
      char name[32];
      SQLWCHAR *w;
      snprintf(rows[i].id, sizeof(rows[i].id), "RG%02d", i + 1);
      rows[i].id_ind = SQL_NTS;
      snprintf(name, sizeof(name), "回帰%d😀", i + 1);
      w = kr_w(name);
      memcpy(rows[i].company, w, sizeof(SQLWCHAR) * 8);
      free(w);
      rows[i].company_ind = SQL_NTS;
    }
    rc = kr_prepare(h, "INSERT INTO 顧客マスタ (customer_id, company) "
                       "VALUES (?, ?)");
    KR_MUST_STMT(rc, "SQLPrepare", h);
    SQLSetStmtAttr(h, SQL_ATTR_PARAM_BIND_TYPE,
                   (SQLPOINTER)sizeof(struct prow), 0);
    SQLSetStmtAttr(h, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)3, 0);
    SQLSetStmtAttr(h, SQL_ATTR_PARAM_STATUS_PTR, st, 0);
    SQLSetStmtAttr(h, SQL_ATTR_PARAMS_PROCESSED_PTR, &done, 0);
    SQLBindParameter(h, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_WVARCHAR, 8, 0,
                     rows[0].id, sizeof(rows[0].id), &rows[0].id_ind);
    SQLBindParameter(h, 2, SQL_PARAM_INPUT, SQL_C_WCHAR, SQL_WVARCHAR, 16,
                     0, rows[0].company, sizeof(rows[0].company),
                     &rows[0].company_ind);
    rc = SQLExecute(h);
    kr_report("SQLExecute", rc, SQL_HANDLE_STMT, h);
    SQLRowCount(h, &count);
    printf("processed=%lu status=%d,%d,%d rowcount=%ld\n",
           (unsigned long)done, st[0], st[1], st[2], (long)count);
    SQLFreeStmt(h, SQL_RESET_PARAMS);
    SQLSetStmtAttr(h, SQL_ATTR_PARAM_BIND_TYPE, SQL_PARAM_BIND_BY_COLUMN, 0);
    SQLSetStmtAttr(h, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0);
    SQLSetStmtAttr(h, SQL_ATTR_PARAM_STATUS_PTR, NULL, 0);
    SQLSetStmtAttr(h, SQL_ATTR_PARAMS_PROCESSED_PTR, NULL, 0);
    kr_exec_print(h, "SELECT customer_id, company FROM 顧客マスタ WHERE "
                     "customer_id LIKE 'RG%' ORDER BY customer_id");

    printf("-- parameter arrays: DELETE, column-wise, one id unknown\n");
    {
      char ids[4][8] = {"RG01", "RG02", "RG03", "RG99"};
      SQLLEN inds[4] = {SQL_NTS, SQL_NTS, SQL_NTS, SQL_NTS};
      SQLUSMALLINT st4[4];
      rc = kr_prepare(h, "DELETE FROM 顧客マスタ WHERE customer_id = ?");
      KR_MUST_STMT(rc, "SQLPrepare", h);
      SQLSetStmtAttr(h, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)4, 0);
      SQLSetStmtAttr(h, SQL_ATTR_PARAM_STATUS_PTR, st4, 0);
      SQLSetStmtAttr(h, SQL_ATTR_PARAMS_PROCESSED_PTR, &done, 0);
      SQLBindParameter(h, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_WVARCHAR, 8, 0,
                       ids, sizeof(ids[0]), inds);
      rc = SQLExecute(h);
      kr_report("SQLExecute", rc, SQL_HANDLE_STMT, h);
      SQLRowCount(h, &count);
      printf("processed=%lu status=%d,%d,%d,%d rowcount=%ld\n",
             (unsigned long)done, st4[0], st4[1], st4[2], st4[3],
             (long)count);
      SQLFreeStmt(h, SQL_RESET_PARAMS);
      SQLSetStmtAttr(h, SQL_ATTR_PARAMSET_SIZE, (SQLPOINTER)1, 0);
      SQLSetStmtAttr(h, SQL_ATTR_PARAM_STATUS_PTR, NULL, 0);
      SQLSetStmtAttr(h, SQL_ATTR_PARAMS_PROCESSED_PTR, NULL, 0);
    }
    kr_exec_print(h, "SELECT count(*) FROM 顧客マスタ WHERE customer_id "
                     "LIKE 'RG%'");
  }
  SQLFreeHandle(SQL_HANDLE_STMT, h);
  kr_disconnect();
  return 0;
}
