/*
 * kc_apps.c - the apps a connection can see.  See kc_apps.h.
 */
#include "kc_apps.h"

#include <stdio.h>
#include <string.h>

#include "kc_client.h"
#include "../net/kj_json.h"
#include "../util/ku_log.h"
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

/* The outcome of app.json for `id` (see one_app), appended to the list. */
static int take_app(struct kc_client *c, int rc, yajl_val root, long long id,
                    struct kc_app **v, size_t *count, size_t *cap,
                    struct kc_err *err)
{
  if(rc && (!strcmp(err->code, "GAIA_AP01") ||      /* no such app */
             !strcmp(err->code, "CB_NO02") ||        /* may not see it */
             !strcmp(err->code, "GAIA_NO01"))) {
    KLOG(kc_client_log(c), KU_LOG_WARN, "kintone",
         "AppId %lld: no table: %s", id, err->message);
    kc_err_clear(err);
    return KC_OK;
  }
  if(rc)
    return rc;
  rc = push_app(v, count, cap, root);
  yajl_tree_free(root);
  if(rc)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  return KC_OK;
}

struct list_ctx {
  struct kc_client *c;
  const long long *ids;
  struct kc_app **v;
  size_t *count, *cap;
};

static int take_listed(void *ctx, size_t i, int rc, yajl_val root,
                       struct kc_err *err)
{
  struct list_ctx *l = ctx;

  return take_app(l->c, rc, root, l->ids[i], l->v, l->count, l->cap, err);
}

struct page_ctx {
  struct kc_app **v;
  size_t *count, *cap;
  int ended;                    /* a page came back short */
};

/* One page of apps.json; the apps of pages after a short one (none,
   unless apps were added meanwhile) are left for the next connection. */
static int take_page(void *ctx, size_t i, int rc, yajl_val root,
                     struct kc_err *err)
{
  struct page_ctx *pc = ctx;
  yajl_val list;
  size_t got, k;

  (void)i;
  if(rc)
    return rc;
  list = kj_get(root, "apps");
  got = kj_len(list);
  for(k = 0; k < got && !pc->ended && !rc; k++)
    rc = push_app(pc->v, pc->count, pc->cap, kj_at(list, k));
  yajl_tree_free(root);
  if(rc)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  if(got < 100)
    pc->ended = 1;
  return KC_OK;
}

/*
 * AppId with a user's credentials: app.json for every listed app at
 * once (kc_client_get_each), read in AppId order, so that connecting
 * takes one round trip for a few apps instead of one per app.  The
 * first failure in AppId order is the error.
 */
static int list_by_ids(struct kc_client *c, const struct kc_config *cfg,
                       struct kc_app **v, size_t *count, size_t *cap,
                       struct kc_err *err)
{
  struct list_ctx l;

  l.c = c;
  l.ids = cfg->app_ids;
  l.v = v;
  l.count = count;
  l.cap = cap;
  return kc_client_get_each(c, "app", NULL, "id", cfg->app_ids,
                            cfg->n_app_ids, take_listed, &l, err);
}

/*
 * App `id` (app.json), appended to the list.  An app that does not exist
 * or that this user may not see is left out, logged (take_app);
 * other answers are errors (GAIA_IL23, a guest-space app named without
 * GuestSpaceId, says so).
 */
static int one_app(struct kc_client *c, long long id, struct kc_app **v,
                   size_t *count, size_t *cap, struct kc_err *err)
{
  struct kc_params p;
  yajl_val root = NULL;
  int rc;

  kc_params_init(&p);
  kc_params_addf(&p, "id", "%lld", id);
  rc = kc_client_get(c, "app", &p, &root, err);
  kc_params_cleanup(&p);
  return take_app(c, rc, root, id, v, count, cap, err);
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
  if(cfg->n_app_ids && cfg->auth_scheme != KC_AUTH_APITOKEN) {
    rc = list_by_ids(c, cfg, &v, &count, &cap, err);
  }
  else if(cfg->n_app_ids) {
    /* API tokens: app.json per app, which also places each token on its
       app (kc_client_call) before any concurrent request */
    for(i = 0; i < cfg->n_app_ids && !rc; i++)
      rc = one_app(c, cfg->app_ids[i], &v, &count, &cap, err);
  }
  else {
    /*
     * Every app: pages of 100, the first alone (most domains have fewer
     * apps), then MaxConcurrency pages at a time while they come back
     * full, instead of one after another.
     */
    struct page_ctx pc;
    struct kc_params base;
    long long offs[16], next = 0;
    size_t k, batch = 1;
    pc.v = &v;
    pc.count = &count;
    pc.cap = &cap;
    pc.ended = 0;
    kc_params_init(&base);
    kc_params_add(&base, "limit", "100");
    if(cfg->guest_space_id)
      kc_params_addf(&base, "spaceIds[0]", "%lld", cfg->guest_space_id);
    while(!pc.ended && !rc) {
      for(k = 0; k < batch; k++)
        offs[k] = next + 100 * (long long)k;
      rc = kc_client_get_each(c, "apps", &base, "offset", offs, batch,
                              take_page, &pc, err);
      next += 100 * (long long)batch;
      batch = cfg->max_concurrency < 1 ? 1
              : cfg->max_concurrency > 16 ? 16
              : (size_t)cfg->max_concurrency;
    }
    kc_params_cleanup(&base);
  }
  if(rc) {
    kc_apps_free(v, count);
    return rc;
  }
  *apps = v;
  *n = count;
  return KC_OK;
}
