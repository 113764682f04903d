/*
 * fetch.c - the paging engine.  See fetch.h.
 */
#include "fetch.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sqlite3.h>

#include "../kintone/kc_client.h"
#include "../net/kh_http.h"
#include "../util/ku_log.h"
#include "../util/ku_mem.h"
#include "../net/kj_json.h"

#define LANE_AHEAD 2            /* pages per lane buffered or in flight */
#define MAX_RETRIES 5
#define BACKOFF_MS 200

struct ks_fetch;

struct lane {
  struct ks_fetch *f;
  long long hi;                 /* ids in (last, hi] remain */
  long long last;               /* last id received */
  struct kc_page buf[LANE_AHEAD];
  int head, nbuf;               /* FIFO of received pages */
  struct kh_req req;
  int inflight;
  int done;                     /* no more requests: short page seen */
  int retries;
  long long retry_at;           /* ms clock; 0 = none */
};

struct ks_fetch {
  struct kc_client *c;
  struct ks_fetch_opts o;
  char *cond;                   /* owned copy */
  int phase;                    /* 0 first page, 1 sequential, 2 lanes */
  int seq_done;
  long long last_id;
  long long remaining;          /* rows still wanted (-1 = all) */
  struct lane *lanes;
  int nlanes, cur, active_max;
};

static long long now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
  struct timespec ts;

  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

/* Backoff before retry n (1-based): 200ms * 2^(n-1), plus up to 50%. */
static long backoff(int n)
{
  long base = BACKOFF_MS << (n - 1);

  return base + rand() % (base / 2 + 1);
}

/* One synchronous read, retried while the error is transient. */
static int read_page(struct ks_fetch *f, const char *query, int total,
                     const char *const *fields, size_t nfields,
                     struct kc_page *page, struct kc_err *err)
{
  int attempt, rc = KC_OK;

  for(attempt = 1; attempt <= MAX_RETRIES + 1; attempt++) {
    rc = kc_records_get(f->c, f->o.app, fields, nfields, query, total, page,
                        err);
    if(!rc || !kc_read_retryable(err) || attempt > MAX_RETRIES ||
       kh_http_deadline_passed(kc_client_http(f->c)))
      return rc;
    KLOG(kc_client_log(f->c), KU_LOG_WARN, "fetch",
         "retrying read (%d of %d) after: %s", attempt, MAX_RETRIES,
         err->message);
    sleep_ms(backoff(attempt));
  }
  return rc;
}

int ks_fetch_start(struct kc_client *c, const struct ks_fetch_opts *o,
                   struct ks_fetch **out, struct kc_err *err)
{
  struct ks_fetch *f = ku_calloc(1, sizeof(*f));

  *out = NULL;
  if(!f)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  f->c = c;
  f->o = *o;
  f->cond = ku_strdup(o->cond ? o->cond : "");
  if(!f->cond) {
    ku_free(f);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  f->o.cond = f->cond;
  f->remaining = o->limit;
  if(f->o.page_size < 1 || f->o.page_size > 500)
    f->o.page_size = 500;
  if(f->o.concurrency < 1)
    f->o.concurrency = 1;
  *out = f;
  return KC_OK;
}

void ks_fetch_free(struct ks_fetch *f)
{
  int i, j;

  if(!f)
    return;
  for(i = 0; i < f->nlanes; i++) {
    struct lane *l = &f->lanes[i];
    if(l->inflight) {
      kh_http_abort(kc_client_http(f->c), &l->req);
      kh_req_cleanup(&l->req);
    }
    for(j = 0; j < l->nbuf; j++)
      kc_page_free(&l->buf[(l->head + j) % LANE_AHEAD]);
  }
  ku_free(f->lanes);
  ku_free(f->cond);
  ku_free(f);
}

/* "(<cond>) and " or "" */
static void cond_prefix(sqlite3_str *q, const char *cond)
{
  if(cond && *cond)
    sqlite3_str_appendf(q, "(%s) and ", cond);
}

static long long last_id_of(const struct kc_page *pg, long long def)
{
  yajl_val last;

  if(!pg->count)
    return def;
  last = kc_page_record(pg, pg->count - 1);
  return kj_int(kj_get(kj_get(last, "$id"), "value"), def);
}

/* Splits (last_id, max] into lanes. */
static int make_lanes(struct ks_fetch *f, long long max, long long rest,
                      struct kc_err *err)
{
  long long span = max - f->last_id, pages;
  int n, i;

  pages = (rest + f->o.page_size - 1) / f->o.page_size;
  n = f->o.concurrency;
  if(pages < n)
    n = (int)pages;
  if(span < n)
    n = (int)(span > 0 ? span : 1);
  f->lanes = ku_calloc((size_t)n, sizeof(*f->lanes));
  if(!f->lanes)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  f->nlanes = n;
  f->active_max = n;
  for(i = 0; i < n; i++) {
    struct lane *l = &f->lanes[i];
    l->f = f;
    l->last = f->last_id + span * i / n;
    l->hi = i == n - 1 ? max : f->last_id + span * (i + 1) / n;
  }
  KLOG(kc_client_log(f->c), KU_LOG_INFO, "fetch",
       "app %lld: %lld more records in %d concurrent lanes over $id "
       "(%lld, %lld]", f->o.app, rest, n, f->last_id, max);
  return KC_OK;
}

/* The first page, and the decision how to read the rest. */
static int first_page(struct ks_fetch *f, struct kc_page *page,
                      struct kc_err *err)
{
  sqlite3_str *q = sqlite3_str_new(NULL);
  long long want = f->o.page_size;
  int parallel = f->remaining < 0 && !f->o.desc && f->o.concurrency > 1;
  char *query;
  int rc;

  if(f->remaining >= 0 && f->remaining < want)
    want = f->remaining;
  if(f->cond[0])
    sqlite3_str_appendf(q, "(%s) ", f->cond);
  sqlite3_str_appendf(q, "order by $id %s limit %lld",
                      f->o.desc ? "desc" : "asc", want);
  if(f->o.offset > 0)
    sqlite3_str_appendf(q, " offset %lld", f->o.offset);
  query = sqlite3_str_finish(q);
  if(!query)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  rc = read_page(f, query, parallel, f->o.fields, f->o.nfields, page, err);
  sqlite3_free(query);
  if(rc)
    return rc;
  f->last_id = last_id_of(page, f->last_id);
  if(f->remaining >= 0)
    f->remaining -= (long long)page->count;
  if((long long)page->count < want || f->remaining == 0) {
    f->seq_done = 1;
    f->phase = 1;
    return KC_OK;
  }
  f->phase = 1;
  if(parallel && page->total_count >= 0) {
    long long rest = page->total_count - f->o.offset - (long long)page->count;
    if(rest > f->o.page_size) {
      /*
       * Where the remaining records end is estimated from the density
       * of $id in the first page; the last lane has no upper bound, so
       * a wrong estimate costs balance, never records.
       */
      long long first = kj_int(kj_get(kj_get(kc_page_record(page, 0), "$id"),
                                      "value"), 1);
      double per_id = (double)page->count /
                      (double)(f->last_id - first + 1);
      long long span = (long long)((double)rest / (per_id > 0 ? per_id : 1));
      rc = make_lanes(f, f->last_id + (span > 0 ? span : rest), rest, err);
      if(rc)
        return rc;
      f->lanes[f->nlanes - 1].hi = LLONG_MAX;
      f->phase = 2;
    }
  }
  return KC_OK;
}

/* Sequential seek paging (LIMIT, ORDER BY $id DESC, one lane). */
static int next_sequential(struct ks_fetch *f, struct kc_page *page,
                           int *done, struct kc_err *err)
{
  sqlite3_str *q;
  long long want = f->o.page_size;
  char *query;
  int rc;

  if(f->seq_done) {
    *done = 1;
    return KC_OK;
  }
  if(f->remaining >= 0 && f->remaining < want)
    want = f->remaining;
  q = sqlite3_str_new(NULL);
  cond_prefix(q, f->cond);
  sqlite3_str_appendf(q, "$id %s %lld order by $id %s limit %lld",
                      f->o.desc ? "<" : ">", f->last_id,
                      f->o.desc ? "desc" : "asc", want);
  query = sqlite3_str_finish(q);
  if(!query)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  rc = read_page(f, query, 0, f->o.fields, f->o.nfields, page, err);
  sqlite3_free(query);
  if(rc)
    return rc;
  f->last_id = last_id_of(page, f->last_id);
  if(f->remaining >= 0)
    f->remaining -= (long long)page->count;
  if((long long)page->count < want || f->remaining == 0)
    f->seq_done = 1;
  if(!page->count)
    *done = 1;
  return KC_OK;
}

/* Sends the next request of lane l. */
static int lane_submit(struct lane *l, struct kc_err *err)
{
  struct ks_fetch *f = l->f;
  sqlite3_str *q = sqlite3_str_new(NULL);
  char *query;
  int rc;

  cond_prefix(q, f->cond);
  if(l->hi == LLONG_MAX)
    sqlite3_str_appendf(q, "$id > %lld order by $id asc limit %d", l->last,
                        f->o.page_size);
  else
    sqlite3_str_appendf(q, "$id > %lld and $id <= %lld order by $id asc "
                        "limit %d", l->last, l->hi, f->o.page_size);
  query = sqlite3_str_finish(q);
  if(!query)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  rc = kc_records_request(f->c, &l->req, f->o.app, f->o.fields,
                          f->o.nfields, query, 0, err);
  sqlite3_free(query);
  if(rc)
    return rc;
  l->req.user = l;
  if(kh_http_submit(kc_client_http(f->c), &l->req)) {
    kh_req_cleanup(&l->req);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  l->inflight = 1;
  return KC_OK;
}

/* Handles a completed lane request. */
static int lane_done(struct lane *l, struct kc_err *err)
{
  struct ks_fetch *f = l->f;
  struct kc_page pg;
  int rc;

  l->inflight = 0;
  rc = kc_records_finish(f->c, &l->req, &pg, 0, err);
  if(rc) {
    if(!kc_read_retryable(err) || l->retries >= MAX_RETRIES ||
       kh_http_deadline_passed(kc_client_http(f->c)))
      return rc;
    l->retries++;
    if(err->kind == KC_EK_THROTTLED && f->active_max > 1)
      f->active_max /= 2;       /* too many concurrent requests: back off */
    l->retry_at = now_ms() + backoff(l->retries);
    KLOG(kc_client_log(f->c), KU_LOG_WARN, "fetch",
         "retrying read (%d of %d) after: %s", l->retries, MAX_RETRIES,
         err->message);
    return KC_OK;
  }
  l->retries = 0;
  l->last = last_id_of(&pg, l->last);
  if((int)pg.count < f->o.page_size)
    l->done = 1;
  l->buf[(l->head + l->nbuf) % LANE_AHEAD] = pg;
  l->nbuf++;
  return KC_OK;
}

/* Sends what the lanes may send, then waits for one completion. */
static int pump(struct ks_fetch *f, struct kc_err *err)
{
  struct kh_http *h = kc_client_http(f->c);
  long long now = now_ms(), wake = 0;
  int i, active = 0, rc;
  struct kh_req *d = NULL;

  for(i = f->cur; i < f->nlanes; i++)
    active += f->lanes[i].inflight;
  for(i = f->cur; i < f->nlanes; i++) {
    struct lane *l = &f->lanes[i];
    if(l->done || l->inflight || l->nbuf + 1 > LANE_AHEAD)
      continue;
    if(l->retry_at > now) {
      if(!wake || l->retry_at < wake)
        wake = l->retry_at;
      continue;
    }
    if(active >= f->active_max && i != f->cur)
      continue;
    l->retry_at = 0;
    rc = lane_submit(l, err);
    if(rc)
      return rc;
    active++;
  }
  if(!active) {
    if(wake)
      sleep_ms((long)(wake - now));
    return KC_OK;
  }
  rc = kh_http_wait(h, &d, wake ? wake - now : 1000);
  if(rc == KH_ECANCEL)
    return kc_err_set(err, KC_EK_CANCELLED, 0, "cancelled");
  if(rc)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  if(!d)
    return KC_OK;
  if(!d->user || ((struct lane *)d->user)->f != f) {
    /* another scan's transfer: hand it to its own lane */
    struct lane *other = d->user;
    if(other)
      return lane_done(other, err);
    return KC_OK;
  }
  return lane_done((struct lane *)d->user, err);
}

static int next_lane(struct ks_fetch *f, struct kc_page *page, int *done,
                     struct kc_err *err)
{
  for(;;) {
    struct lane *l;
    int rc;
    if(f->cur >= f->nlanes) {
      *done = 1;
      return KC_OK;
    }
    l = &f->lanes[f->cur];
    if(l->nbuf) {
      *page = l->buf[l->head];
      memset(&l->buf[l->head], 0, sizeof(l->buf[l->head]));
      l->head = (l->head + 1) % LANE_AHEAD;
      l->nbuf--;
      return KC_OK;
    }
    if(l->done && !l->inflight) {
      f->cur++;
      continue;
    }
    rc = pump(f, err);
    if(rc)
      return rc;
  }
}

int ks_fetch_next(struct ks_fetch *f, struct kc_page *page, int *done,
                  struct kc_err *err)
{
  memset(page, 0, sizeof(*page));
  page->total_count = -1;
  *done = 0;
  if(f->phase == 0)
    return first_page(f, page, err);
  if(f->phase == 1)
    return next_sequential(f, page, done, err);
  return next_lane(f, page, done, err);
}
