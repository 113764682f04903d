/*
 * fetch.c - the paging engine.  See fetch.h.
 */
#include "fetch.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "../kintone/kc_client.h"
#include "../kintone/kc_cursor.h"
#include "../net/kh_http.h"
#include "../util/ku_log.h"
#include "../util/ku_mem.h"
#include "../net/kj_json.h"

#define LANE_AHEAD 2            /* pages per lane buffered or in flight */
#define MAX_RETRIES 5
#define BACKOFF_MS 200
#define CLEANUP_MS 5000          /* a cursor DELETE after the deadline */
#define SPARES 16

struct ks_fetch;

struct lane {
  struct ks_fetch *f;
  long long hi;                 /* ids in (last, hi] remain */
  long long last;               /* last id received */
  struct kc_page buf[LANE_AHEAD];
  struct ku_buf raw[LANE_AHEAD];  /* the body of buf[i] while unparsed */
  unsigned char unparsed[LANE_AHEAD];  /* 1, or 2: failed (kept_err) */
  struct kc_err kept_err;
  int head, nbuf;               /* FIFO of received pages */
  struct kh_req req;
  int inflight;
  int whole;                    /* the request in flight reads the rest of
                                   the range whole: kept unparsed */
  int done;                     /* no more requests: short page seen */
  int retries;
  int sent_at;                  /* active_max when its request was sent */
  long long retry_at;           /* ms clock; 0 = none */
  long long beyond;             /* unbounded lane: records after its
                                   last page (its totalCount), -1 unknown */
  int wait_others;              /* full unbounded last lane: its next
                                   request waits until the other lanes
                                   are used up (see tail_decide) */
};

enum {
  PH_FIRST = 0,                 /* the first page */
  PH_SEQ,                       /* sequential seek paging */
  PH_LANES,                     /* concurrent lanes */
  PH_CURSOR                     /* UseCursor: one cursor, sequential */
};

struct ks_fetch {
  struct kc_client *c;
  struct ks_fetch_opts o;
  char *cond;                   /* owned copy */
  int phase;                    /* PH_* */
  int seq_done;
  long long last_id;
  long long remaining;          /* rows still wanted (-1 = all) */
  /*
   * PH_LANES: a window of lanes over consecutive $id ranges of about one
   * page each, a ring of `cap` slots; lanes[head] is the one being
   * consumed, and new lanes open at the end as the window moves on.
   */
  struct lane *lanes;
  int cap, head, n, active_max;
  int streak;                   /* pages read since active_max changed */
  long long next_lo;            /* where the next lane's range starts */
  long long span;               /* ids per lane: about one page */
  long long est_max;            /* estimated last $id of the scan */
  int tail_open;                /* the last lane is unbounded */
  long long rest;               /* records expected after the first page */
  long long received;           /* records the lanes have received */
  int parallel;                 /* lanes allowed (first page had total) */
  int use_cursor;               /* UseCursor=1 */
  struct ku_buf spare[SPARES];  /* emptied bodies kept for the next ones:
                                   a page's worth each, neither grown nor
                                   mapped in again */
  int nspare;
  struct kc_cursor *cursor;     /* PH_CURSOR: created on the second page */
  long long first_id;           /* first page: first $id, */
  long long first_count;        /* ... records, */
  long long first_total;        /* ... totalCount (-1 unknown) */
  long long polled_at;          /* ks_fetch_poll's last poll (ms clock) */
};

/* Waits ms (a retry's backoff) unless the application cancels first. */
static int pause_ms(struct ks_fetch *f, long ms, struct kc_err *err)
{
  if(kh_http_sleep(kc_client_http(f->c), ms) == KH_ECANCEL)
    return kc_err_cancelled(err);
  return KC_OK;
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
    if(pause_ms(f, backoff(attempt), err))
      return kc_err_rc(err->kind);
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
  f->first_total = -1;
  f->use_cursor = kc_client_config(c)->use_cursor;
  if(f->o.page_size < 1 || f->o.page_size > 500)
    f->o.page_size = 500;
  if(f->o.concurrency < 1)
    f->o.concurrency = 1;
  *out = f;
  return KC_OK;
}

/* $id of record i of pg (def when it has none). */
static long long id_at(const struct kc_page *pg, size_t i, long long def)
{
  return kj_int(kj_get(kj_get(kc_page_record(pg, i), "$id"), "value"), def);
}

static const char *const probe_query[2] = {
  "order by $id asc limit 1", "order by $id desc limit 1"
};

void ks_probe_send(struct kc_client *c, long long app, struct ks_probe *p)
{
  static const char *const idf[] = {"$id"};
  struct kc_err err;
  int i;

  memset(p, 0, sizeof(*p));
  p->req = ku_calloc(2, sizeof(*p->req));
  if(!p->req)
    return;
  for(i = 0; i < 2; i++) {
    if(kc_records_request(c, &p->req[i], app, idf, 1, probe_query[i], !i,
                          &err))
      break;
    if(kh_http_submit(kc_client_http(c), &p->req[i])) {
      kh_req_cleanup(&p->req[i]);
      break;
    }
    p->sent[i] = 1;
  }
  if(!p->sent[1])
    ks_probe_abort(c, p);
}

void ks_probe_abort(struct kc_client *c, struct ks_probe *p)
{
  int i;

  for(i = 0; i < 2; i++)
    if(p->sent[i]) {
      kh_http_abort(kc_client_http(c), &p->req[i]);
      kh_req_cleanup(&p->req[i]);
    }
  ku_free(p->req);
  memset(p, 0, sizeof(*p));
}

void ks_probe_finish(struct kc_client *c, long long app, struct ks_probe *p,
                     struct ks_hint *hint)
{
  long long id[2] = {-1, -1}, total = -1;
  struct kc_err err;
  int i, ok = 1;

  if(!p->req)
    return;
  for(i = 0; i < 2; i++) {
    struct kc_page pg;
    int rc = kh_http_await(kc_client_http(c), &p->req[i]);
    p->sent[i] = 0;
    if(rc == KH_ECANCEL || rc == KH_ENOMEM) {
      kh_req_cleanup(&p->req[i]);
      ok = 0;
      continue;
    }
    kc_err_clear(&err);
    if(kc_records_finish(c, &p->req[i], &pg, !i, &err)) {
      KLOG(kc_client_log(c), KU_LOG_DEBUG, "fetch", "app %lld: no $id "
           "range read with the form: %s", app, err.message);
      ok = 0;
      continue;
    }
    if(pg.count)
      id[i] = id_at(&pg, 0, -1);
    if(!i)
      total = pg.total_count;
    kc_page_free(&pg);
  }
  ku_free(p->req);
  memset(p, 0, sizeof(*p));
  if(!ok || total < 0 || (total > 0 && (id[0] < 1 || id[1] < id[0])))
    return;
  hint->lo = id[0];
  hint->hi = id[1];
  hint->total = total;
  hint->at = kh_now_ms();
  KLOG(kc_client_log(c), KU_LOG_DEBUG, "fetch", "app %lld: %lld records, "
       "$id %lld to %lld", app, total, id[0], id[1]);
}

/*
 * Deletes the scan's cursor if it is still live and forgets it.  This
 * runs when a scan ends, often because it failed: a cancel or a passed
 * query deadline would stop the DELETE before it is sent, so the cancel
 * flag is lifted for it (restored afterwards; a second SQLCancel during
 * the DELETE still stops it) and a passed deadline is replaced by
 * CLEANUP_MS.  Failures are logged only: Kintone frees an unread cursor
 * after 10 minutes.
 */
static void drop_cursor(struct ks_fetch *f)
{
  struct kh_http *h = kc_client_http(f->c);
  struct kc_err err;
  int cancelled = 0, expired = 0;

  if(!f->cursor)
    return;
  if(kc_cursor_live(f->cursor)) {
    if(f->o.cancel && *f->o.cancel) {
      cancelled = 1;
      *f->o.cancel = 0;
    }
    if(kh_http_deadline_passed(h)) {
      expired = 1;
      kh_http_set_deadline(h, kh_now_ms() + CLEANUP_MS);
    }
  }
  kc_err_clear(&err);
  kc_cursor_close(f->cursor, &err);       /* logs its own failure */
  f->cursor = NULL;
  if(expired)
    kh_http_set_deadline(h, kh_now_ms());    /* passed, as it was */
  if(cancelled)
    *f->o.cancel = 1;
}

void ks_fetch_free(struct ks_fetch *f)
{
  int i, j;

  if(!f)
    return;
  drop_cursor(f);
  for(i = 0; i < f->cap; i++) {
    struct lane *l = &f->lanes[i];
    if(l->inflight) {
      kh_http_abort(kc_client_http(f->c), &l->req);
      kh_req_cleanup(&l->req);
    }
    for(j = 0; j < l->nbuf; j++) {
      int k = (l->head + j) % LANE_AHEAD;
      kc_page_free(&l->buf[k]);
      ku_buf_cleanup(&l->raw[k]);
    }
  }
  for(i = 0; i < f->nspare; i++)
    ku_buf_cleanup(&f->spare[i]);
  ku_free(f->lanes);
  ku_free(f->cond);
  ku_free(f);
}

/* Keeps the storage of an unparsed body that has been parsed. */
static void spare_put(struct ks_fetch *f, struct ku_buf *b)
{
  if(b->ptr && f->nspare < SPARES) {
    f->spare[f->nspare++] = *b;
    memset(b, 0, sizeof(*b));
  }
  else
    ku_buf_cleanup(b);
}

/* Gives the empty response buffer b (its limit kept) kept storage. */
static void spare_get(struct ks_fetch *f, struct ku_buf *b)
{
  size_t max = b->max;

  if(!f->nspare || b->ptr)
    return;
  *b = f->spare[--f->nspare];
  ku_buf_reset(b);
  b->max = max;
}

/* "(<cond>) and " or "" */
static void cond_prefix(sqlite3_str *q, const char *cond)
{
  if(cond && *cond)
    sqlite3_str_appendf(q, "(%s) and ", cond);
}

static long long last_id_of(const struct kc_page *pg, long long def)
{
  return pg->count ? id_at(pg, pg->count - 1, def) : def;
}

/*
 * Opens the lane window over ($id last_id, ...): lanes of `span` ids
 * (about one page at the first page's density) up to the estimated
 * last id `max`, then one unbounded lane.  At most `cap` lanes exist at
 * once, and at most `cap` pages are buffered or in flight:
 * MaxConcurrency + 8, so that when a round of up to 8 pages arrives at
 * once every slot gets its next request at once, not one by one as the
 * application reads the pages (a window of 1.5 x MaxConcurrency left a
 * quarter of the slots idle for a round after the first).  Deeper
 * windows measured no faster at 50 ms and 8 and cost 6-10% more CPU at
 * 0 ms: the pages waiting longer have left the CPU caches when parsed.
 */
static int make_lanes(struct ks_fetch *f, long long max, long long span,
                      long long rest, struct kc_err *err)
{
  f->cap = f->o.concurrency + 8;
  f->lanes = ku_calloc((size_t)f->cap, sizeof(*f->lanes));
  if(!f->lanes)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  f->head = f->n = 0;
  f->active_max = f->o.concurrency;
  f->next_lo = f->last_id;
  f->span = span > 0 ? span : 1;
  f->est_max = max;
  f->tail_open = 0;
  f->rest = rest;
  f->received = 0;
  KLOG(kc_client_log(f->c), KU_LOG_INFO, "fetch",
       "app %lld: %lld more records over $id (%lld, ~%lld], %d requests "
       "at a time in ranges of %lld ids", f->o.app, rest, f->last_id, max,
       f->o.concurrency, f->span);
  return KC_OK;
}

/* Adds a lane at the end of the window; 0 when none can be added. */
static int open_lane(struct ks_fetch *f)
{
  struct lane *l;

  if(f->tail_open || f->n == f->cap)
    return 0;
  l = &f->lanes[(f->head + f->n) % f->cap];
  memset(l, 0, sizeof(*l));
  l->f = f;
  l->last = f->next_lo;
  l->beyond = -1;
  if(f->next_lo > LLONG_MAX - f->span ||
     f->next_lo + f->span >= f->est_max) {
    l->hi = LLONG_MAX;
    f->tail_open = 1;
  }
  else
    l->hi = f->next_lo + f->span;
  f->next_lo = l->hi;
  f->n++;
  return 1;
}

/*
 * How to read what follows the first page without a cursor: lanes when
 * allowed and more than a page remains, else sequential seek paging.
 */
static int plan_rest(struct ks_fetch *f, struct kc_err *err)
{
  int rc;

  f->phase = PH_SEQ;
  if(f->parallel && f->first_total >= 0) {
    long long rest = f->first_total - f->o.offset - f->first_count;
    if(rest > f->o.page_size) {
      /*
       * Where the remaining records end is estimated from the density
       * of $id in the first page; the last lane has no upper bound, so
       * a wrong estimate costs balance, never records.
       */
      double per_id = (double)f->first_count /
                      (double)(f->last_id - f->first_id + 1);
      long long span = (long long)((double)rest / (per_id > 0 ? per_id : 1));
      long long lane = (long long)((double)f->o.page_size /
                                   (per_id > 0 ? per_id : 1));
      rc = make_lanes(f, f->last_id + (span > 0 ? span : rest), lane, rest,
                      err);
      if(rc)
        return rc;
      f->phase = PH_LANES;
    }
  }
  return KC_OK;
}

static int pump(struct ks_fetch *f, long wait_ms, int *got,
                struct kc_err *err);

static int next_lane(struct ks_fetch *f, struct kc_page *page, int *done,
                     struct kc_err *err);

/*
 * A full scan without condition and a fresh hint of more than a page:
 * the lanes are placed from the hint (ids lo..hi at its density) and
 * the first MaxConcurrency of them go out at once; no first page alone.
 * The hint is used up.  *used = 0 when the scan does not qualify.
 */
static int hinted_start(struct ks_fetch *f, struct kc_page *page,
                        int *done, int *used, struct kc_err *err)
{
  struct ks_hint *h = f->o.hint;
  double per_id;
  long long span;
  int got = 0, rc;

  *used = 0;
  if(!h || !h->at || !f->parallel || f->cond[0] || f->o.offset > 0 ||
     f->use_cursor || h->total <= f->o.page_size || h->hi < h->lo ||
     kh_now_ms() - h->at > KS_HINT_MS)
    return KC_OK;
  *used = 1;
  h->at = 0;
  per_id = (double)h->total / (double)(h->hi - h->lo + 1);
  span = (long long)((double)f->o.page_size / per_id);
  f->first_id = h->lo;
  f->first_count = 0;
  f->first_total = h->total;
  f->last_id = h->lo - 1;       /* ids are never given out again */
  rc = make_lanes(f, h->hi, span, h->total, err);
  if(rc)
    return rc;
  f->phase = PH_LANES;
  rc = pump(f, 0, &got, err);
  if(!rc && kh_http_drive(kc_client_http(f->c)))
    rc = kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  if(rc)
    return rc;
  return next_lane(f, page, done, err);
}

/* The first page, and the decision how to read the rest. */
static int first_page(struct ks_fetch *f, struct kc_page *page, int *done,
                      struct kc_err *err)
{
  sqlite3_str *q;
  long long want = f->o.page_size;
  char *query;
  int rc, used;

  f->parallel = f->remaining < 0 && !f->o.desc && f->o.concurrency > 1;
  rc = hinted_start(f, page, done, &used, err);
  if(rc || used)
    return rc;
  q = sqlite3_str_new(NULL);
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
  rc = read_page(f, query, f->parallel, f->o.fields, f->o.nfields, page,
                 err);
  sqlite3_free(query);
  if(rc)
    return rc;
  f->last_id = last_id_of(page, f->last_id);
  if(f->remaining >= 0)
    f->remaining -= (long long)page->count;
  f->phase = PH_SEQ;
  if((long long)page->count < want || f->remaining == 0) {
    f->seq_done = 1;
    return KC_OK;
  }
  f->first_id = id_at(page, 0, 1);
  f->first_count = (long long)page->count;
  f->first_total = page->total_count;
  /* a rest that one request reads whole (LIMIT) needs no cursor: that
     read is as consistent as a cursor's set, and 2 requests cheaper */
  if(f->use_cursor &&
     !(f->remaining >= 0 && f->remaining <= f->o.page_size)) {
    f->phase = PH_CURSOR;       /* created when the next page is wanted */
    return KC_OK;
  }
  rc = plan_rest(f, err);
  if(!rc && f->phase == PH_LANES) {
    /* the lanes' first requests go out now, not after the application
       has read the first page */
    int got = 0;
    rc = pump(f, 0, &got, err);
    /* and the new connections' handshakes begin before the application
       reads the first page, not after */
    if(!rc && kh_http_drive(kc_client_http(f->c)))
      rc = kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  if(rc)
    kc_page_free(page);
  return rc;
}

/* Sequential seek paging (LIMIT, ORDER BY $id DESC, one lane; the
   fallback of UseCursor). */
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
  /*
   * A range of at most a page of ids is read whole by this request, so
   * nothing here depends on its content: the answer is kept unparsed and
   * its slot frees (and goes to the next range) the moment the last byte
   * is in; it is parsed when handed out (next_lane).
   */
  l->whole = l->hi != LLONG_MAX && l->hi - l->last <= f->o.page_size;
  if(l->whole) {
    rc = kc_records_request_whole(f->c, &l->req, f->o.app, f->o.fields,
                                  f->o.nfields, query, err);
    if(!rc)
      spare_get(f, &l->req.resp);
  }
  else
    /* the open last range asks how many records it holds: a full page
       that is all of them ends it without another request */
    rc = kc_records_request(f->c, &l->req, f->o.app, f->o.fields,
                            f->o.nfields, query, l->hi == LLONG_MAX, err);
  sqlite3_free(query);
  if(rc)
    return rc;
  l->req.user = l;
  if(kh_http_submit(kc_client_http(f->c), &l->req)) {
    kh_req_cleanup(&l->req);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  l->sent_at = f->active_max;
  l->inflight = 1;
  return KC_OK;
}

/* 1 when every lane of the window but l is used up (their records are
   all counted in f->received). */
static int others_done(const struct ks_fetch *f, const struct lane *l)
{
  int i;

  for(i = 0; i < f->n; i++) {
    const struct lane *o = &f->lanes[(f->head + i) % f->cap];
    if(o != l && (!o->done || o->inflight))
      return 0;
  }
  return 1;
}

/*
 * The unbounded last lane l came back full with records after it (its
 * totalCount said how many) and every other lane is used up, so
 * f->received counts every record before l's last id.  When more than a
 * page is still unread, the ids spread further than the first page's
 * density (or the hint) said: l closes where its page ended and ranges
 * open after it again, sized from the density seen so far, so the rest
 * is read concurrently too.  Otherwise l reads on (a short page, or one
 * that is all of its totalCount, ends it).
 */
static void count_unparsed(struct ks_fetch *f);

static void tail_decide(struct ks_fetch *f, struct lane *l)
{
  long long left;

  l->wait_others = 0;
  count_unparsed(f);
  left = l->beyond >= 0 ? l->beyond : f->rest - f->received;
  if(left > f->o.page_size) {
    double seen = (double)(f->first_count + f->received);
    double ids = (double)(l->last - f->first_id + 1);
    double per_rec = seen > 0 && ids > 0 ? ids / seen : 1;
    long long more = (long long)((double)left * per_rec);
    l->hi = l->last;
    l->done = 1;
    f->tail_open = 0;
    f->next_lo = l->last;
    f->span = (long long)((double)f->o.page_size * per_rec);
    if(f->span < 1)
      f->span = 1;
    f->est_max = l->last + (more > 0 ? more : f->span);
  }
}

/*
 * A lane's read failed with err: retried after a backoff while that may
 * help (KC_OK), else err is the scan's error.
 */
static int lane_retry(struct lane *l, struct kc_err *err)
{
  struct ks_fetch *f = l->f;

  if(!kc_read_retryable(err) || l->retries >= MAX_RETRIES ||
     kh_http_deadline_passed(kc_client_http(f->c)))
    return -1;
  l->retries++;
  /* too many concurrent requests (429 GAIA_TO04): half the level this
     request was sent at, once for all the requests refused at it */
  if(err->kind == KC_EK_THROTTLED && f->active_max > 1 &&
     f->active_max >= l->sent_at) {
    f->active_max = l->sent_at > 1 ? l->sent_at / 2 : 1;
    f->streak = 0;
    KLOG(kc_client_log(f->c), KU_LOG_WARN, "fetch",
         "Kintone refused concurrent requests: %d at a time now",
         f->active_max);
  }
  l->done = 0;
  l->retry_at = kh_now_ms() + backoff(l->retries);
  KLOG(kc_client_log(f->c), KU_LOG_WARN, "fetch",
       "retrying read (%d of %d) after: %s", l->retries, MAX_RETRIES,
       err->message);
  return KC_OK;
}

/* Parses the unparsed page k of lane l in place and counts it. */
static int parse_kept(struct lane *l, int k, int (*between)(void *),
                      void *ctx, struct kc_err *err)
{
  int rc = kc_records_parse(l->f->c, l->raw[k].ptr, l->raw[k].len,
                            &l->buf[k], between, ctx, err);

  spare_put(l->f, &l->raw[k]);
  l->unparsed[k] = 0;
  if(!rc)
    l->f->received += (long long)l->buf[k].count;
  return rc;
}

/*
 * Parses the window's unparsed pages, so that f->received counts them
 * (tail_decide; rare).  A page that fails is kept failed, with its
 * error: its range is read again when it would have been handed out.
 */
static void count_unparsed(struct ks_fetch *f)
{
  int i, j;

  for(i = 0; i < f->n; i++) {
    struct lane *l = &f->lanes[(f->head + i) % f->cap];
    for(j = 0; j < l->nbuf; j++) {
      int k = (l->head + j) % LANE_AHEAD;
      if(l->unparsed[k] != 1)
        continue;
      kc_err_clear(&l->kept_err);
      if(parse_kept(l, k, NULL, NULL, &l->kept_err))
        l->unparsed[k] = 2;
    }
  }
}

/* Handles a completed lane request. */
static int lane_done(struct lane *l, struct kc_err *err)
{
  struct ks_fetch *f = l->f;
  struct kc_page pg;
  struct ku_buf body;
  int rc, k;

  l->inflight = 0;
  memset(&pg, 0, sizeof(pg));
  memset(&body, 0, sizeof(body));
  if(l->whole)
    rc = kc_records_take(f->c, &l->req, &body, err);
  else
    rc = kc_records_finish(f->c, &l->req, &pg, l->hi == LLONG_MAX, err);
  if(rc)
    return lane_retry(l, err) ? rc : KC_OK;
  l->retries = 0;
  /* and raised again slowly: one more after 4 rounds without refusal */
  if(f->active_max < f->o.concurrency &&
     ++f->streak >= 4 * f->active_max) {
    f->active_max++;
    f->streak = 0;
    KLOG(kc_client_log(f->c), KU_LOG_INFO, "fetch",
         "%d requests at a time again", f->active_max);
  }
  k = (l->head + l->nbuf) % LANE_AHEAD;
  l->nbuf++;
  if(l->whole) {
    l->done = 1;                /* the range is used up */
    l->raw[k] = body;
    l->unparsed[k] = 1;
  }
  else {
    f->received += (long long)pg.count;
    l->last = last_id_of(&pg, l->last);
    if(pg.total_count >= 0)
      l->beyond = pg.total_count - (long long)pg.count;
    if((int)pg.count < f->o.page_size || l->last >= l->hi ||
       (pg.total_count >= 0 && pg.total_count <= (long long)pg.count))
      l->done = 1;              /* short page, the range is used up, or
                                   nothing follows the page */
    else if(l->hi == LLONG_MAX) {
      if(others_done(f, l))
        tail_decide(f, l);
      else
        l->wait_others = 1;     /* decided when the others are used up */
    }
    l->buf[k] = pg;
  }
  if(f->n) {
    struct lane *t = &f->lanes[(f->head + f->n - 1) % f->cap];
    if(t != l && t->wait_others && others_done(f, t))
      tail_decide(f, t);
  }
  return KC_OK;
}

/*
 * Opens lanes while the window has room and sends what the lanes may
 * send (in $id order, at most active_max at once, and at most `cap`
 * pages buffered or in flight, the consumed lane always allowed).
 * *active: requests of the scan in flight; *wake: the earliest retry
 * still to wait for (0: none).
 */
static int send_ready(struct ks_fetch *f, int *active, long long *wake,
                      struct kc_err *err)
{
  long long now = kh_now_ms();
  int i, held = 0, rc;

  while(open_lane(f))
    ;
  *active = 0;
  *wake = 0;
  for(i = 0; i < f->n; i++) {
    struct lane *l = &f->lanes[(f->head + i) % f->cap];
    *active += l->inflight;
    held += l->inflight + l->nbuf;
  }
  for(i = 0; i < f->n; i++) {
    struct lane *l = &f->lanes[(f->head + i) % f->cap];
    if(l->done || l->inflight || l->wait_others ||
       l->nbuf + 1 > LANE_AHEAD)
      continue;
    if(l->retry_at > now) {
      if(!*wake || l->retry_at < *wake)
        *wake = l->retry_at;
      continue;
    }
    if(i && (*active >= f->active_max || held >= f->cap))
      continue;
    l->retry_at = 0;
    rc = lane_submit(l, err);
    if(rc)
      return rc;
    (*active)++;
    held++;
  }
  return KC_OK;
}

/*
 * Sends what may be sent (send_ready), then waits up to wait_ms (-1:
 * until the next retry is due, at most a second) for one completion,
 * which sets *got; the slot it frees gets its next request at once,
 * before the page is parsed or read.
 */
static int pump(struct ks_fetch *f, long wait_ms, int *got,
                struct kc_err *err)
{
  struct kh_http *h = kc_client_http(f->c);
  long long wake;
  int active, rc;
  struct kh_req *d = NULL;
  struct lane *l;

  rc = send_ready(f, &active, &wake, err);
  if(rc)
    return rc;
  if(!active) {
    if(wake && wait_ms < 0)
      return pause_ms(f, (long)(wake - kh_now_ms()), err);
    return KC_OK;
  }
  if(wait_ms < 0)
    wait_ms = wake ? wake - kh_now_ms() : 1000;
  rc = kh_http_wait(h, &d, wait_ms);
  if(rc == KH_ECANCEL)
    return kc_err_set(err, KC_EK_CANCELLED, 0, "cancelled");
  if(rc)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  if(!d && !kh_http_pending(h))
    /* requests of this scan in flight, yet none known to the transfer
       pool: an answer went elsewhere; failing beats waiting for ever */
    return kc_err_set(err, KC_EK_PROTOCOL, 0,
                      "the scan's requests were lost (internal error)");
  if(!d)
    return KC_OK;
  *got = 1;
  l = d->user;
  if(!l)
    return KC_OK;
  /* another scan's transfer goes to its own lane (and scan) */
  rc = lane_done(l, err);
  if(rc || l->f != f)
    return rc;
  return send_ready(f, &active, &wake, err);
}

/*
 * The lane whose page is handed out next: the window's first lane (pages
 * in $id order), or when the order does not matter the first lane that
 * has a page, so that a slow request holds up nothing but its own range.
 */
static struct lane *ready_lane(struct ks_fetch *f)
{
  int i;

  if(!f->o.unordered)
    return &f->lanes[f->head];
  for(i = 0; i < f->n; i++) {
    struct lane *l = &f->lanes[(f->head + i) % f->cap];
    if(l->nbuf)
      return l;
  }
  return &f->lanes[f->head];
}

/*
 * Takes in the requests that have finished while the application read
 * rows and sends the next ones, without waiting (one poll when nothing
 * has arrived): otherwise their slots would stay idle until the buffered
 * pages run out.
 */
static int take_in(struct ks_fetch *f, struct kc_err *err)
{
  int got;

  if(!kh_http_ready(kc_client_http(f->c)))
    return KC_OK;
  do {
    int rc;
    got = 0;
    rc = pump(f, 0, &got, err);
    if(rc)
      return rc;
  } while(got);
  return KC_OK;
}

struct between {
  struct ks_fetch *f;
  struct kc_err *err;
  int failed;
};

/* Between the pieces of a page being parsed: take in finished requests. */
static int between_pieces(void *ctx)
{
  struct between *b = ctx;
  int rc = take_in(b->f, b->err);

  b->failed = rc != KC_OK;
  return rc;
}

/*
 * Takes l's first page into *page, parsing it if it was kept unparsed
 * (taking in finished requests meanwhile).  -1 when that page failed
 * and its range is to be read again.
 */
static int hand_out(struct lane *l, struct kc_page *page,
                    struct kc_err *err)
{
  struct ks_fetch *f = l->f;
  int k = l->head, state = l->unparsed[k], rc;
  struct ku_buf raw = l->raw[k];

  *page = l->buf[k];
  memset(&l->buf[k], 0, sizeof(l->buf[k]));
  memset(&l->raw[k], 0, sizeof(l->raw[k]));
  l->unparsed[k] = 0;
  l->head = (l->head + 1) % LANE_AHEAD;
  l->nbuf--;
  if(!state)
    return KC_OK;
  if(state == 1) {
    struct between b;
    b.f = f;
    b.err = err;
    b.failed = 0;
    rc = kc_records_parse(f->c, raw.ptr, raw.len, page, between_pieces, &b,
                          err);
    spare_put(f, &raw);
    if(!rc) {
      f->received += (long long)page->count;
      return KC_OK;
    }
    if(b.failed)
      return rc;
  }
  else {
    *err = l->kept_err;
    rc = kc_err_rc(err->kind);
  }
  return lane_retry(l, err) ? rc : -1;
}

/* The next page from the window: in $id order unless o.unordered. */
static int next_lane(struct ks_fetch *f, struct kc_page *page, int *done,
                     struct kc_err *err)
{
  for(;;) {
    struct lane *l;
    int rc;
    if(!f->n) {
      if(f->tail_open) {
        *done = 1;
        return KC_OK;
      }
      open_lane(f);
      continue;
    }
    l = ready_lane(f);
    if(l->nbuf) {
      rc = take_in(f, err);
      if(rc)
        return rc;
      l = ready_lane(f);
      rc = hand_out(l, page, err);
      if(rc != -1)
        return rc;
      continue;                 /* its range is read again */
    }
    l = &f->lanes[f->head];
    if(l->done && !l->inflight && !l->nbuf) {
      f->head = (f->head + 1) % f->cap;
      f->n--;
      continue;
    }
    {
      int got = 0;
      rc = pump(f, -1, &got, err);
    }
    if(rc)
      return rc;
  }
}

long long ks_fetch_expected(const struct ks_fetch *f)
{
  long long n;

  if(!f || f->first_total < 0)
    return -1;
  n = f->first_total - (f->o.offset > 0 ? f->o.offset : 0);
  if(n < 0)
    n = 0;
  if(f->o.limit >= 0 && f->o.limit < n)
    n = f->o.limit;
  return n;
}

int ks_fetch_poll(struct ks_fetch *f, struct kc_err *err)
{
  long long now;

  if(!f || f->phase != PH_LANES)
    return KC_OK;
  /* at most once a millisecond: a poll of the sockets costs more than
     the rows read between two calls */
  now = kh_now_ms();
  if(now == f->polled_at)
    return KC_OK;
  f->polled_at = now;
  return take_in(f, err);
}

/* 1 if the query's time is up or the application cancelled. */
static int stopping(struct ks_fetch *f, const struct kc_err *err)
{
  return err->kind == KC_EK_CANCELLED ||
         kh_http_deadline_passed(kc_client_http(f->c));
}

/*
 * 1 if a cursor request that failed with err was certainly not served,
 * so sending it again cannot skip a page or leak a cursor: Kintone's
 * concurrency limit (429 GAIA_TO04) rejects a request before it runs,
 * and a connection that could not be opened carried nothing (cursor
 * requests always use a fresh connection).
 */
static int cursor_resendable(const struct kc_err *err)
{
  return (err->kind == KC_EK_THROTTLED && !strcmp(err->code, "GAIA_TO04")) ||
         err->kind == KC_EK_CONNECT;
}

/*
 * Creates the scan's cursor over what follows the first page.  Returns
 * an error only when the scan must stop (cancel, query timeout, out of
 * memory); any other failure leaves f->cursor NULL after a warning, and
 * the caller pages by seek instead.
 */
static int open_cursor(struct ks_fetch *f, struct kc_err *err)
{
  sqlite3_str *q = sqlite3_str_new(NULL);
  int size = f->o.page_size, attempt, rc = KC_OK;
  char *query;

  if(f->remaining > 0 && f->remaining < size)
    size = (int)f->remaining;
  cond_prefix(q, f->cond);
  sqlite3_str_appendf(q, "$id %s %lld order by $id %s",
                      f->o.desc ? "<" : ">", f->last_id,
                      f->o.desc ? "desc" : "asc");
  query = sqlite3_str_finish(q);
  if(!query)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  for(attempt = 1; attempt <= MAX_RETRIES + 1; attempt++) {
    rc = kc_cursor_open(f->c, f->o.app, f->o.fields, f->o.nfields, query,
                        size, &f->cursor, err);
    if(!rc || !cursor_resendable(err) || attempt > MAX_RETRIES ||
       stopping(f, err))
      break;
    KLOG(kc_client_log(f->c), KU_LOG_WARN, "fetch",
         "retrying cursor creation (%d of %d) after: %s", attempt,
         MAX_RETRIES, err->message);
    if(pause_ms(f, backoff(attempt), err)) {
      rc = kc_err_rc(err->kind);
      break;
    }
  }
  sqlite3_free(query);
  if(!rc)
    return KC_OK;
  if(err->kind == KC_EK_NOMEM || stopping(f, err))
    return rc;
  KLOG(kc_client_log(f->c), KU_LOG_WARN, "fetch",
       "app %lld: no cursor (%s%s%s), paging by $id instead: same rows, "
       "not a snapshot", f->o.app, err->message, err->code[0] ? ", " : "",
       err->code);
  kc_err_clear(err);
  return KC_OK;
}

/*
 * UseCursor: the pages after the first, through one cursor, one page at
 * a time.  Empty pages with next:true are read past.  Falls back to
 * seek paging (plan_rest) when no cursor can be created, and to
 * sequential seek from the last $id received when a read fails in a way
 * that may have consumed a page.
 */
static int next_cursor(struct ks_fetch *f, struct kc_page *page, int *done,
                       struct kc_err *err)
{
  int rc, more, attempt = 0;

  if(f->seq_done) {
    *done = 1;
    return KC_OK;
  }
  if(!f->cursor) {
    rc = open_cursor(f, err);
    if(rc)
      return rc;
    if(!f->cursor) {
      rc = plan_rest(f, err);
      if(rc)
        return rc;
      return f->phase == PH_LANES ? next_lane(f, page, done, err)
                                  : next_sequential(f, page, done, err);
    }
  }
  for(;;) {
    rc = kc_cursor_read(f->cursor, page, &more, err);
    if(rc) {
      if(err->kind == KC_EK_NOMEM || stopping(f, err))
        return rc;            /* ks_fetch_free deletes the cursor */
      if(cursor_resendable(err) && attempt < MAX_RETRIES) {
        attempt++;
        KLOG(kc_client_log(f->c), KU_LOG_WARN, "fetch",
             "retrying cursor read (%d of %d) after: %s", attempt,
             MAX_RETRIES, err->message);
        if(pause_ms(f, backoff(attempt), err))
          return kc_err_rc(err->kind);
        continue;
      }
      KLOG(kc_client_log(f->c), KU_LOG_WARN, "fetch",
           "app %lld: cursor read failed (%s); its page may be lost, so "
           "the cursor is dropped and paging continues by $id after %lld",
           f->o.app, err->message, f->last_id);
      drop_cursor(f);
      kc_err_clear(err);
      f->phase = PH_SEQ;
      return next_sequential(f, page, done, err);
    }
    attempt = 0;
    f->last_id = last_id_of(page, f->last_id);
    if(f->remaining >= 0) {
      f->remaining -= (long long)page->count;
      if(f->remaining < 0)
        f->remaining = 0;
    }
    if(!more || f->remaining == 0) {
      f->seq_done = 1;
      drop_cursor(f);           /* DELETE only if still live (LIMIT) */
    }
    if(page->count || f->seq_done) {
      if(!page->count)
        *done = 1;
      return KC_OK;
    }
    kc_page_free(page);         /* empty, next:true: read on */
  }
}

int ks_fetch_next(struct ks_fetch *f, struct kc_page *page, int *done,
                  struct kc_err *err)
{
  memset(page, 0, sizeof(*page));
  page->total_count = -1;
  *done = 0;
  switch(f->phase) {
  case PH_FIRST:
    return first_page(f, page, done, err);
  case PH_SEQ:
    return next_sequential(f, page, done, err);
  case PH_CURSOR:
    return next_cursor(f, page, done, err);
  default:
    return next_lane(f, page, done, err);
  }
}
