/*
 * kc_client.h - the Kintone REST client: base URL, authentication
 * headers, request building and error mapping.
 *
 * Layer: kintone (uses net/).  Knows the REST API, nothing of SQL.
 *
 *   struct kc_client *c;
 *   if(kc_client_new(&cfg, log, &cancel, &c, &err)) fail(&err);
 *   struct kc_params p;  kc_params_init(&p);
 *   kc_params_add(&p, "app", "7");
 *   yajl_val root;
 *   if(kc_client_get(c, "app/form/fields", &p, &root, &err)) fail(&err);
 */
#ifndef KC_CLIENT_H
#define KC_CLIENT_H

#include <stddef.h>
#include <yajl/yajl_tree.h>

#include "kc_config.h"
#include "kc_error.h"
#include "../util/ku_buf.h"

struct ku_log;
struct kh_http;
struct kh_req;
struct kc_client;

/* URL query-string parameters, percent-encoded as they are added. */
struct kc_params {
  struct ku_buf qs;
  int failed;              /* an add ran out of memory */
};

void kc_params_init(struct kc_params *p);
void kc_params_cleanup(struct kc_params *p);
void kc_params_add(struct kc_params *p, const char *name, const char *value);
void kc_params_addf(struct kc_params *p, const char *name, const char *fmt,
                    ...) __attribute__((format(printf, 3, 4)));
/* Adds name[i]=value for an array parameter. */
void kc_params_add_at(struct kc_params *p, const char *name, size_t i,
                      const char *value);

/*
 * Creates a client from cfg (copied; must have passed kc_config_validate).
 * `cancel`, when non-NULL, is polled during transfers.  Fails with
 * KC_ECONFIG for unusable TLS settings (unreadable certificate...).
 */
int kc_client_new(const struct kc_config *cfg, struct ku_log *log,
                  const volatile int *cancel, struct kc_client **out,
                  struct kc_err *err);
void kc_client_free(struct kc_client *c);        /* accepts NULL */
const struct kc_config *kc_client_config(const struct kc_client *c);
struct ku_log *kc_client_log(const struct kc_client *c);
struct kh_http *kc_client_http(const struct kc_client *c);
/*
 * The connection's chunk pool for record pages (net/kj_arena.h): freed
 * pages' memory serves the next ones instead of going back to the
 * system.  KC_POOL_BYTES caps what it keeps.  NULL when it cannot be
 * made (pages are then parsed without it).
 */
#define KC_POOL_BYTES (8u << 20)
struct kj_pool;
struct kj_pool *kc_client_pool(struct kc_client *c);

/*
 * Prepares request r for `method` on API `api` (e.g. "records", without
 * "/k/v1/" and ".json"), query string from p (may be NULL), JSON body
 * (may be NULL).  Long GET URLs switch to POST with
 * X-HTTP-Method-Override.  With API tokens only the token of the app
 * the request names (`app`/`id` parameter or "app" in the body) is sent.
 * r is then submitted with kh_http_* and its outcome read with
 * kc_client_finish().
 */
int kc_client_request(struct kc_client *c, struct kh_req *r,
                      const char *method, const char *api,
                      const struct kc_params *p, const char *body,
                      struct kc_err *err);
/*
 * kc_client_request for an API whose parameters name no app although the
 * request is about one (records/cursor GET and DELETE name only the
 * cursor): with API tokens, `app` chooses the token sent.
 */
int kc_client_request_app(struct kc_client *c, struct kh_req *r,
                          const char *method, const char *api,
                          const struct kc_params *p, const char *body,
                          long long app, struct kc_err *err);
/*
 * Interprets a completed request: transport failure, HTTP error with
 * Kintone's error JSON (code, id, message, errors), malformed JSON.  On
 * success *root receives the parsed body (yajl_tree_free).
 */
int kc_client_finish(struct kc_client *c, struct kh_req *r, yajl_val *root,
                     struct kc_err *err);
/*
 * kc_client_request + perform + finish.  With API tokens it also learns
 * which token belongs to which app: when an app refuses the token guessed
 * for it (from the order of APIToken and AppId), the other unplaced
 * tokens are tried and the map corrected (see kc_client.c), so call it
 * (app.json per AppId, as kc_apps_list does) before sending concurrent
 * requests with kc_client_request().
 */
int kc_client_call(struct kc_client *c, const char *method, const char *api,
                   const struct kc_params *p, const char *body,
                   yajl_val *root, struct kc_err *err);
#define kc_client_get(c, api, p, root, err) \
  kc_client_call((c), "GET", (api), (p), NULL, (root), (err))
/*
 * GET `api` with the parameters of `base` (may be NULL) and `key`=ids[i]
 * (app.json?id=, form/fields.json?app=, apps.json?offset=) for every i,
 * the requests sent together (up to MaxConcurrency in flight);
 * then take(ctx, i, rc, root, err) for each, in order of i: rc is the
 * outcome (its error in err), root the parsed answer, which take frees.
 * A non-zero return of take ends it and is returned (take has set err;
 * the answers after it are dropped).  A failure of the whole (out of
 * memory, SQLCancel) is returned before any take.  No token placing:
 * with API tokens call it after kc_client_call has placed them.
 */
int kc_client_get_each(struct kc_client *c, const char *api,
                       const struct kc_params *base,
                       const char *key, const long long *ids, size_t n,
                       int (*take)(void *ctx, size_t i, int rc,
                                   yajl_val root, struct kc_err *err),
                       void *ctx, struct kc_err *err);

/* Requests sent so far (for tests and EXPLAIN-style reporting). */
unsigned long kc_client_request_count(const struct kc_client *c);

#endif
