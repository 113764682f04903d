/*
 * desc.c - descriptor fields and records, explicit descriptors,
 * SQLCopyDesc.  See desc.h.
 */
#include "desc.h"

#include <stdint.h>
#include <string.h>

#include "exec.h"
#include "strout.h"
#include "../util/ku_mem.h"

/*
 * Explicit descriptors: base-first wrapper on a process-wide list, as
 * struct kd_dbc has no list of its own (the list lock is only held to
 * link and unlink; the descriptor itself is guarded by its connection's
 * lock like every other handle).
 */
struct desc_x {
  struct kd_desc d;          /* must stay first */
  struct desc_x *next;       /* explicit descriptors of all connections */
};

static struct desc_x *explicit_list;
static pthread_mutex_t explicit_lock = PTHREAD_MUTEX_INITIALIZER;

SQLRETURN kd_desc_alloc(struct kd_dbc *dbc, SQLHANDLE *out)
{
  struct desc_x *x;

  if(!dbc->db)
    return kd_diag_post(&dbc->hdr, KD_E_NOT_CONNECTED, 0, NULL);
  x = ku_calloc(1, sizeof(*x));
  if(!x)
    return kd_diag_post(&dbc->hdr, KD_E_NOMEM, 0, NULL);
  kd_desc_init(&x->d, KD_ARD, NULL, dbc);
  x->d.user_allocated = 1;
  pthread_mutex_lock(&explicit_lock);
  x->next = explicit_list;
  explicit_list = x;
  pthread_mutex_unlock(&explicit_lock);
  *out = &x->d;
  return SQL_SUCCESS;
}

/* Detaches d from its connection's statements, unlinks and frees it. */
static void free_explicit(struct desc_x *x)
{
  struct kd_desc *d = &x->d;
  struct kd_stmt *s;

  for(s = d->dbc->stmts; s; s = s->next) {
    if(s->ard == d)
      s->ard = &s->ard_i;
    if(s->apd == d)
      s->apd = &s->apd_i;
  }
  kd_desc_cleanup(d);
  d->hdr.magic = KD_MAGIC_DEAD;
  ku_free(x);
}

SQLRETURN kd_desc_free_handle(struct kd_desc *d)
{
  struct desc_x **pp;

  if(!d->user_allocated)
    return kd_diag_post(&d->hdr, KD_E_SEQUENCE, 0,
                        "an automatically allocated descriptor cannot be "
                        "freed");
  pthread_mutex_lock(&explicit_lock);
  for(pp = &explicit_list; *pp; pp = &(*pp)->next)
    if(&(*pp)->d == d) {
      *pp = (*pp)->next;
      break;
    }
  pthread_mutex_unlock(&explicit_lock);
  free_explicit((struct desc_x *)d);
  return SQL_SUCCESS;
}

void kd_desc_free_all(struct kd_dbc *dbc)
{
  struct desc_x **pp, *gone = NULL, *x;

  pthread_mutex_lock(&explicit_lock);
  for(pp = &explicit_list; *pp; ) {
    if((*pp)->d.dbc == dbc) {
      x = *pp;
      *pp = x->next;
      x->next = gone;
      gone = x;
    }
    else
      pp = &(*pp)->next;
  }
  pthread_mutex_unlock(&explicit_lock);
  while(gone) {
    x = gone;
    gone = x->next;
    free_explicit(x);
  }
}

/* 1 if h is a live explicit descriptor of dbc. */
static int is_explicit_of(SQLPOINTER h, struct kd_dbc *dbc)
{
  struct desc_x *x;
  int found = 0;

  pthread_mutex_lock(&explicit_lock);
  for(x = explicit_list; x; x = x->next)
    if(&x->d == (struct kd_desc *)h && x->d.dbc == dbc)
      found = 1;
  pthread_mutex_unlock(&explicit_lock);
  return found;
}

SQLRETURN kd_desc_attach(struct kd_stmt *s, int kind, SQLPOINTER h)
{
  struct kd_desc *impl = kind == KD_ARD ? &s->ard_i : &s->apd_i;
  struct kd_desc **slot = kind == KD_ARD ? &s->ard : &s->apd;

  if(!h || h == (SQLPOINTER)impl) {
    *slot = impl;
    return SQL_SUCCESS;
  }
  if(!is_explicit_of(h, s->dbc))
    return kd_diag_post(&s->hdr, KD_E_BAD_ATTR_VALUE, 0,
                        "not an explicitly allocated descriptor of this "
                        "connection");
  *slot = h;
  return SQL_SUCCESS;
}

/* ---------------------------------------------------------- fields */

static int is_datetime(SQLSMALLINT t)
{
  return t == SQL_TYPE_DATE || t == SQL_TYPE_TIME ||
         t == SQL_TYPE_TIMESTAMP;
}

/* Sets the concise type and the verbose type/subcode that follow it. */
static void set_concise(struct kd_desc_rec *r, SQLSMALLINT t)
{
  r->concise_type = t;
  if(is_datetime(t)) {
    r->type = SQL_DATETIME;
    r->datetime_sub = (SQLSMALLINT)(t - SQL_TYPE_DATE + SQL_CODE_DATE);
  }
  else {
    r->type = t;
    r->datetime_sub = 0;
  }
}

/* Sets the verbose type (+ subcode for SQL_DATETIME); 0 or HY021. */
static int set_verbose(struct kd_desc_rec *r, SQLSMALLINT t,
                       SQLSMALLINT sub)
{
  if(t == SQL_DATETIME) {
    if(sub < SQL_CODE_DATE || sub > SQL_CODE_TIMESTAMP)
      return 1;
    r->type = t;
    r->datetime_sub = sub;
    r->concise_type = (SQLSMALLINT)(SQL_TYPE_DATE + sub - SQL_CODE_DATE);
    return 0;
  }
  set_concise(r, t);
  return 0;
}

static int is_ird_ready(struct kd_desc *d)
{
  return d->kind != KD_IRD || (d->stmt && d->stmt->state != KD_S_ALLOCATED);
}

static int is_text(SQLSMALLINT t)
{
  return t == SQL_WVARCHAR || t == SQL_WLONGVARCHAR || t == SQL_VARCHAR ||
         t == SQL_WCHAR || t == SQL_CHAR || t == SQL_LONGVARCHAR;
}

/* Output helpers: numbers of the field's own width. */
#define PUT(T, v)                                               \
  do {                                                          \
    if(val)                                                     \
      *(T *)val = (T)(v);                                       \
    if(outlen)                                                  \
      *outlen = (SQLINTEGER)sizeof(T);                          \
    return SQL_SUCCESS;                                         \
  } while(0)

SQLRETURN kd_desc_get_field(struct kd_desc *d, SQLSMALLINT rec,
                            SQLSMALLINT field, SQLPOINTER val,
                            SQLINTEGER buflen, SQLINTEGER *outlen,
                            int wide)
{
  struct kd_desc_rec *r;
  const char *str = NULL;
  int app = d->kind == KD_ARD || d->kind == KD_APD;

  if(!is_ird_ready(d))
    return kd_diag_post(&d->hdr, KD_E_SEQUENCE, 0,
                        "the statement of this descriptor is not "
                        "prepared");
  /* header fields */
  switch(field) {
  case SQL_DESC_ALLOC_TYPE:
    PUT(SQLSMALLINT, d->user_allocated ? SQL_DESC_ALLOC_USER
                                       : SQL_DESC_ALLOC_AUTO);
  case SQL_DESC_ARRAY_SIZE:
    if(!app)
      break;
    PUT(SQLULEN, d->array_size);
  case SQL_DESC_ARRAY_STATUS_PTR:
    PUT(SQLPOINTER, d->array_status_ptr);
  case SQL_DESC_BIND_OFFSET_PTR:
    if(!app)
      break;
    PUT(SQLPOINTER, d->bind_offset_ptr);
  case SQL_DESC_BIND_TYPE:
    if(!app)
      break;
    PUT(SQLINTEGER, d->bind_type);
  case SQL_DESC_COUNT:
    PUT(SQLSMALLINT, d->count);
  case SQL_DESC_ROWS_PROCESSED_PTR:
    if(app)
      break;
    PUT(SQLPOINTER, d->rows_processed_ptr);
  default:
    goto record;
  }
  return kd_diag_post(&d->hdr, KD_E_BAD_DESC_FIELD, 0,
                      "field %d does not belong to this kind of "
                      "descriptor", (int)field);
record:
  if(rec == 0)
    return kd_diag_post(&d->hdr, KD_E_BAD_COLUMN, 0,
                        "bookmarks are not supported");
  if(rec < 0)
    return kd_diag_post(&d->hdr, KD_E_BAD_COLUMN, 0, NULL);
  if(rec > d->count || !d->recs || rec > d->cap)
    return SQL_NO_DATA;
  r = &d->recs[rec];
  switch(field) {
  case SQL_DESC_TYPE:
    PUT(SQLSMALLINT, r->type);
  case SQL_DESC_CONCISE_TYPE:
    PUT(SQLSMALLINT, r->concise_type);
  case SQL_DESC_DATETIME_INTERVAL_CODE:
    PUT(SQLSMALLINT, r->datetime_sub);
  case SQL_DESC_DATETIME_INTERVAL_PRECISION:
    PUT(SQLINTEGER, 0);
  case SQL_DESC_LENGTH:
    PUT(SQLULEN, r->length);
  case SQL_DESC_PRECISION:
    PUT(SQLSMALLINT, r->precision);
  case SQL_DESC_SCALE:
    PUT(SQLSMALLINT, r->scale);
  case SQL_DESC_NULLABLE:
    if(app)
      break;
    PUT(SQLSMALLINT, r->nullable);
  case SQL_DESC_OCTET_LENGTH:
    PUT(SQLLEN, app ? r->octet_length : r->octet_len_ird);
  case SQL_DESC_NUM_PREC_RADIX:
    PUT(SQLINTEGER, (r->concise_type == SQL_DECIMAL ||
                     r->concise_type == SQL_NUMERIC ||
                     r->concise_type == SQL_BIGINT ||
                     r->concise_type == SQL_INTEGER ||
                     r->concise_type == SQL_SMALLINT) ? 10 :
                    r->concise_type == SQL_DOUBLE ? 2 : 0);
  case SQL_DESC_DATA_PTR:
    if(!app)
      break;
    PUT(SQLPOINTER, r->data_ptr);
  case SQL_DESC_INDICATOR_PTR:
    if(!app)
      break;
    PUT(SQLPOINTER, r->indicator_ptr);
  case SQL_DESC_OCTET_LENGTH_PTR:
    if(!app)
      break;
    PUT(SQLPOINTER, r->octet_length_ptr);
  case SQL_DESC_PARAMETER_TYPE:
    if(d->kind != KD_IPD)
      break;
    PUT(SQLSMALLINT, r->param_type ? r->param_type : SQL_PARAM_INPUT);
  case SQL_DESC_UNNAMED:
    if(app)
      break;
    PUT(SQLSMALLINT, (r->name && *r->name) ? SQL_NAMED : SQL_UNNAMED);
  case SQL_DESC_UNSIGNED:
    if(app)
      break;
    PUT(SQLSMALLINT, r->is_unsigned ? SQL_TRUE : SQL_FALSE);
  case SQL_DESC_DISPLAY_SIZE:
    if(d->kind != KD_IRD)
      break;
    PUT(SQLLEN, r->display_size);
  case SQL_DESC_AUTO_UNIQUE_VALUE:
    if(d->kind != KD_IRD)
      break;
    PUT(SQLINTEGER, SQL_FALSE);
  case SQL_DESC_CASE_SENSITIVE:
    if(app)
      break;
    PUT(SQLINTEGER, is_text(r->concise_type) ? SQL_TRUE : SQL_FALSE);
  case SQL_DESC_FIXED_PREC_SCALE:
    if(app)
      break;
    PUT(SQLSMALLINT, SQL_FALSE);
  case SQL_DESC_SEARCHABLE:
    if(d->kind != KD_IRD)
      break;
    PUT(SQLSMALLINT, r->concise_type == SQL_WLONGVARCHAR
                       ? SQL_PRED_CHAR : SQL_PRED_SEARCHABLE);
  case SQL_DESC_UPDATABLE:
    if(d->kind != KD_IRD)
      break;
    PUT(SQLSMALLINT, SQL_ATTR_READONLY);
  case SQL_DESC_ROWVER:
    if(app)
      break;
    PUT(SQLSMALLINT, SQL_FALSE);
  case SQL_DESC_NAME:
  case SQL_DESC_LABEL:
    if(app || (field == SQL_DESC_LABEL && d->kind != KD_IRD))
      break;
    str = r->name ? r->name : "";
    goto string;
  case SQL_DESC_BASE_COLUMN_NAME:
  case SQL_DESC_BASE_TABLE_NAME:
  case SQL_DESC_TABLE_NAME:
  case SQL_DESC_CATALOG_NAME:
  case SQL_DESC_SCHEMA_NAME:
  case SQL_DESC_LITERAL_PREFIX:
  case SQL_DESC_LITERAL_SUFFIX:
    if(d->kind != KD_IRD)
      break;
    if(field == SQL_DESC_BASE_COLUMN_NAME)
      str = r->base_column;
    else if(field == SQL_DESC_BASE_TABLE_NAME ||
            field == SQL_DESC_TABLE_NAME)
      str = r->table;
    else if(field == SQL_DESC_LITERAL_PREFIX ||
            field == SQL_DESC_LITERAL_SUFFIX)
      str = (is_text(r->concise_type) || is_datetime(r->concise_type))
              ? "'" : "";
    str = str ? str : "";
    goto string;
  case SQL_DESC_TYPE_NAME:
  case SQL_DESC_LOCAL_TYPE_NAME:
    if(app)
      break;
    str = r->type_name ? r->type_name : "";
    goto string;
  default:
    return kd_diag_post(&d->hdr, KD_E_BAD_DESC_FIELD, 0,
                        "descriptor field %d is not valid", (int)field);
  }
  return kd_diag_post(&d->hdr, KD_E_BAD_DESC_FIELD, 0,
                      "field %d does not belong to this kind of "
                      "descriptor", (int)field);
string:
  return kd_out_str_i(&d->hdr, wide, str, val, buflen, outlen, 1);
}

#undef PUT

SQLRETURN kd_desc_set_field(struct kd_desc *d, SQLSMALLINT rec,
                            SQLSMALLINT field, SQLPOINTER val,
                            SQLINTEGER buflen, int wide)
{
  struct kd_desc_rec *r;
  intptr_t n = (intptr_t)val;
  int app = d->kind == KD_ARD || d->kind == KD_APD;

  /* header fields */
  switch(field) {
  case SQL_DESC_ARRAY_STATUS_PTR:
    d->array_status_ptr = val;
    return SQL_SUCCESS;
  case SQL_DESC_ROWS_PROCESSED_PTR:
    if(app)
      break;
    d->rows_processed_ptr = val;
    return SQL_SUCCESS;
  case SQL_DESC_ALLOC_TYPE:
    return kd_diag_post(&d->hdr, KD_E_BAD_DESC_FIELD, 0,
                        "SQL_DESC_ALLOC_TYPE is read-only");
  default:
    break;
  }
  if(d->kind == KD_IRD)
    return kd_diag_post(&d->hdr, KD_E_BAD_DESC_FIELD, 0,
                        "an implementation row descriptor cannot be "
                        "modified");
  switch(field) {
  case SQL_DESC_ARRAY_SIZE:
    if(!app)
      break;
    if(n <= 0)
      return kd_diag_post(&d->hdr, KD_E_BAD_ATTR_VALUE, 0, NULL);
    d->array_size = (SQLULEN)n;
    return SQL_SUCCESS;
  case SQL_DESC_BIND_OFFSET_PTR:
    if(!app)
      break;
    d->bind_offset_ptr = val;
    return SQL_SUCCESS;
  case SQL_DESC_BIND_TYPE:
    if(!app)
      break;
    d->bind_type = (SQLULEN)n;
    return SQL_SUCCESS;
  case SQL_DESC_COUNT:
    if(n < 0 || n > 32767)
      return kd_diag_post(&d->hdr, KD_E_BAD_COLUMN, 0, NULL);
    if(kd_desc_ensure(d, (SQLSMALLINT)n))
      return kd_diag_post(&d->hdr, KD_E_NOMEM, 0, NULL);
    d->count = (SQLSMALLINT)n;
    return SQL_SUCCESS;
  default:
    goto record;
  }
  return kd_diag_post(&d->hdr, KD_E_BAD_DESC_FIELD, 0,
                      "field %d does not belong to this kind of "
                      "descriptor", (int)field);
record:
  if(rec == 0)
    return kd_diag_post(&d->hdr, KD_E_BAD_COLUMN, 0,
                        "bookmarks are not supported");
  if(rec < 0)
    return kd_diag_post(&d->hdr, KD_E_BAD_COLUMN, 0, NULL);
  if(kd_desc_ensure(d, rec))
    return kd_diag_post(&d->hdr, KD_E_NOMEM, 0, NULL);
  r = &d->recs[rec];
  switch(field) {
  case SQL_DESC_TYPE:
    if(set_verbose(r, (SQLSMALLINT)n, r->datetime_sub ? r->datetime_sub
                                                      : SQL_CODE_TIMESTAMP))
      return kd_diag_post(&d->hdr, KD_E_BAD_SQL_TYPE, 0, NULL);
    break;
  case SQL_DESC_CONCISE_TYPE:
    set_concise(r, (SQLSMALLINT)n);
    break;
  case SQL_DESC_DATETIME_INTERVAL_CODE:
    if(r->type == SQL_DATETIME &&
       set_verbose(r, SQL_DATETIME, (SQLSMALLINT)n))
      return kd_diag_post(&d->hdr, KD_E_BAD_ATTR_VALUE, 0, NULL);
    r->datetime_sub = (SQLSMALLINT)n;
    break;
  case SQL_DESC_DATETIME_INTERVAL_PRECISION:
    break;
  case SQL_DESC_LENGTH:
    r->length = (SQLULEN)n;
    break;
  case SQL_DESC_PRECISION:
    r->precision = (SQLSMALLINT)n;
    break;
  case SQL_DESC_SCALE:
    r->scale = (SQLSMALLINT)n;
    break;
  case SQL_DESC_OCTET_LENGTH:
    r->octet_length = (SQLLEN)n;
    break;
  case SQL_DESC_NULLABLE:
    return kd_diag_post(&d->hdr, KD_E_BAD_DESC_FIELD, 0,
                        "SQL_DESC_NULLABLE is read-only");
  case SQL_DESC_DATA_PTR:
    if(!app)
      goto wrong;
    r->data_ptr = val;
    break;
  case SQL_DESC_INDICATOR_PTR:
    if(!app)
      goto wrong;
    r->indicator_ptr = val;
    break;
  case SQL_DESC_OCTET_LENGTH_PTR:
    if(!app)
      goto wrong;
    r->octet_length_ptr = val;
    break;
  case SQL_DESC_PARAMETER_TYPE:
    if(d->kind != KD_IPD)
      goto wrong;
    if(n != SQL_PARAM_INPUT)
      return kd_diag_post(&d->hdr, KD_E_NOT_CAPABLE, 0,
                          "only input parameters are supported");
    r->param_type = (SQLSMALLINT)n;
    break;
  case SQL_DESC_UNNAMED:
    if(d->kind != KD_IPD)
      goto wrong;
    if(n == SQL_NAMED)
      return kd_diag_post(&d->hdr, KD_E_BAD_ATTR_VALUE, 0, NULL);
    r->unnamed = (SQLSMALLINT)n;
    break;
  case SQL_DESC_NAME: {
    char *name = NULL;
    SQLRETURN rc;
    if(d->kind != KD_IPD)
      goto wrong;
    rc = kd_in_str(&d->hdr, wide, val,
                   (wide && buflen > 0) ? buflen / (SQLINTEGER)sizeof(SQLWCHAR)
                                        : buflen, &name);
    if(!SQL_SUCCEEDED(rc))
      return rc;
    ku_free(r->name);
    r->name = name;
    break;
  }
  default:
    return kd_diag_post(&d->hdr, KD_E_BAD_DESC_FIELD, 0,
                        "descriptor field %d cannot be set", (int)field);
  }
  if(rec > d->count)
    d->count = rec;
  return SQL_SUCCESS;
wrong:
  return kd_diag_post(&d->hdr, KD_E_BAD_DESC_FIELD, 0,
                      "field %d does not belong to this kind of "
                      "descriptor", (int)field);
}

SQLRETURN kd_desc_get_rec(struct kd_desc *d, SQLSMALLINT rec,
                          SQLPOINTER name, SQLSMALLINT namemax,
                          SQLSMALLINT *namelen, SQLSMALLINT *type,
                          SQLSMALLINT *subtype, SQLLEN *length,
                          SQLSMALLINT *precision, SQLSMALLINT *scale,
                          SQLSMALLINT *nullable, int wide)
{
  struct kd_desc_rec *r;
  int app = d->kind == KD_ARD || d->kind == KD_APD;

  if(!is_ird_ready(d))
    return kd_diag_post(&d->hdr, KD_E_SEQUENCE, 0,
                        "the statement of this descriptor is not "
                        "prepared");
  if(rec == 0)
    return kd_diag_post(&d->hdr, KD_E_BAD_COLUMN, 0,
                        "bookmarks are not supported");
  if(rec < 0)
    return kd_diag_post(&d->hdr, KD_E_BAD_COLUMN, 0, NULL);
  if(rec > d->count || !d->recs || rec > d->cap)
    return SQL_NO_DATA;
  r = &d->recs[rec];
  if(type)
    *type = r->type;
  if(subtype)
    *subtype = r->datetime_sub;
  if(length)
    *length = app ? r->octet_length : r->octet_len_ird;
  if(precision)
    *precision = r->precision;
  if(scale)
    *scale = r->scale;
  if(nullable)
    *nullable = app ? SQL_NULLABLE_UNKNOWN : r->nullable;
  return kd_out_str_s(&d->hdr, wide, r->name ? r->name : "", name, namemax,
                      namelen, 0);
}

SQLRETURN kd_desc_set_rec(struct kd_desc *d, SQLSMALLINT rec,
                          SQLSMALLINT type, SQLSMALLINT subtype,
                          SQLLEN length, SQLSMALLINT precision,
                          SQLSMALLINT scale, SQLPOINTER data,
                          SQLLEN *strlen_ptr, SQLLEN *ind_ptr)
{
  struct kd_desc_rec *r;
  int app = d->kind == KD_ARD || d->kind == KD_APD;

  if(d->kind == KD_IRD)
    return kd_diag_post(&d->hdr, KD_E_BAD_DESC_FIELD, 0,
                        "an implementation row descriptor cannot be "
                        "modified");
  if(rec <= 0)
    return kd_diag_post(&d->hdr, KD_E_BAD_COLUMN, 0,
                        "record numbers start at 1");
  if(kd_desc_ensure(d, rec))
    return kd_diag_post(&d->hdr, KD_E_NOMEM, 0, NULL);
  r = &d->recs[rec];
  if(set_verbose(r, type, subtype))
    return kd_diag_post(&d->hdr, KD_E_BAD_SQL_TYPE, 0, NULL);
  r->octet_length = length;
  r->precision = precision;
  r->scale = scale;
  if(app) {
    r->data_ptr = data;
    r->octet_length_ptr = strlen_ptr;
    r->indicator_ptr = ind_ptr;
  }
  else
    r->length = (SQLULEN)length;
  if(rec > d->count)
    d->count = rec;
  return SQL_SUCCESS;
}

/* Duplicates an owned string field (NULL stays NULL); 0 on success. */
static int dup_str(char **dst, const char *src)
{
  *dst = NULL;
  if(!src)
    return 0;
  *dst = ku_strdup(src);
  return *dst == NULL;
}

SQLRETURN kd_desc_copy(struct kd_desc *src, struct kd_desc *dst)
{
  SQLSMALLINT i;

  if(dst->kind == KD_IRD)
    return kd_diag_post(&dst->hdr, KD_E_BAD_DESC_FIELD, 0,
                        "an implementation row descriptor cannot be "
                        "modified");
  if(!is_ird_ready(src))
    return kd_diag_post(&dst->hdr, KD_E_SEQUENCE, 0,
                        "the source descriptor's statement is not "
                        "prepared");
  if(src == dst)
    return SQL_SUCCESS;
  if(kd_desc_ensure(dst, src->count))
    return kd_diag_post(&dst->hdr, KD_E_NOMEM, 0, NULL);
  for(i = 1; i <= dst->cap; i++)
    kd_desc_rec_clear(&dst->recs[i]);
  for(i = 1; i <= src->count && src->recs; i++) {
    struct kd_desc_rec *s = &src->recs[i], *t = &dst->recs[i];
    *t = *s;
    t->name = t->base_column = t->table = t->type_name = NULL;
    if(src->kind == KD_IRD)
      t->octet_length = s->octet_len_ird;
    if(dup_str(&t->name, s->name) || dup_str(&t->base_column,
                                             s->base_column) ||
       dup_str(&t->table, s->table) || dup_str(&t->type_name, s->type_name))
      return kd_diag_post(&dst->hdr, KD_E_NOMEM, 0, NULL);
  }
  dst->count = src->count;
  dst->array_size = src->array_size;
  dst->array_status_ptr = src->array_status_ptr;
  dst->rows_processed_ptr = src->rows_processed_ptr;
  dst->bind_offset_ptr = src->bind_offset_ptr;
  dst->bind_type = src->bind_type;
  return SQL_SUCCESS;
}
