/*
 * common.h - helpers shared by the regression programs (psqlODBC style).
 *
 * Each <area>-test.c is an ODBC application linked with the driver
 * manager (libodbc), never with the driver.  It prints what it sees: rows,
 * return codes and diagnostics, and run.sh diffs that output with
 * expected/<area>.out.  Run with "-w" the program is a Unicode
 * application: it connects with SQLConnectW and uses the W entry points
 * (SQLExecDirectW, SQLTablesW, SQLGetDiagRecW...), so the driver manager
 * keeps the connection in Unicode mode; the output must be the same.
 *
 *   int main(int argc, char **argv)
 *   {
 *     kr_init(argc, argv);
 *     kr_connect(SQL_OV_ODBC3);
 *     kr_exec_print("SELECT 1");
 *     kr_disconnect();
 *     return 0;
 *   }
 *
 * Environment: KR_DSN (default KintoneDemo).
 */
#ifndef KR_COMMON_H
#define KR_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sql.h>
#include <sqlext.h>
#include <sqlucode.h>

/* Helpers are static: not every program uses every one. */
#define KR_API static __attribute__((unused))

static int kr_wide;             /* 1: Unicode application (-w) */
static SQLHENV kr_env;
static SQLHDBC kr_dbc;

/* ---------------------------------------------------------- UTF-16 */

/* UTF-8 -> new UTF-16 string (free); NULL stays NULL. */
KR_API SQLWCHAR *kr_w(const char *s)
{
  size_t n = s ? strlen(s) : 0, o = 0;
  const unsigned char *p = (const unsigned char *)s;
  SQLWCHAR *w;

  if(!s)
    return NULL;
  w = calloc(n + 1, sizeof(SQLWCHAR));
  while(*p) {
    unsigned long c;
    if(*p < 0x80)
      c = *p++;
    else if(*p < 0xe0) {
      c = ((unsigned long)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
      p += 2;
    }
    else if(*p < 0xf0) {
      c = ((unsigned long)(p[0] & 0x0f) << 12) |
          ((unsigned long)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
      p += 3;
    }
    else {
      c = ((unsigned long)(p[0] & 0x07) << 18) |
          ((unsigned long)(p[1] & 0x3f) << 12) |
          ((unsigned long)(p[2] & 0x3f) << 6) | (p[3] & 0x3f);
      p += 4;
    }
    if(c >= 0x10000) {
      c -= 0x10000;
      w[o++] = (SQLWCHAR)(0xd800 + (c >> 10));
      w[o++] = (SQLWCHAR)(0xdc00 + (c & 0x3ff));
    }
    else
      w[o++] = (SQLWCHAR)c;
  }
  w[o] = 0;
  return w;
}

/* UTF-16 (n units, or NUL-terminated when n < 0) -> UTF-8 in out. */
KR_API void kr_u8(const SQLWCHAR *w, long n, char *out, size_t cap)
{
  size_t o = 0;
  long i;

  for(i = 0; (n < 0 ? w[i] != 0 : i < n) && o + 5 < cap; i++) {
    unsigned long c = w[i];
    if(c >= 0xd800 && c < 0xdc00 && (n < 0 || i + 1 < n) &&
       w[i + 1] >= 0xdc00 && w[i + 1] < 0xe000) {
      c = 0x10000 + ((c - 0xd800) << 10) + (w[i + 1] - 0xdc00);
      i++;
    }
    if(c < 0x80)
      out[o++] = (char)c;
    else if(c < 0x800) {
      out[o++] = (char)(0xc0 | (c >> 6));
      out[o++] = (char)(0x80 | (c & 0x3f));
    }
    else if(c < 0x10000) {
      out[o++] = (char)(0xe0 | (c >> 12));
      out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
      out[o++] = (char)(0x80 | (c & 0x3f));
    }
    else {
      out[o++] = (char)(0xf0 | (c >> 18));
      out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
      out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
      out[o++] = (char)(0x80 | (c & 0x3f));
    }
  }
  out[o] = '\0';
}

/* ------------------------------------------------------- printing */

KR_API const char *kr_rcname(SQLRETURN rc)
{
  switch(rc) {
  case SQL_SUCCESS: return "SQL_SUCCESS";
  case SQL_SUCCESS_WITH_INFO: return "SQL_SUCCESS_WITH_INFO";
  case SQL_NO_DATA: return "SQL_NO_DATA";
  case SQL_ERROR: return "SQL_ERROR";
  case SQL_INVALID_HANDLE: return "SQL_INVALID_HANDLE";
  case SQL_NEED_DATA: return "SQL_NEED_DATA";
  case SQL_STILL_EXECUTING: return "SQL_STILL_EXECUTING";
  default: return "?";
  }
}

/* Prints every diagnostic record of h: "  SQLSTATE=.. native=.. msg". */
KR_API void kr_diag(SQLSMALLINT type, SQLHANDLE h)
{
  SQLSMALLINT i, len;
  SQLINTEGER native;
  SQLRETURN rc;

  for(i = 1;; i++) {
    char state[16], msg[1024];
    if(kr_wide) {
      SQLWCHAR ws[6], wm[512];
      rc = SQLGetDiagRecW(type, h, i, ws, &native, wm, 512, &len);
      if(SQL_SUCCEEDED(rc)) {
        kr_u8(ws, 5, state, sizeof(state));
        kr_u8(wm, -1, msg, sizeof(msg));
      }
    }
    else
      rc = SQLGetDiagRec(type, h, i, (SQLCHAR *)state, &native,
                         (SQLCHAR *)msg, sizeof(msg), &len);
    if(!SQL_SUCCEEDED(rc))
      break;
    {
      /* Kintone error ids are random: mask them */
      char *id = strstr(msg, "id=");
      if(id && strchr(id, ')')) {
        memmove(id + 4, strchr(id, ')'), strlen(strchr(id, ')')) + 1);
        id[3] = '*';
      }
    }
    printf("  %s native=%d %s\n", state, (int)native, msg);
  }
}

/* Prints "what: RC" and the diagnostics of a statement. */
KR_API void kr_report(const char *what, SQLRETURN rc, SQLSMALLINT type,
                      SQLHANDLE h)
{
  printf("%s: %s\n", what, kr_rcname(rc));
  if(rc != SQL_SUCCESS && rc != SQL_NO_DATA)
    kr_diag(type, h);
}

/* Exits after printing the failure of a call that must succeed. */
KR_API void kr_must(SQLRETURN rc, const char *what, SQLSMALLINT type,
                    SQLHANDLE h)
{
  if(SQL_SUCCEEDED(rc))
    return;
  printf("FAILED %s: %s\n", what, kr_rcname(rc));
  kr_diag(type, h);
  exit(1);
}

#define KR_MUST_STMT(rc, what, h) kr_must((rc), (what), SQL_HANDLE_STMT, (h))

/* ------------------------------------------------------- connect */

KR_API void kr_init(int argc, char **argv)
{
  int i;

  for(i = 1; i < argc; i++)
    if(!strcmp(argv[i], "-w"))
      kr_wide = 1;
  setvbuf(stdout, NULL, _IOLBF, 0);
}

KR_API const char *kr_dsn(void)
{
  const char *d = getenv("KR_DSN");
  return d && *d ? d : "KintoneDemo";
}

/* Connects kr_dbc to the DSN (SQLConnect or SQLConnectW). */
KR_API SQLRETURN kr_connect_to(const char *dsn, const char *uid,
                               const char *pwd, long version, int quiet)
{
  SQLRETURN rc;

  rc = SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &kr_env);
  kr_must(rc, "SQLAllocHandle(ENV)", SQL_HANDLE_ENV, kr_env);
  rc = SQLSetEnvAttr(kr_env, SQL_ATTR_ODBC_VERSION,
                     (SQLPOINTER)(SQLLEN)version, 0);
  kr_must(rc, "SQLSetEnvAttr", SQL_HANDLE_ENV, kr_env);
  rc = SQLAllocHandle(SQL_HANDLE_DBC, kr_env, &kr_dbc);
  kr_must(rc, "SQLAllocHandle(DBC)", SQL_HANDLE_ENV, kr_env);
  if(kr_wide) {
    SQLWCHAR *d = kr_w(dsn), *u = kr_w(uid), *p = kr_w(pwd);
    rc = SQLConnectW(kr_dbc, d, SQL_NTS, u, SQL_NTS, p, SQL_NTS);
    free(d);
    free(u);
    free(p);
  }
  else
    rc = SQLConnect(kr_dbc, (SQLCHAR *)dsn, SQL_NTS, (SQLCHAR *)uid,
                    SQL_NTS, (SQLCHAR *)pwd, SQL_NTS);
  if(!quiet)
    kr_must(rc, "SQLConnect", SQL_HANDLE_DBC, kr_dbc);
  return rc;
}

KR_API void kr_connect(long version)
{
  kr_connect_to(kr_dsn(), NULL, NULL, version, 0);
  printf("connected (ODBC %s)\n", version == SQL_OV_ODBC2 ? "2" : "3");
}

KR_API void kr_disconnect(void)
{
  SQLDisconnect(kr_dbc);
  SQLFreeHandle(SQL_HANDLE_DBC, kr_dbc);
  SQLFreeHandle(SQL_HANDLE_ENV, kr_env);
  printf("disconnected\n");
}

KR_API SQLHSTMT kr_stmt(void)
{
  SQLHSTMT h;
  SQLRETURN rc = SQLAllocHandle(SQL_HANDLE_STMT, kr_dbc, &h);

  kr_must(rc, "SQLAllocHandle(STMT)", SQL_HANDLE_DBC, kr_dbc);
  return h;
}

/* ----------------------------------------------------- statements */

KR_API SQLRETURN kr_execdirect(SQLHSTMT h, const char *sql)
{
  SQLRETURN rc;

  if(kr_wide) {
    SQLWCHAR *w = kr_w(sql);
    rc = SQLExecDirectW(h, w, SQL_NTS);
    free(w);
  }
  else
    rc = SQLExecDirect(h, (SQLCHAR *)sql, SQL_NTS);
  return rc;
}

KR_API SQLRETURN kr_prepare(SQLHSTMT h, const char *sql)
{
  SQLRETURN rc;

  if(kr_wide) {
    SQLWCHAR *w = kr_w(sql);
    rc = SQLPrepareW(h, w, SQL_NTS);
    free(w);
  }
  else
    rc = SQLPrepare(h, (SQLCHAR *)sql, SQL_NTS);
  return rc;
}

/* Column name i (UTF-8) through SQLDescribeCol(W). */
KR_API void kr_colname(SQLHSTMT h, SQLUSMALLINT i, char *out, size_t cap)
{
  SQLSMALLINT len, type, digits, nullable;
  SQLULEN size;

  out[0] = '\0';
  if(kr_wide) {
    SQLWCHAR w[256];
    if(SQL_SUCCEEDED(SQLDescribeColW(h, i, w, 256, &len, &type, &size,
                                     &digits, &nullable)))
      kr_u8(w, -1, out, cap);
  }
  else
    SQLDescribeCol(h, i, (SQLCHAR *)out, (SQLSMALLINT)cap, &len, &type,
                   &size, &digits, &nullable);
}

/*
 * Reads column i of the current row as text (SQL_C_CHAR for ANSI,
 * SQL_C_WCHAR for Unicode applications, in pieces), into out; NULL
 * prints as "NULL".
 */
KR_API void kr_text(SQLHSTMT h, SQLUSMALLINT i, char *out, size_t cap)
{
  size_t o = 0;
  SQLLEN ind;
  SQLRETURN rc;

  out[0] = '\0';
  for(;;) {
    char piece[4096];
    if(kr_wide) {
      SQLWCHAR w[64];
      rc = SQLGetData(h, i, SQL_C_WCHAR, w, sizeof(w), &ind);
      if(SQL_SUCCEEDED(rc) && ind != SQL_NULL_DATA)
        kr_u8(w, -1, piece, sizeof(piece));
    }
    else {
      rc = SQLGetData(h, i, SQL_C_CHAR, piece, 64, &ind);
    }
    if(rc == SQL_NO_DATA)
      break;
    if(!SQL_SUCCEEDED(rc)) {
      snprintf(out, cap, "<error>");
      kr_diag(SQL_HANDLE_STMT, h);
      return;
    }
    if(ind == SQL_NULL_DATA) {
      snprintf(out, cap, "NULL");
      return;
    }
    if(o + strlen(piece) + 1 < cap) {
      memcpy(out + o, piece, strlen(piece) + 1);
      o += strlen(piece);
    }
    if(rc == SQL_SUCCESS)
      break;
  }
}

/* Prints the open result set: a header of names, rows joined by '|'. */
KR_API void kr_print_rows(SQLHSTMT h, long maxrows)
{
  SQLSMALLINT n = 0, i;
  long rows = 0;
  SQLRETURN rc;

  SQLNumResultCols(h, &n);
  for(i = 1; i <= n; i++) {
    char name[512];
    kr_colname(h, (SQLUSMALLINT)i, name, sizeof(name));
    printf("%s%s", i > 1 ? "|" : "", name);
  }
  printf("\n");
  while((rc = SQLFetch(h)) != SQL_NO_DATA) {
    if(!SQL_SUCCEEDED(rc)) {
      kr_report("SQLFetch", rc, SQL_HANDLE_STMT, h);
      break;
    }
    rows++;
    if(maxrows >= 0 && rows > maxrows)
      continue;
    for(i = 1; i <= n; i++) {
      char v[8192];
      kr_text(h, (SQLUSMALLINT)i, v, sizeof(v));
      printf("%s%s", i > 1 ? "|" : "", v);
    }
    printf("\n");
  }
  printf("(%ld rows)\n", rows);
  SQLFreeStmt(h, SQL_CLOSE);
}

/* Runs sql and prints its result (or its diagnostics). */
KR_API void kr_exec_print(SQLHSTMT h, const char *sql)
{
  SQLRETURN rc = kr_execdirect(h, sql);

  printf("-- %s\n", sql);
  if(!SQL_SUCCEEDED(rc)) {
    kr_report("SQLExecDirect", rc, SQL_HANDLE_STMT, h);
    SQLFreeStmt(h, SQL_CLOSE);
    return;
  }
  if(rc == SQL_SUCCESS_WITH_INFO)
    kr_report("SQLExecDirect", rc, SQL_HANDLE_STMT, h);
  kr_print_rows(h, -1);
}

#endif
