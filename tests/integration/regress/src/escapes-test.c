/*
 * escapes-test.c - ODBC escape clauses in SQLExecDirect and SQLPrepare:
 * {d}, {t}, {ts}, {fn ...} mapped to SQLite functions, nested escapes,
 * {oj}, {escape}, braces inside literals, {call} refused (HYC00),
 * malformed escapes (42000), SQL_ATTR_NOSCAN.
 */
#include "common.h"

int main(int argc, char **argv)
{
  SQLHSTMT h;
  SQLRETURN rc;

  kr_init(argc, argv);
  kr_connect(SQL_OV_ODBC3);
  h = kr_stmt();
  kr_exec_print(h, "SELECT {d '2024-01-02'} AS d, {t '10:11:12'} AS t, "
                   "{ts '2024-01-02 03:04:05'} AS ts");
  kr_exec_print(h, "SELECT {fn UCASE('abc')} AS u, {fn LCASE('ÄBC')} AS l, "
                   "{fn CONCAT('日本', {fn UCASE('x')})} AS c, "
                   "{fn LENGTH('ab  ')} AS len, {fn LEFT('日本語', 2)} AS le, "
                   "{fn RIGHT('日本語', 2)} AS ri, "
                   "{fn SUBSTRING('abcdef', 2, 3)} AS sub");
  kr_exec_print(h, "SELECT {fn LOCATE('b', 'abcb')} AS l1, "
                   "{fn LOCATE('b', 'abcb', 3)} AS l2, {fn MOD(7, 3)} AS m, "
                   "{fn ABS(-2)} AS a, {fn ROUND(2.567, 1)} AS r, "
                   "{fn CEILING(1.2)} AS ce, {fn POWER(2, 10)} AS p, "
                   "{fn IFNULL(NULL, 'x')} AS i");
  kr_exec_print(h, "SELECT {fn YEAR({d '2024-05-06'})} AS y, "
                   "{fn MONTH({ts '2024-05-06 07:08:09'})} AS mo, "
                   "{fn DAYOFMONTH('2024-05-06')} AS d, "
                   "{fn DAYOFWEEK('2024-05-06')} AS dw, "
                   "{fn DAYOFYEAR('2024-05-06')} AS dy, "
                   "{fn QUARTER('2024-05-06')} AS q, "
                   "{fn HOUR({t '07:08:09'})} AS h, "
                   "{fn MINUTE('07:08:09')} AS mi, "
                   "{fn SECOND('07:08:09')} AS s");
  kr_exec_print(h, "SELECT {fn CONVERT('12', SQL_INTEGER)} + 1 AS i, "
                   "{fn CONVERT(3, SQL_VARCHAR)} || 'x' AS v, "
                   "length({fn CURDATE()}) AS cd, "
                   "length({fn NOW()}) AS n");
  kr_exec_print(h, "SELECT '{not an escape}' AS lit, \"{x}\" FROM "
                   "(SELECT 1 AS \"{x}\") -- {comment}\n");
  kr_exec_print(h, "SELECT \"$id\", company FROM 顧客マスタ WHERE "
                   "\"$id\" <= {fn ABS(-2)} AND company LIKE '%!%%' "
                   "{escape '!'} ORDER BY \"$id\"");
  kr_exec_print(h, "SELECT c.customer_id, count(s.\"$id\") AS deals FROM "
                   "{oj 顧客マスタ c LEFT OUTER JOIN 販売管理 s ON "
                   "s.customer_id = c.customer_id} WHERE c.\"$id\" <= 2 "
                   "GROUP BY c.customer_id ORDER BY c.customer_id");
  kr_exec_print(h, "{call my_procedure(1)}");
  kr_exec_print(h, "{?= call my_function(1)}");
  kr_exec_print(h, "SELECT {fn UCASE('a'}");
  kr_exec_print(h, "SELECT {d '2024-01-02'");
  kr_exec_print(h, "SELECT {xyz 1}");
  kr_exec_print(h, "SELECT {d 2024}");

  printf("-- prepared with an escape and a parameter\n");
  rc = kr_prepare(h, "SELECT {fn UCASE(?)} AS u");
  KR_MUST_STMT(rc, "SQLPrepare", h);
  {
    SQLLEN nts = SQL_NTS;
    SQLBindParameter(h, 1, SQL_PARAM_INPUT, SQL_C_CHAR, SQL_VARCHAR, 10, 0,
                     "abc", 4, &nts);
    rc = SQLExecute(h);
    KR_MUST_STMT(rc, "SQLExecute", h);
    kr_print_rows(h, -1);
  }
  SQLFreeStmt(h, SQL_RESET_PARAMS);

  printf("-- SQL_ATTR_NOSCAN on: escapes reach SQLite unchanged\n");
  SQLSetStmtAttr(h, SQL_ATTR_NOSCAN, (SQLPOINTER)SQL_NOSCAN_ON, 0);
  kr_exec_print(h, "SELECT {d '2024-01-02'}");
  SQLSetStmtAttr(h, SQL_ATTR_NOSCAN, (SQLPOINTER)SQL_NOSCAN_OFF, 0);
  SQLFreeHandle(SQL_HANDLE_STMT, h);
  kr_disconnect();
  return 0;
}
