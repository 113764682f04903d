/*
 * exec.c - statements: prepare, execute, fetch, bindings, descriptors.
 * See exec.h.
 */
#include "exec.h"

#include <stdint.h>
#include <string.h>

#include "convert.h"
#include "desc.h"
#include "typeinfo.h"
#include "../sql/ks_db.h"
#include "../util/ku_log.h"
#include "../util/ku_mem.h"

/*
 * The statement as allocated here: the public struct kd_stmt first
 * (base-first, so a struct kd_stmt * is a struct stmt_x *), then state
 * only this file uses.
 *
 * Static cursors (SQL_ATTR_CURSOR_TYPE = SQL_CURSOR_STATIC) read the whole
 * result into `rows` at execute time, so SQLFetchScroll can move in any
 * direction; forward-only cursors keep streaming from the sqlite3_stmt.
 * `pos` is the 0-based index of the first row of the current rowset: -1
 * before the first row, nrows after the last.
 */
#define SX(st) ((struct stmt_x *)(st))

struct stmt_x {
  struct kd_stmt s;          /* must stay first */
  int cached;                /* the result set lives in `vals` */
  struct kd_value *vals;     /* nrows * ncols values (text/blob owned) */
  size_t nrows;              /* rows materialised */
  size_t cap;                /* rows allocated */
  SQLLEN pos;                /* first row of the rowset, see above */
  SQLLEN streamed;           /* forward-only: rows returned so far */
  /* data at execution (SQLParamData/SQLPutData) */
  int dae_state;             /* 0 none, 1 collecting, 2 executing */
  int dae_cur;               /* parameter receiving data, 0 none yet */
  int dae_n;                 /* entries in dae (parameters + 1) */
  struct dae_buf {
    char *p;                 /* collected bytes (owned) */
    size_t len;              /* bytes in p */
    int null;                /* SQLPutData(SQL_NULL_DATA) */
    int got;                 /* SQLPutData was called */
  } *dae;                    /* dae[1..dae_n-1] */
};

/* Drops a data-at-execution sequence (finished or abandoned). */
static void dae_reset(struct kd_stmt *s)
{
  struct stmt_x *x = SX(s);
  int i;

  for(i = 0; x->dae && i < x->dae_n; i++)
    ku_free(x->dae[i].p);
  ku_free(x->dae);
  x->dae = NULL;
  x->dae_n = 0;
  x->dae_state = 0;
  x->dae_cur = 0;
}

/* Frees the materialised rows of a static cursor. */
static void cache_free(struct kd_stmt *s)
{
  struct stmt_x *x = SX(s);
  size_t i, n = x->nrows * (size_t)(s->ncols > 0 ? s->ncols : 0);

  for(i = 0; x->vals && i < n; i++)
    if(x->vals[i].kind == KD_V_TEXT || x->vals[i].kind == KD_V_BLOB)
      ku_free((void *)x->vals[i].s);
  ku_free(x->vals);
  x->vals = NULL;
  x->nrows = 0;
  x->cap = 0;
  x->pos = -1;
  x->cached = 0;
}

/* ------------------------------------------------------------ descs */

void kd_desc_rec_clear(struct kd_desc_rec *r)
{
  ku_free(r->name);
  ku_free(r->base_column);
  ku_free(r->table);
  ku_free(r->type_name);
  memset(r, 0, sizeof(*r));
}

void kd_desc_init(struct kd_desc *d, int kind, struct kd_stmt *s,
                  struct kd_dbc *dbc)
{
  memset(d, 0, sizeof(*d));
  d->hdr.magic = KD_MAGIC_DESC;
  d->hdr.type = KD_H_DESC;
  d->hdr.parent = &dbc->hdr;
  d->hdr.lock = &dbc->lock;
  kd_diag_init(&d->hdr.diag);
  d->kind = kind;
  d->stmt = s;
  d->dbc = dbc;
  d->array_size = 1;
  d->bind_type = SQL_BIND_BY_COLUMN;
}

void kd_desc_cleanup(struct kd_desc *d)
{
  SQLSMALLINT i;

  for(i = 0; d->recs && i <= d->cap; i++)
    kd_desc_rec_clear(&d->recs[i]);
  ku_free(d->recs);
  d->recs = NULL;
  d->cap = 0;
  d->count = 0;
  kd_diag_cleanup(&d->hdr.diag);
}

int kd_desc_ensure(struct kd_desc *d, SQLSMALLINT n)
{
  struct kd_desc_rec *r;

  if(n <= d->cap && d->recs)
    return 0;
  {
    size_t have = d->recs ? (size_t)d->cap + 1 : 0;   /* records in use */
    size_t want = (size_t)n + 1;
    r = ku_realloc(d->recs, want * sizeof(*r));
    if(!r)
      return 1;
    memset(r + have, 0, (want - have) * sizeof(*r));
  }
  d->recs = r;
  d->cap = n;
  return 0;
}

/* ------------------------------------------------------------ stmts */

struct kd_stmt *kd_stmt_new(struct kd_dbc *dbc)
{
  struct stmt_x *x = ku_calloc(1, sizeof(*x));
  struct kd_stmt *s;

  if(!x)
    return NULL;
  s = &x->s;
  x->pos = -1;
  s->hdr.magic = KD_MAGIC_STMT;
  s->hdr.type = KD_H_STMT;
  s->hdr.parent = &dbc->hdr;
  s->hdr.lock = &dbc->lock;
  kd_diag_init(&s->hdr.diag);
  s->dbc = dbc;
  kd_desc_init(&s->ard_i, KD_ARD, s, dbc);
  kd_desc_init(&s->apd_i, KD_APD, s, dbc);
  kd_desc_init(&s->ird, KD_IRD, s, dbc);
  kd_desc_init(&s->ipd, KD_IPD, s, dbc);
  s->ard = &s->ard_i;
  s->apd = &s->apd_i;
  s->cursor_type = SQL_CURSOR_FORWARD_ONLY;
  s->concurrency = SQL_CONCUR_READ_ONLY;
  s->scrollable = SQL_NONSCROLLABLE;
  s->sensitivity = SQL_UNSPECIFIED;
  s->retrieve_data = SQL_RD_ON;
  s->use_bookmarks = SQL_UB_OFF;
  s->async = SQL_ASYNC_ENABLE_OFF;
  s->noscan = SQL_NOSCAN_OFF;
  s->rowset_size_odbc2 = 1;
  s->row_count = -1;
  s->next = dbc->stmts;
  dbc->stmts = s;
  return s;
}

static void reset_result(struct kd_stmt *s)
{
  SQLSMALLINT i;

  cache_free(s);
  for(i = 0; s->ird.recs && i <= s->ird.cap; i++)
    kd_desc_rec_clear(&s->ird.recs[i]);
  s->ird.count = 0;
  s->ncols = 0;
  s->have_row = 0;
  s->at_end = 0;
  s->first_pending = 0;
  s->row_number = 0;
  SX(s)->streamed = 0;
  s->getdata_col = 0;
  s->getdata_off = 0;
  s->forced_types = NULL;
}

static void finalize(struct kd_stmt *s)
{
  dae_reset(s);
  if(s->st) {
    sqlite3_finalize(s->st);
    s->st = NULL;
  }
  ku_free(s->sql);
  s->sql = NULL;
  reset_result(s);
  s->state = KD_S_ALLOCATED;
}

void kd_stmt_free(struct kd_stmt *s)
{
  struct kd_stmt **pp;

  finalize(s);
  for(pp = &s->dbc->stmts; *pp; pp = &(*pp)->next) {
    if(*pp == s) {
      *pp = s->next;
      break;
    }
  }
  kd_desc_cleanup(&s->ard_i);
  kd_desc_cleanup(&s->apd_i);
  kd_desc_cleanup(&s->ird);
  kd_desc_cleanup(&s->ipd);
  kd_diag_cleanup(&s->hdr.diag);
  s->hdr.magic = KD_MAGIC_DEAD;
  ku_free(s);
}

SQLRETURN kd_stmt_sqlite_error(struct kd_stmt *s, int rc)
{
  struct ks_db *db = s->dbc->db;
  const struct kc_err *ke = db ? ks_db_error(db) : NULL;
  const char *msg;
  enum kd_err e = KD_E_GENERAL;

  if(ke)
    return kd_diag_post_kc(&s->hdr, ke);
  msg = db ? sqlite3_errmsg(ks_db_sqlite(db)) : "not connected";
  switch(rc & 0xff) {
  case SQLITE_NOMEM:
    e = KD_E_NOMEM;
    break;
  case SQLITE_INTERRUPT:
    e = db && ks_db_timed_out(db) ? KD_E_TIMEOUT : KD_E_CANCELLED;
    break;
  case SQLITE_CONSTRAINT:
    e = KD_E_CONSTRAINT;
    break;
  case SQLITE_TOOBIG:
    e = KD_E_STRING_TRUNC;
    break;
  case SQLITE_MISMATCH:
    e = KD_E_BAD_CAST;
    break;
  case SQLITE_AUTH:
    /* the sql layer's authorizer parks its reason; this is a fallback */
    KLOG(s->dbc->log, KU_LOG_WARN, "exec", "error %d: %s", rc, msg);
    return kd_diag_post(&s->hdr, KD_E_SYNTAX, rc, "statement not allowed "
                        "through the driver (%s)", msg);
  default:
    if(!strncmp(msg, "no such table", 13))
      e = KD_E_NO_TABLE;
    else if(!strncmp(msg, "no such column", 14))
      e = KD_E_NO_COLUMN;
    else if(strstr(msg, "syntax error") || !strncmp(msg, "near \"", 6) ||
            strstr(msg, "incomplete input") ||
            strstr(msg, "unrecognized token") ||
            !strncmp(msg, "no such function", 16) ||
            strstr(msg, "wrong number of arguments") ||
            strstr(msg, "may not be modified") ||
            strstr(msg, "ambiguous column"))
      e = KD_E_SYNTAX;
  }
  KLOG(s->dbc->log, KU_LOG_WARN, "exec", "error %d: %s", rc, msg);
  return kd_diag_post(&s->hdr, e, rc, "%s", msg);
}

/* Fills IRD record i (1-based) from the statement's column i-1. */
static int describe_col(struct kd_stmt *s, int i, int storage)
{
  struct kd_desc_rec *r = &s->ird.recs[i];
  struct kd_typeinfo ti;
  const char *decl = sqlite3_column_decltype(s->st, i - 1);
  const char *name = sqlite3_column_name(s->st, i - 1);
  const char *tab = NULL, *base = NULL;

#ifdef SQLITE_ENABLE_COLUMN_METADATA
  tab = sqlite3_column_table_name(s->st, i - 1);
  base = sqlite3_column_origin_name(s->st, i - 1);
#endif
  kd_typeinfo_from_decl(decl, storage, &ti);
  if(s->forced_types) {
    struct kd_typeinfo f;
    switch(s->forced_types[i - 1]) {
    case SQL_SMALLINT:
      kd_typeinfo_from_decl("SMALLINT", storage, &f);
      break;
    case SQL_INTEGER:
      kd_typeinfo_from_decl("INTEGER", storage, &f);
      break;
    default:
      kd_typeinfo_from_decl("WVARCHAR(128)", storage, &f);
    }
    ti = f;
  }
  kd_desc_rec_clear(r);
  r->concise_type = ti.sql_type;
  r->type = (ti.sql_type == SQL_TYPE_DATE || ti.sql_type == SQL_TYPE_TIME ||
             ti.sql_type == SQL_TYPE_TIMESTAMP) ? SQL_DATETIME : ti.sql_type;
  r->datetime_sub = ti.sql_type == SQL_TYPE_DATE ? SQL_CODE_DATE :
                    ti.sql_type == SQL_TYPE_TIME ? SQL_CODE_TIME :
                    ti.sql_type == SQL_TYPE_TIMESTAMP ? SQL_CODE_TIMESTAMP :
                    0;
  r->length = ti.column_size;
  r->precision = (SQLSMALLINT)(ti.column_size > 32767 ? 32767
                                                       : ti.column_size);
  r->scale = ti.decimal_digits;
  r->display_size = ti.display_size;
  r->octet_len_ird = ti.octet_length;
  r->is_unsigned = ti.is_unsigned;
  r->nullable = SQL_NULLABLE_UNKNOWN;
  if(base && !strcmp(base, "$id"))
    r->nullable = SQL_NO_NULLS;
  else if(decl)
    r->nullable = SQL_NULLABLE;
  r->name = ku_strdup(name ? name : "");
  r->type_name = ku_strdup(ti.type_name ? ti.type_name : "");
  r->table = ku_strdup(tab ? tab : "");
  r->base_column = ku_strdup(base ? base : "");
  if(!r->name || !r->type_name || !r->table || !r->base_column)
    return 1;
  return 0;
}

/* Builds the IRD from the prepared statement. */
static SQLRETURN describe(struct kd_stmt *s, int after_step)
{
  int i, n = sqlite3_column_count(s->st);

  s->ncols = n;
  if(kd_desc_ensure(&s->ird, (SQLSMALLINT)n))
    return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  s->ird.count = (SQLSMALLINT)n;
  for(i = 1; i <= n; i++) {
    int storage = after_step ? sqlite3_column_type(s->st, i - 1)
                             : SQLITE_NULL;
    if(describe_col(s, i, storage))
      return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  }
  return SQL_SUCCESS;
}

SQLRETURN kd_stmt_close(struct kd_stmt *s)
{
  cache_free(s);
  if(s->st)
    sqlite3_reset(s->st);
  s->have_row = 0;
  s->at_end = 0;
  s->first_pending = 0;
  s->getdata_col = 0;
  s->getdata_off = 0;
  if(s->state == KD_S_CURSOR || s->state == KD_S_EXECUTED)
    s->state = KD_S_PREPARED;
  return SQL_SUCCESS;
}

SQLRETURN kd_stmt_prepare(struct kd_stmt *s, const char *sql)
{
  struct ks_db *db = s->dbc->db;
  const char *tail = NULL;
  char *text = NULL;           /* sql after escape translation (owned) */
  int rc;

  finalize(s);
  if(!db)
    return kd_diag_post(&s->hdr, KD_E_NOT_CONNECTED, 0, NULL);
  KLOG(s->dbc->log, KU_LOG_INFO, "exec", "prepare: %s", sql);
  *ks_db_cancel_flag(db) = 0;
  /* preparing may read an app's fields: the timeout covers it too */
  ks_db_set_timeout(db, (unsigned long)s->query_timeout);
  if(s->noscan == SQL_NOSCAN_OFF) {
    char err[200];
    int unsupported = 0;
    text = kd_escape_translate(sql, &unsupported, err, sizeof(err));
    if(!text)
      return !err[0] ? kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL) :
             kd_diag_post(&s->hdr, unsupported ? KD_E_NOT_CAPABLE
                                               : KD_E_SYNTAX, 0, "%s", err);
    sql = text;
  }
  rc = ks_db_prepare(db, sql, -1, &s->st, &tail);
  if(rc != SQLITE_OK) {
    ku_free(text);
    return kd_stmt_sqlite_error(s, rc);
  }
  if(!s->st) {
    ku_free(text);
    return kd_diag_post(&s->hdr, KD_E_SYNTAX, 0, "empty statement");
  }
  while(tail && *tail && strchr(" \t\r\n;", *tail))
    tail++;
  if(tail && *tail) {
    SQLRETURN r;
    finalize(s);
    r = kd_diag_post(&s->hdr, KD_E_SYNTAX, 0,
                     "only one SQL statement per call is supported "
                     "(more text after the first: \"%.40s\")", tail);
    ku_free(text);
    return r;
  }
  s->sql = text ? text : ku_strdup(sql);
  if(!s->sql) {
    finalize(s);
    return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  }
  s->state = KD_S_PREPARED;
  return describe(s, 0);
}

/* Address of element `row` of a bound buffer (column- or row-wise). */
static void *elem(void *base, SQLLEN size, SQLULEN bind_type, SQLLEN *off,
                  SQLULEN row)
{
  char *p = base;

  if(!p)
    return NULL;
  if(off)
    p += *off;
  if(bind_type == SQL_BIND_BY_COLUMN)
    p += (SQLLEN)row * size;
  else
    p += (SQLLEN)row * (SQLLEN)bind_type;
  return p;
}

/* Binds parameter set `row` of the APD/IPD to the statement. */
static SQLRETURN bind_params(struct kd_stmt *s, SQLULEN row)
{
  int n = sqlite3_bind_parameter_count(s->st), i;
  SQLRETURN ret = SQL_SUCCESS;

  if(n > s->apd->count)
    return kd_diag_post(&s->hdr, KD_E_WRONG_PARAM_COUNT, 0,
                        "the statement has %d parameters but %d are bound",
                        n, (int)s->apd->count);
  for(i = 1; i <= n; i++) {
    struct kd_desc_rec *a = &s->apd->recs[i];
    struct kd_desc_rec *p = i <= s->ipd.cap ? &s->ipd.recs[i] : NULL;
    SQLLEN *ind = elem(a->indicator_ptr, sizeof(SQLLEN), s->apd->bind_type,
                       s->apd->bind_offset_ptr, row);
    SQLLEN *octp = elem(a->octet_length_ptr, sizeof(SQLLEN),
                        s->apd->bind_type, s->apd->bind_offset_ptr, row);
    SQLLEN fixed = kd_ctype_size(a->concise_type);
    void *data = elem(a->data_ptr, fixed ? fixed : a->octet_length,
                      s->apd->bind_type, s->apd->bind_offset_ptr, row);
    SQLLEN len = octp ? *octp : SQL_NTS;
    SQLRETURN r;
    if(ind && *ind == SQL_NULL_DATA)
      len = SQL_NULL_DATA;
    if(!octp && !ind)
      len = (a->concise_type == SQL_C_CHAR || a->concise_type == SQL_C_WCHAR)
              ? SQL_NTS : a->octet_length;
    if(SX(s)->dae_state == 2 && i < SX(s)->dae_n && SX(s)->dae[i].got) {
      struct dae_buf *b = &SX(s)->dae[i];
      data = b->p ? b->p : "";
      len = b->null ? SQL_NULL_DATA : (SQLLEN)b->len;
      r = kd_bind_param(&s->hdr, s->st, i, a->concise_type,
                        p ? p->concise_type : SQL_VARCHAR,
                        p ? p->length : 0, p ? p->scale : 0, data,
                        (SQLLEN)b->len, &len);
      if(r == SQL_ERROR)
        return r;
      if(r == SQL_SUCCESS_WITH_INFO)
        ret = r;
      continue;
    }
    r = kd_bind_param(&s->hdr, s->st, i, a->concise_type,
                      p ? p->concise_type : SQL_VARCHAR,
                      p ? p->length : 0, p ? p->scale : 0, data,
                      a->octet_length, &len);
    if(r == SQL_ERROR)
      return r;
    if(r == SQL_SUCCESS_WITH_INFO)
      ret = r;
  }
  return ret;
}

/* 1 if APD record i is a data-at-execution parameter (row 0). */
static int is_dae(struct kd_stmt *s, SQLSMALLINT i)
{
  struct kd_desc_rec *a = &s->apd->recs[i];
  SQLLEN *octp = elem(a->octet_length_ptr, sizeof(SQLLEN), s->apd->bind_type,
                      s->apd->bind_offset_ptr, 0);
  SQLLEN *ind = elem(a->indicator_ptr, sizeof(SQLLEN), s->apd->bind_type,
                     s->apd->bind_offset_ptr, 0);
  SQLLEN *l = octp ? octp : ind;

  return l && (*l == SQL_DATA_AT_EXEC || *l <= SQL_LEN_DATA_AT_EXEC_OFFSET);
}

/* The number of data-at-execution parameters the statement uses. */
static int dae_count(struct kd_stmt *s)
{
  int n = sqlite3_bind_parameter_count(s->st), i, c = 0;

  for(i = 1; i <= n && i <= s->apd->count; i++)
    if(is_dae(s, (SQLSMALLINT)i))
      c++;
  return c;
}

SQLRETURN kd_stmt_param_data(struct kd_stmt *s, SQLPOINTER *token)
{
  struct stmt_x *x = SX(s);
  int n, i;
  SQLRETURN r;

  if(x->dae_state != 1)
    return kd_diag_post(&s->hdr, KD_E_SEQUENCE, 0,
                        "no data-at-execution parameter is pending");
  n = sqlite3_bind_parameter_count(s->st);
  for(i = x->dae_cur + 1; i <= n && i <= s->apd->count; i++) {
    if(is_dae(s, (SQLSMALLINT)i)) {
      struct kd_desc_rec *a = &s->apd->recs[i];
      x->dae_cur = i;
      if(token)
        *token = elem(a->data_ptr, 0, SQL_BIND_BY_COLUMN,
                      s->apd->bind_offset_ptr, 0);
      return SQL_NEED_DATA;
    }
  }
  /* everything sent: run the statement with the collected values */
  for(i = 1; i < x->dae_n; i++)
    if(is_dae(s, (SQLSMALLINT)i) && !x->dae[i].got)
      x->dae[i].null = x->dae[i].got = 1;   /* never sent: NULL */
  x->dae_state = 2;
  r = kd_stmt_execute(s);
  dae_reset(s);
  return r;
}

SQLRETURN kd_stmt_put_data(struct kd_stmt *s, SQLPOINTER data, SQLLEN len)
{
  struct stmt_x *x = SX(s);
  struct dae_buf *b;
  SQLSMALLINT ctype;
  SQLLEN fixed;
  char *np;

  if(x->dae_state != 1 || x->dae_cur == 0)
    return kd_diag_post(&s->hdr, KD_E_SEQUENCE, 0,
                        "SQLPutData without a pending parameter");
  b = &x->dae[x->dae_cur];
  ctype = s->apd->recs[x->dae_cur].concise_type;
  if(ctype == SQL_C_DEFAULT)
    ctype = kd_default_ctype(s->ipd.recs[x->dae_cur].concise_type);
  fixed = kd_ctype_size(ctype);
  if(len == SQL_NULL_DATA) {
    if(b->got)
      return kd_diag_post(&s->hdr, KD_E_SEQUENCE, 0,
                          "SQL_NULL_DATA after data was sent");
    b->null = b->got = 1;
    return SQL_SUCCESS;
  }
  if(b->null)
    return kd_diag_post(&s->hdr, KD_E_SEQUENCE, 0,
                        "data after SQL_NULL_DATA");
  if(!data && len != 0)
    return kd_diag_post(&s->hdr, KD_E_NULL_POINTER, 0, NULL);
  if(fixed) {
    if(b->got)
      return kd_diag_post(&s->hdr, KD_E_NO_DATA_BOUND, 0,
                          "a value of a fixed-size type is sent in one "
                          "piece");
    len = fixed;
  }
  else if(len == SQL_NTS) {
    if(ctype == SQL_C_WCHAR) {
      const SQLWCHAR *w = data;
      SQLLEN k = 0;
      while(w[k])
        k++;
      len = k * (SQLLEN)sizeof(SQLWCHAR);
    }
    else if(ctype == SQL_C_CHAR)
      len = (SQLLEN)strlen(data);
    else
      return kd_diag_post(&s->hdr, KD_E_BAD_BUFLEN, 0,
                          "SQL_NTS with a binary value");
  }
  else if(len < 0)
    return kd_diag_post(&s->hdr, KD_E_BAD_BUFLEN, 0, NULL);
  np = ku_realloc(b->p, b->len + (size_t)len + 2);
  if(!np)
    return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  b->p = np;
  if(len)
    memcpy(b->p + b->len, data, (size_t)len);
  b->len += (size_t)len;
  b->p[b->len] = '\0';          /* terminated for CHAR and WCHAR */
  b->p[b->len + 1] = '\0';
  b->got = 1;
  return SQL_SUCCESS;
}

SQLRETURN kd_stmt_describe_param(struct kd_stmt *s, SQLUSMALLINT n,
                                 SQLSMALLINT *type, SQLULEN *size,
                                 SQLSMALLINT *digits, SQLSMALLINT *nullable)
{
  struct kd_desc_rec *p;

  if(!s->st)
    return kd_diag_post(&s->hdr, KD_E_SEQUENCE, 0, "no prepared statement");
  if(n < 1 || n > sqlite3_bind_parameter_count(s->st))
    return kd_diag_post(&s->hdr, KD_E_BAD_COLUMN, 0,
                        "parameter %u does not exist", (unsigned)n);
  p = n <= s->ipd.count ? &s->ipd.recs[n] : NULL;
  /* SQLite parameters are untyped: report what the application bound,
     or text, which converts to every column type */
  if(p && p->concise_type) {
    if(type)
      *type = kd_type_for_version(p->concise_type,
                                  kd_odbc_version(&s->hdr) == SQL_OV_ODBC2);
    if(size)
      *size = p->length;
    if(digits)
      *digits = p->scale;
  }
  else {
    if(type)
      *type = SQL_WVARCHAR;
    if(size)
      *size = 65535;
    if(digits)
      *digits = 0;
  }
  if(nullable)
    *nullable = SQL_NULLABLE;
  return SQL_SUCCESS;
}

/* Steps once; 1 = row, 0 = done, -1 = error (posted). */
static int step(struct kd_stmt *s, SQLRETURN *err)
{
  int rc = sqlite3_step(s->st);

  if(rc == SQLITE_ROW)
    return 1;
  if(rc == SQLITE_DONE)
    return 0;
  *err = kd_stmt_sqlite_error(s, rc);
  sqlite3_reset(s->st);
  return -1;
}

static SQLRETURN execute_set(struct kd_stmt *s, SQLULEN row, SQLLEN *rows)
{
  SQLRETURN ret = SQL_SUCCESS, r;
  int got;

  sqlite3_reset(s->st);
  sqlite3_clear_bindings(s->st);
  if(s->apd->count || sqlite3_bind_parameter_count(s->st)) {
    r = bind_params(s, row);
    if(r == SQL_ERROR)
      return r;
    ret = r;
  }
  ks_db_clear_error(s->dbc->db);
  got = step(s, &r);
  if(got < 0)
    return r;
  if(s->ncols > 0) {
    s->first_pending = got;
    s->have_row = got;
    s->at_end = !got;
    s->state = KD_S_CURSOR;
    s->row_count = -1;
    if(got) {
      r = describe(s, 1);
      if(r == SQL_ERROR)
        return r;
    }
    return ret;
  }
  while(got > 0) {
    got = step(s, &r);
    if(got < 0)
      return r;
  }
  *rows += sqlite3_changes(ks_db_sqlite(s->dbc->db));
  s->state = KD_S_EXECUTED;
  return ret;
}

/* Copies column c of the current sqlite row into v (owned bytes). */
static int copy_value(struct kd_stmt *s, int c, struct kd_value *v)
{
  struct kd_value t;

  kd_value_from_sqlite(s->st, c, s->ird.recs[c + 1].concise_type, &t);
  *v = t;
  if(t.kind == KD_V_TEXT || t.kind == KD_V_BLOB) {
    char *b = ku_malloc(t.len + 1);
    if(!b) {
      v->kind = KD_V_NULL;
      v->s = NULL;
      return 1;
    }
    memcpy(b, t.s, t.len);
    b[t.len] = '\0';
    v->s = b;
  }
  return 0;
}

/*
 * Static cursor: reads every remaining row of the open result (the first
 * one is pending after execute) into memory, honouring SQL_ATTR_MAX_ROWS.
 * Forward-only cursors are left alone.  Posts and returns SQL_ERROR on
 * failure (the cursor is then closed).
 */
/* Memory a static cursor may hold (values and their bytes). */
#define STATIC_CURSOR_MAX_BYTES ((size_t)512 * 1024 * 1024)

static SQLRETURN materialise(struct kd_stmt *s)
{
  struct stmt_x *x = SX(s);
  int got = s->first_pending, c;
  SQLRETURN r = SQL_SUCCESS;
  size_t bytes = 0;

  cache_free(s);
  if(s->state != KD_S_CURSOR || s->cursor_type == SQL_CURSOR_FORWARD_ONLY)
    return SQL_SUCCESS;
  x->cached = 1;
  while(got > 0) {
    if(s->max_rows && x->nrows >= s->max_rows)
      break;
    if(x->nrows == x->cap) {
      size_t ncap = x->cap ? x->cap * 2 : 64;
      struct kd_value *nv = ku_realloc(x->vals, ncap * (size_t)s->ncols *
                                       sizeof(*nv));
      if(!nv)
        goto nomem;
      x->vals = nv;
      x->cap = ncap;
    }
    for(c = 0; c < s->ncols; c++) {
      struct kd_value *v = &x->vals[x->nrows * (size_t)s->ncols + (size_t)c];
      if(copy_value(s, c, v)) {
        x->nrows++;           /* so that cache_free sees this row */
        goto nomem;
      }
      bytes += sizeof(*v) + ((v->kind == KD_V_TEXT || v->kind == KD_V_BLOB)
                             ? v->len + 1 : 0);
    }
    x->nrows++;
    if(bytes > STATIC_CURSOR_MAX_BYTES) {
      kd_stmt_close(s);
      return kd_diag_post(&s->hdr, KD_E_NOMEM, 0,
                          "the result is too large for a static cursor "
                          "(over %zu MiB); use a forward-only cursor",
                          STATIC_CURSOR_MAX_BYTES / (1024 * 1024));
    }
    got = step(s, &r);
    if(got < 0) {
      kd_stmt_close(s);
      return r;
    }
  }
  sqlite3_reset(s->st);
  s->first_pending = 0;
  s->have_row = 0;
  s->at_end = 0;
  x->pos = -1;
  s->row_count = (SQLLEN)x->nrows;   /* SQL_DIAG_CURSOR_ROW_COUNT */
  return SQL_SUCCESS;
nomem:
  kd_stmt_close(s);
  return kd_diag_post(&s->hdr, KD_E_NOMEM, 0,
                      "out of memory reading the result of a static "
                      "cursor");
}

SQLRETURN kd_stmt_execute(struct kd_stmt *s)
{
  SQLULEN n = s->apd->array_size ? s->apd->array_size : 1, i;
  SQLLEN rows = 0;
  SQLRETURN ret = SQL_SUCCESS;
  int batch;

  if(!s->st)
    return kd_diag_post(&s->hdr, KD_E_SEQUENCE, 0, "no prepared statement");
  if(s->state == KD_S_CURSOR)
    return kd_diag_post(&s->hdr, KD_E_CURSOR_STATE, 0, NULL);
  ks_db_statement_begin(s->dbc->db);
  ks_db_set_timeout(s->dbc->db, (unsigned long)s->query_timeout);
  s->getdata_col = 0;
  s->getdata_off = 0;
  s->row_number = 0;
  SX(s)->streamed = 0;
  if(s->ipd.rows_processed_ptr)
    *s->ipd.rows_processed_ptr = 0;
  if(n > 1 && s->ncols > 0)
    return kd_diag_post(&s->hdr, KD_E_NOT_CAPABLE, 0,
                        "parameter arrays are supported for statements "
                        "without a result set only");
  if(SX(s)->dae_state == 1)
    dae_reset(s);               /* an abandoned sequence (SQLCancel) */
  if(SX(s)->dae_state == 0 && dae_count(s) > 0) {
    if(n > 1)
      return kd_diag_post(&s->hdr, KD_E_NOT_CAPABLE, 0,
                          "data-at-execution parameters are not supported "
                          "with parameter arrays");
    SX(s)->dae_n = s->apd->count + 1;
    SX(s)->dae = ku_calloc((size_t)SX(s)->dae_n, sizeof(struct dae_buf));
    if(!SX(s)->dae) {
      SX(s)->dae_n = 0;
      return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
    }
    SX(s)->dae_state = 1;
    SX(s)->dae_cur = 0;
    return SQL_NEED_DATA;
  }
  /*
   * A parameter array is one write: the sets run inside one SQLite
   * transaction, so the tables queue every row and apply them at COMMIT
   * in Kintone's bulk requests (2,000 records each) instead of one
   * request per set.
   */
  batch = n > 1 && s->ncols == 0 &&
          sqlite3_get_autocommit(ks_db_sqlite(s->dbc->db)) &&
          sqlite3_exec(ks_db_sqlite(s->dbc->db), "BEGIN", NULL, NULL,
                       NULL) == SQLITE_OK;
  for(i = 0; i < n; i++) {
    SQLRETURN r;
    if(s->apd->array_status_ptr &&
       s->apd->array_status_ptr[i] == SQL_PARAM_IGNORE) {
      if(s->ipd.array_status_ptr)
        s->ipd.array_status_ptr[i] = SQL_PARAM_UNUSED;
      continue;
    }
    r = execute_set(s, i, &rows);
    if(s->ipd.rows_processed_ptr)
      *s->ipd.rows_processed_ptr = i + 1;
    if(s->ipd.array_status_ptr)
      s->ipd.array_status_ptr[i] = r == SQL_ERROR ? SQL_PARAM_ERROR :
                                   r == SQL_SUCCESS_WITH_INFO
                                     ? SQL_PARAM_SUCCESS_WITH_INFO
                                     : SQL_PARAM_SUCCESS;
    if(r == SQL_ERROR) {
      s->state = KD_S_PREPARED;
      if(batch)
        sqlite3_exec(ks_db_sqlite(s->dbc->db), "ROLLBACK", NULL, NULL, NULL);
      return r;
    }
    if(r == SQL_SUCCESS_WITH_INFO)
      ret = r;
  }
  if(batch) {
    int rc;
    sqlite3_reset(s->st);     /* the statement must not hold the table */
    rc = sqlite3_exec(ks_db_sqlite(s->dbc->db), "COMMIT", NULL, NULL, NULL);
    if(rc != SQLITE_OK) {
      SQLRETURN r = kd_stmt_sqlite_error(s, rc);
      sqlite3_exec(ks_db_sqlite(s->dbc->db), "ROLLBACK", NULL, NULL, NULL);
      for(i = 0; s->ipd.array_status_ptr && i < n; i++)
        if(s->ipd.array_status_ptr[i] != SQL_PARAM_UNUSED)
          s->ipd.array_status_ptr[i] = SQL_PARAM_DIAG_UNAVAILABLE;
      s->state = KD_S_PREPARED;
      return r;
    }
  }
  if(s->ncols == 0)
    s->row_count = rows;
  else if(materialise(s) == SQL_ERROR)
    return SQL_ERROR;
  return ret;
}

SQLRETURN kd_stmt_run_internal(struct kd_stmt *s, const char *sql,
                               const SQLSMALLINT *types, int ntypes,
                               const char *const *params, int nparams)
{
  int rc, i;
  sqlite3 *db;

  finalize(s);
  if(!s->dbc->db)
    return kd_diag_post(&s->hdr, KD_E_NOT_CONNECTED, 0, NULL);
  db = ks_db_sqlite(s->dbc->db);
  ks_db_clear_error(s->dbc->db);
  ks_db_statement_begin(s->dbc->db);
  ks_db_set_timeout(s->dbc->db, (unsigned long)s->query_timeout);
  KLOG(s->dbc->log, KU_LOG_DEBUG, "exec", "catalog: %s", sql);
  rc = sqlite3_prepare_v2(db, sql, -1, &s->st, NULL);
  if(rc != SQLITE_OK)
    return kd_stmt_sqlite_error(s, rc);
  for(i = 0; i < nparams; i++) {
    if(params[i])
      sqlite3_bind_text(s->st, i + 1, params[i], -1, SQLITE_TRANSIENT);
  }
  if(types && ntypes == sqlite3_column_count(s->st))
    s->forced_types = types;
  s->sql = ku_strdup(sql);
  if(!s->sql) {
    finalize(s);
    return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  }
  s->state = KD_S_PREPARED;
  if(describe(s, 0) == SQL_ERROR)
    return SQL_ERROR;
  /* bindings above must survive execute: no APD parameters here */
  {
    SQLLEN rows = 0;
    SQLRETURN r;
    int got = step(s, &r);
    if(got < 0)
      return r;
    s->first_pending = got;
    s->have_row = got;
    s->at_end = !got;
    s->state = KD_S_CURSOR;
    (void)rows;
  }
  return materialise(s);
}

/*
 * The value of column `col` (0-based) of the current row: from the
 * static cursor's memory (`row` is its 0-based index) or the sqlite row.
 */
static void row_value(struct kd_stmt *s, SQLLEN row, int col,
                      struct kd_value *v)
{
  struct stmt_x *x = SX(s);

  if(x->cached) {
    *v = x->vals[(size_t)row * (size_t)s->ncols + (size_t)col];
    v->sql_type = s->ird.recs[col + 1].concise_type;
    return;
  }
  kd_value_from_sqlite(s->st, col, s->ird.recs[col + 1].concise_type, v);
}

/* Converts the current row into the bound columns of rowset row `r`. */
static SQLRETURN fill_row(struct kd_stmt *s, SQLULEN r)
{
  struct kd_desc *ard = s->ard;
  SQLRETURN ret = SQL_SUCCESS;
  SQLSMALLINT c, n = ard->count < s->ncols ? ard->count
                                           : (SQLSMALLINT)s->ncols;

  for(c = 1; c <= n; c++) {
    struct kd_desc_rec *a = &ard->recs[c];
    struct kd_value v;
    void *data;
    SQLLEN *ind, *lenp, size;
    SQLRETURN x;
    if(!a->data_ptr && !a->indicator_ptr && !a->octet_length_ptr)
      continue;
    size = kd_ctype_size(a->concise_type);
    data = elem(a->data_ptr, size ? size : a->octet_length,
                ard->bind_type, ard->bind_offset_ptr, r);
    ind = elem(a->indicator_ptr, sizeof(SQLLEN), ard->bind_type,
               ard->bind_offset_ptr, r);
    lenp = elem(a->octet_length_ptr, sizeof(SQLLEN), ard->bind_type,
                ard->bind_offset_ptr, r);
    row_value(s, SX(s)->pos + (SQLLEN)r, c - 1, &v);
    x = kd_convert_out(&s->hdr, &v, a->concise_type, data, a->octet_length,
                       ind, lenp, NULL, s->row_number, c);
    if(x == SQL_ERROR)
      ret = SQL_ERROR;
    else if(x == SQL_SUCCESS_WITH_INFO && ret == SQL_SUCCESS)
      ret = x;
  }
  return ret;
}

/*
 * SQLFetchScroll on a static cursor: computes the new rowset start from
 * the orientation (ODBC 3.8 "Scrolling by Rowset" rules, without
 * bookmarks) and converts the rows into the bound buffers.
 */
static SQLRETURN fetch_static(struct kd_stmt *s, SQLSMALLINT orientation,
                              SQLLEN offset)
{
  struct stmt_x *x = SX(s);
  SQLLEN n = (SQLLEN)(s->ard->array_size ? s->ard->array_size : 1);
  SQLLEN total = (SQLLEN)x->nrows, start, r, fetched = 0;
  SQLRETURN ret = SQL_SUCCESS;
  int any_err = 0, warn_start = 0;

  switch(orientation) {
  case SQL_FETCH_NEXT:
    start = x->pos < 0 ? 0 : x->pos >= total ? total : x->pos + n;
    break;
  case SQL_FETCH_PRIOR:
    if(x->pos < 0)
      start = -1;
    else if(x->pos >= total)
      start = total - n < 0 ? 0 : total - n;
    else if(x->pos == 0)
      start = -1;
    else if(x->pos - n < 0) {
      start = 0;
      warn_start = 1;
    }
    else
      start = x->pos - n;
    break;
  case SQL_FETCH_RELATIVE:
    if(x->pos < 0)
      start = offset > 0 ? offset - 1 : -1;
    else if(x->pos >= total)
      start = offset < 0 ? total + offset : total;
    else {
      start = x->pos + offset;
      if(start < 0 && x->pos > 0 && -offset <= n) {
        start = 0;
        warn_start = 1;
      }
    }
    break;
  case SQL_FETCH_ABSOLUTE:
    if(offset > 0)
      start = offset - 1;
    else if(offset == 0)
      start = -1;
    else if(total + offset >= 0)
      start = total + offset;
    else if(-offset <= n) {
      start = 0;
      warn_start = 1;
    }
    else
      start = -1;
    break;
  case SQL_FETCH_FIRST:
    start = 0;
    break;
  case SQL_FETCH_LAST:
    start = total - n < 0 ? 0 : total - n;
    break;
  case SQL_FETCH_BOOKMARK:
    return kd_diag_post(&s->hdr, KD_E_NOT_CAPABLE, 0,
                        "bookmarks are not supported");
  default:
    return kd_diag_post(&s->hdr, KD_E_BAD_FETCH_TYPE, 0,
                        "fetch orientation %d is not valid",
                        (int)orientation);
  }
  s->getdata_col = 0;
  s->getdata_off = 0;
  if(start < 0)
    start = -1;
  else if(start >= total)
    start = total;
  x->pos = start;
  if(start >= 0 && start < total) {
    for(r = 0; r < n && start + r < total; r++) {
      SQLRETURN v;
      s->row_number = start + r + 1;
      v = fill_row(s, (SQLULEN)r);
      if(s->ird.array_status_ptr)
        s->ird.array_status_ptr[r] = v == SQL_ERROR ? SQL_ROW_ERROR :
                                     v == SQL_SUCCESS_WITH_INFO
                                       ? SQL_ROW_SUCCESS_WITH_INFO
                                       : SQL_ROW_SUCCESS;
      if(v == SQL_ERROR)
        any_err = 1;
      else if(v == SQL_SUCCESS_WITH_INFO)
        ret = v;
      fetched++;
    }
  }
  if(s->ird.array_status_ptr)
    for(r = fetched; r < n; r++)
      s->ird.array_status_ptr[r] = SQL_ROW_NOROW;
  if(s->ird.rows_processed_ptr)
    *s->ird.rows_processed_ptr = (SQLULEN)fetched;
  if(s->rows_fetched_odbc2)
    *s->rows_fetched_odbc2 = (SQLULEN)fetched;
  s->have_row = fetched > 0;
  s->row_number = fetched > 0 ? start + 1 : 0;
  if(!fetched)
    return SQL_NO_DATA;
  if(warn_start)
    ret = kd_diag_post(&s->hdr, KD_E_WARNING, 0,
                       "the rowset was moved to the first row "
                       "(before the start of the result set)");
  if(any_err)
    return n == 1 ? SQL_ERROR : SQL_SUCCESS_WITH_INFO;
  return ret;
}

SQLRETURN kd_stmt_fetch(struct kd_stmt *s, SQLSMALLINT orientation,
                        SQLLEN offset)
{
  SQLULEN n = s->ard->array_size ? s->ard->array_size : 1, r;
  SQLULEN fetched = 0;
  SQLRETURN ret = SQL_SUCCESS;
  int any_err = 0;

  if(s->state != KD_S_CURSOR)
    return kd_diag_post(&s->hdr, KD_E_CURSOR_STATE, 0,
                        "no open result set");
  if(SX(s)->cached)
    return fetch_static(s, orientation, offset);
  if(orientation != SQL_FETCH_NEXT)
    return kd_diag_post(&s->hdr, KD_E_BAD_FETCH_TYPE, 0,
                        "the cursor is forward-only: only SQL_FETCH_NEXT "
                        "is allowed");
  s->getdata_col = 0;
  s->getdata_off = 0;
  for(r = 0; r < n; r++) {
    SQLRETURN x;
    if(s->max_rows && (SQLULEN)SX(s)->streamed >= s->max_rows) {
      s->at_end = 1;
      break;
    }
    if(s->first_pending)
      s->first_pending = 0;
    else if(s->at_end)
      break;
    else {
      int got = step(s, &x);
      if(got < 0) {
        s->at_end = 1;
        s->have_row = 0;
        if(fetched == 0)
          return x;
        any_err = 1;
        break;
      }
      if(!got) {
        s->at_end = 1;
        s->have_row = 0;
        break;
      }
    }
    s->have_row = 1;
    s->row_number = ++SX(s)->streamed;
    x = fill_row(s, r);
    if(s->ird.array_status_ptr)
      s->ird.array_status_ptr[r] = x == SQL_ERROR ? SQL_ROW_ERROR :
                                   x == SQL_SUCCESS_WITH_INFO
                                     ? SQL_ROW_SUCCESS_WITH_INFO
                                     : SQL_ROW_SUCCESS;
    if(x == SQL_ERROR)
      any_err = 1;
    else if(x == SQL_SUCCESS_WITH_INFO)
      ret = x;
    fetched++;
  }
  if(s->ird.array_status_ptr)
    for(r = fetched; r < n; r++)
      s->ird.array_status_ptr[r] = SQL_ROW_NOROW;
  if(s->ird.rows_processed_ptr)
    *s->ird.rows_processed_ptr = fetched;
  if(s->rows_fetched_odbc2)
    *s->rows_fetched_odbc2 = fetched;
  /* the current row of a rowset is its first (SQL_ATTR_ROW_NUMBER) */
  s->row_number = fetched ? SX(s)->streamed - (SQLLEN)fetched + 1 : 0;
  if(!fetched)
    return SQL_NO_DATA;
  if(any_err)
    return n == 1 ? SQL_ERROR : SQL_SUCCESS_WITH_INFO;
  return ret;
}

SQLRETURN kd_stmt_get_data(struct kd_stmt *s, SQLUSMALLINT col,
                           SQLSMALLINT ctype, SQLPOINTER buf, SQLLEN buflen,
                           SQLLEN *ind)
{
  struct kd_value v;
  SQLRETURN r;

  if(s->state != KD_S_CURSOR || !s->have_row)
    return kd_diag_post(&s->hdr, KD_E_CURSOR_STATE, 0,
                        "no current row");
  if(col == 0)
    return kd_diag_post(&s->hdr, KD_E_BAD_COLUMN, 0,
                        "bookmarks are not supported");
  if(col > s->ncols)
    return kd_diag_post(&s->hdr, KD_E_BAD_COLUMN, 0,
                        "column %u does not exist (the result has %d)",
                        (unsigned)col, s->ncols);
  if(col != s->getdata_col) {
    s->getdata_col = col;
    s->getdata_off = 0;
  }
  row_value(s, SX(s)->pos, col - 1, &v);
  r = kd_convert_out(&s->hdr, &v, ctype, buf, buflen, ind, ind,
                     &s->getdata_off, s->row_number, col);
  return r;
}

SQLRETURN kd_stmt_bind_col(struct kd_stmt *s, SQLUSMALLINT col,
                           SQLSMALLINT ctype, SQLPOINTER buf, SQLLEN buflen,
                           SQLLEN *ind)
{
  struct kd_desc *ard = s->ard;
  struct kd_desc_rec *r;

  if(col == 0)
    return kd_diag_post(&s->hdr, KD_E_BAD_COLUMN, 0,
                        "bookmarks are not supported");
  if(buflen < 0)
    return kd_diag_post(&s->hdr, KD_E_BAD_BUFLEN, 0, NULL);
  if(kd_desc_ensure(ard, (SQLSMALLINT)col))
    return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  r = &ard->recs[col];
  if(!buf && !ind) {
    /* unbind */
    memset(r, 0, sizeof(*r));
    while(ard->count > 0 && !ard->recs[ard->count].data_ptr &&
          !ard->recs[ard->count].indicator_ptr)
      ard->count--;
    return SQL_SUCCESS;
  }
  r->concise_type = ctype;
  r->type = ctype;
  r->data_ptr = buf;
  r->octet_length = buflen;
  r->indicator_ptr = ind;
  r->octet_length_ptr = ind;
  if(col > ard->count)
    ard->count = (SQLSMALLINT)col;
  return SQL_SUCCESS;
}

SQLRETURN kd_stmt_bind_param(struct kd_stmt *s, SQLUSMALLINT n,
                             SQLSMALLINT io, SQLSMALLINT ctype,
                             SQLSMALLINT sqltype, SQLULEN colsize,
                             SQLSMALLINT digits, SQLPOINTER buf,
                             SQLLEN buflen, SQLLEN *ind)
{
  struct kd_desc_rec *a, *p;

  if(n == 0)
    return kd_diag_post(&s->hdr, KD_E_BAD_COLUMN, 0,
                        "parameter numbers start at 1");
  if(io != SQL_PARAM_INPUT)
    return kd_diag_post(&s->hdr, KD_E_NOT_CAPABLE, 0,
                        "only input parameters are supported");
  if(kd_desc_ensure(s->apd, (SQLSMALLINT)n) ||
     kd_desc_ensure(&s->ipd, (SQLSMALLINT)n))
    return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  a = &s->apd->recs[n];
  p = &s->ipd.recs[n];
  a->concise_type = ctype;
  a->type = ctype;
  a->data_ptr = buf;
  a->octet_length = buflen;
  a->indicator_ptr = ind;
  a->octet_length_ptr = ind;
  p->concise_type = sqltype;
  p->type = sqltype;
  p->length = colsize;
  p->scale = digits;
  p->param_type = io;
  if(n > s->apd->count)
    s->apd->count = (SQLSMALLINT)n;
  if(n > s->ipd.count)
    s->ipd.count = (SQLSMALLINT)n;
  return SQL_SUCCESS;
}

SQLRETURN kd_stmt_set_attr(struct kd_stmt *s, SQLINTEGER attr,
                           SQLPOINTER val, SQLINTEGER len)
{
  SQLULEN v = (SQLULEN)(uintptr_t)val;

  (void)len;
  switch(attr) {
  case SQL_ATTR_ROW_ARRAY_SIZE:
  case SQL_ROWSET_SIZE:
    if(v == 0)
      return kd_diag_post(&s->hdr, KD_E_BAD_ATTR_VALUE, 0, NULL);
    s->ard->array_size = v;
    if(attr == SQL_ROWSET_SIZE)
      s->rowset_size_odbc2 = v;
    return SQL_SUCCESS;
  case SQL_ATTR_ROW_BIND_TYPE:
    s->ard->bind_type = v;
    return SQL_SUCCESS;
  case SQL_ATTR_ROW_BIND_OFFSET_PTR:
    s->ard->bind_offset_ptr = val;
    return SQL_SUCCESS;
  case SQL_ATTR_ROW_STATUS_PTR:
    s->ird.array_status_ptr = val;
    return SQL_SUCCESS;
  case SQL_ATTR_ROWS_FETCHED_PTR:
    s->ird.rows_processed_ptr = val;
    return SQL_SUCCESS;
  case SQL_ATTR_PARAMSET_SIZE:
    if(v == 0)
      return kd_diag_post(&s->hdr, KD_E_BAD_ATTR_VALUE, 0, NULL);
    s->apd->array_size = v;
    return SQL_SUCCESS;
  case SQL_ATTR_PARAM_BIND_TYPE:
    s->apd->bind_type = v;
    return SQL_SUCCESS;
  case SQL_ATTR_PARAM_BIND_OFFSET_PTR:
    s->apd->bind_offset_ptr = val;
    return SQL_SUCCESS;
  case SQL_ATTR_PARAM_OPERATION_PTR:
    s->apd->array_status_ptr = val;
    return SQL_SUCCESS;
  case SQL_ATTR_PARAM_STATUS_PTR:
    s->ipd.array_status_ptr = val;
    return SQL_SUCCESS;
  case SQL_ATTR_PARAMS_PROCESSED_PTR:
    s->ipd.rows_processed_ptr = val;
    return SQL_SUCCESS;
  case SQL_ATTR_MAX_ROWS:
    s->max_rows = v;
    return SQL_SUCCESS;
  case SQL_ATTR_MAX_LENGTH:
    s->max_length = v;
    return SQL_SUCCESS;
  case SQL_ATTR_QUERY_TIMEOUT:
    s->query_timeout = v;
    return SQL_SUCCESS;
  case SQL_ATTR_NOSCAN:
    s->noscan = v;
    return SQL_SUCCESS;
  case SQL_ATTR_RETRIEVE_DATA:
    s->retrieve_data = v;
    return SQL_SUCCESS;
  case SQL_ATTR_METADATA_ID:
    s->metadata_id = v;
    return SQL_SUCCESS;
  case SQL_ATTR_KEYSET_SIZE:
    s->keyset_size = v;
    return SQL_SUCCESS;
  case SQL_ATTR_SIMULATE_CURSOR:
    s->simulate_cursor = v;
    return SQL_SUCCESS;
  case SQL_ATTR_ASYNC_ENABLE:
    if(v != SQL_ASYNC_ENABLE_OFF)
      return kd_diag_post(&s->hdr, KD_E_OPTION_CHANGED, 0,
                          "asynchronous execution is not supported; "
                          "SQL_ASYNC_ENABLE_OFF used");
    return SQL_SUCCESS;
  case SQL_ATTR_USE_BOOKMARKS:
    if(v != SQL_UB_OFF)
      return kd_diag_post(&s->hdr, KD_E_NOT_CAPABLE, 0,
                          "bookmarks are not supported");
    return SQL_SUCCESS;
  case SQL_ATTR_CURSOR_TYPE:
    if(s->state == KD_S_CURSOR)
      return kd_diag_post(&s->hdr, KD_E_ATTR_NOW, 0,
                          "the cursor type cannot change while a cursor "
                          "is open");
    if(v == SQL_CURSOR_KEYSET_DRIVEN || v == SQL_CURSOR_DYNAMIC) {
      /* LibreOffice asks for KEYSET: a static cursor serves it */
      s->cursor_type = SQL_CURSOR_STATIC;
      return kd_diag_post(&s->hdr, KD_E_OPTION_CHANGED, 0,
                          "cursor type changed to SQL_CURSOR_STATIC");
    }
    if(v != SQL_CURSOR_FORWARD_ONLY && v != SQL_CURSOR_STATIC)
      return kd_diag_post(&s->hdr, KD_E_BAD_ATTR_VALUE, 0,
                          "cursor type %lu is not valid", (unsigned long)v);
    s->cursor_type = v;
    return SQL_SUCCESS;
  case SQL_ATTR_CONCURRENCY:
    if(v != SQL_CONCUR_READ_ONLY)
      return kd_diag_post(&s->hdr, KD_E_OPTION_CHANGED, 0,
                          "concurrency changed to SQL_CONCUR_READ_ONLY");
    return SQL_SUCCESS;
  case SQL_ATTR_CURSOR_SCROLLABLE:
    if(s->state == KD_S_CURSOR)
      return kd_diag_post(&s->hdr, KD_E_ATTR_NOW, 0,
                          "scrollability cannot change while a cursor "
                          "is open");
    if(v == SQL_SCROLLABLE)
      s->cursor_type = SQL_CURSOR_STATIC;
    else if(v == SQL_NONSCROLLABLE)
      s->cursor_type = SQL_CURSOR_FORWARD_ONLY;
    else
      return kd_diag_post(&s->hdr, KD_E_BAD_ATTR_VALUE, 0, NULL);
    s->scrollable = v;
    return SQL_SUCCESS;
  case SQL_ATTR_CURSOR_SENSITIVITY:
    if(v != SQL_UNSPECIFIED && v != SQL_INSENSITIVE)
      return kd_diag_post(&s->hdr, KD_E_NOT_CAPABLE, 0,
                          "sensitive cursors are not supported");
    s->sensitivity = v;
    return SQL_SUCCESS;
  case SQL_ATTR_APP_ROW_DESC:
    return kd_desc_attach(s, KD_ARD, val);
  case SQL_ATTR_APP_PARAM_DESC:
    return kd_desc_attach(s, KD_APD, val);
  default:
    return kd_diag_post(&s->hdr, KD_E_BAD_ATTR, 0,
                        "statement attribute %d is not supported",
                        (int)attr);
  }
}

SQLRETURN kd_stmt_get_attr(struct kd_stmt *s, SQLINTEGER attr,
                           SQLPOINTER val, SQLINTEGER buflen,
                           SQLINTEGER *outlen)
{
  SQLULEN v;
  void *p;

  (void)buflen;
  switch(attr) {
  case SQL_ATTR_APP_ROW_DESC:
    p = s->ard;
    goto ptr;
  case SQL_ATTR_APP_PARAM_DESC:
    p = s->apd;
    goto ptr;
  case SQL_ATTR_IMP_ROW_DESC:
    p = &s->ird;
    goto ptr;
  case SQL_ATTR_IMP_PARAM_DESC:
    p = &s->ipd;
    goto ptr;
  case SQL_ATTR_ROW_BIND_OFFSET_PTR:
    p = s->ard->bind_offset_ptr;
    goto ptr;
  case SQL_ATTR_ROW_STATUS_PTR:
    p = s->ird.array_status_ptr;
    goto ptr;
  case SQL_ATTR_ROWS_FETCHED_PTR:
    p = s->ird.rows_processed_ptr;
    goto ptr;
  case SQL_ATTR_PARAM_BIND_OFFSET_PTR:
    p = s->apd->bind_offset_ptr;
    goto ptr;
  case SQL_ATTR_PARAM_OPERATION_PTR:
    p = s->apd->array_status_ptr;
    goto ptr;
  case SQL_ATTR_PARAM_STATUS_PTR:
    p = s->ipd.array_status_ptr;
    goto ptr;
  case SQL_ATTR_PARAMS_PROCESSED_PTR:
    p = s->ipd.rows_processed_ptr;
    goto ptr;
  case SQL_ATTR_ROW_ARRAY_SIZE:
    v = s->ard->array_size;
    break;
  case SQL_ROWSET_SIZE:
    v = s->rowset_size_odbc2;
    break;
  case SQL_ATTR_ROW_BIND_TYPE:
    v = s->ard->bind_type;
    break;
  case SQL_ATTR_PARAMSET_SIZE:
    v = s->apd->array_size;
    break;
  case SQL_ATTR_PARAM_BIND_TYPE:
    v = s->apd->bind_type;
    break;
  case SQL_ATTR_MAX_ROWS:
    v = s->max_rows;
    break;
  case SQL_ATTR_MAX_LENGTH:
    v = s->max_length;
    break;
  case SQL_ATTR_QUERY_TIMEOUT:
    v = s->query_timeout;
    break;
  case SQL_ATTR_NOSCAN:
    v = s->noscan;
    break;
  case SQL_ATTR_RETRIEVE_DATA:
    v = s->retrieve_data;
    break;
  case SQL_ATTR_METADATA_ID:
    v = s->metadata_id;
    break;
  case SQL_ATTR_KEYSET_SIZE:
    v = s->keyset_size;
    break;
  case SQL_ATTR_SIMULATE_CURSOR:
    v = s->simulate_cursor;
    break;
  case SQL_ATTR_ASYNC_ENABLE:
    v = SQL_ASYNC_ENABLE_OFF;
    break;
  case SQL_ATTR_USE_BOOKMARKS:
    v = SQL_UB_OFF;
    break;
  case SQL_ATTR_CURSOR_TYPE:
    v = s->cursor_type;
    break;
  case SQL_ATTR_CONCURRENCY:
    v = SQL_CONCUR_READ_ONLY;
    break;
  case SQL_ATTR_CURSOR_SCROLLABLE:
    v = s->cursor_type == SQL_CURSOR_FORWARD_ONLY ? SQL_NONSCROLLABLE
                                                  : SQL_SCROLLABLE;
    break;
  case SQL_ATTR_CURSOR_SENSITIVITY:
    v = SQL_INSENSITIVE;
    break;
  case SQL_ATTR_ROW_NUMBER:
    v = s->state == KD_S_CURSOR ? (SQLULEN)s->row_number : 0;
    break;
  case SQL_ATTR_ENABLE_AUTO_IPD:
    v = SQL_FALSE;
    break;
  default:
    return kd_diag_post(&s->hdr, KD_E_BAD_ATTR, 0,
                        "statement attribute %d is not supported",
                        (int)attr);
  }
  if(val)
    *(SQLULEN *)val = v;
  if(outlen)
    *outlen = sizeof(SQLULEN);
  return SQL_SUCCESS;
ptr:
  if(val)
    *(SQLPOINTER *)val = p;
  if(outlen)
    *outlen = sizeof(SQLPOINTER);
  return SQL_SUCCESS;
}
