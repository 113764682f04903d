/*
 * kc_fields.c - form field metadata.  See kc_fields.h.
 */
#include "kc_fields.h"

#include <string.h>

#include "kc_client.h"
#include "../net/kj_json.h"
#include "../util/ku_mem.h"

static const char *const type_names[] = {
  "", "__ID__", "__REVISION__", "RECORD_NUMBER", "CREATOR", "CREATED_TIME",
  "MODIFIER", "UPDATED_TIME", "SINGLE_LINE_TEXT", "MULTI_LINE_TEXT",
  "RICH_TEXT", "LINK", "NUMBER", "CALC", "RADIO_BUTTON", "DROP_DOWN",
  "CHECK_BOX", "MULTI_SELECT", "DATE", "TIME", "DATETIME", "USER_SELECT",
  "ORGANIZATION_SELECT", "GROUP_SELECT", "FILE", "SUBTABLE", "CATEGORY",
  "STATUS", "STATUS_ASSIGNEE", "GROUP", "REFERENCE_TABLE", "LABEL",
  "SPACER", "HR"
};

int kc_ftype_from_name(const char *name)
{
  size_t i;

  if(!name)
    return KC_F_UNKNOWN;
  for(i = 1; i < sizeof(type_names) / sizeof(type_names[0]); i++)
    if(!strcmp(type_names[i], name))
      return (int)i;
  return KC_F_UNKNOWN;
}

const char *kc_ftype_name(int type)
{
  if(type < 0 || (size_t)type >= sizeof(type_names) / sizeof(type_names[0]))
    return "";
  return type_names[type];
}

static void field_cleanup(struct kc_field *f)
{
  size_t i;

  ku_free(f->code);
  ku_free(f->label);
  ku_free(f->type_name);
  ku_free(f->format);
  for(i = 0; i < f->noptions; i++)
    ku_free(f->options[i]);
  ku_free(f->options);
  for(i = 0; i < f->nsub; i++)
    field_cleanup(&f->sub[i]);
  ku_free(f->sub);
}

void kc_form_free(struct kc_form *f)
{
  size_t i;

  if(!f)
    return;
  for(i = 0; i < f->n; i++)
    field_cleanup(&f->fields[i]);
  ku_free(f->fields);
  ku_free(f->revision);
  ku_free(f);
}

static int parse_fields(yajl_val props, struct kc_field **out, size_t *n);

/* Fills f from one property definition. */
static int parse_field(const char *key, yajl_val def, struct kc_field *f)
{
  const char *code = kj_str(kj_get(def, "code"));
  const char *label = kj_str(kj_get(def, "label"));
  const char *type = kj_str(kj_get(def, "type"));
  const char *fmt = kj_str(kj_get(def, "format"));

  memset(f, 0, sizeof(*f));
  f->code = ku_strdup(code ? code : key);
  f->label = ku_strdup(label ? label : "");
  f->type_name = ku_strdup(type ? type : "");
  if(!f->code || !f->label || !f->type_name)
    return KC_ENOMEM;
  if(fmt) {
    f->format = ku_strdup(fmt);
    if(!f->format)
      return KC_ENOMEM;
  }
  f->type = kc_ftype_from_name(type);
  f->required = kj_bool(kj_get(def, "required"), 0);
  f->unique = kj_bool(kj_get(def, "unique"), 0);
  f->enabled = kj_bool(kj_get(def, "enabled"), 1);
  f->max_length = (long)kj_int(kj_get(def, "maxLength"), 0);
  f->is_lookup = kj_get(def, "lookup") != NULL &&
                 YAJL_IS_OBJECT(kj_get(def, "lookup"));
  {
    yajl_val opts = kj_get(def, "options");
    if(opts && YAJL_IS_OBJECT(opts) && opts->u.object.len) {
      size_t i;
      f->options = ku_calloc(opts->u.object.len, sizeof(char *));
      if(!f->options)
        return KC_ENOMEM;
      for(i = 0; i < opts->u.object.len; i++) {
        f->options[i] = ku_strdup(opts->u.object.keys[i]);
        if(!f->options[i])
          return KC_ENOMEM;
        f->noptions++;
      }
    }
  }
  if(f->type == KC_F_SUBTABLE)
    return parse_fields(kj_get(def, "fields"), &f->sub, &f->nsub);
  return KC_OK;
}

static int parse_fields(yajl_val props, struct kc_field **out, size_t *n)
{
  size_t i, cnt;
  struct kc_field *v;

  *out = NULL;
  *n = 0;
  if(!props || !YAJL_IS_OBJECT(props))
    return KC_OK;
  cnt = props->u.object.len;
  v = ku_calloc(cnt ? cnt : 1, sizeof(*v));
  if(!v)
    return KC_ENOMEM;
  for(i = 0; i < cnt; i++) {
    int rc = parse_field(props->u.object.keys[i], props->u.object.values[i],
                         &v[i]);
    if(rc) {
      size_t j;
      for(j = 0; j <= i; j++)
        field_cleanup(&v[j]);
      ku_free(v);
      return rc;
    }
  }
  *out = v;
  *n = cnt;
  return KC_OK;
}

/* The form of `app` from its form/fields.json answer (root freed). */
static int form_of(long long app, yajl_val root, struct kc_form **out,
                   struct kc_err *err)
{
  struct kc_form *f = ku_calloc(1, sizeof(*f));
  const char *rev;
  int rc;

  *out = NULL;
  if(!f) {
    yajl_tree_free(root);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  f->app = app;
  rev = kj_text(kj_get(root, "revision"));
  f->revision = ku_strdup(rev ? rev : "");
  rc = f->revision ? parse_fields(kj_get(root, "properties"), &f->fields,
                                  &f->n)
                   : KC_ENOMEM;
  yajl_tree_free(root);
  if(rc) {
    kc_form_free(f);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  *out = f;
  return KC_OK;
}

int kc_form_get(struct kc_client *c, long long app, struct kc_form **out,
                struct kc_err *err)
{
  struct kc_params p;
  yajl_val root;
  int rc;

  *out = NULL;
  kc_params_init(&p);
  kc_params_addf(&p, "app", "%lld", app);
  rc = kc_client_get(c, "app/form/fields", &p, &root, err);
  kc_params_cleanup(&p);
  if(rc)
    return rc;
  return form_of(app, root, out, err);
}

struct forms_ctx {
  const long long *apps;
  struct kc_form **out;
};

static int take_form(void *ctx, size_t i, int rc, yajl_val root,
                     struct kc_err *err)
{
  struct forms_ctx *f = ctx;

  if(rc)
    return rc;
  return form_of(f->apps[i], root, &f->out[i], err);
}

int kc_form_get_many(struct kc_client *c, const long long *apps, size_t n,
                     struct kc_form **out, struct kc_err *err)
{
  struct forms_ctx f;
  size_t i;

  for(i = 0; i < n; i++)
    out[i] = NULL;
  f.apps = apps;
  f.out = out;
  return kc_client_get_each(c, "app/form/fields", NULL, "app", apps, n,
                            take_form, &f, err);
}
