/*
 * ks_db.c - the SQL engine of one ODBC connection.  See ks_db.h.
 *
 * Table names: the app name by default (TableNaming=Name), the app code
 * (Code, falling back to the name when an app has none) or "app_<id>"
 * (Id).  When two apps would get the same name (compared as SQLite
 * compares identifiers, ASCII case-insensitively), the app with the
 * smaller id keeps it and the others get "<name>_<id>", so names do not
 * depend on the order the server lists apps in.
 */
#include "ks_int.h"
#include "scan_cache.h"
#include "schema.h"
#include "../net/kh_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/ku_log.h"
#include "../util/ku_buf.h"
#include "../util/ku_mem.h"
#include "../util/ku_tz.h"

/*
 * The authorizer (sqlite3_set_authorizer) keeps SQL away from what the
 * driver owns and from the file system:
 *
 * - main holds the app tables and sys the system tables.  Nothing may
 *   be created, altered or dropped there by SQL (CREATE TABLE / VIEW /
 *   INDEX / TRIGGER / VIRTUAL TABLE, ALTER TABLE, DROP): such a table
 *   would live only in this connection's memory, SQLTables would not
 *   list it, and users may believe a Kintone app was made or dropped.
 *   TEMP objects (and objects in an attached ':memory:' schema) are
 *   connection-local scratch space and stay allowed.
 * - The modules "kintone" and "kintone_sys" are used by the engine
 *   only: ks_db_ensure_table() sets kdb->internal_ddl around its
 *   CREATE VIRTUAL TABLE (the only DDL the engine runs after connect).
 * - ATTACH only of ':memory:' (a file name would let a BI tool user
 *   create or read files on the driver's host); sys cannot be detached;
 *   PRAGMAs that point SQLite at directories or unlock the schema are
 *   refused.  VACUUM INTO, which writes a file without asking the
 *   authorizer, is refused in ks_db_prepare().
 *
 * A denial parks a kc_err (KC_EK_PERMISSION: SQLSTATE 42000, native
 * SQLITE_AUTH) with the reason, so that the application sees our text
 * rather than SQLite's "not authorized".
 */
static int deny(struct ks_db *kdb, const char *fmt, const char *a,
                const char *b)
{
  struct kc_err err;

  if(!kdb->has_err) {
    kc_err_set(&err, KC_EK_PERMISSION, SQLITE_AUTH, fmt, a ? a : "",
               b ? b : "");
    ks_db_set_error(kdb, &err);
  }
  return SQLITE_DENY;
}

/* 1 if schema `db` holds the driver's tables (main, sys). */
static int protected_schema(const char *db)
{
  return !db || !sqlite3_stricmp(db, "main") || !sqlite3_stricmp(db, "sys");
}

/* 1 if `module` is one of the engine's own virtual-table modules. */
static int own_module(const char *module)
{
  return module && (!sqlite3_stricmp(module, "kintone") ||
                    !sqlite3_stricmp(module, "kintone_sys"));
}

static const char no_sys[] =
  "%s\"sys.%s\": the system tables are read-only";
static const char no_ddl[] =
  "%s\"%s\": Kintone apps cannot be created, altered or dropped through SQL; "
  "use CREATE TEMP TABLE (or TEMP VIEW, INDEX, TRIGGER) for a "
  "connection-local object";

static int authorize(void *ctx, int action, const char *a1, const char *a2,
                     const char *db, const char *trigger)
{
  struct ks_db *kdb = ctx;
  const char *no = db && !sqlite3_stricmp(db, "sys") ? no_sys : no_ddl;

  (void)trigger;
  if(kdb->internal_ddl)
    return SQLITE_OK;
  switch(action) {
  case SQLITE_CREATE_TABLE:
  case SQLITE_CREATE_VIEW:
  case SQLITE_CREATE_INDEX:
  case SQLITE_CREATE_TRIGGER:
    if(protected_schema(db))
      return deny(kdb, no, action == SQLITE_CREATE_TABLE ?
                  "CREATE TABLE " : action == SQLITE_CREATE_VIEW ?
                  "CREATE VIEW " : action == SQLITE_CREATE_INDEX ?
                  "CREATE INDEX " : "CREATE TRIGGER ", a1);
    return SQLITE_OK;
  case SQLITE_DROP_TABLE:
  case SQLITE_DROP_VIEW:
  case SQLITE_DROP_INDEX:
  case SQLITE_DROP_TRIGGER:
    if(protected_schema(db))
      return deny(kdb, no, "DROP ", a1);
    return SQLITE_OK;
  case SQLITE_CREATE_VTABLE:
  case SQLITE_DROP_VTABLE:
    if(protected_schema(db) || own_module(a2))
      return deny(kdb, no, action == SQLITE_CREATE_VTABLE ?
                  "CREATE VIRTUAL TABLE " : "DROP ", a1);
    return SQLITE_OK;
  case SQLITE_ALTER_TABLE:           /* a1: schema, a2: table */
    if(protected_schema(a1))
      return deny(kdb, a1 && !sqlite3_stricmp(a1, "sys") ? no_sys : no_ddl,
                  "ALTER TABLE ", a2);
    return SQLITE_OK;
  case SQLITE_ATTACH:                /* a1: file name (NULL: not literal) */
    if(!a1 || strcmp(a1, ":memory:"))
      return deny(kdb, "ATTACH of '%s'%s: only ':memory:' databases can be "
                  "attached (the driver does not open local files)", a1,
                  NULL);
    return SQLITE_OK;
  case SQLITE_DETACH:                /* a1: schema */
    if(a1 && (!sqlite3_stricmp(a1, "sys") || !sqlite3_stricmp(a1, "main")))
      return deny(kdb, "DETACH %s%s: the schema holds the driver's tables",
                  a1, NULL);
    return SQLITE_OK;
  case SQLITE_PRAGMA:                /* a1: pragma, a2: argument or NULL */
    if(a2 && (!sqlite3_stricmp(a1, "writable_schema") ||
              !sqlite3_stricmp(a1, "temp_store_directory") ||
              !sqlite3_stricmp(a1, "data_store_directory")))
      return deny(kdb, "PRAGMA %s%s is not allowed through the driver", a1,
                  NULL);
    return SQLITE_OK;
  default:
    return SQLITE_OK;
  }
}

static int cmp_app_id(const void *a, const void *b)
{
  const struct kc_app *x = a, *y = b;

  return (x->id > y->id) - (x->id < y->id);
}

static char *base_name(const struct kc_app *a, int naming)
{
  if(naming == KC_NAMING_ID || !a->name[0])
    return sqlite3_mprintf("app_%lld", a->id);
  if(naming == KC_NAMING_CODE && a->code[0])
    return sqlite3_mprintf("%s", a->code);
  return sqlite3_mprintf("%s", a->name);
}

/*
 * kintone_now(kind): the current date and time on the wall clock of the
 * connection's TimeZone (UTC by default), the zone DATETIME values are
 * shown in, as 'YYYY-MM-DD HH:MM:SS' (kind 'datetime'), 'YYYY-MM-DD'
 * ('date') or 'HH:MM:SS' ('time').  The ODBC escapes {fn NOW()},
 * {fn CURDATE()}, {fn CURTIME()} and CURRENT_* become this, so that they
 * compare with the values read: the machine's own zone may differ.
 */
static void kintone_now(sqlite3_context *ctx, int argc,
                        sqlite3_value **argv)
{
  const char *kind = (const char *)sqlite3_value_text(argv[0]);
  char buf[32];

  (void)argc;
  ku_format_datetime(ks_db_local_now(sqlite3_user_data(ctx)), ' ', buf,
                     sizeof(buf));
  if(kind && !strcmp(kind, "date"))
    buf[10] = '\0';
  else if(kind && !strcmp(kind, "time")) {
    sqlite3_result_text(ctx, buf + 11, -1, SQLITE_TRANSIENT);
    return;
  }
  sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

/* Assigns unique table names (see the file comment). */
static int name_tables(struct ks_db *kdb, int naming)
{
  size_t i, j;

  qsort(kdb->apps, kdb->napps, sizeof(*kdb->apps), cmp_app_id);
  kdb->tables = ku_calloc(kdb->napps ? kdb->napps : 1,
                          sizeof(*kdb->tables));
  if(!kdb->tables)
    return SQLITE_NOMEM;
  for(i = 0; i < kdb->napps; i++) {
    char *n = base_name(&kdb->apps[i], naming);
    int clash = 0;
    if(!n)
      return SQLITE_NOMEM;
    for(j = 0; j < i && !clash; j++)
      clash = !sqlite3_stricmp(kdb->tables[j].name, n);
    if(clash) {
      char *m = sqlite3_mprintf("%s_%lld", n, kdb->apps[i].id);
      sqlite3_free(n);
      if(!m)
        return SQLITE_NOMEM;
      n = m;
    }
    kdb->tables[i].app = &kdb->apps[i];
    kdb->tables[i].parent = -1;
    kdb->tables[i].name = ku_strdup(n);
    sqlite3_free(n);
    if(!kdb->tables[i].name)
      return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

int ks_db_open(const struct kc_config *cfg, struct ku_log *log,
               struct ks_db **out, struct kc_err *err)
{
  struct ks_db *kdb;
  int rc;

  *out = NULL;
  kdb = ku_calloc(1, sizeof(*kdb));
  if(!kdb)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  kdb->log = log;
  if(cfg->time_zone) {
    char why[160];
    rc = ku_tz_load(cfg->time_zone, &kdb->tz, why, sizeof(why));
    if(rc) {
      if(rc == KU_ENOMEM)
        kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
      else
        kc_err_set(err, KC_EK_CONFIG, 0, "TimeZone %s: '%s'", why,
                   cfg->time_zone);
      ks_db_close(kdb);
      return rc == KU_ENOMEM ? KC_ENOMEM : KC_ECONFIG;
    }
  }
  rc = kc_client_new(cfg, log, &kdb->cancel, &kdb->client, err);
  if(!rc)
    rc = kc_apps_list(kdb->client, &kdb->apps, &kdb->napps, err);
  if(rc) {
    ks_db_close(kdb);
    return rc;
  }
  KLOG(log, KU_LOG_INFO, "sql", "%zu apps visible", kdb->napps);
  if(name_tables(kdb, cfg->table_naming) != SQLITE_OK ||
     sqlite3_open_v2(":memory:", &kdb->db,
                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                     SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                     NULL) != SQLITE_OK ||
     ks_vtab_register(kdb) != SQLITE_OK ||
     ks_meta_register(kdb) != SQLITE_OK ||
     sqlite3_create_function(kdb->db, "kintone_now", 1, SQLITE_UTF8, kdb,
                             kintone_now, NULL, NULL) != SQLITE_OK ||
     sqlite3_set_authorizer(kdb->db, authorize, kdb) != SQLITE_OK) {
    if(kdb->db)
      kc_err_set(err, KC_EK_NOMEM, 0, "SQLite engine: %s",
                 sqlite3_errmsg(kdb->db));
    else
      kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
    ks_db_close(kdb);
    return KC_ENOMEM;
  }
  *out = kdb;
  return KC_OK;
}

void ks_db_close(struct ks_db *kdb)
{
  size_t i;

  if(!kdb)
    return;
  if(kdb->db)
    sqlite3_close_v2(kdb->db);
  ks_cache_clear(kdb);
  for(i = 0; kdb->tables && i < kdb->napps; i++) {
    ku_free(kdb->tables[i].name);
    kc_form_free(kdb->tables[i].form);
  }
  ku_free(kdb->tables);
  for(i = 0; i < kdb->nsubs; i++) {
    ku_free(kdb->subs[i]->name);
    ku_free(kdb->subs[i]);
  }
  ku_free(kdb->subs);
  kc_apps_free(kdb->apps, kdb->napps);
  kc_client_free(kdb->client);
  ku_tz_free(kdb->tz);
  ku_free(kdb);
}

void ks_db_schema_opts(const struct ks_db *kdb, struct ks_schema_opts *o)
{
  o->display_names = kc_client_config(kdb->client)->use_display_names;
  o->tz = ks_db_tz(kdb);
}

long long ks_db_local_now(const struct ks_db *kdb)
{
  long long now = (long long)time(NULL);

  return now + ku_tz_offset(kdb ? ks_db_tz(kdb) : NULL, now);
}

const struct ku_tz *ks_db_tz(const struct ks_db *kdb)
{
  return ku_tz_is_utc(kdb->tz) ? NULL : kdb->tz;
}

sqlite3 *ks_db_sqlite(struct ks_db *kdb)
{
  return kdb->db;
}

const struct kc_err *ks_db_error(const struct ks_db *kdb)
{
  return kdb->has_err ? &kdb->err : NULL;
}

void ks_db_clear_error(struct ks_db *kdb)
{
  kdb->has_err = 0;
  kc_err_clear(&kdb->err);
}

void ks_db_set_error(struct ks_db *kdb, const struct kc_err *err)
{
  kdb->err = *err;
  kdb->has_err = 1;
}

size_t ks_db_table_count(const struct ks_db *kdb)
{
  return kdb->napps;
}

const char *ks_db_table_name(const struct ks_db *kdb, size_t i)
{
  return i < kdb->napps ? kdb->tables[i].name : NULL;
}

const struct kc_app *ks_db_table_app(const struct ks_db *kdb, size_t i)
{
  return i < kdb->napps ? kdb->tables[i].app : NULL;
}

static int progress(void *ctx)
{
  struct ks_db *kdb = ctx;

  return kdb->cancel || kh_http_deadline_passed(kc_client_http(kdb->client));
}

void ks_db_set_timeout(struct ks_db *kdb, unsigned long seconds)
{
  struct kh_http *h = kc_client_http(kdb->client);

  kh_http_set_deadline(h, seconds ? kh_now_ms() + (long long)seconds * 1000
                                  : 0);
  sqlite3_progress_handler(kdb->db, seconds ? 10000 : 0,
                           seconds ? progress : NULL, kdb);
}

int ks_db_timed_out(const struct ks_db *kdb)
{
  return kh_http_deadline_passed(kc_client_http(kdb->client));
}

void ks_db_statement_begin(struct ks_db *kdb)
{
  ks_cache_new_generation(kdb);
  kdb->cancel = 0;
}

volatile int *ks_db_cancel_flag(struct ks_db *kdb)
{
  return &kdb->cancel;
}

unsigned long ks_db_request_count(const struct ks_db *kdb)
{
  return kc_client_request_count(kdb->client);
}

/* 1 if `name` is taken by an app table or a known subtable. */
static int name_taken(const struct ks_db *kdb, const char *name)
{
  size_t i;

  for(i = 0; i < kdb->napps; i++)
    if(!sqlite3_stricmp(kdb->tables[i].name, name))
      return 1;
  for(i = 0; i < kdb->nsubs; i++)
    if(!sqlite3_stricmp(kdb->subs[i]->name, name))
      return 1;
  return 0;
}

/* SubtableSeparator: between app and subtable code ("_" by default). */
static const char *sub_sep(const struct ks_db *kdb)
{
  const char *s = kc_client_config(kdb->client)->subtable_sep;

  return s ? s : "_";
}

/* Registers the subtable tables of app table `ti` ("<app>_<code>"). */
static int register_subs(struct ks_db *kdb, size_t ti)
{
  const struct kc_form *f = kdb->tables[ti].form;
  size_t i;

  for(i = 0; i < f->n; i++) {
    struct ks_table *st;
    char *n;
    if(f->fields[i].type != KC_F_SUBTABLE)
      continue;
    n = sqlite3_mprintf("%s%s%s", kdb->tables[ti].name, sub_sep(kdb),
                        f->fields[i].code);
    if(n && name_taken(kdb, n)) {
      char *m = sqlite3_mprintf("%s_%lld", n, kdb->tables[ti].app->id);
      sqlite3_free(n);
      n = m;
    }
    if(!n)
      return SQLITE_NOMEM;
    if(kdb->nsubs == kdb->capsubs) {
      size_t ncap = kdb->capsubs ? kdb->capsubs * 2 : 8;
      struct ks_table **ns = ku_realloc(kdb->subs, ncap * sizeof(*ns));
      if(!ns) {
        sqlite3_free(n);
        return SQLITE_NOMEM;
      }
      kdb->subs = ns;
      kdb->capsubs = ncap;
    }
    st = ku_calloc(1, sizeof(*st));
    if(st)
      st->name = ku_strdup(n);
    sqlite3_free(n);
    if(!st || !st->name) {
      if(st)
        ku_free(st);
      return SQLITE_NOMEM;
    }
    st->app = kdb->tables[ti].app;
    st->parent = (int)ti;
    st->sub = &f->fields[i];
    kdb->subs[kdb->nsubs++] = st;
  }
  return SQLITE_OK;
}

int ks_table_load(struct ks_db *kdb, struct ks_table *t, int probe)
{
  const struct kc_config *cfg = kc_client_config(kdb->client);
  struct kc_err err;
  struct ks_probe pr;

  if(t->form || t->parent >= 0)
    return SQLITE_OK;
  /* the range of $id goes with the form, in the same round trip: a full
     scan of the table then needs no first page alone (fetch.h); only
     when the three requests fit in the free request slots, so that the
     form never waits behind them */
  probe = probe && cfg->id_range_probe &&
          kh_http_pending(kc_client_http(kdb->client)) + 3 <=
          cfg->max_concurrency;
  if(probe)
    ks_probe_send(kdb->client, t->app->id, &pr);
  if(kc_form_get(kdb->client, t->app->id, &t->form, &err)) {
    if(probe)
      ks_probe_abort(kdb->client, &pr);
    ks_db_set_error(kdb, &err);
    return SQLITE_ERROR;
  }
  if(probe)
    ks_probe_finish(kdb->client, t->app->id, &pr, &t->hint);
  return register_subs(kdb, (size_t)(t - kdb->tables));
}

/*
 * Every app's form (catalog functions, sys.Tables): the forms not yet
 * known are requested together (kc_form_get_many, up to MaxConcurrency
 * in flight), so that listing the tables of a domain with 200 apps takes
 * 50 round trips at MaxConcurrency 4, not 200.
 */
int ks_db_load_all(struct ks_db *kdb)
{
  size_t i, n = 0;
  long long *ids = ku_calloc(kdb->napps ? kdb->napps : 1, sizeof(*ids));
  size_t *which = ku_calloc(kdb->napps ? kdb->napps : 1, sizeof(*which));
  struct kc_form **forms = ku_calloc(kdb->napps ? kdb->napps : 1,
                                     sizeof(*forms));
  struct kc_err err;
  int rc = SQLITE_OK, krc = KC_OK;

  if(!ids || !which || !forms) {
    ku_free(ids);
    ku_free(which);
    ku_free(forms);
    return SQLITE_NOMEM;
  }
  for(i = 0; i < kdb->napps; i++) {
    struct ks_table *t = &kdb->tables[i];
    if(t->form || t->parent >= 0)
      continue;
    ids[n] = t->app->id;
    which[n++] = i;
  }
  kc_err_clear(&err);
  if(n > 1)
    krc = kc_form_get_many(kdb->client, ids, n, forms, &err);
  for(i = 0; i < n; i++) {
    struct ks_table *t = &kdb->tables[which[i]];
    if(forms[i] && rc == SQLITE_OK) {
      t->form = forms[i];
      rc = register_subs(kdb, which[i]);
    }
    else
      kc_form_free(forms[i]);
  }
  ku_free(ids);
  ku_free(which);
  ku_free(forms);
  if(krc) {
    ks_db_set_error(kdb, &err);
    return SQLITE_ERROR;
  }
  if(rc != SQLITE_OK)
    return rc;
  /* a single missing form was not requested above: loaded here */
  for(i = 0; i < kdb->napps; i++) {
    rc = ks_table_load(kdb, &kdb->tables[i], 0);
    if(rc != SQLITE_OK)
      return rc;
  }
  return SQLITE_OK;
}

/* Finds (loading parents' forms as needed) the subtable named `name`. */
static int find_sub(struct ks_db *kdb, const char *name, size_t *out)
{
  size_t i, nl = strlen(name);
  int rc;

  for(i = 0; i < kdb->napps; i++) {
    size_t pl = strlen(kdb->tables[i].name);
    size_t sl = strlen(sub_sep(kdb));
    if(pl + sl < nl && !sqlite3_strnicmp(kdb->tables[i].name, name, (int)pl)
       && !strncmp(name + pl, sub_sep(kdb), sl)) {
      rc = ks_table_load(kdb, &kdb->tables[i], 0);
      if(rc != SQLITE_OK)
        return rc;
    }
  }
  for(i = 0; i < kdb->nsubs; i++) {
    if(!sqlite3_stricmp(kdb->subs[i]->name, name)) {
      *out = i;
      return SQLITE_OK;
    }
  }
  return SQLITE_NOTFOUND;
}

int ks_db_ensure_table(struct ks_db *kdb, const char *name, int *found)
{
  size_t i;
  char *sql;
  int rc;

  *found = 0;
  for(i = 0; i < kdb->napps; i++)
    if(!sqlite3_stricmp(kdb->tables[i].name, name))
      break;
  if(i == kdb->napps) {
    size_t si;
    struct ks_table *st;
    rc = find_sub(kdb, name, &si);
    if(rc == SQLITE_NOTFOUND)
      return SQLITE_OK;
    if(rc != SQLITE_OK)
      return rc;
    *found = 1;
    st = kdb->subs[si];
    if(st->created)
      return SQLITE_OK;
    sql = sqlite3_mprintf("CREATE VIRTUAL TABLE main.\"%w\" USING "
                          "kintone(%d, %lld)", st->name, st->parent,
                          (long long)si);
    if(!sql)
      return SQLITE_NOMEM;
    kdb->internal_ddl = 1;
    rc = sqlite3_exec(kdb->db, sql, NULL, NULL, NULL);
    kdb->internal_ddl = 0;
    sqlite3_free(sql);
    if(rc == SQLITE_OK)
      st->created = 1;
    return rc;
  }
  *found = 1;
  if(kdb->tables[i].created)
    return SQLITE_OK;
  sql = sqlite3_mprintf("CREATE VIRTUAL TABLE main.\"%w\" USING "
                        "kintone(%lld)", kdb->tables[i].name, (long long)i);
  if(!sql)
    return SQLITE_NOMEM;
  kdb->internal_ddl = 1;
  rc = sqlite3_exec(kdb->db, sql, NULL, NULL, NULL);
  kdb->internal_ddl = 0;
  sqlite3_free(sql);
  if(rc == SQLITE_OK) {
    kdb->tables[i].created = 1;
    KLOG(kdb->log, KU_LOG_DEBUG, "sql", "created table \"%s\" (app %lld)",
         kdb->tables[i].name, kdb->tables[i].app->id);
  }
  return rc;
}

/* Extracts X from "no such table: X" / "no such table: main.X". */
static char *missing_table(sqlite3 *db)
{
  const char *m = sqlite3_errmsg(db), *p;
  static const char pre[] = "no such table: ";

  if(strncmp(m, pre, sizeof(pre) - 1))
    return NULL;
  p = m + sizeof(pre) - 1;
  if(!strncmp(p, "main.", 5))
    p += 5;
  return ku_strdup(p);
}

/* Skips white space and comments in [p, end). */
static const char *skip_space(const char *p, const char *end)
{
#define MORE(k) (p + (k) <= end)
  for(;;) {
    while(MORE(1) && *p && strchr(" \t\r\n\f", *p))
      p++;
    if(MORE(2) && p[0] == '-' && p[1] == '-') {
      while(MORE(1) && *p && *p != '\n')
        p++;
    }
    else if(MORE(2) && p[0] == '/' && p[1] == '*') {
      p += 2;
      while(MORE(2) && *p && !(p[0] == '*' && p[1] == '/'))
        p++;
      p = MORE(2) && *p ? p + 2 : p + (MORE(1) && *p ? 1 : 0);
    }
    else
      return p;
  }
#undef MORE
}



/*
 * Reads one identifier at *pp ("quoted", `quoted`, [quoted] or bare) into
 * a ku_malloc'ed string; advances *pp.  NULL when there is none.
 */
static char *read_ident(const char **pp, const char *end)
{
  const char *p = *pp;
  struct ku_buf b;
  char close;

  ku_buf_init(&b, 4096);
  if(p < end && (*p == '"' || *p == '`' || *p == '[')) {
    close = *p == '[' ? ']' : *p;
    for(p++; p < end; p++) {
      if(*p == close) {
        if(close != ']' && p + 1 < end && p[1] == close) {
          p++;                          /* doubled quote */
        }
        else
          break;
      }
      if(ku_buf_addc(&b, *p))
        break;
    }
    if(p >= end || *p != close) {
      ku_buf_cleanup(&b);
      return NULL;
    }
    p++;
  }
  else {
    while(p < end && (*p == '_' || *p == '$' || (*p >= '0' && *p <= '9') ||
                      ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') ||
                      (unsigned char)*p >= 0x80))
      if(ku_buf_addc(&b, *p++))
        break;
    if(!b.len) {
      ku_buf_cleanup(&b);
      return NULL;
    }
  }
  *pp = p;
  return b.ptr;
}

/* 1 if the word at *pp is kw (case-insensitive); advances past it. */
static int word(const char **pp, const char *end, const char *kw)
{
  size_t n = strlen(kw);
  const char *p = *pp;

  if((size_t)(end - p) < n || sqlite3_strnicmp(p, kw, (int)n))
    return 0;
  p += n;
  if(p < end && (*p == '_' || (*p >= '0' && *p <= '9') ||
                 ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') ||
                 (unsigned char)*p >= 0x80))
    return 0;                           /* a longer word */
  *pp = p;
  return 1;
}

/*
 * 1 if the statement's first keyword is `kw` (case-insensitive), after
 * white space, comments and semicolons.  `sql` is NUL-terminated or
 * nbytes long.
 */
static int first_keyword_is(const char *sql, int nbytes, const char *kw)
{
  const char *end = nbytes < 0 ? sql + strlen(sql) : sql + nbytes;
  const char *p = skip_space(sql, end);

  while(p < end && *p == ';')
    p = skip_space(p + 1, end);
  return word(&p, end, kw);
}

/*
 * "DROP TABLE|VIEW [IF EXISTS] [main.]name": makes sure an app table of
 * that name exists before SQLite sees the statement.  App tables are
 * created on first use, and SQLite settles IF EXISTS before it asks the
 * authorizer, so a DROP ... IF EXISTS of an app not used yet would
 * otherwise succeed doing nothing instead of being refused.
 */
static void drop_target_ensure(struct ks_db *kdb, const char *sql,
                               int nbytes)
{
  const char *end = nbytes < 0 ? sql + strlen(sql) : sql + nbytes;
  const char *p = skip_space(sql, end);
  char *a, *b = NULL;
  int found;

  if(!word(&p, end, "DROP"))
    return;
  p = skip_space(p, end);
  if(!word(&p, end, "TABLE") && !word(&p, end, "VIEW"))
    return;
  p = skip_space(p, end);
  if(word(&p, end, "IF")) {
    p = skip_space(p, end);
    if(!word(&p, end, "EXISTS"))
      return;
    p = skip_space(p, end);
  }
  a = read_ident(&p, end);
  if(!a)
    return;
  p = skip_space(p, end);
  if(p < end && *p == '.') {
    p = skip_space(p + 1, end);
    b = read_ident(&p, end);
    if(!b || sqlite3_stricmp(a, "main")) {
      ku_free(a);
      ku_free(b);
      return;                           /* temp.x, sys.x: nothing to make */
    }
    ku_free(a);
    a = b;
  }
  if(!sqlite3_stricmp(a, "sqlite_master") || !sqlite3_stricmp(a, "sqlite_schema")) {
    ku_free(a);
    return;
  }
  (void)ks_db_ensure_table(kdb, a, &found);   /* unknown names: no-op */
  ku_free(a);
}

int ks_db_prepare(struct ks_db *kdb, const char *sql, int nbytes,
                  sqlite3_stmt **st, const char **tail)
{
  int rc, tries;

  ks_db_clear_error(kdb);
  /* VACUUM INTO writes a file and asks the authorizer nothing; a plain
     VACUUM of the in-memory schemas has no use */
  if(first_keyword_is(sql, nbytes, "VACUUM")) {
    struct kc_err err;
    *st = NULL;
    kc_err_set(&err, KC_EK_PERMISSION, SQLITE_AUTH, "VACUUM is not "
               "allowed through the driver (VACUUM INTO would write a "
               "local file; the driver's databases are in memory)");
    ks_db_set_error(kdb, &err);
    return SQLITE_AUTH;
  }
  if(first_keyword_is(sql, nbytes, "DROP"))
    drop_target_ensure(kdb, sql, nbytes);
  for(tries = 0; tries < 64; tries++) {
    char *name;
    int found = 0, crc;
    rc = sqlite3_prepare_v2(kdb->db, sql, nbytes, st, tail);
    if(rc != SQLITE_ERROR)
      return rc;
    name = missing_table(kdb->db);
    if(!name)
      return rc;
    crc = ks_db_ensure_table(kdb, name, &found);
    ku_free(name);
    if(!found)
      return rc;                 /* a genuinely unknown table */
    if(crc != SQLITE_OK)
      return crc;
  }
  return rc;
}
