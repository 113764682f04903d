/*
 * kbench - reads a whole Kintone table through the unixODBC driver
 * manager the way a BI tool does (block cursor, bound columns) and
 * reports rows, wall time (from connecting to the last row), the part of
 * it spent connecting (the app list), CPU time over the same span (this
 * program's own result buffers are mapped in before) and peak RSS as one
 * line of key=value pairs.
 *
 *   kbench "DSN=...;MaxConcurrency=8" 'SELECT * FROM "Synthetic"' [rows]
 *
 * Not a test: bench/run.sh turns its output into the ratio table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <sql.h>
#include <sqlext.h>

#define ROWSET 256
#define COLMAX 64
#define CELL 512

static double now(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* user + system seconds */
static double cpu_of(const struct rusage *ru)
{
  return (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
         (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
}

static void die(SQLSMALLINT type, SQLHANDLE h, const char *what)
{
  SQLCHAR state[6], msg[1024];
  SQLINTEGER native;
  SQLSMALLINT len;

  if(SQLGetDiagRec(type, h, 1, state, &native, msg, sizeof(msg), &len) ==
     SQL_SUCCESS)
    fprintf(stderr, "kbench: %s: [%s] %s\n", what, state, msg);
  else
    fprintf(stderr, "kbench: %s failed\n", what);
  exit(1);
}

int main(int argc, char **argv)
{
  SQLHENV env;
  SQLHDBC dbc;
  SQLHSTMT st;
  SQLSMALLINT ncols, c;
  SQLULEN fetched = 0;
  static char cells[COLMAX][ROWSET][CELL];
  static SQLLEN inds[COLMAX][ROWSET];
  long long rows = 0;
  double t0, tc, t1, cpu0;
  struct rusage ru;

  if(argc < 3) {
    fprintf(stderr, "usage: kbench CONNSTR SQL\n");
    return 2;
  }
  /* the result buffers are mapped in before the clock starts: their
     first touch is this program's cost, not the driver's (on a VM with
     slow page faults, about 10 ms in the first fetch) */
  memset(cells, 1, sizeof(cells));
  memset(inds, 1, sizeof(inds));
  SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
  SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
  SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
  getrusage(RUSAGE_SELF, &ru);
  cpu0 = cpu_of(&ru);
  t0 = now();
  if(!SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *)argv[1], SQL_NTS,
                                     NULL, 0, NULL, SQL_DRIVER_NOPROMPT)))
    die(SQL_HANDLE_DBC, dbc, "connect");
  tc = now();
  SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
  SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, (SQLPOINTER)ROWSET, 0);
  SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
  if(!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *)argv[2], SQL_NTS)))
    die(SQL_HANDLE_STMT, st, "execute");
  SQLNumResultCols(st, &ncols);
  if(ncols > COLMAX)
    ncols = COLMAX;
  for(c = 0; c < ncols; c++)
    SQLBindCol(st, (SQLUSMALLINT)(c + 1), SQL_C_CHAR, cells[c], CELL,
               inds[c]);
  for(;;) {
    SQLRETURN rc = SQLFetchScroll(st, SQL_FETCH_NEXT, 0);
    if(rc == SQL_NO_DATA)
      break;
    if(!SQL_SUCCEEDED(rc))
      die(SQL_HANDLE_STMT, st, "fetch");
    rows += (long long)fetched;
  }
  t1 = now();
  getrusage(RUSAGE_SELF, &ru);
  printf("rows=%lld wall=%.3f connect=%.3f cpu=%.3f maxrss_kb=%ld\n", rows,
         t1 - t0, tc - t0, cpu_of(&ru) - cpu0, ru.ru_maxrss);
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  SQLDisconnect(dbc);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  return 0;
}
