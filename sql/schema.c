/*
 * schema.c - Kintone form fields -> SQL columns.  See schema.h.
 */
#include "schema.h"

#include <stdio.h>
#include <string.h>
#include <sqlite3.h>

#include "../kintone/kc_fields.h"
#include "../util/ku_mem.h"
#include "../util/ku_tz.h"

/* Declared SQL type of a field; NULL when the field is not a column. */
static const char *decl_for(const struct kc_field *f, char *buf, size_t n)
{
  switch(f->type) {
  case KC_F_ID:
  case KC_F_REVISION:
    return "BIGINT";
  case KC_F_RECORD_NUMBER:
    return "WVARCHAR(128)";
  case KC_F_SINGLE_LINE_TEXT:
  case KC_F_LINK:
    if(f->max_length > 0 && f->max_length <= 65535) {
      snprintf(buf, n, "WVARCHAR(%ld)", f->max_length);
      return buf;
    }
    return "WVARCHAR(65535)";
  case KC_F_MULTI_LINE_TEXT:
  case KC_F_RICH_TEXT:
    return "WLONGVARCHAR";
  case KC_F_NUMBER:
    return "DECIMAL(30,10)";
  case KC_F_CALC:
    if(!f->format || !strcmp(f->format, "NUMBER") ||
       !strcmp(f->format, "NUMBER_DIGIT"))
      return "DECIMAL(30,10)";
    if(!strcmp(f->format, "DATE"))
      return "DATE";
    if(!strcmp(f->format, "DATETIME"))
      return "TIMESTAMP";
    if(!strcmp(f->format, "TIME"))
      return "TIME";
    return "WVARCHAR(64)";            /* HOUR_MINUTE, DAY_HOUR_MINUTE */
  case KC_F_RADIO_BUTTON:
  case KC_F_DROP_DOWN:
  case KC_F_STATUS:
    return "WVARCHAR(255)";
  case KC_F_CREATOR:
  case KC_F_MODIFIER:
    return "WVARCHAR(255)";
  case KC_F_CHECK_BOX:
  case KC_F_MULTI_SELECT:
  case KC_F_CATEGORY:
  case KC_F_USER_SELECT:
  case KC_F_ORGANIZATION_SELECT:
  case KC_F_GROUP_SELECT:
  case KC_F_STATUS_ASSIGNEE:
  case KC_F_FILE:
    return "WLONGVARCHAR";
  case KC_F_DATE:
    return "DATE";
  case KC_F_TIME:
    return "TIME";
  case KC_F_DATETIME:
  case KC_F_CREATED_TIME:
  case KC_F_UPDATED_TIME:
    return "TIMESTAMP";
  default:
    return NULL;
  }
}

static int is_column(const struct kc_field *f)
{
  if((f->type == KC_F_STATUS || f->type == KC_F_STATUS_ASSIGNEE ||
      f->type == KC_F_CATEGORY) && !f->enabled)
    return 0;
  return f->type != KC_F_SUBTABLE && f->type != KC_F_ID &&
         f->type != KC_F_REVISION;
}

const char *ks_schema_decl(const struct kc_field *f, char *buf, size_t n)
{
  if(!is_column(f))
    return NULL;
  return decl_for(f, buf, n);
}

/* Appends a fixed column ($id, $revision, $parent_id). */
static void add_fixed(struct ks_schema *s, const char *name, int ftype,
                      const char *decl)
{
  struct ks_col *c = &s->cols[s->ncols++];

  c->name = name;
  c->code = name;
  c->label = name;
  c->ftype = ftype;
  snprintf(c->decl, sizeof(c->decl), "%s", decl);
}

static int is_datetime(const struct kc_field *f)
{
  return f->type == KC_F_DATETIME || f->type == KC_F_CREATED_TIME ||
         f->type == KC_F_UPDATED_TIME ||
         (f->type == KC_F_CALC && f->format &&
          !strcmp(f->format, "DATETIME"));
}

/* Appends the columns of fields f[0..n) that are columns. */
static void add_fields(struct ks_schema *s, const struct kc_field *f,
                       size_t n, const struct ks_schema_opts *o)
{
  char tmp[48];
  size_t i;

  for(i = 0; i < n; i++) {
    const char *d = ks_schema_decl(&f[i], tmp, sizeof(tmp));
    struct ks_col *c;
    if(!d)
      continue;
    c = &s->cols[s->ncols++];
    c->name = f[i].code;
    c->code = f[i].code;
    c->label = f[i].label;
    c->ftype = f[i].type;
    c->calc_format = f[i].format;
    c->field = &f[i];
    c->tz = o && is_datetime(&f[i]) ? o->tz : NULL;
    snprintf(c->decl, sizeof(c->decl), "%s", d);
  }
}

/* 1 if column i's name clashes with another column's. */
static int clashes(const struct ks_schema *s, size_t i)
{
  size_t j;

  for(j = 0; j < s->ncols; j++)
    if(j != i && !sqlite3_stricmp(s->cols[j].name, s->cols[i].name))
      return 1;
  return 0;
}

/* Sets column i's name to an owned copy of `name` (sqlite3_mprintf'd,
   consumed).  Returns 0, 1 when out of memory. */
static int own_name(struct ks_schema *s, size_t i, char *name)
{
  char *copy = name ? ku_strdup(name) : NULL;

  sqlite3_free(name);
  if(!copy)
    return 1;
  ku_free(s->names[i]);
  s->names[i] = copy;
  s->cols[i].name = copy;
  return 0;
}

/* UseDisplayNames: renames the field columns (from `first`) by label,
   resolving clashes as schema.h describes. */
static int display_names(struct ks_schema *s, size_t first)
{
  size_t i, k, *order;
  unsigned char *shared;
  int rc = 0;

  s->names = ku_calloc(s->ncols, sizeof(*s->names));
  shared = ku_calloc(s->ncols ? s->ncols : 1, 1);
  order = ku_calloc(s->ncols ? s->ncols : 1, sizeof(*order));
  if(!s->names || !shared || !order) {
    ku_free(shared);
    ku_free(order);
    return 1;
  }
  for(i = first; i < s->ncols; i++)
    if(s->cols[i].label && s->cols[i].label[0])
      s->cols[i].name = s->cols[i].label;
  for(i = first; i < s->ncols; i++)
    shared[i] = (unsigned char)clashes(s, i);
  for(i = first; i < s->ncols && !rc; i++)
    if(shared[i])
      rc = own_name(s, i, sqlite3_mprintf("%s (%s)", s->cols[i].name,
                                          s->cols[i].code));
  /* what still clashes, in field code order: the code, then numbers */
  for(i = first, k = 0; i < s->ncols; i++) {
    size_t j = k++;                    /* insertion sort by code */
    while(j > 0 &&
          strcmp(s->cols[order[j - 1]].code, s->cols[i].code) > 0) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
  for(i = 0; i < k && !rc; i++) {
    size_t c = order[i];
    int n = 2;
    if(!clashes(s, c))
      continue;
    s->cols[c].name = s->cols[c].code;
    while(!rc && clashes(s, c))
      rc = own_name(s, c, sqlite3_mprintf("%s (%s) %d", s->cols[c].label,
                                          s->cols[c].code, n++));
  }
  ku_free(shared);
  ku_free(order);
  return rc;
}

int ks_schema_build(const struct kc_form *form,
                    const struct ks_schema_opts *o, struct ks_schema *s)
{
  s->ncols = 0;
  s->names = NULL;
  s->cols = ku_calloc(form->n + 2, sizeof(*s->cols));
  if(!s->cols)
    return 1;
  add_fixed(s, "$id", KC_F_ID, "BIGINT");
  add_fixed(s, "$revision", KC_F_REVISION, "BIGINT");
  add_fields(s, form->fields, form->n, o);
  if(o && o->display_names && display_names(s, 2)) {
    ks_schema_cleanup(s);
    return 1;
  }
  return 0;
}

int ks_schema_build_sub(const struct kc_field *sub,
                        const struct ks_schema_opts *o, struct ks_schema *s)
{
  s->ncols = 0;
  s->names = NULL;
  s->cols = ku_calloc(sub->nsub + 2, sizeof(*s->cols));
  if(!s->cols)
    return 1;
  add_fixed(s, "$id", KC_F_ID, "BIGINT");
  add_fixed(s, "$parent_id", KC_F_ID, "BIGINT NOT NULL");
  add_fields(s, sub->sub, sub->nsub, o);
  if(o && o->display_names && display_names(s, 2)) {
    ks_schema_cleanup(s);
    return 1;
  }
  return 0;
}

void ks_schema_cleanup(struct ks_schema *s)
{
  size_t i;

  for(i = 0; s->names && i < s->ncols; i++)
    ku_free(s->names[i]);
  ku_free(s->names);
  s->names = NULL;
  ku_free(s->cols);
  s->cols = NULL;
  s->ncols = 0;
}

char *ks_schema_sql(const struct ks_schema *s)
{
  sqlite3_str *q = sqlite3_str_new(NULL);
  size_t i;

  sqlite3_str_appendall(q, "CREATE TABLE x(");
  for(i = 0; i < s->ncols; i++)
    sqlite3_str_appendf(q, "%s\"%w\" %s%s", i ? ", " : "", s->cols[i].name,
                        s->cols[i].decl, i == 0 ? " PRIMARY KEY" : "");
  sqlite3_str_appendall(q, ") WITHOUT ROWID");
  return sqlite3_str_finish(q);
}

int ks_schema_find(const struct ks_schema *s, const char *code)
{
  size_t i;

  for(i = 0; i < s->ncols; i++)
    if(!strcmp(s->cols[i].code, code))
      return (int)i;
  return -1;
}

int ks_schema_find_field(const struct ks_schema *s,
                         const struct kc_field *f)
{
  size_t i;

  for(i = 0; i < s->ncols; i++)
    if(s->cols[i].field == f)
      return (int)i;
  return -1;
}
