/*
 * subwrite.c - writes to subtable tables.  See subwrite.h.
 */
#include "subwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks_int.h"
#include "schema.h"
#include "write.h"
#include "../kintone/kc_records.h"
#include "../kintone/kc_write.h"
#include "../net/kj_json.h"
#include "../util/ku_buf.h"
#include "../util/ku_mem.h"

void ks_subwriter_init(struct ks_subwriter *w, struct ks_db *kdb,
                       long long app, const char *table,
                       const char *sub_code, const struct ks_schema *schema)
{
  memset(w, 0, sizeof(*w));
  w->kdb = kdb;
  w->app = app;
  w->table = table;
  w->sub_code = sub_code;
  w->schema = schema;
}

void ks_subwriter_reset(struct ks_subwriter *w)
{
  size_t i;

  for(i = 0; i < w->n; i++)
    ku_free(w->ops[i].values);
  ku_free(w->ops);
  ku_free(w->seen_row);
  ku_free(w->seen_parent);
  w->ops = NULL;
  w->seen_row = w->seen_parent = NULL;
  w->n = w->cap = w->nseen = w->capseen = 0;
}

void ks_subwriter_seen(struct ks_subwriter *w, long long row,
                       long long parent)
{
  if(w->nseen && w->seen_row[w->nseen - 1] == row)
    return;
  if(w->nseen == w->capseen) {
    size_t ncap = w->capseen ? w->capseen * 2 : 256;
    long long *r = ku_realloc(w->seen_row, ncap * sizeof(*r));
    long long *p;
    if(!r)
      return;
    w->seen_row = r;
    p = ku_realloc(w->seen_parent, ncap * sizeof(*p));
    if(!p)
      return;
    w->seen_parent = p;
    w->capseen = ncap;
  }
  w->seen_row[w->nseen] = row;
  w->seen_parent[w->nseen] = parent;
  w->nseen++;
}

static long long parent_of(const struct ks_subwriter *w, long long row)
{
  size_t i;

  for(i = w->nseen; i > 0; i--)
    if(w->seen_row[i - 1] == row)
      return w->seen_parent[i - 1];
  return -1;
}

/* ",\"code\":{\"value\":...}" for each assigned inner column. */
static int inner_values(struct ks_subwriter *w, int update,
                        sqlite3_value **cols, struct ku_buf *b,
                        char **errmsg)
{
  size_t i;

  for(i = 2; i < w->schema->ncols; i++) {
    const struct ks_col *c = &w->schema->cols[i];
    const char *why;
    if(update && sqlite3_value_nochange(cols[i]))
      continue;
    if(!update && sqlite3_value_type(cols[i]) == SQLITE_NULL)
      continue;
    if(ks_write_read_only(c->ftype))
      return ks_write_fail(w->kdb, errmsg, KC_EK_INVALID,
                           "column \"%s\" of \"%s\" is computed by Kintone",
                           c->name, w->table);
    ku_buf_addc(b, ',');
    kj_write_string(b, c->code, strlen(c->code));
    ku_buf_addc(b, ':');
    why = ks_write_field_value(b, c, cols[i]);
    if(why)
      return ks_write_fail(w->kdb, errmsg, ks_write_value_kind(c),
                           "value for column \"%s\" of \"%s\" %s", c->name,
                           w->table, why);
  }
  return SQLITE_OK;
}

int ks_subwriter_row(struct ks_subwriter *w, int argc, sqlite3_value **argv,
                     char **errmsg)
{
  struct ks_subop op;
  struct ku_buf b;
  sqlite3_value **cols = argv + 2;
  int rc;

  memset(&op, 0, sizeof(op));
  ku_buf_init(&b, (size_t)16 << 20);
  if(argc == 1) {
    op.kind = KC_W_DELETE;
    op.row = sqlite3_value_int64(argv[0]);
    op.parent = parent_of(w, op.row);
    if(op.parent < 0)
      return ks_write_fail(w->kdb, errmsg, KC_EK_INVALID,
                           "row %lld of \"%s\" was not read by this "
                           "statement", op.row, w->table);
  }
  else if(sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    op.kind = KC_W_ADD;
    if(sqlite3_value_type(cols[0]) != SQLITE_NULL)
      return ks_write_fail(w->kdb, errmsg, KC_EK_INVALID,
                           "row ids (\"$id\") of \"%s\" are assigned by "
                           "Kintone", w->table);
    if(sqlite3_value_type(cols[1]) != SQLITE_INTEGER)
      return ks_write_fail(w->kdb, errmsg, KC_EK_INVALID,
                           "an INSERT into \"%s\" needs \"$parent_id\", the "
                           "record the row belongs to", w->table);
    op.parent = sqlite3_value_int64(cols[1]);
    rc = inner_values(w, 0, cols, &b, errmsg);
    if(rc) {
      ku_buf_cleanup(&b);
      return rc;
    }
  }
  else {
    op.kind = KC_W_UPDATE;
    op.row = sqlite3_value_int64(argv[0]);
    op.parent = parent_of(w, op.row);
    if((!sqlite3_value_nochange(cols[0]) &&
        sqlite3_value_int64(cols[0]) != op.row) ||
       (!sqlite3_value_nochange(cols[1]) &&
        sqlite3_value_int64(cols[1]) != op.parent)) {
      ku_buf_cleanup(&b);
      return ks_write_fail(w->kdb, errmsg, KC_EK_INVALID,
                           "\"$id\" and \"$parent_id\" of \"%s\" cannot be "
                           "changed", w->table);
    }
    rc = inner_values(w, 1, cols, &b, errmsg);
    if(rc) {
      ku_buf_cleanup(&b);
      return rc;
    }
  }
  op.values = ku_buf_steal(&b);
  if(!op.values)
    return SQLITE_NOMEM;
  if(w->n == w->cap) {
    size_t ncap = w->cap ? w->cap * 2 : 32;
    struct ks_subop *no = ku_realloc(w->ops, ncap * sizeof(*no));
    if(!no) {
      ku_free(op.values);
      return SQLITE_NOMEM;
    }
    w->ops = no;
    w->cap = ncap;
  }
  w->ops[w->n++] = op;
  return SQLITE_OK;
}

/* One row of a record being rebuilt: id (0 = new) and field texts. */
struct row {
  long long id;
  struct ku_buf fields;      /* ",\"code\":{\"value\":...}"... */
};

/* Overwrites or appends each ",code:{...}" piece of `changes`. */
static void merge(struct ku_buf *fields, const char *changes)
{
  struct ku_buf out;
  yajl_val cur = NULL, chg = NULL;
  struct ku_buf tmp;
  char perr[64];
  size_t i, j;

  /* both as JSON objects: "{" + text-without-leading-comma + "}" */
  ku_buf_init(&tmp, (size_t)16 << 20);
  ku_buf_printf(&tmp, "{%s}", fields->len ? ku_buf_cstr(fields) + 1 : "");
  kj_parse(ku_buf_cstr(&tmp), tmp.len, &cur, perr, sizeof(perr));
  ku_buf_reset(&tmp);
  ku_buf_printf(&tmp, "{%s}", *changes ? changes + 1 : "");
  kj_parse(ku_buf_cstr(&tmp), tmp.len, &chg, perr, sizeof(perr));
  ku_buf_cleanup(&tmp);
  ku_buf_init(&out, (size_t)16 << 20);
  for(i = 0; cur && i < cur->u.object.len; i++) {
    const char *k = cur->u.object.keys[i];
    yajl_val v = kj_get(chg, k) ? kj_get(chg, k) : cur->u.object.values[i];
    ku_buf_addc(&out, ',');
    kj_write_string(&out, k, strlen(k));
    ku_buf_addc(&out, ':');
    kj_write_value(&out, v);
  }
  for(j = 0; chg && j < chg->u.object.len; j++) {
    const char *k = chg->u.object.keys[j];
    if(kj_get(cur, k))
      continue;
    ku_buf_addc(&out, ',');
    kj_write_string(&out, k, strlen(k));
    ku_buf_addc(&out, ':');
    kj_write_value(&out, chg->u.object.values[j]);
  }
  if(cur)
    yajl_tree_free(cur);
  if(chg)
    yajl_tree_free(chg);
  ku_buf_cleanup(fields);
  *fields = out;
}

/* Builds the PUT item of one record: its rows after this statement. */
static int rebuild(struct ks_subwriter *w, yajl_val rec, long long parent,
                   struct ku_buf *item, char **errmsg)
{
  yajl_val rows = kj_get(kj_get(rec, w->sub_code), "value");
  struct row *r;
  size_t n = kj_len(rows), cap = n + w->n, i, k;
  int rc = SQLITE_OK;

  r = ku_calloc(cap ? cap : 1, sizeof(*r));
  if(!r)
    return SQLITE_NOMEM;
  for(i = 0; i < n; i++) {
    yajl_val row = kj_at(rows, i), inner = kj_get(row, "value");
    r[i].id = kj_int(kj_get(row, "id"), 0);
    ku_buf_init(&r[i].fields, (size_t)16 << 20);
    for(k = 0; inner && YAJL_IS_OBJECT(inner) && k < inner->u.object.len;
        k++) {
      ku_buf_addc(&r[i].fields, ',');
      kj_write_string(&r[i].fields, inner->u.object.keys[k],
                      strlen(inner->u.object.keys[k]));
      ku_buf_adds(&r[i].fields, ":{\"value\":");
      kj_write_value(&r[i].fields, kj_get(inner->u.object.values[k],
                                          "value"));
      ku_buf_addc(&r[i].fields, '}');
    }
  }
  for(k = 0; k < w->n && !rc; k++) {
    const struct ks_subop *op = &w->ops[k];
    if(op->parent != parent)
      continue;
    if(op->kind == KC_W_ADD) {
      r[n].id = 0;
      ku_buf_init(&r[n].fields, (size_t)16 << 20);
      ku_buf_adds(&r[n].fields, op->values);
      n++;
      continue;
    }
    for(i = 0; i < n && r[i].id != op->row; i++)
      ;
    if(i == n) {
      rc = ks_write_fail(w->kdb, errmsg, KC_EK_CONFLICT,
                         "row %lld of \"%s\" no longer exists in record "
                         "%lld", op->row, w->table, parent);
      break;
    }
    if(op->kind == KC_W_DELETE) {
      ku_buf_cleanup(&r[i].fields);
      memmove(&r[i], &r[i + 1], (n - i - 1) * sizeof(*r));
      n--;
    }
    else
      merge(&r[i].fields, op->values);
  }
  if(!rc) {
    ku_buf_printf(item, "{\"id\":%lld,\"revision\":%lld,\"record\":{", parent,
                  kj_int(kj_get(kj_get(rec, "$revision"), "value"), -1));
    kj_write_string(item, w->sub_code, strlen(w->sub_code));
    ku_buf_adds(item, ":{\"value\":[");
    for(i = 0; i < n; i++) {
      ku_buf_adds(item, i ? ",{" : "{");
      if(r[i].id)
        ku_buf_printf(item, "\"id\":%lld,", r[i].id);
      ku_buf_printf(item, "\"value\":{%s}}",
                    r[i].fields.len ? ku_buf_cstr(&r[i].fields) + 1 : "");
    }
    ku_buf_adds(item, "]}}}");
  }
  for(i = 0; i < n; i++)
    ku_buf_cleanup(&r[i].fields);
  ku_free(r);
  return rc;
}

int ks_subwriter_flush(struct ks_subwriter *w, char **errmsg)
{
  long long *parents;
  size_t np = 0, i, j, start;
  int rc = SQLITE_OK;
  static const char *fields[3];

  if(!w->n)
    return SQLITE_OK;
  parents = ku_malloc(w->n * sizeof(*parents));
  if(!parents)
    return SQLITE_NOMEM;
  for(i = 0; i < w->n; i++) {
    for(j = 0; j < np && parents[j] != w->ops[i].parent; j++)
      ;
    if(j == np)
      parents[np++] = w->ops[i].parent;
  }
  fields[0] = "$id";
  fields[1] = "$revision";
  fields[2] = w->sub_code;
  for(start = 0; start < np && !rc; start += 100) {
    size_t end = start + 100 < np ? start + 100 : np;
    sqlite3_str *q = sqlite3_str_new(NULL);
    struct kc_page pg;
    struct kc_err err;
    char **items;
    size_t nitems = 0;
    char *query;
    sqlite3_str_appendall(q, "$id in (");
    for(i = start; i < end; i++)
      sqlite3_str_appendf(q, "%s%lld", i > start ? ", " : "", parents[i]);
    sqlite3_str_appendall(q, ") order by $id asc limit 500");
    query = sqlite3_str_finish(q);
    if(!query) {
      rc = SQLITE_NOMEM;
      break;
    }
    if(kc_records_get(w->kdb->client, w->app, fields, 3, query, 0, &pg,
                      &err)) {
      sqlite3_free(query);
      rc = ks_write_fail(w->kdb, errmsg, err.kind, "%s", err.message);
      break;
    }
    sqlite3_free(query);
    items = ku_calloc(end - start, sizeof(char *));
    for(i = start; items && i < end && !rc; i++) {
      yajl_val rec = NULL;
      struct ku_buf item;
      for(j = 0; j < pg.count; j++)
        if(kj_int(kj_get(kj_get(kc_page_record(&pg, j), "$id"), "value"),
                  0) == parents[i])
          rec = kc_page_record(&pg, j);
      if(!rec) {
        rc = ks_write_fail(w->kdb, errmsg, KC_EK_NOT_FOUND,
                           "record %lld of \"%s\" does not exist",
                           parents[i], w->table);
        break;
      }
      ku_buf_init(&item, (size_t)64 << 20);
      rc = rebuild(w, rec, parents[i], &item, errmsg);
      if(rc)
        ku_buf_cleanup(&item);
      else
        items[nitems++] = ku_buf_steal(&item);
    }
    kc_page_free(&pg);
    if(!items)
      rc = SQLITE_NOMEM;
    if(!rc) {
      struct kc_write_result res;
      if(kc_write_bulk(w->kdb->client, KC_W_UPDATE, w->app,
                       (const char *const *)items, nitems, &res, &err))
        rc = ks_write_fail(w->kdb, errmsg, err.kind, "%s%s", err.message,
                           start ? "; earlier records of this statement "
                                   "were written" : "; nothing was written");
      kc_write_result_cleanup(&res);
    }
    for(i = 0; items && i < nitems; i++)
      ku_free(items[i]);
    ku_free(items);
  }
  ku_free(parents);
  for(i = 0; i < w->n; i++)
    ku_free(w->ops[i].values);
  w->n = 0;
  return rc;
}
