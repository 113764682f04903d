/*
 * fetch.h - the paging engine: the pages of one scan, in $id order,
 * fetched several at a time.
 *
 * Layer: sql (uses kintone/ and the net/ transfer pool).
 *
 * The first page is read alone ("<cond> order by $id asc limit 500",
 * with totalCount).  When more than one page remains and the scan has
 * no LIMIT, the rest is read by a window of lanes over consecutive $id
 * ranges, each about one page wide at the first page's density (the
 * last one unbounded, where the estimate says the records end); a lane
 * pages through its range by seek
 *   (<cond>) and $id > <last> and $id <= <hi> order by $id asc limit 500
 * (one request when the estimate holds).  A full scan without condition
 * that has a fresh hint (struct ks_hint: the app's lowest and highest
 * $id and record count, read with its form) skips the first page: its
 * lanes are placed from the hint and the first MaxConcurrency requests
 * go out at once.
 *
 * Up to MaxConcurrency requests are in flight, at most MaxConcurrency +
 * 8 lanes exist and at most as many pages are buffered or in flight, so
 * memory stays bounded by MaxConcurrency, not by the number of records.
 * Pages are handed out from the first lane of the
 * window, so rows come in $id order (PreserveOrder=0 without ORDER BY:
 * from any lane); as a lane is used up the window moves on and opens
 * the next range.  The unbounded last lane asks for its totalCount: a
 * full page that is all of it needs no request after it.  When it comes
 * back full with more than a page after it, the ids spread further than
 * estimated: the window opens ranges after it again, sized from the
 * density seen so far.  Reads that fail with a retryable error (429,
 * 5xx, connection reset, timeout, malformed answer) are sent again
 * after an exponential backoff with jitter; the concurrency of the scan
 * is halved on 429.
 *
 * UseCursor=1 (the connection's kc_config.use_cursor) reads what follows
 * the first page through one Kintone cursor instead (kc_cursor.h):
 *   (<cond>) and $id > <last> order by $id asc        size PageSize
 * created when the second page is asked for (not when a LIMIT leaves
 * no more than one page to read: one seek read does), read one page at a time
 * (sequential, one page in memory), so the record set is fixed when the
 * cursor is created.  The cursor is deleted as soon as the scan needs no
 * more rows (LIMIT reached) and by ks_fetch_free whenever the scan ends
 * before the cursor did (statement closed, SQLite stopped early, error,
 * SQLCancel, query timeout, disconnect), never after the server freed
 * it (next:false).  When no cursor can be had (429 GAIA_TM12, this
 * process's 10 per host, any failed create) the scan pages by $id seek
 * as without UseCursor, after a warning; a cursor read that fails after
 * it may have been served (its page is then lost) deletes the cursor
 * and continues by seek from the last $id received: the same rows.
 */
#ifndef KS_FETCH_H
#define KS_FETCH_H

#include <stddef.h>

#include "../kintone/kc_records.h"

struct kc_client;
struct ks_fetch;

/*
 * What an app's records looked like a moment ago: its lowest and highest
 * $id and how many records it had (two one-record reads sent with the
 * form request, ks_probe_*).  A full scan started soon after places its
 * ranges from it and sends MaxConcurrency requests at once, instead of
 * reading a first page alone to learn the same.
 */
struct ks_hint {
  long long lo, hi, total;
  long long at;               /* kh_now_ms() when read; 0 = none */
};

/* A hint is used within this long of being read, and once. */
#define KS_HINT_MS 60000

struct kh_req;
struct ks_probe {
  struct kh_req *req;         /* [2]: lowest $id (with totalCount), highest */
  int sent[2];
};

/*
 * Sends the two reads of app's hint ("order by $id asc limit 1" with
 * totalCount, "... desc limit 1", field $id only) without waiting.  A
 * failure (out of memory) only means no hint: p then holds nothing.
 */
void ks_probe_send(struct kc_client *c, long long app, struct ks_probe *p);
/*
 * Waits for them (the other transfers that finish meanwhile are kept for
 * their owners) and sets *hint when both answered; any failure, logged,
 * leaves *hint as it was.  Frees what p holds.
 */
void ks_probe_finish(struct kc_client *c, long long app, struct ks_probe *p,
                     struct ks_hint *hint);
/* Stops the reads without waiting and frees what p holds. */
void ks_probe_abort(struct kc_client *c, struct ks_probe *p);

struct ks_fetch_opts {
  long long app;
  const char *const *fields;  /* borrowed for the fetch's lifetime */
  size_t nfields;
  const char *cond;           /* Kintone condition, may be "" */
  int desc;                   /* order by $id desc */
  long long limit;            /* rows wanted, -1 = all */
  long long offset;           /* Kintone offset of the first page */
  int page_size;              /* 1..500 */
  int concurrency;            /* lanes at most */
  int unordered;              /* pages may come in any order (no ORDER BY
                                 and PreserveOrder=0) */
  struct ks_hint *hint;       /* the app's hint, or NULL: a full scan
                                 without condition uses it while fresh
                                 (and clears it) */
  volatile int *cancel;       /* the connection's SQLCancel flag, or NULL:
                                 lifted while a cursor is deleted after a
                                 cancel, so that cleanup still happens */
};

int ks_fetch_start(struct kc_client *c, const struct ks_fetch_opts *o,
                   struct ks_fetch **out, struct kc_err *err);
/*
 * The next page in order (moved into *page, caller frees it);
 * *done = 1 and an empty page once the scan is complete.
 */
int ks_fetch_next(struct ks_fetch *f, struct kc_page *page, int *done,
                  struct kc_err *err);
/*
 * While the application reads the rows of a page: takes in the requests
 * that have finished and sends the next ones, without waiting, so that
 * request slots do not stay idle until the next page is asked for.
 * Errors are those of ks_fetch_next (cancel, out of memory).
 */
int ks_fetch_poll(struct ks_fetch *f, struct kc_err *err);
/*
 * How many records the scan will hand out at most, as Kintone's
 * totalCount (or the table's id-range hint, IdRangeProbe) told it after
 * the first ks_fetch_next of a scan of more than a page; -1 while
 * unknown.
 */
long long ks_fetch_expected(const struct ks_fetch *f);
/* Aborts transfers and deletes the scan's live cursor (accepts NULL). */
void ks_fetch_free(struct ks_fetch *f);

#endif
