/*
 * kc_apps.c - the apps a connection can see.  See kc_apps.h.
 */
#include "kc_apps.h"

#include <string.h>

#include "kc_client.h"
#include "../net/kj_json.h"
#include "../util/ku_mem.h"

void kc_apps_free(struct kc_app *apps, size_t n)
{
  size_t i;

  if(!apps)
    return;
  for(i = 0; i < n; i++) {
    ku_free(apps[i].code);
    ku_free(apps[i].name);
    ku_free(apps[i].description);
  }
  ku_free(apps);
}

/* Appends the app described by JSON object v. */
static int push_app(struct kc_app **apps, size_t *n, size_t *cap, yajl_val v)
{
  struct kc_app *a;
  const char *code = kj_str(kj_get(v, "code"));
  const char *name = kj_str(kj_get(v, "name"));
  const char *desc = kj_str(kj_get(v, "description"));

  if(*n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 16;
    struct kc_app *na = ku_realloc(*apps, ncap * sizeof(*na));
    if(!na)
      return KC_ENOMEM;
    *apps = na;
    *cap = ncap;
  }
  a = &(*apps)[*n];
  a->id = kj_int(kj_get(v, "appId"), 0);
  a->space_id = kj_int(kj_get(v, "spaceId"), 0);
  a->code = ku_strdup(code ? code : "");
  a->name = ku_strdup(name ? name : "");
  a->description = ku_strdup(desc ? desc : "");
  if(!a->code || !a->name || !a->description) {
    ku_free(a->code);
    ku_free(a->name);
    ku_free(a->description);
    return KC_ENOMEM;
  }
  (*n)++;
  return KC_OK;
}

int kc_apps_list(struct kc_client *c, struct kc_app **apps, size_t *n,
                 struct kc_err *err)
{
  const struct kc_config *cfg = kc_client_config(c);
  struct kc_app *v = NULL;
  size_t count = 0, cap = 0, i;
  int rc = KC_OK;

  *apps = NULL;
  *n = 0;
  if(cfg->n_app_ids) {
    for(i = 0; i < cfg->n_app_ids && !rc; i++) {
      struct kc_params p;
      yajl_val root;
      kc_params_init(&p);
      kc_params_addf(&p, "id", "%lld", cfg->app_ids[i]);
      rc = kc_client_get(c, "app", &p, &root, err);
      kc_params_cleanup(&p);
      if(rc)
        break;
      rc = push_app(&v, &count, &cap, root);
      yajl_tree_free(root);
      if(rc)
        kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
    }
  }
  else {
    long long offset = 0;
    for(;;) {
      struct kc_params p;
      yajl_val root, list;
      size_t got;
      kc_params_init(&p);
      kc_params_add(&p, "limit", "100");
      kc_params_addf(&p, "offset", "%lld", offset);
      if(cfg->guest_space_id)
        kc_params_addf(&p, "spaceIds[0]", "%lld", cfg->guest_space_id);
      rc = kc_client_get(c, "apps", &p, &root, err);
      kc_params_cleanup(&p);
      if(rc)
        break;
      list = kj_get(root, "apps");
      got = kj_len(list);
      for(i = 0; i < got && !rc; i++)
        rc = push_app(&v, &count, &cap, kj_at(list, i));
      yajl_tree_free(root);
      if(rc) {
        kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
        break;
      }
      if(got < 100)
        break;
      offset += 100;
    }
  }
  if(rc) {
    kc_apps_free(v, count);
    return rc;
  }
  *apps = v;
  *n = count;
  return KC_OK;
}
