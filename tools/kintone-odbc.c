/*
 * kintone-odbc - command-line tool to create, inspect and test Kintone
 * data sources.
 *
 *   kintone-odbc dsn create NAME [--system] KEY=VALUE...
 *   kintone-odbc dsn test NAME|CONNECTION-STRING
 *   kintone-odbc dsn list
 *   kintone-odbc dsn show NAME
 *   kintone-odbc dsn remove NAME [--system]
 *   kintone-odbc dsn properties
 *
 * `dsn create` accepts only the driver's connection properties (and
 * their aliases, plus Description): a misspelt key is refused rather than
 * written to odbc.ini, where the driver would ignore it.  The list is
 * the driver's own (KD_PROPERTIES in driver/connstr.h).
 *
 * `dsn test` connects through the unixODBC driver manager exactly as an
 * application would and prints "connection available" (exit 0) or
 * "Connection unavailable: <reason>" (exit 1).  Secrets are never
 * printed: `dsn show` masks them.
 *
 * A tool, not part of the driver: it links libodbc/libodbcinst.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sql.h>
#include <sqlext.h>
#include <odbcinst.h>

#include "../driver/connstr.h"    /* KD_PROPERTIES, KD_ALIASES only */

#define DRIVER_NAME "Kintone"

struct prop {
  const char *name;
  int kind;
  const char *help;
};
#define PROP_ROW(name, kind, choices, help) {name, kind, help},
static const struct prop props[] = {
  KD_PROPERTIES(PROP_ROW) {NULL, 0, NULL}
};
#define ALIAS_ROW(alias, name) {alias, name},
static const struct {
  const char *alias;
  const char *name;
} aliases[] = {
  KD_ALIASES(ALIAS_ROW) {NULL, NULL}
};

/* The property key names (aliases resolved), or NULL when unknown. */
static const struct prop *find_prop(const char *k)
{
  int i;

  for(i = 0; aliases[i].alias; i++)
    if(!strcasecmp(k, aliases[i].alias))
      k = aliases[i].name;
  for(i = 0; props[i].name; i++)
    if(!strcasecmp(k, props[i].name))
      return &props[i];
  return NULL;
}

static int is_secret(const char *k)
{
  const struct prop *p = find_prop(k);

  return p && p->kind == KD_PK_SECRET;
}

static int dsn_properties(void)
{
  int i;

  for(i = 0; props[i].name; i++)
    printf("%-22s %s%s\n", props[i].name, props[i].help,
           props[i].kind == KD_PK_SECRET ? " (secret)" : "");
  return 0;
}

static void usage(void)
{
  fprintf(stderr,
          "usage: kintone-odbc dsn create NAME [--system] KEY=VALUE...\n"
          "       kintone-odbc dsn test NAME|CONNECTION-STRING\n"
          "       kintone-odbc dsn list\n"
          "       kintone-odbc dsn show NAME\n"
          "       kintone-odbc dsn remove NAME [--system]\n"
          "       kintone-odbc dsn properties\n");
}

/* The message of the first diagnostic without the "[..]" prefixes. */
static void first_diag(SQLSMALLINT type, SQLHANDLE h, char *out, size_t cap)
{
  SQLCHAR state[6] = "", msg[2048] = "";
  SQLINTEGER native = 0;
  SQLSMALLINT len = 0;
  const char *m;

  if(SQLGetDiagRec(type, h, 1, state, &native, msg, sizeof(msg), &len) !=
     SQL_SUCCESS && !msg[0]) {
    snprintf(out, cap, "unknown error");
    return;
  }
  m = (const char *)msg;
  while(*m == '[') {
    const char *e = strchr(m, ']');
    if(!e)
      break;
    m = e + 1;
  }
  while(*m == ' ')
    m++;
  snprintf(out, cap, "[%s] %s", state, m);
}

static int dsn_test(const char *arg)
{
  SQLHENV env = SQL_NULL_HENV;
  SQLHDBC dbc = SQL_NULL_HDBC;
  char cs[4096], reason[2300];
  SQLRETURN rc;

  if(strchr(arg, '='))
    snprintf(cs, sizeof(cs), "%s", arg);
  else
    snprintf(cs, sizeof(cs), "DSN=%s", arg);
  SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
  SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
  SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
  rc = SQLDriverConnect(dbc, NULL, (SQLCHAR *)cs, SQL_NTS, NULL, 0, NULL,
                        SQL_DRIVER_NOPROMPT);
  if(SQL_SUCCEEDED(rc)) {
    printf("connection available\n");
    SQLDisconnect(dbc);
  }
  else {
    first_diag(SQL_HANDLE_DBC, dbc, reason, sizeof(reason));
    printf("Connection unavailable: %s\n", reason);
  }
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  return SQL_SUCCEEDED(rc) ? 0 : 1;
}

static int dsn_list(void)
{
  SQLHENV env;
  SQLCHAR name[256], desc[256];
  SQLSMALLINT nl, dl;
  SQLUSMALLINT dir = SQL_FETCH_FIRST;

  SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
  SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER)SQL_OV_ODBC3, 0);
  while(SQL_SUCCEEDED(SQLDataSources(env, dir, name, sizeof(name), &nl,
                                     desc, sizeof(desc), &dl))) {
    if(!strcasecmp((char *)desc, DRIVER_NAME))
      printf("%s\n", name);
    dir = SQL_FETCH_NEXT;
  }
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  return 0;
}

static int dsn_show(const char *name)
{
  char keys[8192], val[4096];
  int n = SQLGetPrivateProfileString(name, NULL, "", keys, sizeof(keys),
                                     "odbc.ini");
  const char *k;

  if(n <= 0) {
    fprintf(stderr, "kintone-odbc: data source '%s' not found\n", name);
    return 1;
  }
  printf("[%s]\n", name);
  for(k = keys; *k; k += strlen(k) + 1) {
    SQLGetPrivateProfileString(name, k, "", val, sizeof(val), "odbc.ini");
    printf("%s = %s\n", k, (is_secret(k) && *val) ? "****" : val);
  }
  return 0;
}

static int set_mode(int system)
{
  return SQLSetConfigMode(system ? ODBC_SYSTEM_DSN : ODBC_USER_DSN) ? 0 : 1;
}

static int dsn_create(const char *name, int argc, char **argv)
{
  int i, system = 0;

  for(i = 0; i < argc; i++) {
    const char *eq = strchr(argv[i], '=');
    char key[256];
    if(!strcmp(argv[i], "--system")) {
      system = 1;
      continue;
    }
    if(!eq || eq == argv[i] || (size_t)(eq - argv[i]) >= sizeof(key)) {
      fprintf(stderr, "kintone-odbc: expected KEY=VALUE, got '%s'\n",
              argv[i]);
      return 2;
    }
    memcpy(key, argv[i], (size_t)(eq - argv[i]));
    key[eq - argv[i]] = '\0';
    if(!find_prop(key) && strcasecmp(key, "Description")) {
      fprintf(stderr, "kintone-odbc: '%s' is not a Kintone connection "
              "property (see: kintone-odbc dsn properties)\n", key);
      return 2;
    }
  }
  if(set_mode(system) || !SQLWriteDSNToIni(name, DRIVER_NAME)) {
    fprintf(stderr, "kintone-odbc: cannot create data source '%s' "
            "(is the driver '%s' registered?)\n", name, DRIVER_NAME);
    return 1;
  }
  for(i = 0; i < argc; i++) {
    char *eq;
    if(!strcmp(argv[i], "--system"))
      continue;
    eq = strchr(argv[i], '=');
    if(!eq || eq == argv[i]) {
      fprintf(stderr, "kintone-odbc: expected KEY=VALUE, got '%s'\n",
              argv[i]);
      return 2;
    }
    *eq = '\0';
    if(!SQLWritePrivateProfileString(name, argv[i], eq + 1, "odbc.ini")) {
      fprintf(stderr, "kintone-odbc: cannot write %s\n", argv[i]);
      return 1;
    }
  }
  SQLSetConfigMode(ODBC_BOTH_DSN);
  printf("data source '%s' created\n", name);
  return 0;
}

static int dsn_remove(const char *name, int system)
{
  if(set_mode(system) || !SQLRemoveDSNFromIni(name)) {
    fprintf(stderr, "kintone-odbc: cannot remove '%s'\n", name);
    return 1;
  }
  SQLSetConfigMode(ODBC_BOTH_DSN);
  printf("data source '%s' removed\n", name);
  return 0;
}

int main(int argc, char **argv)
{
  if(argc < 3 || strcmp(argv[1], "dsn")) {
    usage();
    return 2;
  }
  if(!strcmp(argv[2], "list"))
    return dsn_list();
  if(!strcmp(argv[2], "properties"))
    return dsn_properties();
  if(argc < 4) {
    usage();
    return 2;
  }
  if(!strcmp(argv[2], "test"))
    return dsn_test(argv[3]);
  if(!strcmp(argv[2], "show"))
    return dsn_show(argv[3]);
  if(!strcmp(argv[2], "create"))
    return dsn_create(argv[3], argc - 4, argv + 4);
  if(!strcmp(argv[2], "remove"))
    return dsn_remove(argv[3], argc > 4 && !strcmp(argv[4], "--system"));
  usage();
  return 2;
}
