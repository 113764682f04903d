/*
 * desc-test.c - descriptors: the implicit ARD/APD/IRD/IPD through
 * SQLGetStmtAttr, SQLGetDescField(W)/SQLSetDescField(W) header and record
 * fields, SQLGetDescRec(W)/SQLSetDescRec, binding a column and a
 * parameter through descriptor fields (as pyodbc does for NUMERIC),
 * SQLCopyDesc, explicit descriptors installed as SQL_ATTR_APP_ROW_DESC.
 */
#include "common.h"

static void desc_str(SQLHDESC d, SQLSMALLINT rec, SQLSMALLINT field,
                     const char *name)
{
  SQLINTEGER len = 0;
  SQLRETURN rc;
  char v[256];

  v[0] = '\0';
  if(kr_wide) {
    SQLWCHAR w[128];
    rc = SQLGetDescFieldW(d, rec, field, w, sizeof(w), &len);
    if(SQL_SUCCEEDED(rc))
      kr_u8(w, -1, v, sizeof(v));
  }
  else
    rc = SQLGetDescField(d, rec, field, v, sizeof(v), &len);
  printf("    %s: %s '%s'\n", name, kr_rcname(rc), v);
  if(!SQL_SUCCEEDED(rc))
    kr_diag(SQL_HANDLE_DESC, d);
}

static void desc_small(SQLHDESC d, SQLSMALLINT rec, SQLSMALLINT field,
                       const char *name)
{
  SQLSMALLINT v = -99;
  SQLRETURN rc = SQLGetDescField(d, rec, field, &v, 0, NULL);

  printf("    %s: %s %d\n", name, kr_rcname(rc), (int)v);
  if(!SQL_SUCCEEDED(rc))
    kr_diag(SQL_HANDLE_DESC, d);
}

static void desc_len(SQLHDESC d, SQLSMALLINT rec, SQLSMALLINT field,
                     const char *name)
{
  SQLLEN v = -99;
  SQLRETURN rc = SQLGetDescField(d, rec, field, &v, 0, NULL);

  printf("    %s: %s %ld\n", name, kr_rcname(rc), (long)v);
  if(!SQL_SUCCEEDED(rc))
    kr_diag(SQL_HANDLE_DESC, d);
}

static void rec(SQLHDESC d, SQLSMALLINT n)
{
  SQLSMALLINT type = -1, sub = -1, prec = -1, scale = -1, nullable = -1;
  SQLSMALLINT nlen = 0;
  SQLLEN len = -1;
  SQLRETURN rc;
  char name[256];

  name[0] = '\0';
  if(kr_wide) {
    SQLWCHAR w[128];
    rc = SQLGetDescRecW(d, n, w, 128, &nlen, &type, &sub, &len, &prec,
                        &scale, &nullable);
    if(SQL_SUCCEEDED(rc))
      kr_u8(w, -1, name, sizeof(name));
  }
  else
    rc = SQLGetDescRec(d, n, (SQLCHAR *)name, sizeof(name), &nlen, &type,
                       &sub, &len, &prec, &scale, &nullable);
  printf("  SQLGetDescRec(%d): %s", (int)n, kr_rcname(rc));
  if(SQL_SUCCEEDED(rc))
    printf(" name='%s' type=%d sub=%d length=%ld precision=%d scale=%d "
           "nullable=%d", name, type, sub, (long)len, prec, scale,
           nullable);
  printf("\n");
  if(rc == SQL_ERROR)
    kr_diag(SQL_HANDLE_DESC, d);
}

int main(int argc, char **argv)
{
  SQLHSTMT h;
  SQLHDESC ard, apd, ird, ipd, mine = NULL;
  SQLRETURN rc;
  SQLSMALLINT i;

  kr_init(argc, argv);
  kr_connect(SQL_OV_ODBC3);
  h = kr_stmt();
  SQLGetStmtAttr(h, SQL_ATTR_APP_ROW_DESC, &ard, 0, NULL);
  SQLGetStmtAttr(h, SQL_ATTR_APP_PARAM_DESC, &apd, 0, NULL);
  SQLGetStmtAttr(h, SQL_ATTR_IMP_ROW_DESC, &ird, 0, NULL);
  SQLGetStmtAttr(h, SQL_ATTR_IMP_PARAM_DESC, &ipd, 0, NULL);

  printf("-- IRD before SQLPrepare\n");
  rec(ird, 1);

  printf("-- IRD of a prepared statement\n");
  rc = kr_prepare(h, "SELECT \"$id\", company, since, 更新日時 FROM 顧客マスタ "
                     "WHERE \"$id\" = ?");
  KR_MUST_STMT(rc, "SQLPrepare", h);
  desc_small(ird, 0, SQL_DESC_COUNT, "SQL_DESC_COUNT");
  desc_small(ird, 0, SQL_DESC_ALLOC_TYPE, "SQL_DESC_ALLOC_TYPE");
  for(i = 1; i <= 4; i++) {
    printf("  column %d\n", (int)i);
    desc_str(ird, i, SQL_DESC_NAME, "NAME");
    desc_small(ird, i, SQL_DESC_TYPE, "TYPE");
    desc_small(ird, i, SQL_DESC_CONCISE_TYPE, "CONCISE_TYPE");
    desc_small(ird, i, SQL_DESC_DATETIME_INTERVAL_CODE,
               "DATETIME_INTERVAL_CODE");
    desc_len(ird, i, SQL_DESC_LENGTH, "LENGTH");
    desc_len(ird, i, SQL_DESC_OCTET_LENGTH, "OCTET_LENGTH");
    desc_len(ird, i, SQL_DESC_DISPLAY_SIZE, "DISPLAY_SIZE");
    desc_str(ird, i, SQL_DESC_TYPE_NAME, "TYPE_NAME");
    desc_small(ird, i, SQL_DESC_UNSIGNED, "UNSIGNED");
    desc_small(ird, i, SQL_DESC_UPDATABLE, "UPDATABLE");
  }
  rec(ird, 2);
  rec(ird, 5);
  rc = SQLSetDescField(ird, 1, SQL_DESC_CONCISE_TYPE,
                       (SQLPOINTER)SQL_INTEGER, 0);
  kr_report("SQLSetDescField(IRD)", rc, SQL_HANDLE_DESC, ird);
  rc = SQLGetDescField(ird, 1, 9999, NULL, 0, NULL);
  kr_report("SQLGetDescField(field 9999)", rc, SQL_HANDLE_DESC, ird);

  printf("-- a parameter bound through APD/IPD fields\n");
  {
    SQLINTEGER id = 3;
    SQLLEN ind = 0;
    SQLSetDescField(apd, 1, SQL_DESC_CONCISE_TYPE, (SQLPOINTER)SQL_C_SLONG,
                    0);
    SQLSetDescField(apd, 1, SQL_DESC_INDICATOR_PTR, &ind, 0);
    SQLSetDescField(apd, 1, SQL_DESC_OCTET_LENGTH_PTR, &ind, 0);
    SQLSetDescField(apd, 1, SQL_DESC_DATA_PTR, &id, 0);
    SQLSetDescField(ipd, 1, SQL_DESC_CONCISE_TYPE, (SQLPOINTER)SQL_INTEGER,
                    0);
    SQLSetDescField(ipd, 1, SQL_DESC_PARAMETER_TYPE,
                    (SQLPOINTER)SQL_PARAM_INPUT, 0);
    desc_small(apd, 0, SQL_DESC_COUNT, "APD SQL_DESC_COUNT");
    desc_small(ipd, 1, SQL_DESC_TYPE, "IPD TYPE");
    rc = SQLExecute(h);
    KR_MUST_STMT(rc, "SQLExecute", h);
  }

  printf("-- a column bound through ARD fields (a date as a struct)\n");
  {
    SQL_DATE_STRUCT d;
    SQLLEN ind = 0;
    SQLBIGINT id = 0;
    SQLSetDescField(ard, 3, SQL_DESC_TYPE, (SQLPOINTER)SQL_DATETIME, 0);
    SQLSetDescField(ard, 3, SQL_DESC_DATETIME_INTERVAL_CODE,
                    (SQLPOINTER)SQL_CODE_DATE, 0);
    SQLSetDescField(ard, 3, SQL_DESC_INDICATOR_PTR, &ind, 0);
    SQLSetDescField(ard, 3, SQL_DESC_DATA_PTR, &d, 0);
    SQLSetDescRec(ard, 1, SQL_C_SBIGINT, 0, sizeof(id), 0, 0, &id, NULL,
                  NULL);
    desc_small(ard, 0, SQL_DESC_COUNT, "ARD SQL_DESC_COUNT");
    desc_small(ard, 3, SQL_DESC_CONCISE_TYPE, "ARD 3 CONCISE_TYPE");
    rec(ard, 1);
    rec(ard, 3);
    rc = SQLFetch(h);
    printf("SQLFetch: %s id=%lld since=%04d-%02d-%02d ind=%ld\n",
           kr_rcname(rc), (long long)id, d.year, d.month, d.day, (long)ind);
    SQLFreeStmt(h, SQL_CLOSE);
    SQLFreeStmt(h, SQL_UNBIND);
    desc_small(ard, 0, SQL_DESC_COUNT, "ARD SQL_DESC_COUNT after UNBIND");
  }

  printf("-- header fields\n");
  {
    SQLULEN size = 0;
    SQLSetStmtAttr(h, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)7, 0);
    SQLGetDescField(ard, 0, SQL_DESC_ARRAY_SIZE, &size, 0, NULL);
    printf("    ARD ARRAY_SIZE after ROW_ARRAY_SIZE 7: %lu\n",
           (unsigned long)size);
    SQLSetDescField(ard, 0, SQL_DESC_ARRAY_SIZE, (SQLPOINTER)1, 0);
    SQLGetStmtAttr(h, SQL_ATTR_ROW_ARRAY_SIZE, &size, 0, NULL);
    printf("    ROW_ARRAY_SIZE after ARRAY_SIZE 1: %lu\n",
           (unsigned long)size);
  }

  printf("-- explicit descriptor\n");
  rc = SQLAllocHandle(SQL_HANDLE_DESC, kr_dbc, &mine);
  kr_report("SQLAllocHandle(DESC)", rc, SQL_HANDLE_DBC, kr_dbc);
  if(SQL_SUCCEEDED(rc)) {
    SQLWCHAR company[64];
    SQLLEN ind = 0;
    char u[256];
    desc_small(mine, 0, SQL_DESC_ALLOC_TYPE, "SQL_DESC_ALLOC_TYPE");
    SQLSetDescField(mine, 1, SQL_DESC_CONCISE_TYPE, (SQLPOINTER)SQL_C_WCHAR,
                    0);
    SQLSetDescField(mine, 1, SQL_DESC_OCTET_LENGTH,
                    (SQLPOINTER)sizeof(company), 0);
    SQLSetDescField(mine, 1, SQL_DESC_INDICATOR_PTR, &ind, 0);
    SQLSetDescField(mine, 1, SQL_DESC_OCTET_LENGTH_PTR, &ind, 0);
    SQLSetDescField(mine, 1, SQL_DESC_DATA_PTR, company, 0);
    rc = SQLSetStmtAttr(h, SQL_ATTR_APP_ROW_DESC, mine, 0);
    kr_report("SQLSetStmtAttr(APP_ROW_DESC)", rc, SQL_HANDLE_STMT, h);
    rc = kr_execdirect(h, "SELECT company FROM 顧客マスタ WHERE \"$id\" = 2");
    KR_MUST_STMT(rc, "SQLExecDirect", h);
    rc = SQLFetch(h);
    kr_u8(company, -1, u, sizeof(u));
    printf("SQLFetch: %s '%s' ind=%ld\n", kr_rcname(rc), u, (long)ind);
    SQLFreeStmt(h, SQL_CLOSE);

    printf("-- SQLCopyDesc(IRD -> explicit)\n");
    rc = kr_prepare(h, "SELECT \"$id\", rank FROM 顧客マスタ");
    KR_MUST_STMT(rc, "SQLPrepare", h);
    rc = SQLCopyDesc(ird, mine);
    kr_report("SQLCopyDesc", rc, SQL_HANDLE_DESC, mine);
    desc_small(mine, 0, SQL_DESC_COUNT, "SQL_DESC_COUNT");
    rec(mine, 2);
    rc = SQLCopyDesc(mine, ird);
    kr_report("SQLCopyDesc(-> IRD)", rc, SQL_HANDLE_DESC, ird);
    SQLFreeStmt(h, SQL_CLOSE);

    /* freeing it returns the statement to its implicit ARD */
    rc = SQLFreeHandle(SQL_HANDLE_DESC, mine);
    printf("SQLFreeHandle(DESC): %s\n", kr_rcname(rc));
    {
      SQLHDESC now = NULL;
      SQLGetStmtAttr(h, SQL_ATTR_APP_ROW_DESC, &now, 0, NULL);
      printf("APP_ROW_DESC is the implicit ARD again: %s\n",
             now == ard ? "yes" : "no");
    }
  }
  rc = SQLSetStmtAttr(h, SQL_ATTR_APP_ROW_DESC, ird, 0);
  kr_report("SQLSetStmtAttr(APP_ROW_DESC, IRD)", rc, SQL_HANDLE_STMT, h);
  rc = SQLFreeHandle(SQL_HANDLE_DESC, ard);
  kr_report("SQLFreeHandle(implicit ARD)", rc, SQL_HANDLE_DESC, ard);

  SQLFreeHandle(SQL_HANDLE_STMT, h);
  kr_disconnect();
  return 0;
}
