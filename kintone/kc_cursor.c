/*
 * kc_cursor.c - the cursor API.  See kc_cursor.h.
 *
 * The per-host count is process-wide (every connection of every
 * environment in the process shares a domain's 10 cursors), kept in a
 * small list under a mutex; an entry is freed when its count drops to 0,
 * so nothing stays allocated once every cursor is closed.
 */
#include "kc_cursor.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>

#include "kc_client.h"
#include "../net/kh_http.h"
#include "../net/kj_json.h"
#include "../util/ku_buf.h"
#include "../util/ku_log.h"
#include "../util/ku_mem.h"

struct kc_cursor {
  struct kc_client *c;          /* borrowed */
  char *id;                     /* the server's id (owned) */
  char *host;                   /* slot key (owned) */
  long long total;              /* totalCount of the create answer */
  long long app;                /* the app read (chooses the API token) */
  int live;                     /* exists on the server */
};

struct host_slot {
  struct host_slot *next;
  int live;                     /* cursors of this process on the host */
  char host[1];                 /* "host[:port]", lower case */
};

static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static struct host_slot *slots;

/* The authority of c's URL ("https://Sub.cybozu.com:443/x" ->
   "sub.cybozu.com:443"), owned by the caller; NULL when out of memory. */
static char *host_of(const struct kc_client *c)
{
  const char *u = kc_client_config(c)->url, *p;
  size_t n, i;
  char *h;

  if(!u)
    u = "";
  p = strstr(u, "://");
  p = p ? p + 3 : u;
  n = strcspn(p, "/?#");
  h = ku_strndup(p, n);
  for(i = 0; h && h[i]; i++)
    h[i] = (char)tolower((unsigned char)h[i]);
  return h;
}

/* Takes one of host's slots: 1 taken, 0 all taken, -1 out of memory. */
static int slot_take(const char *host)
{
  struct host_slot *s;
  int rc = 1;

  pthread_mutex_lock(&slots_lock);
  for(s = slots; s && strcmp(s->host, host); s = s->next)
    ;
  if(!s) {
    s = ku_calloc(1, sizeof(*s) + strlen(host));
    if(!s)
      rc = -1;
    else {
      strcpy(s->host, host);
      s->next = slots;
      slots = s;
    }
  }
  if(s && s->live >= KC_CURSOR_MAX_LIVE)
    rc = 0;
  else if(s)
    s->live++;
  pthread_mutex_unlock(&slots_lock);
  return rc;
}

static void slot_give(const char *host)
{
  struct host_slot **pp, *s;

  pthread_mutex_lock(&slots_lock);
  for(pp = &slots; *pp && strcmp((*pp)->host, host); pp = &(*pp)->next)
    ;
  s = *pp;
  if(s && --s->live <= 0) {
    *pp = s->next;
    ku_free(s);
  }
  pthread_mutex_unlock(&slots_lock);
}

int kc_cursor_host_count(const struct kc_client *c)
{
  struct host_slot *s;
  char *host = host_of(c);
  int n = 0;

  if(!host)
    return 0;
  pthread_mutex_lock(&slots_lock);
  for(s = slots; s && strcmp(s->host, host); s = s->next)
    ;
  if(s)
    n = s->live;
  pthread_mutex_unlock(&slots_lock);
  ku_free(host);
  return n;
}

/* The cursor is gone from the server: its slot is free again. */
static void mark_dead(struct kc_cursor *k)
{
  if(k->live) {
    k->live = 0;
    slot_give(k->host);
  }
}

/* {"app":7,"fields":["$id",..],"query":"..","size":500} */
static int create_body(struct ku_buf *b, long long app,
                       const char *const *fields, size_t nfields,
                       const char *query, int size)
{
  size_t i;
  int rc = ku_buf_printf(b, "{\"app\":%lld", app);

  if(!rc && nfields) {
    rc = ku_buf_adds(b, ",\"fields\":[");
    for(i = 0; i < nfields && !rc; i++) {
      if(i)
        rc = ku_buf_addc(b, ',');
      if(!rc)
        rc = kj_write_string(b, fields[i], strlen(fields[i]));
    }
    if(!rc)
      rc = ku_buf_addc(b, ']');
  }
  if(!rc && query && *query) {
    rc = ku_buf_adds(b, ",\"query\":");
    if(!rc)
      rc = kj_write_string(b, query, strlen(query));
  }
  if(!rc)
    rc = ku_buf_printf(b, ",\"size\":%d}", size);
  return rc;
}

/*
 * Sends r alone and waits for it, mapping transport-level outcomes of
 * kh_http_perform that leave no response (out of memory, cancel).
 * Returns KC_OK when r completed (successfully or not: see r->fail,
 * r->status); r is cleaned up on failure.
 */
static int perform(struct kc_client *c, struct kh_req *r, struct kc_err *err)
{
  int rc = kh_http_perform(kc_client_http(c), r);

  if(rc == KH_ENOMEM || rc == KH_ECANCEL) {
    kh_req_cleanup(r);
    if(rc == KH_ECANCEL)
      return kc_err_cancelled(err);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  return KC_OK;
}

int kc_cursor_open(struct kc_client *c, long long app,
                   const char *const *fields, size_t nfields,
                   const char *query, int size, struct kc_cursor **out,
                   struct kc_err *err)
{
  struct kc_cursor *k;
  struct ku_buf body;
  struct kh_req r;
  yajl_val root = NULL;
  const char *id;
  int rc, got;

  *out = NULL;
  k = ku_calloc(1, sizeof(*k));
  if(!k)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  k->c = c;
  k->app = app;
  k->total = -1;
  k->host = host_of(c);
  if(!k->host) {
    ku_free(k);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  got = slot_take(k->host);
  if(got <= 0) {
    ku_free(k->host);
    ku_free(k);
    if(got < 0)
      return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
    return kc_err_set(err, KC_EK_THROTTLED, 0,
                      "this process already holds %d cursors on the "
                      "domain (Kintone's limit)", KC_CURSOR_MAX_LIVE);
  }
  k->live = 1;                  /* holds the slot while asking */
  ku_buf_init(&body, 16 << 20);
  rc = create_body(&body, app, fields, nfields, query, size);
  if(rc) {
    ku_buf_cleanup(&body);
    rc = kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
    goto fail;
  }
  KLOG(kc_client_log(c), KU_LOG_INFO, "kintone",
       "cursor create app=%lld query=[%s] fields=%zu size=%d", app,
       query ? query : "", nfields, size);
  rc = kc_client_request(c, &r, "POST", "records/cursor", NULL,
                         ku_buf_cstr(&body), err);
  ku_buf_cleanup(&body);
  if(rc)
    goto fail;
  r.once = 1;                   /* a resent create would leak a cursor */
  /* and so would one abandoned half-way by SQLCancel or the query
     timeout: once sent it runs to its end, and the cursor it made is
     deleted by whoever ends the scan (the next read sees the cancel) */
  r.finish = 1;
  rc = perform(c, &r, err);
  if(rc)
    goto fail;
  rc = kc_client_finish(c, &r, &root, err);
  kh_req_cleanup(&r);
  if(rc)
    goto fail;
  id = kj_text(kj_get(root, "id"));
  if(!id || !*id || strlen(id) > 200) {
    /* a cursor may exist that we cannot name: it expires by itself */
    rc = kc_err_set(err, KC_EK_PROTOCOL, 0,
                    "unexpected records/cursor.json answer: no cursor id");
    goto fail;
  }
  k->id = ku_strdup(id);
  k->total = kj_int(kj_get(root, "totalCount"), -1);
  yajl_tree_free(root);
  root = NULL;
  if(!k->id) {
    rc = kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
    goto fail;
  }
  KLOG(kc_client_log(c), KU_LOG_INFO, "kintone",
       "cursor %s: %lld records (%d of this process's cursors on %s)",
       k->id, k->total, kc_cursor_host_count(c), k->host);
  *out = k;
  return KC_OK;
fail:
  yajl_tree_free(root);
  mark_dead(k);
  ku_free(k->id);
  ku_free(k->host);
  ku_free(k);
  return rc;
}

int kc_cursor_read(struct kc_cursor *k, struct kc_page *page, int *more,
                   struct kc_err *err)
{
  struct kc_params p;
  struct kh_req r;
  int rc, next;

  memset(page, 0, sizeof(*page));
  page->total_count = -1;
  *more = 0;
  if(!k->live)
    return kc_err_set(err, KC_EK_INVALID, 0,
                      "the cursor has already been read to its end");
  kc_params_init(&p);
  kc_params_add(&p, "id", k->id);
  KLOG(kc_client_log(k->c), KU_LOG_INFO, "kintone", "cursor read %s",
       k->id);
  rc = kc_client_request_app(k->c, &r, "GET", "records/cursor", &p, NULL,
                             k->app, err);
  kc_params_cleanup(&p);
  if(rc)
    return rc;
  if(kc_records_stream(k->c, &r)) {  /* parsed as it arrives, as records */
    kh_req_cleanup(&r);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  r.once = 1;       /* libcurl must not resend it: a page would be lost */
  rc = perform(k->c, &r, err);
  if(rc)
    return rc;
  rc = kc_records_finish(k->c, &r, page, 0, err);    /* cleans r up */
  if(rc) {
    if(!strcmp(err->code, "GAIA_CN01"))
      mark_dead(k);               /* expired (or deleted elsewhere) */
    return rc;
  }
  next = kj_bool(kj_get(page->root, "next"), -1);
  if(next < 0) {
    kc_page_free(page);
    return kc_err_set(err, KC_EK_PROTOCOL, 0,
                      "unexpected records/cursor.json answer: no next");
  }
  if(!next) {
    mark_dead(k);                 /* freed by the server */
    KLOG(kc_client_log(k->c), KU_LOG_DEBUG, "kintone",
         "cursor %s read to its end", k->id);
  }
  *more = next;
  return KC_OK;
}

int kc_cursor_live(const struct kc_cursor *k)
{
  return k && k->live;
}

const char *kc_cursor_id(const struct kc_cursor *k)
{
  return k ? k->id : NULL;
}

long long kc_cursor_total(const struct kc_cursor *k)
{
  return k ? k->total : -1;
}

int kc_cursor_close(struct kc_cursor *k, struct kc_err *err)
{
  struct kc_params p;
  struct kh_req r;
  yajl_val root = NULL;
  int rc = KC_OK;

  if(!k)
    return KC_OK;
  if(k->live) {
    kc_params_init(&p);
    kc_params_add(&p, "id", k->id);
    KLOG(kc_client_log(k->c), KU_LOG_INFO, "kintone", "cursor delete %s",
         k->id);
    rc = kc_client_request_app(k->c, &r, "DELETE", "records/cursor", &p,
                               NULL, k->app, err);
    kc_params_cleanup(&p);
    if(!rc)
      rc = perform(k->c, &r, err);
    if(!rc) {
      rc = kc_client_finish(k->c, &r, &root, err);
      kh_req_cleanup(&r);
      yajl_tree_free(root);
      if(rc && !strcmp(err->code, "GAIA_CN01"))
        rc = KC_OK;               /* expired meanwhile: gone all the same */
    }
    if(rc)
      KLOG(kc_client_log(k->c), KU_LOG_WARN, "kintone",
           "cursor %s not deleted (Kintone frees it after 10 minutes): %s",
           k->id, err->message);
    /* deleted, or beyond our reach: either way never sent again, and the
       slot is released (a leaked cursor expires on the server) */
    mark_dead(k);
  }
  ku_free(k->id);
  ku_free(k->host);
  ku_free(k);
  return rc;
}
