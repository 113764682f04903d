/*
 * odbc_smoke.c - a small ODBC application for the sanitizer and valgrind
 * suites (tests/suites/90-sanitizers.sh, 91-valgrind.sh).
 *
 * Goes through the driver manager (libodbc), never the driver directly:
 * connects to a DSN, runs each line of an SQL file and prints the result
 * set the way `isql -b -d'|' -c` does (header line, then rows; NULL is
 * empty), so the output can be compared with
 * tests/integration/isql/expected/<name>.out.  Then disconnects and
 * frees every handle, so that leak checkers see a clean exit.
 *
 *   odbc_smoke DSN FILE.sql getdata|bindcol|wgetdata [ITERATIONS]
 *
 *   getdata   SQLGetData(SQL_C_CHAR) in 7-byte pieces (exercises 01004)
 *   bindcol   SQLBindCol(SQL_C_CHAR) on every column, rowset of 1
 *   wgetdata  SQLGetData(SQL_C_WCHAR) converted back to UTF-8
 *
 * Exit status 0 when every statement succeeded, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sql.h>
#include <sqlext.h>

#define MAXCOLS 64
#define COLBUF 4096

static void diag(SQLSMALLINT type, SQLHANDLE h, const char *what)
{
  SQLCHAR state[6], msg[1024];
  SQLINTEGER native;
  SQLSMALLINT len, i;

  for(i = 1; SQLGetDiagRec(type, h, i, state, &native, msg, sizeof(msg),
                           &len) == SQL_SUCCESS; i++)
    fprintf(stderr, "%s: [%s] %d %s\n", what, state, (int)native, msg);
}

/* Appends UTF-16 (n code units) to out as UTF-8. */
static void utf16_to_utf8(const SQLWCHAR *w, size_t n, char *out,
                          size_t outlen)
{
  size_t i, o = 0;

  for(i = 0; i < n && o + 5 < outlen; i++) {
    unsigned long c = w[i];
    if(c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
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

/* Reads column `col` of the current row with SQLGetData in pieces. */
static int get_col(SQLHSTMT st, SQLUSMALLINT col, int wide, char *out,
                   size_t outlen)
{
  size_t used = 0;

  out[0] = '\0';
  for(;;) {
    SQLLEN ind = 0;
    SQLRETURN rc;
    if(wide) {
      SQLWCHAR w[COLBUF];
      rc = SQLGetData(st, col, SQL_C_WCHAR, w, sizeof(w), &ind);
      if(rc == SQL_NO_DATA)
        return 0;
      if(!SQL_SUCCEEDED(rc)) {
        diag(SQL_HANDLE_STMT, st, "SQLGetData(W)");
        return -1;
      }
      if(ind == SQL_NULL_DATA)
        return 0;
      {
        size_t n = ind == SQL_NO_TOTAL || (size_t)ind >= sizeof(w) ?
                   sizeof(w) / sizeof(w[0]) - 1 : (size_t)ind / sizeof(w[0]);
        utf16_to_utf8(w, n, out + used, outlen - used);
        used += strlen(out + used);
      }
    }
    else {
      char piece[8];
      rc = SQLGetData(st, col, SQL_C_CHAR, piece, sizeof(piece), &ind);
      if(rc == SQL_NO_DATA)
        return 0;
      if(!SQL_SUCCEEDED(rc)) {
        diag(SQL_HANDLE_STMT, st, "SQLGetData");
        return -1;
      }
      if(ind == SQL_NULL_DATA)
        return 0;
      {
        size_t n = strlen(piece);
        if(n < outlen - used) {
          memcpy(out + used, piece, n + 1);
          used += n;
        }
      }
    }
    if(rc == SQL_SUCCESS)
      return 0;
  }
}

static int run_query(SQLHDBC dbc, const char *sql, const char *mode)
{
  SQLHSTMT st;
  SQLSMALLINT ncols, i;
  static char bufs[MAXCOLS][COLBUF];
  SQLLEN inds[MAXCOLS];
  SQLRETURN rc;
  int bind = !strcmp(mode, "bindcol"), wide = !strcmp(mode, "wgetdata");
  int ret = 0;

  if(!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st)))
    return -1;
  rc = SQLExecDirect(st, (SQLCHAR *)sql, SQL_NTS);
  if(!SQL_SUCCEEDED(rc)) {
    diag(SQL_HANDLE_STMT, st, "SQLExecDirect");
    ret = -1;
    goto out;
  }
  SQLNumResultCols(st, &ncols);
  if(ncols > MAXCOLS)
    ncols = MAXCOLS;
  for(i = 1; i <= ncols; i++) {
    SQLCHAR name[256];
    SQLSMALLINT nlen, type, dec, nul;
    SQLULEN size;
    SQLDescribeCol(st, i, name, sizeof(name), &nlen, &type, &size, &dec,
                   &nul);
    printf("%s%s", i > 1 ? "|" : "", name);
    if(bind)
      SQLBindCol(st, i, SQL_C_CHAR, bufs[i - 1], COLBUF, &inds[i - 1]);
  }
  printf("\n");
  while((rc = SQLFetch(st)) != SQL_NO_DATA) {
    if(!SQL_SUCCEEDED(rc)) {
      diag(SQL_HANDLE_STMT, st, "SQLFetch");
      ret = -1;
      break;
    }
    for(i = 1; i <= ncols; i++) {
      const char *v = bufs[i - 1];
      if(bind) {
        if(inds[i - 1] == SQL_NULL_DATA)
          v = "";
      }
      else if(get_col(st, (SQLUSMALLINT)i, wide, bufs[i - 1], COLBUF)) {
        ret = -1;
        v = "";
      }
      printf("%s%s", i > 1 ? "|" : "", v);
    }
    printf("\n");
  }
  SQLCloseCursor(st);
out:
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  return ret;
}

int main(int argc, char **argv)
{
  SQLHENV env;
  SQLHDBC dbc;
  FILE *f;
  char line[8192];
  int failed = 0, iter, iters;
  char connstr[512];

  if(argc < 4) {
    fprintf(stderr, "usage: %s DSN FILE.sql getdata|bindcol|wgetdata "
            "[ITERATIONS]\n", argv[0]);
    return 2;
  }
  iters = argc > 4 ? atoi(argv[4]) : 1;
  SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
  SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
  for(iter = 0; iter < iters; iter++) {
    SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
    snprintf(connstr, sizeof(connstr), "DSN=%s", argv[1]);
    if(!SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *)connstr,
                                       SQL_NTS, NULL, 0, NULL,
                                       SQL_DRIVER_NOPROMPT))) {
      diag(SQL_HANDLE_DBC, dbc, "SQLDriverConnect");
      SQLFreeHandle(SQL_HANDLE_DBC, dbc);
      failed = 1;
      break;
    }
    f = fopen(argv[2], "r");
    if(!f) {
      perror(argv[2]);
      failed = 1;
    }
    while(f && fgets(line, sizeof(line), f)) {
      line[strcspn(line, "\r\n")] = '\0';
      if(!line[0])
        continue;
      if(run_query(dbc, line, argv[3]))
        failed = 1;
    }
    if(f)
      fclose(f);
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
  }
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  return failed;
}
