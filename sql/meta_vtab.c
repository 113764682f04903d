/*
 * meta_vtab.c - system tables in the attached schema "sys".
 *
 * Layer: sql.
 *   sys.Apps    the apps this connection can see, with their table names
 *               (no request: the list was read at connect)
 *   sys.Tables  every table: one per app and one per subtable
 *               (reads each app's fields once)
 *   sys.Fields  every field of every app: its table, column, label,
 *               Kintone type, SQL type and constraints
 *   sys.Views   the views of every app (one app/views.json per app)
 *   sys.Comments  the comments of one record: the query must name it,
 *               WHERE app_id = ? AND record_id = ? (pushed down)
 *   sys.Spaces  the spaces the visible apps belong to (one space.json
 *               per space)
 *   sys.ProcessStates, sys.ProcessActions  the process management of
 *               every app: its statuses and actions (one app/status.json
 *               per app; WHERE app_id = ? asks only that app)
 *
 *   SELECT table_name, app_id, code, name, space_id FROM sys.Apps;
 *   SELECT * FROM sys.Fields WHERE table_name = '販売管理';
 *
 * Rows are built when a scan starts (they are small) and SQLite filters
 * them.  The driver's catalog functions are queries over these tables.
 */
#include "ks_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "../net/kj_json.h"
#include "../util/ku_buf.h"
#include "../util/ku_mem.h"
#include "../util/ku_tz.h"
#include "../util/ku_utf.h"

enum { SYS_APPS = 0, SYS_TABLES, SYS_FIELDS, SYS_VIEWS, SYS_COMMENTS,
       SYS_SPACES, SYS_STATES, SYS_ACTIONS, SYS_COUNT };

static const struct {
  const char *name;
  const char *sql;
  int ncols;
} sys_tables[] = {
  {"apps", "CREATE TABLE x(table_name WVARCHAR(255), app_id BIGINT, "
           "code WVARCHAR(64), name WVARCHAR(255), space_id BIGINT, "
           "description WLONGVARCHAR)", 6},
  {"tables", "CREATE TABLE x(table_name WVARCHAR(255), "
             "table_type WVARCHAR(32), app_id BIGINT, app_code WVARCHAR(64), "
             "app_name WVARCHAR(255), subtable_code WVARCHAR(128), "
             "parent_table WVARCHAR(255), description WLONGVARCHAR)", 8},
  {"fields", "CREATE TABLE x(table_name WVARCHAR(255), "
             "column_name WVARCHAR(128), app_id BIGINT, "
             "field_code WVARCHAR(128), label WVARCHAR(255), "
             "field_type WVARCHAR(32), sql_type WVARCHAR(32), "
             "required BIT, is_unique BIT, options WLONGVARCHAR)", 10},
  {"views", "CREATE TABLE x(table_name WVARCHAR(255), app_id BIGINT, "
            "view_id BIGINT, name WVARCHAR(255), type WVARCHAR(32), "
            "view_index INTEGER, filter_cond WLONGVARCHAR, "
            "sort WVARCHAR(1024), fields WLONGVARCHAR)", 9},
  {"comments", "CREATE TABLE x(table_name WVARCHAR(255), app_id BIGINT, "
               "record_id BIGINT, comment_id BIGINT, text WLONGVARCHAR, "
               "created_at TIMESTAMP, creator WVARCHAR(255), "
               "mentions WLONGVARCHAR)", 8},
  {"spaces", "CREATE TABLE x(space_id BIGINT, name WVARCHAR(255), "
             "is_guest BIT, is_private BIT, default_thread_id BIGINT, "
             "member_count INTEGER, use_multi_thread BIT, "
             "fixed_member BIT, creator WVARCHAR(255), "
             "modifier WVARCHAR(255), create_app WVARCHAR(16), "
             "app_ids WLONGVARCHAR, body WLONGVARCHAR)", 13},
  {"processstates", "CREATE TABLE x(table_name WVARCHAR(255), "
                    "app_id BIGINT, enabled BIT, name WVARCHAR(255), "
                    "status_index INTEGER, assignee_type WVARCHAR(8), "
                    "assignees WLONGVARCHAR)", 7},
  {"processactions", "CREATE TABLE x(table_name WVARCHAR(255), "
                     "app_id BIGINT, enabled BIT, action_index INTEGER, "
                     "name WVARCHAR(255), from_status WVARCHAR(255), "
                     "to_status WVARCHAR(255), filter_cond WLONGVARCHAR, "
                     "type WVARCHAR(16), executable_user WLONGVARCHAR)", 10}
};

struct mvtab {
  sqlite3_vtab base;
  struct ks_db *kdb;
  int kind;                  /* SYS_* */
  int ncols;
};

/* A materialised cell: text (owned) or an integer or NULL. */
struct mcell {
  char *text;
  long long i;
  int type;                  /* SQLITE_TEXT, SQLITE_INTEGER, SQLITE_NULL */
};

struct mcur {
  sqlite3_vtab_cursor base;
  struct mcell *cells;       /* rows x ncols */
  size_t nrows, cap;         /* rows built, rows allocated */
  int ncols;
  size_t row;
  int failed;                /* out of memory while building */
};

static int m_connect(sqlite3 *db, void *aux, int argc,
                     const char *const *argv, sqlite3_vtab **out,
                     char **errmsg)
{
  struct mvtab *vt;
  int k, rc;

  for(k = 0; k < SYS_COUNT && argc >= 4; k++)
    if(!sqlite3_stricmp(argv[3], sys_tables[k].name))
      break;
  if(argc < 4 || k == SYS_COUNT) {
    *errmsg = sqlite3_mprintf("kintone_sys: unknown system table");
    return SQLITE_ERROR;
  }
  rc = sqlite3_declare_vtab(db, sys_tables[k].sql);
  if(rc != SQLITE_OK)
    return rc;
  vt = sqlite3_malloc(sizeof(*vt));
  if(!vt)
    return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->kdb = aux;
  vt->kind = k;
  vt->ncols = sys_tables[k].ncols;
  *out = &vt->base;
  return SQLITE_OK;
}

static int m_disconnect(sqlite3_vtab *vt)
{
  sqlite3_free(vt);
  return SQLITE_OK;
}

static int m_best_index(sqlite3_vtab *base, sqlite3_index_info *info)
{
  struct mvtab *vt = (struct mvtab *)base;
  int i, app = -1, rec = -1;

  info->estimatedCost = 10;
  info->estimatedRows = 100;
  if(vt->kind == SYS_STATES || vt->kind == SYS_ACTIONS) {
    /* app_id (1) = ?: ask that app only; SQLite still checks it */
    for(i = 0; i < info->nConstraint; i++) {
      const struct sqlite3_index_constraint *c = &info->aConstraint[i];
      if(c->usable && c->op == SQLITE_INDEX_CONSTRAINT_EQ &&
         c->iColumn == 1) {
        info->aConstraintUsage[i].argvIndex = 1;
        info->idxNum = 2;
        info->estimatedCost = 1;
        break;
      }
    }
    return SQLITE_OK;
  }
  if(vt->kind != SYS_COMMENTS)
    return SQLITE_OK;
  /* comments: app_id (1) and record_id (2) equality are the arguments */
  for(i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if(!c->usable || c->op != SQLITE_INDEX_CONSTRAINT_EQ)
      continue;
    if(c->iColumn == 1 && app < 0)
      app = i;
    else if(c->iColumn == 2 && rec < 0)
      rec = i;
  }
  if(app >= 0 && rec >= 0) {
    info->aConstraintUsage[app].argvIndex = 1;
    info->aConstraintUsage[rec].argvIndex = 2;
    info->idxNum = 1;
  }
  else
    info->estimatedCost = 1e12;  /* unusable: xFilter explains why */
  return SQLITE_OK;
}

static int m_open(sqlite3_vtab *base, sqlite3_vtab_cursor **out)
{
  struct mcur *c = sqlite3_malloc(sizeof(*c));

  if(!c)
    return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  c->ncols = ((struct mvtab *)base)->ncols;
  *out = &c->base;
  return SQLITE_OK;
}

static void clear_rows(struct mcur *c)
{
  size_t i;

  for(i = 0; i < c->nrows * (size_t)c->ncols; i++)
    ku_free(c->cells[i].text);
  ku_free(c->cells);
  c->cells = NULL;
  c->nrows = c->cap = 0;
  c->failed = 0;
}

static int m_close(sqlite3_vtab_cursor *cur)
{
  clear_rows((struct mcur *)cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* Starts a new row; its cells are NULL until set. */
static struct mcell *new_row(struct mcur *c)
{
  struct mcell *r;

  if(c->failed)
    return NULL;
  if(c->nrows == c->cap) {
    size_t ncap = c->cap ? c->cap * 2 : 32;
    struct mcell *n = ku_realloc(c->cells,
                                 ncap * (size_t)c->ncols * sizeof(*n));
    if(!n) {
      c->failed = 1;
      return NULL;
    }
    c->cells = n;
    c->cap = ncap;
  }
  r = &c->cells[c->nrows++ * (size_t)c->ncols];
  memset(r, 0, (size_t)c->ncols * sizeof(*r));
  return r;
}

static void set_text(struct mcur *c, struct mcell *cell, const char *s)
{
  if(!cell || !s)
    return;
  cell->text = ku_strdup(s);
  if(!cell->text)
    c->failed = 1;
  else
    cell->type = SQLITE_TEXT;
}

static void set_int(struct mcell *cell, long long v)
{
  if(!cell)
    return;
  cell->i = v;
  cell->type = SQLITE_INTEGER;
}

/* JSON array text of the option keys, or NULL. */
static char *options_json(const struct kc_field *f)
{
  sqlite3_str *s;
  size_t i;

  if(!f->noptions)
    return NULL;
  s = sqlite3_str_new(NULL);
  sqlite3_str_appendchar(s, 1, '[');
  for(i = 0; i < f->noptions; i++)
    sqlite3_str_appendf(s, "%s\"%w\"", i ? "," : "", f->options[i]);
  sqlite3_str_appendchar(s, 1, ']');
  return sqlite3_str_finish(s);
}

/* A sys.Fields row; `s` is the field's table's schema (column names). */
static void field_row(struct mcur *c, const struct ks_db *kdb,
                      const char *table, const struct kc_app *app,
                      const struct kc_field *f, const struct ks_schema *s)
{
  struct mcell *r = new_row(c);
  char buf[48];
  const char *decl = ks_schema_decl(f, buf, sizeof(buf));
  int col = s->cols ? ks_schema_find_field(s, f) : -1;
  char *opts;

  if(!r)
    return;
  set_text(c, &r[0], table);
  if(decl && col >= 0)
    set_text(c, &r[1], s->cols[col].name);
  set_int(&r[2], app->id);
  set_text(c, &r[3], f->code);
  set_text(c, &r[4], f->label);
  set_text(c, &r[5], f->type_name);
  if(decl) {
    char type[48];
    const char *paren = strchr(decl, '(');
    size_t n = paren ? (size_t)(paren - decl) : strlen(decl);
    snprintf(type, sizeof(type), "%.*s", (int)n, decl);
    if(!strcmp(type, "DECIMAL") &&
       kc_client_config(kdb->client)->number_double)
      snprintf(type, sizeof(type), "DOUBLE");
    set_text(c, &r[6], type);
  }
  set_int(&r[7], f->required);
  set_int(&r[8], f->unique);
  opts = options_json(f);
  set_text(c, &r[9], opts);
  sqlite3_free(opts);
}

/* Name of the subtable table of field `code` in app table ti, or NULL. */
static const char *sub_table_name(const struct ks_db *kdb, size_t ti,
                                  const char *code)
{
  size_t i;

  for(i = 0; i < kdb->nsubs; i++)
    if(kdb->subs[i]->parent == (int)ti &&
       !strcmp(kdb->subs[i]->sub->code, code))
      return kdb->subs[i]->name;
  return NULL;
}

/* Table name of an app id, or NULL. */
static const char *app_table(const struct ks_db *kdb, long long app)
{
  size_t i;

  for(i = 0; i < kdb->napps; i++)
    if(kdb->tables[i].app->id == app)
      return kdb->tables[i].name;
  return NULL;
}

static int api_fail(struct mvtab *vt, const struct kc_err *err)
{
  ks_db_set_error(vt->kdb, err);
  sqlite3_free(vt->base.zErrMsg);
  vt->base.zErrMsg = sqlite3_mprintf("%s", err->message);
  return SQLITE_ERROR;
}

static int build_views(struct mvtab *vt, struct mcur *c)
{
  struct ks_db *kdb = vt->kdb;
  size_t i, j;

  for(i = 0; i < kdb->napps; i++) {
    struct kc_params p;
    struct kc_err err;
    yajl_val root, views;
    int rc;
    kc_params_init(&p);
    kc_params_addf(&p, "app", "%lld", kdb->tables[i].app->id);
    rc = kc_client_get(kdb->client, "app/views", &p, &root, &err);
    kc_params_cleanup(&p);
    if(rc)
      return api_fail(vt, &err);
    views = kj_get(root, "views");
    for(j = 0; views && YAJL_IS_OBJECT(views) && j < views->u.object.len;
        j++) {
      yajl_val v = views->u.object.values[j];
      struct mcell *r = new_row(c);
      struct ku_buf b;
      if(!r)
        break;
      set_text(c, &r[0], kdb->tables[i].name);
      set_int(&r[1], kdb->tables[i].app->id);
      if(kj_text(kj_get(v, "id")))
        set_int(&r[2], kj_int(kj_get(v, "id"), 0));
      set_text(c, &r[3], views->u.object.keys[j]);
      set_text(c, &r[4], kj_text(kj_get(v, "type")));
      if(kj_text(kj_get(v, "index")))
        set_int(&r[5], kj_int(kj_get(v, "index"), 0));
      set_text(c, &r[6], kj_text(kj_get(v, "filterCond")));
      set_text(c, &r[7], kj_text(kj_get(v, "sort")));
      if(kj_get(v, "fields")) {
        ku_buf_init(&b, 1 << 20);
        kj_write_value(&b, kj_get(v, "fields"));
        set_text(c, &r[8], ku_buf_cstr(&b));
        ku_buf_cleanup(&b);
      }
    }
    yajl_tree_free(root);
  }
  return c->failed ? SQLITE_NOMEM : SQLITE_OK;
}

static int build_comments(struct mvtab *vt, struct mcur *c, int argc,
                          sqlite3_value **argv)
{
  struct ks_db *kdb = vt->kdb;
  long long app, rec, offset = 0;
  const char *table;

  if(argc < 2) {
    sqlite3_free(vt->base.zErrMsg);
    vt->base.zErrMsg = sqlite3_mprintf("sys.Comments needs the record: "
                                       "WHERE app_id = ? AND record_id = ?");
    return SQLITE_ERROR;
  }
  app = sqlite3_value_int64(argv[0]);
  rec = sqlite3_value_int64(argv[1]);
  table = app_table(kdb, app);
  if(!table)
    return SQLITE_OK;            /* not an app of this connection */
  for(;;) {
    struct kc_params p;
    struct kc_err err;
    yajl_val root, list;
    size_t i, n;
    int rc;
    kc_params_init(&p);
    kc_params_addf(&p, "app", "%lld", app);
    kc_params_addf(&p, "record", "%lld", rec);
    kc_params_add(&p, "order", "asc");
    kc_params_addf(&p, "offset", "%lld", offset);
    kc_params_add(&p, "limit", "10");
    rc = kc_client_get(kdb->client, "record/comments", &p, &root, &err);
    kc_params_cleanup(&p);
    if(rc)
      return api_fail(vt, &err);
    list = kj_get(root, "comments");
    n = kj_len(list);
    for(i = 0; i < n; i++) {
      yajl_val cm = kj_at(list, i);
      struct mcell *r = new_row(c);
      const char *at = kj_text(kj_get(cm, "createdAt"));
      char ts[32];
      struct ku_buf b;
      if(!r)
        break;
      set_text(c, &r[0], table);
      set_int(&r[1], app);
      set_int(&r[2], rec);
      set_int(&r[3], kj_int(kj_get(cm, "id"), 0));
      set_text(c, &r[4], kj_text(kj_get(cm, "text")));
      if(at && strlen(at) >= 19) {
        long long t;
        long off;
        int zone;
        if(!ku_parse_datetime(at, strlen(at), &t, &zone, &off)) {
          t -= off;                      /* shown in the TimeZone */
          ku_format_datetime(t + ku_tz_offset(ks_db_tz(kdb), t), ' ', ts,
                             sizeof(ts));
        }
        else
          snprintf(ts, sizeof(ts), "%.10s %.8s", at, at + 11);
        set_text(c, &r[5], ts);
      }
      set_text(c, &r[6], kj_text(kj_get(kj_get(cm, "creator"), "code")));
      ku_buf_init(&b, 1 << 20);
      kj_write_value(&b, kj_get(cm, "mentions"));
      set_text(c, &r[7], ku_buf_cstr(&b));
      ku_buf_cleanup(&b);
    }
    yajl_tree_free(root);
    if(n < 10 || c->failed)
      break;
    offset += 10;
  }
  return c->failed ? SQLITE_NOMEM : SQLITE_OK;
}

/* Appends a code point as UTF-8. */
static void put_utf8(sqlite3_str *o, unsigned long cp)
{
  char u[4];

  sqlite3_str_append(o, u, (int)ku_utf8_encode((uint32_t)cp, u));
}

/*
 * Sets a cell to the plain text of Kintone's HTML (app descriptions):
 * tags dropped, character references decoded, white space collapsed;
 * NULL when nothing is left.
 */
static void html_text(struct mcur *c, struct mcell *cell, const char *h)
{
  sqlite3_str *o;
  const char *p;
  char *txt;
  int blank = 0;

  if(!cell || !h || !*h)
    return;
  o = sqlite3_str_new(NULL);
  for(p = h; *p; p++) {
    unsigned char ch = (unsigned char)*p;
    if(ch == '<') {
      const char *e = strchr(p, '>');
      if(!e)
        break;
      p = e;
      blank = 1;                       /* a tag separates words */
      continue;
    }
    if(ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      blank = 1;
      continue;
    }
    if(blank && sqlite3_str_length(o))
      sqlite3_str_appendchar(o, 1, ' ');
    blank = 0;
    if(ch == '&') {
      static const struct { const char *n; unsigned long cp; } ent[] = {
        {"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'},
        {"#39;", '\''}, {"apos;", '\''}, {"nbsp;", ' '}
      };
      size_t k;
      for(k = 0; k < sizeof(ent) / sizeof(ent[0]); k++)
        if(!strncmp(p + 1, ent[k].n, strlen(ent[k].n)))
          break;
      if(k < sizeof(ent) / sizeof(ent[0])) {
        put_utf8(o, ent[k].cp);
        p += strlen(ent[k].n);
        continue;
      }
      if(p[1] == '#') {
        char *end;
        int hex = p[2] == 'x' || p[2] == 'X';
        unsigned long cp = strtoul(p + 2 + hex, &end, hex ? 16 : 10);
        if(*end == ';' && end > p + 2 + hex && cp > 0 && cp < 0x110000 &&
           (cp < 0xd800 || cp > 0xdfff)) {
          put_utf8(o, cp);
          p = end;
          continue;
        }
      }
    }
    sqlite3_str_appendchar(o, 1, (char)ch);
  }
  txt = sqlite3_str_finish(o);
  if(txt && *txt)
    set_text(c, cell, txt);
  else if(!txt)
    c->failed = 1;
  sqlite3_free(txt);
}

/* Sets a BIT cell from a JSON boolean (true/false or their strings). */
static void set_bool(struct mcell *cell, yajl_val v)
{
  int b = kj_bool(v, -1);

  if(b >= 0)
    set_int(cell, b);
}

/* Sets a cell to the JSON text of v (NULL when v is absent or null). */
static void set_json(struct mcur *c, struct mcell *cell, yajl_val v)
{
  struct ku_buf b;

  if(!v || YAJL_IS_NULL(v))
    return;
  ku_buf_init(&b, 1 << 20);
  if(kj_write_value(&b, v))
    c->failed = 1;
  else
    set_text(c, cell, ku_buf_cstr(&b));
  ku_buf_cleanup(&b);
}

/* sys.Spaces: one space.json per space that holds a visible app. */
static int build_spaces(struct mvtab *vt, struct mcur *c)
{
  struct ks_db *kdb = vt->kdb;
  size_t i, j;

  for(i = 0; i < kdb->napps; i++) {
    long long sid = kdb->apps[i].space_id;
    struct kc_params p;
    struct kc_err err;
    struct mcell *r;
    yajl_val root, apps;
    sqlite3_str *ids;
    char *idtext;
    int rc, seen = 0;
    if(!sid)
      continue;
    for(j = 0; j < i && !seen; j++)   /* apps are sorted by id, not space */
      seen = kdb->apps[j].space_id == sid;
    if(seen)
      continue;
    kc_params_init(&p);
    kc_params_addf(&p, "id", "%lld", sid);
    rc = kc_client_get(kdb->client, "space", &p, &root, &err);
    kc_params_cleanup(&p);
    if(rc)
      return api_fail(vt, &err);
    r = new_row(c);
    if(!r) {
      yajl_tree_free(root);
      break;
    }
    set_int(&r[0], kj_int(kj_get(root, "id"), sid));
    set_text(c, &r[1], kj_text(kj_get(root, "name")));
    set_bool(&r[2], kj_get(root, "isGuest"));
    set_bool(&r[3], kj_get(root, "isPrivate"));
    if(kj_text(kj_get(root, "defaultThread")))
      set_int(&r[4], kj_int(kj_get(root, "defaultThread"), 0));
    if(kj_text(kj_get(root, "memberCount")))
      set_int(&r[5], kj_int(kj_get(root, "memberCount"), 0));
    set_bool(&r[6], kj_get(root, "useMultiThread"));
    set_bool(&r[7], kj_get(root, "fixedMember"));
    set_text(c, &r[8], kj_text(kj_get(kj_get(root, "creator"), "code")));
    set_text(c, &r[9], kj_text(kj_get(kj_get(root, "modifier"), "code")));
    set_text(c, &r[10],
             kj_text(kj_get(kj_get(root, "permissions"), "createApp")));
    apps = kj_get(root, "attachedApps");
    ids = sqlite3_str_new(NULL);
    sqlite3_str_appendchar(ids, 1, '[');
    for(j = 0; j < kj_len(apps); j++)
      sqlite3_str_appendf(ids, "%s%lld", j ? "," : "",
                          kj_int(kj_get(kj_at(apps, j), "appId"), 0));
    sqlite3_str_appendchar(ids, 1, ']');
    idtext = sqlite3_str_finish(ids);
    if(!idtext)
      c->failed = 1;
    set_text(c, &r[11], idtext);
    sqlite3_free(idtext);
    set_text(c, &r[12], kj_text(kj_get(root, "body")));
    yajl_tree_free(root);
  }
  return c->failed ? SQLITE_NOMEM : SQLITE_OK;
}

/* The rows of one app's app/status.json (statuses or actions). */
static void process_rows(struct mvtab *vt, struct mcur *c,
                         const struct ks_table *t, yajl_val root)
{
  yajl_val states = kj_get(root, "states"), actions;
  int enabled = kj_bool(kj_get(root, "enable"), 0);
  size_t j;

  if(vt->kind == SYS_STATES) {
    for(j = 0; states && YAJL_IS_OBJECT(states) &&
               j < states->u.object.len; j++) {
      yajl_val st = states->u.object.values[j];
      yajl_val as = kj_get(st, "assignee");
      const char *name = kj_text(kj_get(st, "name"));
      struct mcell *r = new_row(c);
      if(!r)
        return;
      set_text(c, &r[0], t->name);
      set_int(&r[1], t->app->id);
      set_int(&r[2], enabled);
      set_text(c, &r[3], name ? name : states->u.object.keys[j]);
      if(kj_text(kj_get(st, "index")))
        set_int(&r[4], kj_int(kj_get(st, "index"), 0));
      set_text(c, &r[5], kj_text(kj_get(as, "type")));
      set_json(c, &r[6], kj_get(as, "entities"));
    }
    return;
  }
  actions = kj_get(root, "actions");
  for(j = 0; j < kj_len(actions); j++) {
    yajl_val a = kj_at(actions, j);
    struct mcell *r = new_row(c);
    if(!r)
      return;
    set_text(c, &r[0], t->name);
    set_int(&r[1], t->app->id);
    set_int(&r[2], enabled);
    set_int(&r[3], (long long)j);
    set_text(c, &r[4], kj_text(kj_get(a, "name")));
    set_text(c, &r[5], kj_text(kj_get(a, "from")));
    set_text(c, &r[6], kj_text(kj_get(a, "to")));
    if(kj_text(kj_get(a, "filterCond")) &&
       *kj_text(kj_get(a, "filterCond")))  /* "" (no condition): NULL */
      set_text(c, &r[7], kj_text(kj_get(a, "filterCond")));
    set_text(c, &r[8], kj_text(kj_get(a, "type")));
    set_json(c, &r[9], kj_get(kj_get(a, "executableUser"), "entities"));
  }
}

/* sys.ProcessStates / sys.ProcessActions: app/status.json of every app,
   or of the app `only` names. */
static int build_process(struct mvtab *vt, struct mcur *c,
                         sqlite3_value *only)
{
  struct ks_db *kdb = vt->kdb;
  size_t i;

  if(only && sqlite3_value_numeric_type(only) != SQLITE_INTEGER)
    return SQLITE_OK;                  /* no app has such an id */
  for(i = 0; i < kdb->napps && !c->failed; i++) {
    const struct ks_table *t = &kdb->tables[i];
    struct kc_params p;
    struct kc_err err;
    yajl_val root;
    int rc;
    if(only && sqlite3_value_int64(only) != t->app->id)
      continue;
    kc_params_init(&p);
    kc_params_addf(&p, "app", "%lld", t->app->id);
    rc = kc_client_get(kdb->client, "app/status", &p, &root, &err);
    kc_params_cleanup(&p);
    if(rc)
      return api_fail(vt, &err);
    process_rows(vt, c, t, root);
    yajl_tree_free(root);
  }
  return c->failed ? SQLITE_NOMEM : SQLITE_OK;
}

static int build(struct mvtab *vt, struct mcur *c)
{
  struct ks_db *kdb = vt->kdb;
  struct ks_schema_opts opts;
  struct ks_schema s;
  size_t i, j, k;
  int rc;

  ks_db_schema_opts(kdb, &opts);
  if(vt->kind != SYS_APPS) {
    rc = ks_db_load_all(kdb);
    if(rc != SQLITE_OK) {
      sqlite3_free(vt->base.zErrMsg);
      vt->base.zErrMsg = sqlite3_mprintf("%s", kdb->err.message);
      return rc;
    }
  }
  for(i = 0; i < kdb->napps; i++) {
    const struct ks_table *t = &kdb->tables[i];
    struct mcell *r;
    if(vt->kind == SYS_APPS) {
      r = new_row(c);
      if(!r)
        break;
      set_text(c, &r[0], t->name);
      set_int(&r[1], t->app->id);
      set_text(c, &r[2], t->app->code);
      set_text(c, &r[3], t->app->name);
      if(t->app->space_id)
        set_int(&r[4], t->app->space_id);
      html_text(c, &r[5], t->app->description);
      continue;
    }
    if(vt->kind == SYS_TABLES) {
      r = new_row(c);
      if(!r)
        break;
      set_text(c, &r[0], t->name);
      set_text(c, &r[1], "TABLE");
      set_int(&r[2], t->app->id);
      set_text(c, &r[3], t->app->code);
      set_text(c, &r[4], t->app->name);
      html_text(c, &r[7], t->app->description);
      for(j = 0; j < kdb->nsubs; j++) {
        const struct ks_table *st = kdb->subs[j];
        if(st->parent != (int)i)
          continue;
        r = new_row(c);
        if(!r)
          break;
        set_text(c, &r[0], st->name);
        set_text(c, &r[1], "TABLE");
        set_int(&r[2], t->app->id);
        set_text(c, &r[3], t->app->code);
        set_text(c, &r[4], t->app->name);
        set_text(c, &r[5], st->sub->code);
        set_text(c, &r[6], t->name);
        set_text(c, &r[7], st->sub->label);
      }
      continue;
    }
    if(!t->form)
      continue;
    memset(&s, 0, sizeof(s));
    if(ks_schema_build(t->form, &opts, &s))
      c->failed = 1;
    for(j = 0; j < t->form->n && !c->failed; j++) {
      const struct kc_field *f = &t->form->fields[j];
      field_row(c, kdb, t->name, t->app, f, &s);
      if(f->type == KC_F_SUBTABLE) {
        const char *sn = sub_table_name(kdb, i, f->code);
        struct ks_schema ss;
        memset(&ss, 0, sizeof(ss));
        if(ks_schema_build_sub(f, &opts, &ss))
          c->failed = 1;
        for(k = 0; k < f->nsub && !c->failed; k++)
          field_row(c, kdb, sn, t->app, &f->sub[k], &ss);
        ks_schema_cleanup(&ss);
      }
    }
    ks_schema_cleanup(&s);
  }
  return c->failed ? SQLITE_NOMEM : SQLITE_OK;
}

static int m_filter(sqlite3_vtab_cursor *cur, int n, const char *s, int argc,
                    sqlite3_value **argv)
{
  struct mcur *c = (struct mcur *)cur;

  struct mvtab *vt = (struct mvtab *)cur->pVtab;

  (void)n; (void)s;
  clear_rows(c);
  c->row = 0;
  if(vt->kind == SYS_VIEWS)
    return build_views(vt, c);
  if(vt->kind == SYS_COMMENTS)
    return build_comments(vt, c, argc, argv);
  if(vt->kind == SYS_SPACES)
    return build_spaces(vt, c);
  if(vt->kind == SYS_STATES || vt->kind == SYS_ACTIONS)
    return build_process(vt, c, n == 2 && argc >= 1 ? argv[0] : NULL);
  return build(vt, c);
}

static int m_next(sqlite3_vtab_cursor *cur)
{
  ((struct mcur *)cur)->row++;
  return SQLITE_OK;
}

static int m_eof(sqlite3_vtab_cursor *cur)
{
  struct mcur *c = (struct mcur *)cur;

  return c->row >= c->nrows;
}

static int m_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i)
{
  struct mcur *c = (struct mcur *)cur;
  const struct mcell *cell;

  if(i < 0 || i >= c->ncols) {
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  cell = &c->cells[c->row * (size_t)c->ncols + (size_t)i];
  if(cell->type == SQLITE_TEXT)
    sqlite3_result_text(ctx, cell->text, -1, SQLITE_TRANSIENT);
  else if(cell->type == SQLITE_INTEGER)
    sqlite3_result_int64(ctx, cell->i);
  else
    sqlite3_result_null(ctx);
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
                      "CREATE VIRTUAL TABLE sys.Apps USING kintone_sys(apps);"
                      "CREATE VIRTUAL TABLE sys.Tables USING "
                      "kintone_sys(tables);"
                      "CREATE VIRTUAL TABLE sys.Fields USING "
                      "kintone_sys(fields);"
                      "CREATE VIRTUAL TABLE sys.Views USING "
                      "kintone_sys(views);"
                      "CREATE VIRTUAL TABLE sys.Comments USING "
                      "kintone_sys(comments);"
                      "CREATE VIRTUAL TABLE sys.Spaces USING "
                      "kintone_sys(spaces);"
                      "CREATE VIRTUAL TABLE sys.ProcessStates USING "
                      "kintone_sys(processstates);"
                      "CREATE VIRTUAL TABLE sys.ProcessActions USING "
                      "kintone_sys(processactions);",
                      NULL, NULL, NULL);
  return rc;
}
