/*
 * vtab.c - the "kintone" virtual table module: one table per app.
 *
 * Layer: sql.  HOW IT WORKS
 *   xCreate/xConnect  argv[3] is the index of the app in ks_db.tables;
 *                     the form is fetched (one request) and declared.
 *   xBestIndex        plan.c decides the pushdown (see plan.h for the
 *                     idxStr format and the argv order).
 *   xFilter           renders the condition (kquery.c), then pages:
 *                       <cond> [and $id > last] order by $id asc
 *                       limit <n> [offset <o> on the first page]
 *                     (`<` and desc when ORDER BY $id DESC is served).
 *                     Count-only plans ask once with totalCount=true.
 *   xColumn           converts a field's JSON to an SQL value:
 *                       $id, $revision            INTEGER
 *                       NUMBER, CALC(number)      INTEGER or REAL
 *                       DATE                      'YYYY-MM-DD'
 *                       TIME                      'HH:MM:SS'
 *                       DATETIME, *_TIME          'YYYY-MM-DD HH:MM:SS' UTC
 *                       CREATOR, MODIFIER         user code
 *                       multi-value fields        JSON array text
 *                       (selection keys; user/organization/group codes;
 *                        file names)
 *                       text, links, selections   TEXT
 *                     Empty values ("" / null / []) are NULL.
 */
#include "ks_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kquery.h"
#include "plan.h"
#include "fetch.h"
#include "scan_cache.h"
#include "schema.h"
#include "values.h"
#include "subwrite.h"
#include "write.h"
#include "../kintone/kc_records.h"
#include "../net/kj_json.h"
#include "../util/ku_log.h"
#include "../util/ku_mem.h"

#define OFFSET_MAX 10000        /* Kintone's offset cap */
#define POLL_ROWS 64             /* rows between ks_fetch_poll calls (2^n) */
/* Probes of one plan in one statement before the table is read whole
   (see use_fallback): few probes are cheaper than a full read. */
#define KS_FALLBACK_PROBES 6
/* Record members whose column is remembered (kcur.keyptr, kcur.keycol) */
#define KS_KEYS_CACHED 128

struct kvtab {
  sqlite3_vtab base;
  struct ks_db *kdb;
  struct ks_table *t;
  struct ks_schema schema;
  struct ks_colcap *caps;      /* pushdown capabilities per column */
  struct kq_col *qcols;        /* how values are written per column */
  char *last_idxstr;           /* join detection: last plan filtered */
  unsigned long last_gen;      /* ...in this statement generation */
  int repeats;                 /* ...this many times */
  unsigned long no_fallback_gen; /* full-scan fallback failed in this gen */
  struct ks_writer writer;     /* INSERT/UPDATE/DELETE of this table */
  struct ks_subwriter subwriter;  /* ... of a subtable table */
  int is_sub;                  /* a subtable table: rows of records */
  long long app_id;            /* the app that holds the records */
};

struct kcur {
  sqlite3_vtab_cursor base;
  struct ks_plan plan;
  char *cond;                  /* rendered condition (sqlite3_malloc) */
  const char **fields;         /* requested field codes (borrowed names) */
  size_t nfields;
  struct kc_page page;         /* current page when not in a scan */
  struct ks_scan *scan;        /* scan being recorded or replayed */
  struct ks_fetch *fetch;      /* pages being read (fetch.h) */
  int replay;                  /* rows come from a cached scan */
  size_t scan_page;            /* current page index within scan */
  size_t pos;                  /* current record in page */
  size_t subpos;               /* subtables: current row in the record */
  yajl_val *vals;              /* per column value of current record */
  const char *keyptr[KS_KEYS_CACHED]; /* k-th member name seen last in
                                  this page (NULL: none; a page's parser
                                  shares one copy of each name) */
  int keycol[KS_KEYS_CACHED];  /* column of the k-th member last seen
                                  (-1: none): records share their order */
  long long remaining;         /* rows still allowed by LIMIT; -1 none */
  long long skip;              /* rows to drop client-side (big OFFSET) */
  long long offset;            /* OFFSET to push on the first page */
  long long count_left;        /* count-only: rows still to produce */
  int fallback;                /* full scan serving repeated lookups */
  int eof;
};

static int set_err(struct kvtab *vt, const struct kc_err *err)
{
  sqlite3_free(vt->base.zErrMsg);
  vt->base.zErrMsg = sqlite3_mprintf("%s", err->message);
  ks_db_set_error(vt->kdb, err);
  return SQLITE_ERROR;
}

/* Pushdown capabilities of one column (see plan.h, kquery.h). */
static void column_caps(const struct ks_col *c, struct ks_colcap *cap,
                        struct kq_col *q)
{
  const struct kc_field *f = c->field;
  int numeric_calc = c->ftype == KC_F_CALC &&
                     (!c->calc_format || !strcmp(c->calc_format, "NUMBER") ||
                      !strcmp(c->calc_format, "NUMBER_DIGIT"));

  cap->code = c->code;
  cap->ops = 0;
  cap->exact = 0;
  cap->orderable = 0;
  q->code = c->code;
  q->kind = 0;
  q->options = NULL;
  q->noptions = 0;
  switch(c->ftype) {
  case KC_F_ID:
    cap->ops = KS_OP_EQ | KS_OP_RANGE | KS_OP_IN;
    cap->exact = 1;
    cap->orderable = 1;
    q->kind = KQ_ID;
    break;
  case KC_F_NUMBER:
    cap->ops = KS_OP_EQ | KS_OP_NE | KS_OP_RANGE | KS_OP_IN;
    q->kind = KQ_NUMBER;
    break;
  case KC_F_CALC:
    if(numeric_calc) {
      cap->ops = KS_OP_EQ | KS_OP_NE | KS_OP_RANGE | KS_OP_IN;
      q->kind = KQ_NUMBER;
    }
    break;
  case KC_F_SINGLE_LINE_TEXT:
  case KC_F_LINK:
  case KC_F_STATUS:
    cap->ops = KS_OP_EQ | KS_OP_NE | KS_OP_IN;
    q->kind = KQ_TEXT;
    break;
  case KC_F_DATE:
    cap->ops = KS_OP_EQ | KS_OP_NE | KS_OP_RANGE;
    q->kind = KQ_DATE;
    break;
  case KC_F_DATETIME:
  case KC_F_CREATED_TIME:
  case KC_F_UPDATED_TIME:
    cap->ops = KS_OP_EQ | KS_OP_NE | KS_OP_RANGE;
    q->kind = KQ_DATETIME;
    break;
  case KC_F_TIME:
    cap->ops = KS_OP_EQ | KS_OP_NE | KS_OP_RANGE;
    q->kind = KQ_TIME;
    break;
  case KC_F_DROP_DOWN:
  case KC_F_RADIO_BUTTON:
    cap->ops = KS_OP_EQ | KS_OP_NE | KS_OP_IN | KS_OP_ISNULL;
    q->kind = KQ_CHOICE;
    if(f && f->noptions) {
      q->options = (const char *const *)f->options;
      q->noptions = f->noptions;
    }
    break;
  case KC_F_CREATOR:
  case KC_F_MODIFIER:
    cap->ops = KS_OP_EQ | KS_OP_NE | KS_OP_IN;
    q->kind = KQ_USER;
    break;
  case KC_F_MULTI_LINE_TEXT:
  case KC_F_RICH_TEXT:
    cap->ops = KS_OP_ISNULL;
    q->kind = KQ_LONGTEXT;
    break;
  default:
    break;
  }
}

static const struct kq_col *col_lookup(void *ctx, const char *code,
                                       size_t len)
{
  struct kvtab *vt = ctx;
  size_t i;

  for(i = 0; i < vt->schema.ncols; i++)
    if(vt->qcols[i].kind && strlen(vt->qcols[i].code) == len &&
       !memcmp(vt->qcols[i].code, code, len))
      return &vt->qcols[i];
  return NULL;
}

static int vt_connect(sqlite3 *db, void *aux, int argc,
                      const char *const *argv, sqlite3_vtab **out,
                      char **errmsg)
{
  struct ks_db *kdb = aux;
  struct ks_schema_opts opts;
  struct kvtab *vt;
  size_t idx;
  char *sql;
  int rc;

  if(argc < 4) {
    *errmsg = sqlite3_mprintf("kintone: app index missing");
    return SQLITE_ERROR;
  }
  idx = (size_t)strtoul(argv[3], NULL, 10);
  if(idx >= kdb->napps) {
    *errmsg = sqlite3_mprintf("kintone: no app #%s", argv[3]);
    return SQLITE_ERROR;
  }
  if(ks_table_load(kdb, &kdb->tables[idx], 1) != SQLITE_OK) {
    *errmsg = sqlite3_mprintf("%s", kdb->err.message);
    return SQLITE_ERROR;
  }
  vt = sqlite3_malloc(sizeof(*vt));
  if(!vt)
    return SQLITE_NOMEM;
  memset(vt, 0, sizeof(*vt));
  vt->kdb = kdb;
  vt->t = &kdb->tables[idx];
  vt->app_id = vt->t->app->id;
  if(argc >= 5) {                  /* kintone(<app>, <subtable>) */
    size_t si = (size_t)strtoul(argv[4], NULL, 10);
    if(si >= kdb->nsubs || kdb->subs[si]->parent != (int)idx) {
      sqlite3_free(vt);
      *errmsg = sqlite3_mprintf("kintone: no subtable #%s", argv[4]);
      return SQLITE_ERROR;
    }
    vt->t = kdb->subs[si];
    vt->is_sub = 1;
  }
  ks_db_schema_opts(kdb, &opts);
  if(vt->is_sub ? ks_schema_build_sub(vt->t->sub, &opts, &vt->schema)
                : ks_schema_build(vt->t->form, &opts, &vt->schema)) {
    sqlite3_free(vt);
    return SQLITE_NOMEM;
  }
  if(kc_client_config(kdb->client)->number_double) {
    size_t k;
    for(k = 0; k < vt->schema.ncols; k++)   /* NumberMapToDouble=1 */
      if(!strncmp(vt->schema.cols[k].decl, "DECIMAL", 7))
        snprintf(vt->schema.cols[k].decl, sizeof(vt->schema.cols[k].decl),
                 "DOUBLE");
  }
  vt->caps = sqlite3_malloc64(sizeof(*vt->caps) * vt->schema.ncols);
  vt->qcols = sqlite3_malloc64(sizeof(*vt->qcols) * vt->schema.ncols);
  sql = ks_schema_sql(&vt->schema);
  if(!sql || !vt->caps || !vt->qcols) {
    sqlite3_free(sql);
    sqlite3_free(vt->caps);
    sqlite3_free(vt->qcols);
    ks_schema_cleanup(&vt->schema);
    sqlite3_free(vt);
    return SQLITE_NOMEM;
  }
  {
    size_t i;
    for(i = 0; i < vt->schema.ncols; i++)
      column_caps(&vt->schema.cols[i], &vt->caps[i], &vt->qcols[i]);
    if(vt->is_sub) {
      /* rows: nothing on the row id; $parent_id is the record's $id,
         rechecked by SQLite so that join probes can use a full scan */
      for(i = 0; i < vt->schema.ncols; i++) {
        vt->caps[i].ops = 0;
        vt->caps[i].orderable = 0;
        vt->qcols[i].kind = 0;
      }
      vt->caps[1].code = "$id";
      vt->caps[1].ops = KS_OP_EQ | KS_OP_RANGE | KS_OP_IN;
      vt->caps[1].exact = 0;
      vt->caps[1].orderable = 1;
      vt->qcols[1].code = "$id";
      vt->qcols[1].kind = KQ_ID;
    }
  }
  ks_writer_init(&vt->writer, kdb, vt->app_id, vt->t->name, &vt->schema);
  if(vt->is_sub)
    ks_subwriter_init(&vt->subwriter, kdb, vt->app_id, vt->t->name,
                      vt->t->sub->code, &vt->schema);
  rc = sqlite3_declare_vtab(db, sql);
  sqlite3_free(sql);
  /* xUpdate is told the conflict mode: INSERT OR REPLACE -> upsert */
  if(rc == SQLITE_OK)
    sqlite3_vtab_config(db, SQLITE_VTAB_CONSTRAINT_SUPPORT, 1);
  if(rc != SQLITE_OK) {
    *errmsg = sqlite3_mprintf("kintone: cannot declare table: %s",
                              sqlite3_errmsg(db));
    sqlite3_free(vt->caps);
    sqlite3_free(vt->qcols);
    ks_schema_cleanup(&vt->schema);
    sqlite3_free(vt);
    return rc;
  }
  *out = &vt->base;
  return SQLITE_OK;
}

static int vt_disconnect(sqlite3_vtab *base)
{
  struct kvtab *vt = (struct kvtab *)base;

  sqlite3_free(vt->caps);
  sqlite3_free(vt->qcols);
  sqlite3_free(vt->last_idxstr);
  ks_writer_reset(&vt->writer);
  ks_subwriter_reset(&vt->subwriter);
  ks_schema_cleanup(&vt->schema);
  sqlite3_free(vt);
  return SQLITE_OK;
}

static int vt_best_index(sqlite3_vtab *base, sqlite3_index_info *info)
{
  struct kvtab *vt = (struct kvtab *)base;
  int rc = ks_plan_best_caps(info, (int)vt->schema.ncols, vt->caps, 1,
                             !vt->is_sub);

  KLOG(vt->kdb->log, KU_LOG_DEBUG, "plan", "%s: %s", vt->t->name,
       info->idxStr ? info->idxStr : "(none)");
  return rc;
}

static int vt_open(sqlite3_vtab *base, sqlite3_vtab_cursor **out)
{
  struct kvtab *vt = (struct kvtab *)base;
  struct kcur *c = sqlite3_malloc(sizeof(*c));

  if(!c)
    return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  memset(c->keycol, 0xff, sizeof(c->keycol));        /* all -1 */
  c->page.total_count = -1;
  c->vals = sqlite3_malloc64(sizeof(yajl_val) * (vt->schema.ncols + 1));
  if(!c->vals) {
    sqlite3_free(c);
    return SQLITE_NOMEM;
  }
  *out = &c->base;
  return SQLITE_OK;
}

/* The page the cursor reads from. */
static const struct kc_page *cur_page(const struct kcur *c)
{
  if(c->scan && c->scan->npages)
    return &c->scan->pages[c->scan_page];
  return &c->page;
}

/* The cursor moved to another page: names seen before may be gone. */
static void page_changed(struct kcur *c)
{
  memset(c->keyptr, 0, sizeof(c->keyptr));
}

static void cur_reset(struct kcur *c, struct ks_db *kdb)
{
  kc_page_free(&c->page);
  ks_fetch_free(c->fetch);
  c->fetch = NULL;
  if(c->scan) {
    if(!c->scan->published && !c->replay)
      ks_scan_free(c->scan);
    else
      ks_cache_release(kdb, c->scan);
    c->scan = NULL;
  }
  c->replay = 0;
  c->scan_page = 0;
  sqlite3_free(c->cond);
  c->cond = NULL;
  sqlite3_free(c->fields);
  c->fields = NULL;
  c->nfields = 0;
  c->pos = 0;
  c->eof = 0;
  page_changed(c);
}

static int vt_close(sqlite3_vtab_cursor *cur)
{
  struct kcur *c = (struct kcur *)cur;

  cur_reset(c, ((struct kvtab *)cur->pVtab)->kdb);
  sqlite3_free(c->vals);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* Member "value" of a field object (kj_get without the strcmp call:
   once per field of every record). */
static yajl_val field_value(yajl_val f)
{
  size_t i;

  if(!f || !YAJL_IS_OBJECT(f))
    return NULL;
  for(i = 0; i < f->u.object.len; i++) {
    const char *k = f->u.object.keys[i];
    if(k[0] == 'v' && k[1] == 'a' && k[2] == 'l' && k[3] == 'u' &&
       k[4] == 'e' && !k[5])
      return f->u.object.values[i];
  }
  return NULL;
}

/* Maps the current record's members to columns. */
static void index_record(struct kvtab *vt, struct kcur *c)
{
  yajl_val rec = kc_page_record(cur_page(c), c->pos);
  size_t i;

  memset(c->vals, 0, sizeof(yajl_val) * vt->schema.ncols);
  if(!rec || !YAJL_IS_OBJECT(rec))
    return;
  if(vt->is_sub) {
    yajl_val rows = kj_get(kj_get(rec, vt->t->sub->code), "value");
    yajl_val row = kj_at(rows, c->subpos), inner = kj_get(row, "value");
    c->vals[0] = kj_get(row, "id");
    c->vals[1] = kj_get(kj_get(rec, "$id"), "value");
    for(i = 0; inner && YAJL_IS_OBJECT(inner) && i < inner->u.object.len;
        i++) {
      int col = ks_schema_find(&vt->schema, inner->u.object.keys[i]);
      if(col >= 2)
        c->vals[col] = field_value(inner->u.object.values[i]);
    }
    return;
  }
  for(i = 0; i < rec->u.object.len; i++) {
    const char *key = rec->u.object.keys[i];
    int col;
    if(i < KS_KEYS_CACHED && c->keyptr[i] == key)
      col = c->keycol[i];        /* the very name seen in this page */
    else {
      col = i < KS_KEYS_CACHED ? c->keycol[i] : -1;
      if(col < 0 || (size_t)col >= vt->schema.ncols ||
         strcmp(vt->schema.cols[col].code, key))
        col = ks_schema_find(&vt->schema, key);
      if(i < KS_KEYS_CACHED) {
        c->keyptr[i] = key;
        c->keycol[i] = col;
      }
    }
    if(col >= 0)
      c->vals[col] = field_value(rec->u.object.values[i]);
  }
}

/* Fetches the next page; sets eof when there is nothing more. */
static int fetch_page(struct kvtab *vt, struct kcur *c)
{
  const struct kc_config *cfg = kc_client_config(vt->kdb->client);
  struct kc_err err;
  struct kc_page pg;
  int rc, done = 0;

  c->pos = 0;
  page_changed(c);
  if(c->remaining == 0 && !c->skip) {
    c->eof = 1;
    return SQLITE_OK;
  }
  if(!c->fetch) {
    struct ks_fetch_opts o;
    memset(&o, 0, sizeof(o));
    o.app = vt->app_id;
    o.fields = c->fields;
    o.nfields = c->nfields;
    o.cond = c->cond;
    o.desc = !strcmp(c->plan.order, "desc");
    o.limit = c->remaining >= 0 ? c->remaining + c->skip : -1;
    o.offset = c->offset;
    o.page_size = cfg->page_size;
    o.concurrency = cfg->max_concurrency;
    /* nothing above asks for an order (SQLite sorts itself when it
       needs one): pages may be handed out as they arrive */
    o.unordered = !cfg->preserve_order && !c->plan.order[0];
    o.cancel = &vt->kdb->cancel;   /* cursor cleanup after SQLCancel */
    o.hint = vt->t->parent >= 0 ? &vt->kdb->tables[vt->t->parent].hint
                                : &vt->t->hint;
    if(ks_fetch_start(vt->kdb->client, &o, &c->fetch, &err))
      return set_err(vt, &err);
  }
  rc = ks_fetch_next(c->fetch, &pg, &done, &err);
  if(rc)
    return set_err(vt, &err);
  /* record the page in the scan being built, or keep it alone; a scan
     that totalCount shows to be too large to keep (over
     KS_SCAN_MAX_RECORDS) is not recorded at all: its first pages (16 MB
     of fresh memory) would be held only to be dropped at the cap */
  if(c->scan && (ks_fetch_expected(c->fetch) > KS_SCAN_MAX_RECORDS ||
                 ks_scan_add_page(c->scan, &pg))) {
    ks_scan_free(c->scan);
    c->scan = NULL;
    if(c->fallback)    /* too large to keep: probe with conditions again */
      vt->no_fallback_gen = vt->kdb->gen + 1;
  }
  if(c->scan)
    c->scan_page = c->scan->npages - 1;
  else {
    kc_page_free(&c->page);
    c->page = pg;
  }
  if(!cur_page(c)->count && done)
    c->eof = 1;
  return SQLITE_OK;
}

/* A scan that ran to its natural end becomes reusable. */
static void finish_scan(struct kvtab *vt, struct kcur *c)
{
  if(c->scan && !c->replay && !c->scan->published) {
    ks_cache_publish(vt->kdb, c->scan);
    if(c->scan->published)
      c->scan->refs++;
  }
}

/* Moves to the next row that survives client-side skipping. */
static int advance(struct kvtab *vt, struct kcur *c, int first)
{
  int rc;

  for(;;) {
    if(!first)
      c->pos++;
    first = 0;
    /* past the end of the page: the next page (which may be empty) */
    while(c->pos >= cur_page(c)->count) {
      if(c->replay) {
        if(c->scan_page + 1 >= c->scan->npages) {
          c->eof = 1;
          return SQLITE_OK;
        }
        c->scan_page++;
        c->pos = 0;
        page_changed(c);
        continue;
      }
      if(c->eof) {
        finish_scan(vt, c);
        c->eof = 1;
        return SQLITE_OK;
      }
      rc = fetch_page(vt, c);        /* sets pos = 0 */
      if(rc != SQLITE_OK)
        return rc;
      if(c->eof) {
        finish_scan(vt, c);
        return rc;
      }
    }
    if(c->skip > 0) {
      c->skip--;
      continue;
    }
    if(c->remaining == 0) {
      finish_scan(vt, c);
      c->eof = 1;
      return SQLITE_OK;
    }
    if(c->remaining > 0)
      c->remaining--;
    c->subpos = 0;
    index_record(vt, c);
    /* every POLL_ROWS rows, the requests that finished meanwhile are
       taken in and their slots reused (a page's rows take ms to read) */
    if(c->fetch && !c->replay &&
       (c->pos & (POLL_ROWS - 1)) == POLL_ROWS - 1) {
      struct kc_err err;
      if(ks_fetch_poll(c->fetch, &err))
        return set_err(vt, &err);
    }
    return SQLITE_OK;
  }
}

/* Rows of the subtable in the current record. */
static size_t sub_rows(struct kvtab *vt, struct kcur *c)
{
  yajl_val rec = kc_page_record(cur_page(c), c->pos);

  return kj_len(kj_get(kj_get(rec, vt->t->sub->code), "value"));
}

/* Subtable tables: the next row, moving through records as needed. */
static int advance_rows(struct kvtab *vt, struct kcur *c, int first)
{
  int rc;

  if(!first && !c->eof && c->subpos + 1 < sub_rows(vt, c)) {
    c->subpos++;
    index_record(vt, c);
    return SQLITE_OK;
  }
  for(;;) {
    rc = advance(vt, c, first);
    first = 0;
    if(rc != SQLITE_OK || c->eof)
      return rc;
    if(sub_rows(vt, c) > 0)
      return SQLITE_OK;            /* advance indexed row 0 */
  }
}

static int count_rows(struct kvtab *vt, struct kcur *c)
{
  sqlite3_str *q = sqlite3_str_new(NULL);
  static const char *idf[] = {"$id"};
  struct kc_err err;
  char *query;
  long long n;
  int rc;

  if(c->cond && *c->cond)
    sqlite3_str_appendf(q, "%s ", c->cond);
  sqlite3_str_appendall(q, "limit 1");
  query = sqlite3_str_finish(q);
  if(!query)
    return SQLITE_NOMEM;
  rc = kc_records_get(vt->kdb->client, vt->t->app->id, idf, 1, query, 1,
                      &c->page, &err);
  sqlite3_free(query);
  if(rc)
    return set_err(vt, &err);
  n = c->page.total_count;
  kc_page_free(&c->page);
  if(n < 0) {
    kc_err_set(&err, KC_EK_PROTOCOL, 0,
               "records.json answered without totalCount");
    return set_err(vt, &err);
  }
  n -= c->offset + c->skip;
  if(n < 0)
    n = 0;
  if(c->remaining >= 0 && n > c->remaining)
    n = c->remaining;
  c->count_left = n;
  c->eof = n == 0;
  return SQLITE_OK;
}

/*
 * Decides the full-scan fallback for repeated probes (see vt_filter).
 * Only plans whose terms are all rechecked by SQLite qualify: no $id
 * term, no LIMIT/OFFSET.
 */
static int use_fallback(struct kvtab *vt, struct kcur *c, const char *idxstr)
{
  struct ks_db *kdb = vt->kdb;

  if(!c->plan.cond[0] || (!vt->is_sub && strstr(c->plan.cond, "$id ")) ||
     c->plan.limit_arg || c->plan.offset_arg || c->plan.count_only)
    return 0;
  if(vt->last_idxstr && vt->last_gen == kdb->gen &&
     !strcmp(vt->last_idxstr, idxstr))
    vt->repeats++;
  else {
    sqlite3_free(vt->last_idxstr);
    vt->last_idxstr = sqlite3_mprintf("%s", idxstr);
    vt->last_gen = kdb->gen;
    vt->repeats = 1;
  }
  return vt->repeats >= KS_FALLBACK_PROBES &&
         vt->no_fallback_gen != kdb->gen + 1;
}

static int vt_filter(sqlite3_vtab_cursor *cur, int idxnum,
                     const char *idxstr, int argc, sqlite3_value **argv)
{
  struct kcur *c = (struct kcur *)cur;
  struct kvtab *vt = (struct kvtab *)cur->pVtab;
  sqlite3_str *cs;
  int never = 0, rc;
  size_t i;

  (void)idxnum;
  cur_reset(c, vt->kdb);
  if(ks_plan_decode(idxstr, &c->plan)) {
    vt->base.zErrMsg = sqlite3_mprintf("kintone: bad plan %s", idxstr);
    return SQLITE_ERROR;
  }
  cs = sqlite3_str_new(NULL);
  rc = kq_render_cols_tz(c->plan.cond, argv, argc, col_lookup, vt,
                         ks_db_tz(vt->kdb), cs, &never);
  if(sqlite3_str_errcode(cs) == SQLITE_NOMEM) {
    sqlite3_free(sqlite3_str_finish(cs));
    return SQLITE_NOMEM;
  }
  c->cond = sqlite3_str_finish(cs);
  if(!c->cond)
    c->cond = sqlite3_mprintf("%s", "");
  if(rc != SQLITE_OK || !c->cond) {
    vt->base.zErrMsg = sqlite3_mprintf("kintone: bad condition %s",
                                       c->plan.cond);
    return c->cond ? rc : SQLITE_NOMEM;
  }
  c->remaining = -1;
  c->skip = 0;
  c->offset = 0;
  if(c->plan.limit_arg > 0 && c->plan.limit_arg <= argc)
    c->remaining = sqlite3_value_int64(argv[c->plan.limit_arg - 1]);
  if(c->remaining < -1)
    c->remaining = -1;   /* SQLite: a negative LIMIT means none */
  if(c->plan.offset_arg > 0 && c->plan.offset_arg <= argc) {
    long long o = sqlite3_value_int64(argv[c->plan.offset_arg - 1]);
    if(o > OFFSET_MAX)
      c->skip = o;       /* beyond Kintone's cap: skip while paging */
    else if(o > 0)
      c->offset = o;
  }
  if(never) {
    c->eof = 1;
    return SQLITE_OK;
  }
  /* requested fields: $id always (the paging key) plus the used ones */
  if(vt->is_sub) {
    c->fields = sqlite3_malloc64(sizeof(char *) * 2);
    if(!c->fields)
      return SQLITE_NOMEM;
    c->fields[c->nfields++] = "$id";
    c->fields[c->nfields++] = vt->t->sub->code;
  }
  else if(!c->plan.all_fields) {
    c->fields = sqlite3_malloc64(sizeof(char *) * (vt->schema.ncols + 1));
    if(!c->fields)
      return SQLITE_NOMEM;
    c->fields[c->nfields++] = "$id";
    for(i = 1; i < vt->schema.ncols && i < 64; i++)
      if(c->plan.cols & (1ULL << i))
        c->fields[c->nfields++] = vt->schema.cols[i].code;
  }
  if(c->plan.count_only)
    return count_rows(vt, c);
  c->fallback = 0;
  if(use_fallback(vt, c, idxstr)) {
    /* the same plan again and again with other values: a join probing
       this table.  Read the table once (the terms are not omitted, so
       SQLite still filters) and replay it for every probe. */
    sqlite3_free(c->cond);
    c->cond = sqlite3_mprintf("%s", "");
    if(!c->cond)
      return SQLITE_NOMEM;
    c->fallback = 1;
  }
  {
    char *key = c->fallback
      ? sqlite3_mprintf("%p|FULL|%d|%llx|%s", (void *)vt->t,
                        c->plan.all_fields, c->plan.cols, c->plan.order)
      : sqlite3_mprintf("%p|%s|%s|%lld|%lld|%lld", (void *)vt->t, idxstr,
                        c->cond, c->remaining, c->offset, c->skip);
    if(!key)
      return SQLITE_NOMEM;
    c->scan = ks_cache_find(vt->kdb, key);
    if(c->scan) {
      c->replay = 1;          /* same skip/limit logic replays the rows */
      KLOG(vt->kdb->log, KU_LOG_DEBUG, "sql", "%s: replaying cached scan",
           vt->t->name);
    }
    else
      c->scan = ks_scan_new(key);    /* NULL: simply not cached */
    sqlite3_free(key);
  }
  return vt->is_sub ? advance_rows(vt, c, 1) : advance(vt, c, 1);
}

static int vt_next(sqlite3_vtab_cursor *cur)
{
  struct kcur *c = (struct kcur *)cur;

  if(c->plan.count_only) {
    if(--c->count_left <= 0)
      c->eof = 1;
    return SQLITE_OK;
  }
  if(((struct kvtab *)cur->pVtab)->is_sub)
    return advance_rows((struct kvtab *)cur->pVtab, c, 0);
  return advance((struct kvtab *)cur->pVtab, c, 0);
}

static int vt_eof(sqlite3_vtab_cursor *cur)
{
  return ((struct kcur *)cur)->eof;
}

static int vt_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i)
{
  struct kcur *c = (struct kcur *)cur;
  struct kvtab *vt = (struct kvtab *)cur->pVtab;
  const struct ks_col *col;
  yajl_val v;

  /* UPDATE: unchanged columns need no value (sqlite3_value_nochange
     tells xUpdate which columns the statement assigns) */
  if(i > (vt->is_sub ? 1 : 0) && sqlite3_vtab_nochange(ctx))
    return SQLITE_OK;
  if(vt->is_sub && i == 0 && c->vals[0] && c->vals[1])
    ks_subwriter_seen(&vt->subwriter, kj_int(c->vals[0], 0),
                      kj_int(c->vals[1], 0));
  if(c->plan.count_only || i < 0 || (size_t)i >= vt->schema.ncols) {
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  col = &vt->schema.cols[i];
  v = c->vals[i];
  if(!v || YAJL_IS_NULL(v)) {
    sqlite3_result_null(ctx);
    return SQLITE_OK;
  }
  ks_value_result(ctx, col, v);
  return SQLITE_OK;
}

static int vt_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
  struct kcur *c = (struct kcur *)cur;

  *rowid = c->vals[0] ? kj_int(c->vals[0], 0) : 0;
  return SQLITE_OK;
}

static int vt_update(sqlite3_vtab *base, int argc, sqlite3_value **argv,
                     sqlite3_int64 *rowid)
{
  struct kvtab *vt = (struct kvtab *)base;
  (void)rowid;
  if(vt->is_sub)
    return ks_subwriter_row(&vt->subwriter, argc, argv, &base->zErrMsg);
  return ks_writer_row(&vt->writer, argc, argv, &base->zErrMsg);
}

static int vt_begin(sqlite3_vtab *base)
{
  struct kvtab *vt = (struct kvtab *)base;

  ks_writer_reset(&vt->writer);
  ks_subwriter_reset(&vt->subwriter);
  return SQLITE_OK;
}

static int vt_sync(sqlite3_vtab *base)
{
  struct kvtab *vt = (struct kvtab *)base;

  if(vt->is_sub)
    return ks_subwriter_flush(&vt->subwriter, &base->zErrMsg);
  return ks_writer_flush(&vt->writer, &base->zErrMsg);
}

static int vt_end(sqlite3_vtab *base)
{
  return vt_begin(base);
}

static sqlite3_module kintone_module = {
  0,                /* iVersion */
  vt_connect,       /* xCreate */
  vt_connect,       /* xConnect */
  vt_best_index,
  vt_disconnect,    /* xDisconnect */
  vt_disconnect,    /* xDestroy */
  vt_open,
  vt_close,
  vt_filter,
  vt_next,
  vt_eof,
  vt_column,
  vt_rowid,
  vt_update,
  vt_begin,         /* xBegin */
  vt_sync,          /* xSync: applies the queued writes */
  vt_end,           /* xCommit */
  vt_end,           /* xRollback */
  NULL,             /* xFindFunction */
  NULL,             /* xRename */
  NULL, NULL, NULL, /* xSavepoint, xRelease, xRollbackTo */
  NULL              /* xShadowName */
};

int ks_vtab_register(struct ks_db *kdb)
{
  return sqlite3_create_module(kdb->db, "kintone", &kintone_module, kdb);
}
