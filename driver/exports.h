/*
 * exports.h - the list of ODBC functions this driver exports.
 *
 * Layer: driver.  X-macro: KD_EXPORT(name, SQL_API_id).  SQLGetFunctions
 * answers from this list, and tests/unit/check_exports.sh compares it
 * with the dynamic symbols of libkintoneodbc.so, so the two cannot drift
 * apart (unixODBC disables every function the driver does not flag).
 * W variants are listed separately only as symbols; SQLGetFunctions
 * reports the function id once.
 */
#define KD_EXPORTS(X)                                           \
  X(SQLAllocHandle, SQL_API_SQLALLOCHANDLE)                     \
  X(SQLFreeHandle, SQL_API_SQLFREEHANDLE)                       \
  X(SQLFreeStmt, SQL_API_SQLFREESTMT)                           \
  X(SQLSetEnvAttr, SQL_API_SQLSETENVATTR)                       \
  X(SQLGetEnvAttr, SQL_API_SQLGETENVATTR)                       \
  X(SQLGetFunctions, SQL_API_SQLGETFUNCTIONS)                   \
  X(SQLConnect, SQL_API_SQLCONNECT)                             \
  X(SQLDriverConnect, SQL_API_SQLDRIVERCONNECT)                 \
  X(SQLDisconnect, SQL_API_SQLDISCONNECT)                       \
  X(SQLEndTran, SQL_API_SQLENDTRAN)                             \
  X(SQLGetInfo, SQL_API_SQLGETINFO)                             \
  X(SQLGetDiagRec, SQL_API_SQLGETDIAGREC)                       \
  X(SQLGetDiagField, SQL_API_SQLGETDIAGFIELD)                   \
  X(SQLSetConnectAttr, SQL_API_SQLSETCONNECTATTR)               \
  X(SQLGetConnectAttr, SQL_API_SQLGETCONNECTATTR)               \
  X(SQLSetStmtAttr, SQL_API_SQLSETSTMTATTR)                     \
  X(SQLGetStmtAttr, SQL_API_SQLGETSTMTATTR)                     \
  X(SQLPrepare, SQL_API_SQLPREPARE)                             \
  X(SQLExecute, SQL_API_SQLEXECUTE)                             \
  X(SQLExecDirect, SQL_API_SQLEXECDIRECT)                       \
  X(SQLNativeSql, SQL_API_SQLNATIVESQL)                         \
  X(SQLNumResultCols, SQL_API_SQLNUMRESULTCOLS)                 \
  X(SQLDescribeCol, SQL_API_SQLDESCRIBECOL)                     \
  X(SQLColAttribute, SQL_API_SQLCOLATTRIBUTE)                   \
  X(SQLBindCol, SQL_API_SQLBINDCOL)                             \
  X(SQLFetch, SQL_API_SQLFETCH)                                 \
  X(SQLFetchScroll, SQL_API_SQLFETCHSCROLL)                     \
  X(SQLGetData, SQL_API_SQLGETDATA)                             \
  X(SQLRowCount, SQL_API_SQLROWCOUNT)                           \
  X(SQLMoreResults, SQL_API_SQLMORERESULTS)                     \
  X(SQLCloseCursor, SQL_API_SQLCLOSECURSOR)                     \
  X(SQLCancel, SQL_API_SQLCANCEL)                               \
  X(SQLNumParams, SQL_API_SQLNUMPARAMS)                         \
  X(SQLBindParameter, SQL_API_SQLBINDPARAMETER)                 \
  X(SQLDescribeParam, SQL_API_SQLDESCRIBEPARAM)                 \
  X(SQLParamData, SQL_API_SQLPARAMDATA)                         \
  X(SQLPutData, SQL_API_SQLPUTDATA)                             \
  X(SQLGetDescField, SQL_API_SQLGETDESCFIELD)                   \
  X(SQLSetDescField, SQL_API_SQLSETDESCFIELD)                   \
  X(SQLGetDescRec, SQL_API_SQLGETDESCREC)                       \
  X(SQLSetDescRec, SQL_API_SQLSETDESCREC)                       \
  X(SQLCopyDesc, SQL_API_SQLCOPYDESC)                           \
  X(SQLTables, SQL_API_SQLTABLES)                               \
  X(SQLColumns, SQL_API_SQLCOLUMNS)                             \
  X(SQLGetTypeInfo, SQL_API_SQLGETTYPEINFO)                     \
  X(SQLPrimaryKeys, SQL_API_SQLPRIMARYKEYS)                     \
  X(SQLStatistics, SQL_API_SQLSTATISTICS)                       \
  X(SQLSpecialColumns, SQL_API_SQLSPECIALCOLUMNS)               \
  X(SQLForeignKeys, SQL_API_SQLFOREIGNKEYS)                     \
  X(SQLProcedures, SQL_API_SQLPROCEDURES)                       \
  X(SQLProcedureColumns, SQL_API_SQLPROCEDURECOLUMNS)           \
  X(SQLTablePrivileges, SQL_API_SQLTABLEPRIVILEGES)             \
  X(SQLColumnPrivileges, SQL_API_SQLCOLUMNPRIVILEGES)

/* Functions exported in both ANSI and W (UTF-16) forms. */
#define KD_WIDE_EXPORTS(X)                                      \
  X(SQLConnect) X(SQLDriverConnect) X(SQLGetInfo)               \
  X(SQLGetDiagRec) X(SQLGetDiagField) X(SQLSetConnectAttr)      \
  X(SQLGetConnectAttr) X(SQLSetStmtAttr) X(SQLGetStmtAttr)      \
  X(SQLPrepare) X(SQLExecDirect) X(SQLNativeSql)                \
  X(SQLDescribeCol) X(SQLColAttribute) X(SQLTables)             \
  X(SQLColumns) X(SQLGetTypeInfo) X(SQLPrimaryKeys)            \
  X(SQLStatistics) X(SQLSpecialColumns) X(SQLForeignKeys)       \
  X(SQLProcedures) X(SQLProcedureColumns)                       \
  X(SQLTablePrivileges) X(SQLColumnPrivileges)                 \
  X(SQLGetDescField) X(SQLSetDescField) X(SQLGetDescRec)
