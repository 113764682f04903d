/*
 * meta_vtab.c - system tables in the attached schema "sys".
 *
 * Layer: sql.  sys.Apps lists the apps this connection can see, with the
 * SQL table name each one has:
 *
 *   SELECT table_name, app_id, code, name, space_id FROM sys.Apps;
 *
 * The driver's SQLTables is a query over it.  No Kintone request is
 * made: the list was read at connect.
 */
#include "ks_int.h"

#include <string.h>

struct mvtab {
  sqlite3_vtab base;
  struct ks_db *kdb;
};

struct mcur {
  sqlite3_vtab_cursor base;
  size_t row;
};

static int m_connect(sqlite3 *db, void *aux, int argc,
                     const char *const *argv, sqlite3_vtab **out,
                     char **errmsg)
{
  struct mvtab *vt;
  int rc;

  if(argc < 4 || sqlite3_stricmp(argv[3], "apps")) {
    *errmsg = sqlite3_mprintf("kintone_sys: unknown system table");
    return SQLITE_ERROR;
  }
  rc = sqlite3_declare_vtab(db, "CREATE TABLE x(table_name WVARCHAR(255), "
                                "app_id BIGINT, code WVARCHAR(64), "
                                "name WVARCHAR(255), space_id BIGINT)");
  if(rc != SQLITE_OK)
    return rc;
  vt = sqlite3_malloc(sizeof(*vt));
  if(!vt)
    return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->kdb = aux;
  *out = &vt->base;
  return SQLITE_OK;
}

static int m_disconnect(sqlite3_vtab *vt)
{
  sqlite3_free(vt);
  return SQLITE_OK;
}

static int m_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
  (void)vt;
  info->estimatedCost = 10;
  info->estimatedRows = 100;
  return SQLITE_OK;
}

static int m_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
  struct mcur *c = sqlite3_malloc(sizeof(*c));

  (void)vt;
  if(!c)
    return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *out = &c->base;
  return SQLITE_OK;
}

static int m_close(sqlite3_vtab_cursor *c)
{
  sqlite3_free(c);
  return SQLITE_OK;
}

static int m_filter(sqlite3_vtab_cursor *cur, int n, const char *s, int argc,
                    sqlite3_value **argv)
{
  (void)n; (void)s; (void)argc; (void)argv;
  ((struct mcur *)cur)->row = 0;
  return SQLITE_OK;
}

static int m_next(sqlite3_vtab_cursor *cur)
{
  ((struct mcur *)cur)->row++;
  return SQLITE_OK;
}

static int m_eof(sqlite3_vtab_cursor *cur)
{
  struct mvtab *vt = (struct mvtab *)cur->pVtab;

  return ((struct mcur *)cur)->row >= vt->kdb->napps;
}

static int m_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i)
{
  struct mvtab *vt = (struct mvtab *)cur->pVtab;
  const struct ks_table *t = &vt->kdb->tables[((struct mcur *)cur)->row];

  switch(i) {
  case 0:
    sqlite3_result_text(ctx, t->name, -1, SQLITE_TRANSIENT);
    break;
  case 1:
    sqlite3_result_int64(ctx, t->app->id);
    break;
  case 2:
    sqlite3_result_text(ctx, t->app->code, -1, SQLITE_TRANSIENT);
    break;
  case 3:
    sqlite3_result_text(ctx, t->app->name, -1, SQLITE_TRANSIENT);
    break;
  default:
    if(t->app->space_id)
      sqlite3_result_int64(ctx, t->app->space_id);
    else
      sqlite3_result_null(ctx);
  }
  return SQLITE_OK;
}

static int m_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
  *rowid = (sqlite3_int64)((struct mcur *)cur)->row;
  return SQLITE_OK;
}

static sqlite3_module sys_module = {
  0, m_connect, m_connect, m_best_index, m_disconnect, m_disconnect,
  m_open, m_close, m_filter, m_next, m_eof, m_column, m_rowid,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

int ks_meta_register(struct ks_db *kdb)
{
  int rc = sqlite3_create_module(kdb->db, "kintone_sys", &sys_module, kdb);

  if(rc == SQLITE_OK)
    rc = sqlite3_exec(kdb->db,
                      "ATTACH DATABASE ':memory:' AS sys;"
                      "CREATE VIRTUAL TABLE sys.Apps USING kintone_sys(apps);",
                      NULL, NULL, NULL);
  return rc;
}
