/*
 * kc_records.c - reading records.  See kc_records.h.
 */
#include "kc_records.h"

#include <stdio.h>
#include <string.h>

#include "kc_client.h"
#include "../net/kh_http.h"
#include "../net/kj_arena.h"
#include "../net/kj_json.h"
#include "../util/ku_log.h"
#include "../util/ku_mem.h"

/* Builds the query string of a records.json GET. */
static void records_params(struct kc_params *p, long long app,
                           const char *const *fields, size_t nfields,
                           const char *query, int total_count)
{
  size_t i;

  kc_params_addf(p, "app", "%lld", app);
  for(i = 0; i < nfields; i++)
    kc_params_add_at(p, "fields", i, fields[i]);
  if(query && *query)
    kc_params_add(p, "query", query);
  if(total_count)
    kc_params_add(p, "totalCount", "true");
}

/*
 * The body of a records answer is parsed as it arrives (no copy of the
 * whole body), into an arena from the connection's pool, leaving out the
 * "type" member of every field (depth 4: root, records, record, field):
 * readers know the types from the schema.
 */
struct page_sink {
  struct kj_stream *s;
  struct kj_pool *pool;
};

static void sink_open(struct page_sink *ps)
{
  ps->s = kj_stream_new(ps->pool);
  if(ps->s)
    kj_stream_drop(ps->s, "type", 4);
}

static int sink_data(void *ctx, const char *data, size_t len)
{
  struct page_sink *ps = ctx;

  if(ps->s)
    kj_stream_feed(ps->s, data, len);   /* errors surface at finish */
  return 0;
}

static void sink_reset(void *ctx)
{
  struct page_sink *ps = ctx;

  kj_stream_free(ps->s);
  sink_open(ps);
}

static void sink_free(void *ctx)
{
  struct page_sink *ps = ctx;

  kj_stream_free(ps->s);
  ku_free(ps);
}

int kc_records_stream(struct kc_client *c, struct kh_req *r)
{
  struct page_sink *ps = ku_calloc(1, sizeof(*ps));

  if(!ps)
    return KC_EK_NOMEM;
  ps->pool = kc_client_pool(c);
  sink_open(ps);
  if(!ps->s) {
    ku_free(ps);
    return KC_EK_NOMEM;
  }
  r->sink = sink_data;
  r->sink_reset = sink_reset;
  r->sink_free = sink_free;
  r->sink_ctx = ps;
  return KC_OK;
}

static int records_request(struct kc_client *c, struct kh_req *r,
                           long long app, const char *const *fields,
                           size_t nfields, const char *query,
                           int total_count, int stream, struct kc_err *err)
{
  struct kc_params p;
  int rc;

  kc_params_init(&p);
  records_params(&p, app, fields, nfields, query, total_count);
  KLOG(kc_client_log(c), KU_LOG_INFO, "kintone",
       "records app=%lld query=[%s] fields=%zu", app, query ? query : "",
       nfields);
  rc = kc_client_request(c, r, "GET", "records", &p, NULL, err);
  kc_params_cleanup(&p);
  if(!rc && stream && kc_records_stream(c, r)) {
    kh_req_cleanup(r);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  return rc;
}

int kc_records_request(struct kc_client *c, struct kh_req *r, long long app,
                       const char *const *fields, size_t nfields,
                       const char *query, int total_count,
                       struct kc_err *err)
{
  return records_request(c, r, app, fields, nfields, query, total_count, 1,
                         err);
}

int kc_records_request_whole(struct kc_client *c, struct kh_req *r,
                             long long app, const char *const *fields,
                             size_t nfields, const char *query,
                             struct kc_err *err)
{
  return records_request(c, r, app, fields, nfields, query, 0, 0, err);
}

/* The error of a request that failed or did not answer 2xx. */
static int answer_error(struct kc_client *c, struct kh_req *r,
                        struct kc_err *err)
{
  yajl_val root;
  int rc = kc_client_finish(c, r, &root, err);

  if(!rc) {
    yajl_tree_free(root);
    rc = kc_err_set(err, KC_EK_PROTOCOL, r->status, "unexpected answer");
  }
  kh_req_cleanup(r);
  return rc;
}

int kc_records_take(struct kc_client *c, struct kh_req *r,
                    struct ku_buf *body, struct kc_err *err)
{
  if(r->fail || r->status < 200 || r->status >= 300)
    return answer_error(c, r, err);
  *body = r->resp;
  memset(&r->resp, 0, sizeof(r->resp));
  kh_req_cleanup(r);
  return KC_OK;
}

/* Makes the page of a parsed records answer (root in arena). */
static int page_of(yajl_val root, struct kj_arena *arena,
                   const char *perr, int total_count, struct kc_page *page,
                   struct kc_err *err)
{
  yajl_val recs;

  if(!root)
    return kc_err_set(err, strcmp(perr, "out of memory") ? KC_EK_PROTOCOL
                                                          : KC_EK_NOMEM,
                      0, "malformed response from Kintone: %s", perr);
  recs = kj_get(root, "records");
  if(!recs || !YAJL_IS_ARRAY(recs)) {
    kj_arena_free(arena);
    return kc_err_set(err, KC_EK_PROTOCOL, 0,
                      "unexpected records.json response: no records array");
  }
  page->root = root;
  page->arena = arena;
  page->bytes = kj_arena_bytes(arena);
  page->records = recs;
  page->count = recs->u.array.len;
  if(total_count)
    page->total_count = kj_int(kj_get(root, "totalCount"), -1);
  return KC_OK;
}

#define PARSE_PIECE (64 << 10)

int kc_records_parse(struct kc_client *c, const char *body, size_t len,
                     struct kc_page *page,
                     int (*between)(void *ctx), void *ctx,
                     struct kc_err *err)
{
  struct page_sink ps;
  struct kj_arena *arena = NULL;
  yajl_val root = NULL;
  char perr[300];
  size_t at = 0;
  int rc = KC_OK;

  memset(page, 0, sizeof(*page));
  page->total_count = -1;
  ps.pool = kc_client_pool(c);
  sink_open(&ps);
  snprintf(perr, sizeof(perr), "out of memory");
  while(ps.s && at < len) {
    size_t n = len - at < PARSE_PIECE ? len - at : PARSE_PIECE;
    if(kj_stream_feed(ps.s, body + at, n))
      break;                    /* already bad: finish says why */
    at += n;
    if(between && at < len) {
      rc = between(ctx);
      if(rc)
        break;
    }
  }
  if(!rc && ps.s)
    root = kj_stream_finish(ps.s, &arena, perr, sizeof(perr));
  kj_stream_free(ps.s);
  if(rc)
    return rc;
  return page_of(root, arena, perr, 0, page, err);
}

int kc_records_finish(struct kc_client *c, struct kh_req *r,
                      struct kc_page *page, int total_count,
                      struct kc_err *err)
{
  yajl_val root;
  struct kj_arena *arena = NULL;
  char perr[300];

  memset(page, 0, sizeof(*page));
  page->total_count = -1;
  if(r->fail || r->status < 200 || r->status >= 300)
    return answer_error(c, r, err);   /* the client's interpretation */
  if(r->sink_ctx && r->sink == sink_data) {
    struct page_sink *ps = r->sink_ctx;
    root = NULL;
    snprintf(perr, sizeof(perr), "out of memory");
    if(ps->s)
      root = kj_stream_finish(ps->s, &arena, perr, sizeof(perr));
  }
  else
    root = kj_parse_arena(ku_buf_cstr(&r->resp), r->resp.len, &arena, perr,
                          sizeof(perr));
  kh_req_cleanup(r);
  return page_of(root, arena, perr, total_count, page, err);
}

int kc_read_retryable(const struct kc_err *err)
{
  switch(err->kind) {
  case KC_EK_THROTTLED:     /* 429: concurrency or cursor limit */
  case KC_EK_SERVER:        /* 5xx */
  case KC_EK_LINK:          /* reset, broken transfer */
  case KC_EK_TIMEOUT:
  case KC_EK_PROTOCOL:      /* truncated or invalid JSON */
    return 1;
  default:
    /* Kintone's lock errors ask to retry later */
    return !strcmp(err->code, "GAIA_DA02") || !strcmp(err->code, "GAIA_RE18");
  }
}

int kc_records_get(struct kc_client *c, long long app,
                   const char *const *fields, size_t nfields,
                   const char *query, int total_count, struct kc_page *page,
                   struct kc_err *err)
{
  struct kh_req r;
  int rc;

  memset(page, 0, sizeof(*page));
  page->total_count = -1;
  rc = kc_records_request(c, &r, app, fields, nfields, query, total_count,
                          err);
  if(rc)
    return rc;
  rc = kh_http_perform(kc_client_http(c), &r);
  if(rc == KH_ENOMEM || rc == KH_ECANCEL) {
    kh_req_cleanup(&r);
    if(rc == KH_ECANCEL)
      return kc_err_cancelled(err);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  return kc_records_finish(c, &r, page, total_count, err);
}

yajl_val kc_page_record(const struct kc_page *page, size_t i)
{
  return i < page->count ? page->records->u.array.values[i] : NULL;
}

void kc_page_free(struct kc_page *page)
{
  kj_arena_free(page->arena);
  memset(page, 0, sizeof(*page));
  page->total_count = -1;
}
