/*
 * write.c - INSERT, UPDATE and DELETE as Kintone writes.  See write.h.
 */
#include "write.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks_int.h"
#include "kquery.h"
#include "schema.h"
#include "../kintone/kc_write.h"
#include "../net/kj_json.h"
#include "../util/ku_buf.h"
#include "../util/ku_log.h"
#include "../util/ku_mem.h"
#include "../util/ku_tz.h"

void ks_writer_init(struct ks_writer *w, struct ks_db *kdb, long long app,
                    const char *table, const struct ks_schema *schema)
{
  memset(w, 0, sizeof(*w));
  w->kdb = kdb;
  w->app = app;
  w->table = table;
  w->schema = schema;
}

static void drop_queue(struct ks_writer *w)
{
  size_t i;

  for(i = 0; i < w->n; i++)
    ku_free(w->items[i]);
  w->n = 0;
  w->kind = 0;
}

void ks_writer_reset(struct ks_writer *w)
{
  drop_queue(w);
  ku_free(w->items);
  w->items = NULL;
  w->cap = 0;
  w->written = 0;
}

/* 1 for the columns Kintone computes or maintains itself. */
int ks_write_read_only(int ftype)
{
  switch(ftype) {
  case KC_F_RECORD_NUMBER:
  case KC_F_CALC:
  case KC_F_STATUS:
  case KC_F_STATUS_ASSIGNEE:
  case KC_F_CATEGORY:
  case KC_F_FILE:
  case KC_F_UPDATED_TIME:
  case KC_F_MODIFIER:
    return 1;
  default:
    return 0;
  }
}

/* Appends a JSON array of strings (or of {"code": s}) from JSON text. */
static const char *json_array(struct ku_buf *b, const char *text,
                              int as_codes)
{
  yajl_val v;
  char perr[128];
  size_t i;

  if(kj_parse(text, strlen(text), &v, perr, sizeof(perr)))
    return "is not a JSON array";
  if(!YAJL_IS_ARRAY(v)) {
    yajl_tree_free(v);
    return "is not a JSON array";
  }
  ku_buf_addc(b, '[');
  for(i = 0; i < kj_len(v); i++) {
    const char *s = kj_text(kj_at(v, i));
    if(!s) {
      yajl_tree_free(v);
      return "must be a JSON array of strings";
    }
    if(i)
      ku_buf_addc(b, ',');
    if(as_codes)
      ku_buf_adds(b, "{\"code\":");
    kj_write_string(b, s, strlen(s));
    if(as_codes)
      ku_buf_addc(b, '}');
  }
  ku_buf_addc(b, ']');
  yajl_tree_free(v);
  return NULL;
}

/*
 * A DATETIME value under a TimeZone: text with a zone ("...Z",
 * "...+09:00") is that instant; text without one is the wall-clock time
 * in tz.  Appends the UTC instant as Kintone's "YYYY-MM-DDTHH:MM:SSZ";
 * other text is sent as it is (Kintone judges it).  NULL or why not.
 */
static const char *zoned_datetime(struct ku_buf *b, const char *t, size_t n,
                                  const struct ku_tz *tz)
{
  long long local, u[2];
  long off;
  int zone;
  char out[40];

  if(ku_parse_datetime(t, n, &local, &zone, &off)) {
    kj_write_string(b, t, n);
    return NULL;
  }
  if(zone)
    u[0] = local - off;
  else if(!ku_tz_local_candidates(tz, local, u, NULL))
    return "is a time that does not exist in the connection's TimeZone "
           "(the clocks skip it for daylight saving time)";
  ku_format_datetime(u[0], 'T', out, sizeof(out));
  kj_write_string(b, out, strlen(out));
  return NULL;
}

int ks_write_value_kind(const struct ks_col *c)
{
  switch(c->ftype) {
  case KC_F_DATE:
  case KC_F_TIME:
  case KC_F_DATETIME:
  case KC_F_CREATED_TIME:
  case KC_F_UPDATED_TIME:
    return KC_EK_DATETIME;
  default:
    return KC_EK_BAD_VALUE;
  }
}

/*
 * Appends {"value": ...} for column c; returns NULL or a reason the
 * value cannot be written (for the error message).
 */
const char *ks_write_field_value(struct ku_buf *b, const struct ks_col *c,
                                 sqlite3_value *v)
{
  const char *t = (const char *)sqlite3_value_text(v);
  size_t n = (size_t)sqlite3_value_bytes(v);
  const char *why = NULL;
  int null = sqlite3_value_type(v) == SQLITE_NULL;

  ku_buf_adds(b, "{\"value\":");
  if(!t)
    t = "";
  switch(c->ftype) {
  case KC_F_CHECK_BOX:
  case KC_F_MULTI_SELECT:
    if(null)
      ku_buf_adds(b, "[]");
    else
      why = json_array(b, t, 0);
    break;
  case KC_F_USER_SELECT:
  case KC_F_ORGANIZATION_SELECT:
  case KC_F_GROUP_SELECT:
    if(null)
      ku_buf_adds(b, "[]");
    else
      why = json_array(b, t, 1);
    break;
  case KC_F_CREATOR:
  case KC_F_MODIFIER:
    ku_buf_adds(b, "{\"code\":");
    kj_write_string(b, t, n);
    ku_buf_addc(b, '}');
    break;
  case KC_F_NUMBER:
    if(!null && sqlite3_value_type(v) == SQLITE_FLOAT) {
      char num[40];
      kq_number_text(sqlite3_value_double(v), num, sizeof(num));
      kj_write_string(b, num, strlen(num));
    }
    else
      kj_write_string(b, t, n);
    break;
  case KC_F_DATETIME:
  case KC_F_CREATED_TIME:
  case KC_F_UPDATED_TIME:
    if(c->tz)
      why = zoned_datetime(b, t, n, c->tz);
    else if(n == 19 && t[10] == ' ') {
      char dt[24];
      snprintf(dt, sizeof(dt), "%.10sT%.8sZ", t, t + 11);
      kj_write_string(b, dt, strlen(dt));
    }
    else
      kj_write_string(b, t, n);
    break;
  case KC_F_TIME:
    kj_write_string(b, t, n == 8 && t[5] == ':' ? 5 : n);
    break;
  default:
    kj_write_string(b, t, n);
  }
  ku_buf_addc(b, '}');
  return why;
}

int ks_write_fail(struct ks_db *kdb, char **errmsg, int kind,
                  const char *fmt, ...)
{
  struct kc_err err;
  va_list ap;

  kc_err_clear(&err);
  err.kind = kind;
  va_start(ap, fmt);
  vsnprintf(err.message, sizeof(err.message), fmt, ap);
  va_end(ap);
  ks_db_set_error(kdb, &err);
  sqlite3_free(*errmsg);
  *errmsg = sqlite3_mprintf("%s", err.message);
  return SQLITE_ERROR;
}

/* Builds the record object of an INSERT or UPDATE row. */
static int record_json(struct ks_writer *w, int update, sqlite3_value **cols,
                       struct ku_buf *b, char **errmsg)
{
  size_t i;
  int first = 1;

  ku_buf_addc(b, '{');
  for(i = 2; i < w->schema->ncols; i++) {       /* after $id, $revision */
    const struct ks_col *c = &w->schema->cols[i];
    sqlite3_value *v = cols[i];
    const char *why;
    if(update && sqlite3_value_nochange(v))
      continue;
    if(!update && sqlite3_value_type(v) == SQLITE_NULL)
      continue;                 /* Kintone applies the field's default */
    if(ks_write_read_only(c->ftype) ||
       (update && (c->ftype == KC_F_CREATOR ||
                   c->ftype == KC_F_CREATED_TIME))) {
      return ks_write_fail(w->kdb, errmsg, KC_EK_INVALID,
                  "column \"%s\" of \"%s\" is maintained by Kintone and "
                  "cannot be %s", c->name, w->table,
                  update ? "updated" : "set");
    }
    if(!first)
      ku_buf_addc(b, ',');
    first = 0;
    kj_write_string(b, c->code, strlen(c->code));
    ku_buf_addc(b, ':');
    why = ks_write_field_value(b, c, v);
    if(why)
      return ks_write_fail(w->kdb, errmsg, ks_write_value_kind(c),
                  "value for column \"%s\" of \"%s\" %s",
                  c->name, w->table, why);
  }
  ku_buf_addc(b, '}');
  return SQLITE_OK;
}

/* Classifies a Kintone validation failure by the field and message. */
static int validation_kind(const struct ks_writer *w, const char *field,
                           const char *msg)
{
  int col = field[0] ? ks_schema_find(w->schema, field) : -1;
  int ft = col >= 0 ? w->schema->cols[col].ftype : 0;

  if(strstr(msg, "Required") || strstr(msg, "必須") ||
     strstr(msg, "already exists") || strstr(msg, "重複"))
    return KC_EK_CONSTRAINT;
  if(strstr(msg, "characters") || strstr(msg, "文字"))
    return KC_EK_STRING_TRUNC;
  if(strstr(msg, "or less") || strstr(msg, "or more") ||
     strstr(msg, "以下") || strstr(msg, "以上") || strstr(msg, "digits") ||
     strstr(msg, "桁"))
    return KC_EK_NUMERIC_RANGE;
  if(ft == KC_F_DATE || ft == KC_F_DATETIME || ft == KC_F_TIME)
    return KC_EK_DATETIME;
  if(strstr(msg, "number") || strstr(msg, "数字") || strstr(msg, "option") ||
     strstr(msg, "選択肢"))
    return KC_EK_BAD_VALUE;
  return KC_EK_INVALID;
}

int ks_writer_flush(struct ks_writer *w, char **errmsg)
{
  struct kc_write_result res;
  struct kc_err err;
  int rc;
  long long first = w->written + 1, last = w->written + (long long)w->n;

  if(!w->n)
    return SQLITE_OK;
  rc = kc_write_bulk(w->kdb->client, w->kind, w->app,
                     (const char *const *)w->items, w->n, &res, &err);
  if(rc) {
    char where[400] = "";
    if(err.kind == KC_EK_INVALID && err.code[0] && res.field_message[0])
      err.kind = validation_kind(w, res.field, res.field_message);
    if(res.row >= 0)
      snprintf(where, sizeof(where), " (row %lld%s%s%s)",
               w->written + res.row + 1, res.field[0] ? ", field \"" : "",
               res.field, res.field[0] ? "\"" : "");
    if(err.kind == KC_EK_UNKNOWN_OUTCOME)
      snprintf(where + strlen(where), sizeof(where) - strlen(where),
               ": rows %lld-%lld of this statement may or may not have "
               "been written", first, last);
    /* Kintone's code and id are added by the driver's diagnostic */
    if(w->written && err.kind == KC_EK_UNKNOWN_OUTCOME)
      rc = ks_write_fail(w->kdb, errmsg, err.kind,
                "%s%s; rows 1-%lld of this statement were written to "
                "\"%s\" before it, and no rows after it were sent",
                err.message, where, w->written, w->table);
    else if(w->written)
      rc = ks_write_fail(w->kdb, errmsg, err.kind,
                "%s%s; rows 1-%lld of this statement were written to "
                "\"%s\", rows %lld and later were not", err.message, where,
                w->written, w->table, first);
    else if(err.kind == KC_EK_UNKNOWN_OUTCOME)
      rc = ks_write_fail(w->kdb, errmsg, err.kind, "%s%s", err.message, where);
    else
      rc = ks_write_fail(w->kdb, errmsg, err.kind, "%s%s; nothing was written",
                err.message, where);
    if(err.code[0]) {
      /* keep Kintone's code and id with the parked error */
      struct kc_err *pk = &w->kdb->err;
      snprintf(pk->code, sizeof(pk->code), "%s", err.code);
      snprintf(pk->id, sizeof(pk->id), "%s", err.id);
      pk->http_status = err.http_status;
      pk->native = err.native;
    }
    kc_write_result_cleanup(&res);
    drop_queue(w);
    return rc;
  }
  KLOG(w->kdb->log, KU_LOG_INFO, "write", "\"%s\": rows %lld-%lld written",
       w->table, first, last);
  kc_write_result_cleanup(&res);
  w->written = last;
  drop_queue(w);
  return SQLITE_OK;
}

static int queue(struct ks_writer *w, int kind, char *item, char **errmsg)
{
  int rc;

  if(w->kind && w->kind != kind) {
    rc = ks_writer_flush(w, errmsg);
    if(rc) {
      ku_free(item);
      return rc;
    }
  }
  if(w->n == w->cap) {
    size_t ncap = w->cap ? w->cap * 2 : 64;
    char **ni = ku_realloc(w->items, ncap * sizeof(*ni));
    if(!ni) {
      ku_free(item);
      return SQLITE_NOMEM;
    }
    w->items = ni;
    w->cap = ncap;
  }
  w->items[w->n++] = item;
  w->kind = kind;
  if(w->n >= KC_BULK_RECORDS)
    return ks_writer_flush(w, errmsg);
  return SQLITE_OK;
}

/*
 * INSERT OR REPLACE: Kintone's upsert keyed by the first unique field the
 * row sets (update the record holding that value, else add one).
 */
static int upsert_row(struct ks_writer *w, sqlite3_value **cols,
                      char **errmsg)
{
  struct ku_buf b, rec;
  size_t i;
  int key = -1, rc;

  for(i = 2; i < w->schema->ncols && key < 0; i++) {
    const struct ks_col *c = &w->schema->cols[i];
    if(c->field && c->field->unique &&
       sqlite3_value_type(cols[i]) != SQLITE_NULL)
      key = (int)i;
  }
  if(key < 0)
    return ks_write_fail(w->kdb, errmsg, KC_EK_UNSUPPORTED,
                         "INSERT OR REPLACE into \"%s\" needs a value for a "
                         "field with \"prohibit duplicate values\" (the "
                         "upsert key)", w->table);
  if(sqlite3_value_type(cols[0]) != SQLITE_NULL)
    return ks_write_fail(w->kdb, errmsg, KC_EK_INVALID,
                         "\"$id\" of \"%s\" is assigned by Kintone",
                         w->table);
  ku_buf_init(&rec, (size_t)64 << 20);
  rc = record_json(w, 0, cols, &rec, errmsg);
  if(rc) {
    ku_buf_cleanup(&rec);
    return rc;
  }
  ku_buf_init(&b, (size_t)64 << 20);
  ku_buf_adds(&b, "{\"updateKey\":{\"field\":");
  kj_write_string(&b, w->schema->cols[key].code,
                  strlen(w->schema->cols[key].code));
  ku_buf_adds(&b, ",\"value\":");
  if(w->schema->cols[key].tz) {        /* a date-time key: as written */
    const char *why = zoned_datetime(&b,
                        (const char *)sqlite3_value_text(cols[key]),
                        (size_t)sqlite3_value_bytes(cols[key]),
                        w->schema->cols[key].tz);
    if(why) {
      ku_buf_cleanup(&b);
      ku_buf_cleanup(&rec);
      return ks_write_fail(w->kdb, errmsg, KC_EK_DATETIME,
                           "value for column \"%s\" of \"%s\" %s",
                           w->schema->cols[key].name, w->table, why);
    }
  }
  else
    kj_write_string(&b, (const char *)sqlite3_value_text(cols[key]),
                    (size_t)sqlite3_value_bytes(cols[key]));
  ku_buf_printf(&b, "},\"record\":%s}", ku_buf_cstr(&rec));
  ku_buf_cleanup(&rec);
  rc = queue(w, KC_W_UPSERT, ku_buf_steal(&b), errmsg);
  ku_buf_cleanup(&b);
  return rc;
}

int ks_writer_row(struct ks_writer *w, int argc, sqlite3_value **argv,
                  char **errmsg)
{
  struct ku_buf b;
  int rc = SQLITE_OK;
  sqlite3_value **cols = argv + 2;
  long long id;

  ku_buf_init(&b, (size_t)64 << 20);
  if(argc == 1) {                                   /* DELETE */
    id = sqlite3_value_int64(argv[0]);
    if(ku_buf_printf(&b, "%lld", id))
      rc = SQLITE_NOMEM;
    else
      rc = queue(w, KC_W_DELETE, ku_buf_steal(&b), errmsg);
    ku_buf_cleanup(&b);
    return rc;
  }
  if((size_t)argc != w->schema->ncols + 2) {
    ku_buf_cleanup(&b);
    return ks_write_fail(w->kdb, errmsg, KC_EK_INVALID, "unexpected row shape");
  }
  if(sqlite3_value_type(argv[0]) == SQLITE_NULL &&
     sqlite3_vtab_on_conflict(w->kdb->db) == SQLITE_REPLACE) {
    ku_buf_cleanup(&b);
    return upsert_row(w, cols, errmsg);
  }
  if(sqlite3_value_type(argv[0]) == SQLITE_NULL) {   /* INSERT */
    if(sqlite3_value_type(cols[0]) != SQLITE_NULL ||
       sqlite3_value_type(argv[1]) != SQLITE_NULL) {
      ku_buf_cleanup(&b);
      return ks_write_fail(w->kdb, errmsg, KC_EK_INVALID,
                  "\"$id\" of \"%s\" is assigned by Kintone: leave it out "
                  "of the INSERT", w->table);
    }
    if(sqlite3_value_type(cols[1]) != SQLITE_NULL) {
      ku_buf_cleanup(&b);
      return ks_write_fail(w->kdb, errmsg, KC_EK_INVALID,
                  "\"$revision\" of \"%s\" is maintained by Kintone",
                  w->table);
    }
    rc = record_json(w, 0, cols, &b, errmsg);
    if(!rc)
      rc = queue(w, KC_W_ADD, ku_buf_steal(&b), errmsg);
    ku_buf_cleanup(&b);
    return rc;
  }
  /* UPDATE */
  id = sqlite3_value_int64(argv[0]);
  if(!sqlite3_value_nochange(cols[0]) &&
     sqlite3_value_int64(cols[0]) != id) {
    ku_buf_cleanup(&b);
    return ks_write_fail(w->kdb, errmsg, KC_EK_INVALID,
                "\"$id\" of \"%s\" cannot be changed", w->table);
  }
  if(ku_buf_printf(&b, "{\"id\":%lld,\"revision\":%lld,\"record\":", id,
                   (sqlite3_value_nochange(cols[1]) ||
                    sqlite3_value_type(cols[1]) == SQLITE_NULL)
                     ? -1LL : (long long)sqlite3_value_int64(cols[1]))) {
    ku_buf_cleanup(&b);
    return SQLITE_NOMEM;
  }
  rc = record_json(w, 1, cols, &b, errmsg);
  if(!rc && ku_buf_addc(&b, '}'))
    rc = SQLITE_NOMEM;
  if(!rc)
    rc = queue(w, KC_W_UPDATE, ku_buf_steal(&b), errmsg);
  ku_buf_cleanup(&b);
  return rc;
}
