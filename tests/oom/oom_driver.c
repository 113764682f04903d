/*
 * oom_driver.c - one connect/execute/fetch/disconnect through the
 * driver's ODBC entry points with an injected allocation failure.
 *
 * Loads the driver module itself with dlopen (not through the driver
 * manager, so the only allocations counted are the driver's), and runs:
 * SQLAllocHandle(ENV, DBC, STMT), SQLDriverConnect, four statements
 * with SQLExecDirect/SQLFetch/SQLGetData, SQLDisconnect, SQLFreeHandle.
 * The failure is armed by the driver itself from the environment:
 *
 *   KINTONE_ODBC_FAIL_ALLOC_AFTER=N oom_driver DRIVER.so CONNSTR
 *
 * (util/ku_mem.c: the N+1-th ku_malloc/ku_calloc/ku_realloc and every
 * later one fail).  tests/suites/93-oom.sh runs it for N = 0, 1, 2...
 * under ASan/LSan until it completes.
 *
 * Exit status: 0  everything succeeded (N beyond the run's allocations)
 *              1  a call failed with SQLSTATE HY001 (or SQLAllocHandle
 *                 of the environment returned SQL_ERROR); handles were
 *                 freed, so a leak checker can judge the cleanup
 *              3  a call failed with another SQLSTATE or an invalid
 *                 handle: an allocation failure was reported wrongly
 *              5  SQLFreeHandle or SQLDisconnect failed afterwards
 *                 (releasing must not depend on memory)
 *              4  a call returned SQL_ERROR without any diagnostic
 *                 record (the record could not be allocated either:
 *                 acceptable, counted separately)
 *              2  usage or dlopen error
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sql.h>
#include <sqlext.h>

static SQLRETURN (*p_alloc)(SQLSMALLINT, SQLHANDLE, SQLHANDLE *);
static SQLRETURN (*p_free)(SQLSMALLINT, SQLHANDLE);
static SQLRETURN (*p_setenv)(SQLHENV, SQLINTEGER, SQLPOINTER, SQLINTEGER);
static SQLRETURN (*p_drvconn)(SQLHDBC, SQLHWND, SQLCHAR *, SQLSMALLINT,
                              SQLCHAR *, SQLSMALLINT, SQLSMALLINT *,
                              SQLUSMALLINT);
static SQLRETURN (*p_exec)(SQLHSTMT, SQLCHAR *, SQLINTEGER);
static SQLRETURN (*p_fetch)(SQLHSTMT);
static SQLRETURN (*p_getdata)(SQLHSTMT, SQLUSMALLINT, SQLSMALLINT,
                              SQLPOINTER, SQLLEN, SQLLEN *);
static SQLRETURN (*p_ncols)(SQLHSTMT, SQLSMALLINT *);
static SQLRETURN (*p_closecur)(SQLHSTMT);
static SQLRETURN (*p_disconnect)(SQLHDBC);
static SQLRETURN (*p_diag)(SQLSMALLINT, SQLHANDLE, SQLSMALLINT, SQLCHAR *,
                           SQLINTEGER *, SQLCHAR *, SQLSMALLINT,
                           SQLSMALLINT *);

static const char *const queries[] = {
  /* first: both apps' forms are requested together (ks_db_load_all) */
  "SELECT COUNT(*) FROM sys.Tables",
  "SELECT COUNT(*) FROM \"\xe8\xb2\xa9\xe5\xa3\xb2\xe7\xae\xa1\xe7\x90\x86\"",
  "SELECT \"$id\", deal_name, amount, tags, owner, order_date, closed_at "
  "FROM \"\xe8\xb2\xa9\xe5\xa3\xb2\xe7\xae\xa1\xe7\x90\x86\" "
  "WHERE \"$id\" <= 30 ORDER BY \"$id\"",
  "SELECT table_name, app_id FROM sys.Apps ORDER BY app_id",
  NULL
};

static const char *step = "start";

/* Classifies a failed call on handle h: 1 for HY001, 3 otherwise. */
static int failed(SQLRETURN rc, SQLSMALLINT type, SQLHANDLE h)
{
  SQLCHAR state[6] = "", msg[512] = "";
  SQLINTEGER native = 0;
  SQLSMALLINT len = 0;
  SQLRETURN drc = SQL_NO_DATA;

  if(rc == SQL_INVALID_HANDLE) {
    printf("%s: SQL_INVALID_HANDLE\n", step);
    return 3;
  }
  if(h)
    drc = p_diag(type, h, 1, state, &native, msg, sizeof(msg), &len);
  if(rc == SQL_ERROR && drc == SQL_NO_DATA) {
    /* every later allocation fails, so the record may be lost too */
    printf("%s: SQL_ERROR without a diagnostic record\n", step);
    return 4;
  }
  if(!strcmp((char *)state, "HY001")) {
    printf("%s: HY001 %s\n", step, msg);
    return 1;
  }
  printf("%s: unexpected SQLSTATE [%s] %s\n", step, state, msg);
  return 3;
}

/* A release call failed: prints its diagnostic; returns 5. */
static int cleanup_failed(const char *what, SQLRETURN rc, SQLSMALLINT type,
                          SQLHANDLE h)
{
  SQLCHAR state[6] = "", msg[512] = "";
  SQLINTEGER native = 0;
  SQLSMALLINT len = 0;

  if(rc != SQL_INVALID_HANDLE)
    p_diag(type, h, 1, state, &native, msg, sizeof(msg), &len);
  printf("%s failed (%d) [%s] %s after: %s\n", what, (int)rc, state, msg,
         step);
  return 5;
}

#define LOAD(var, name)                                                   \
  do {                                                                    \
    *(void **)&var = dlsym(lib, name);                                    \
    if(!var) {                                                            \
      fprintf(stderr, "missing %s\n", name);                              \
      return 2;                                                           \
    }                                                                     \
  } while(0)

int main(int argc, char **argv)
{
  void *lib;
  SQLHENV env = SQL_NULL_HENV;
  SQLHDBC dbc = SQL_NULL_HDBC;
  SQLHSTMT st = SQL_NULL_HSTMT;
  SQLRETURN rc;
  int ret = 0, connected = 0, q;

  /* unbuffered: LeakSanitizer ends the process with _exit */
  setvbuf(stdout, NULL, _IONBF, 0);
  if(argc != 3) {
    fprintf(stderr, "usage: %s DRIVER.so CONNSTR\n", argv[0]);
    return 2;
  }
  lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if(!lib) {
    fprintf(stderr, "%s\n", dlerror());
    return 2;
  }
  LOAD(p_alloc, "SQLAllocHandle");
  LOAD(p_free, "SQLFreeHandle");
  LOAD(p_setenv, "SQLSetEnvAttr");
  LOAD(p_drvconn, "SQLDriverConnect");
  LOAD(p_exec, "SQLExecDirect");
  LOAD(p_fetch, "SQLFetch");
  LOAD(p_getdata, "SQLGetData");
  LOAD(p_ncols, "SQLNumResultCols");
  LOAD(p_closecur, "SQLCloseCursor");
  LOAD(p_disconnect, "SQLDisconnect");
  LOAD(p_diag, "SQLGetDiagRec");

  step = "SQLAllocHandle(ENV)";
  rc = p_alloc(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
  if(!SQL_SUCCEEDED(rc)) {
    printf("%s: failed (%d)\n", step, (int)rc);
    ret = rc == SQL_ERROR ? 1 : 3;
    env = SQL_NULL_HENV;
    goto out;
  }
  step = "SQLSetEnvAttr";
  rc = p_setenv(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
  if(!SQL_SUCCEEDED(rc)) {
    ret = failed(rc, SQL_HANDLE_ENV, env);
    goto out;
  }
  step = "SQLAllocHandle(DBC)";
  rc = p_alloc(SQL_HANDLE_DBC, env, &dbc);
  if(!SQL_SUCCEEDED(rc)) {
    dbc = SQL_NULL_HDBC;
    ret = failed(rc, SQL_HANDLE_ENV, env);
    goto out;
  }
  step = "SQLDriverConnect";
  rc = p_drvconn(dbc, NULL, (SQLCHAR *)argv[2], SQL_NTS, NULL, 0, NULL,
                 SQL_DRIVER_NOPROMPT);
  if(!SQL_SUCCEEDED(rc)) {
    ret = failed(rc, SQL_HANDLE_DBC, dbc);
    goto out;
  }
  connected = 1;
  for(q = 0; queries[q] && !ret; q++) {
    SQLSMALLINT ncols = 0, c;
    step = "SQLAllocHandle(STMT)";
    rc = p_alloc(SQL_HANDLE_STMT, dbc, &st);
    if(!SQL_SUCCEEDED(rc)) {
      st = SQL_NULL_HSTMT;
      ret = failed(rc, SQL_HANDLE_DBC, dbc);
      break;
    }
    step = queries[q];
    rc = p_exec(st, (SQLCHAR *)queries[q], SQL_NTS);
    if(!SQL_SUCCEEDED(rc)) {
      ret = failed(rc, SQL_HANDLE_STMT, st);
      break;
    }
    p_ncols(st, &ncols);
    while(!ret && SQL_SUCCEEDED(rc = p_fetch(st))) {
      for(c = 1; c <= ncols; c++) {
        char buf[256];
        SQLLEN ind;
        rc = p_getdata(st, (SQLUSMALLINT)c, SQL_C_CHAR, buf, sizeof(buf),
                       &ind);
        if(!SQL_SUCCEEDED(rc) && rc != SQL_NO_DATA) {
          ret = failed(rc, SQL_HANDLE_STMT, st);
          break;
        }
      }
    }
    if(!ret && rc != SQL_NO_DATA)
      ret = failed(rc, SQL_HANDLE_STMT, st);
    p_closecur(st);
    p_free(SQL_HANDLE_STMT, st);
    st = SQL_NULL_HSTMT;
  }
out:
  /* releasing must work whatever happened before, without memory */
  if(st && !SQL_SUCCEEDED(rc = p_free(SQL_HANDLE_STMT, st)))
    ret = cleanup_failed("SQLFreeHandle(STMT)", rc, SQL_HANDLE_STMT, st);
  if(connected && !SQL_SUCCEEDED(rc = p_disconnect(dbc)))
    ret = cleanup_failed("SQLDisconnect", rc, SQL_HANDLE_DBC, dbc);
  if(dbc && !SQL_SUCCEEDED(rc = p_free(SQL_HANDLE_DBC, dbc)))
    ret = cleanup_failed("SQLFreeHandle(DBC)", rc, SQL_HANDLE_DBC, dbc);
  if(env && !SQL_SUCCEEDED(rc = p_free(SQL_HANDLE_ENV, env)))
    ret = cleanup_failed("SQLFreeHandle(ENV)", rc, SQL_HANDLE_ENV, env);
  /* the module stays loaded: LSan then still sees its globals */
  if(!ret)
    printf("completed\n");
  return ret;
}
