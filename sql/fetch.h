/*
 * fetch.h - the paging engine: the pages of one scan, in $id order,
 * fetched several at a time.
 *
 * Layer: sql (uses kintone/ and the net/ transfer pool).
 *
 * The first page is read alone ("<cond> order by $id asc limit 500",
 * with totalCount).  When more than one page remains and the scan has
 * no LIMIT, the remaining $id span (estimated from the first page's
 * density; the last lane is unbounded) is split into up to
 * MaxConcurrency lanes; each lane pages through its span by seek
 *   (<cond>) and $id > <last> and $id <= <hi> order by $id asc limit 500
 * with at most two pages per lane fetched ahead, so memory stays bounded
 * by the number of lanes, not by the number of records.  Pages are
 * handed out lane after lane, so rows still come in $id order.  Reads
 * that fail with a retryable error (429, 5xx, connection reset, timeout,
 * malformed answer) are sent again after an exponential backoff with
 * jitter; the concurrency of the scan is halved on 429.
 */
#ifndef KS_FETCH_H
#define KS_FETCH_H

#include <stddef.h>

#include "../kintone/kc_records.h"

struct kc_client;
struct ks_fetch;

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
};

int ks_fetch_start(struct kc_client *c, const struct ks_fetch_opts *o,
                   struct ks_fetch **out, struct kc_err *err);
/*
 * The next page in order (moved into *page, caller frees it);
 * *done = 1 and an empty page once the scan is complete.
 */
int ks_fetch_next(struct ks_fetch *f, struct kc_page *page, int *done,
                  struct kc_err *err);
void ks_fetch_free(struct ks_fetch *f);      /* aborts transfers */

#endif
