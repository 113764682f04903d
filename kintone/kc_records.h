/*
 * kc_records.h - reading records (records.json pages).
 *
 * Layer: kintone.  A page is one GET records.json answer, kept as a
 * parsed tree until the caller has consumed it; memory is bounded by
 * the page size (at most 500 records).
 *
 *   struct kc_page pg;
 *   rc = kc_records_get(c, app, fields, nfields,
 *                       "$id > 0 order by $id asc limit 500", 0, &pg, &err);
 *   for(i = 0; i < pg.count; i++) use(kc_page_record(&pg, i));
 *   kc_page_free(&pg);
 */
#ifndef KC_RECORDS_H
#define KC_RECORDS_H

#include <stddef.h>
#include <yajl/yajl_tree.h>

#include "kc_error.h"

struct kc_client;

struct kj_arena;

struct kc_page {
  yajl_val root;          /* parsed response (in `arena`) */
  struct kj_arena *arena; /* owns root and everything below it */
  size_t bytes;           /* memory held by the page */
  yajl_val records;       /* the records array inside root */
  size_t count;           /* records in this page */
  long long total_count;  /* totalCount when requested, else -1 */
};

/*
 * GET records.json for `app` with the given field codes (NULL/0 = all
 * fields), query text (may be NULL) and totalCount flag.
 */
int kc_records_get(struct kc_client *c, long long app,
                   const char *const *fields, size_t nfields,
                   const char *query, int total_count, struct kc_page *page,
                   struct kc_err *err);
/*
 * The same GET split in two for concurrent paging: kc_records_request
 * prepares `r` (submit it with kh_http_submit), kc_records_finish reads
 * the completed request into `page` (and cleans r up either way).
 */
struct kh_req;
int kc_records_request(struct kc_client *c, struct kh_req *r, long long app,
                       const char *const *fields, size_t nfields,
                       const char *query, int total_count,
                       struct kc_err *err);
int kc_records_finish(struct kc_client *c, struct kh_req *r,
                      struct kc_page *page, int total_count,
                      struct kc_err *err);
/*
 * Deferred parsing, for pages whose request slot matters more than when
 * they are parsed: kc_records_request_whole prepares `r` like
 * kc_records_request but keeps the answer whole and unparsed, so that
 * its transfer ends the moment the last byte is in.  kc_records_take
 * reads the completed request as kc_records_finish does (the same
 * errors) and moves the body into `body` (cleaning r up either way);
 * kc_records_parse makes the page of such a body later (the body stays
 * the caller's).  It calls `between(ctx)` after each piece of about
 * 64 KB when given: a non-zero return stops it, and that value is
 * returned.
 */
int kc_records_request_whole(struct kc_client *c, struct kh_req *r,
                             long long app, const char *const *fields,
                             size_t nfields, const char *query,
                             struct kc_err *err);
struct ku_buf;
int kc_records_take(struct kc_client *c, struct kh_req *r,
                    struct ku_buf *body, struct kc_err *err);
int kc_records_parse(struct kc_client *c, const char *body, size_t len,
                     struct kc_page *page,
                     int (*between)(void *ctx), void *ctx,
                     struct kc_err *err);
/*
 * Makes r (prepared by kc_client_request, not yet submitted) parse a
 * successful body as it arrives, as kc_records_request does; the answer
 * is then read with kc_records_finish.  For other record-page answers
 * (records/cursor.json).  KC_OK or KC_EK_NOMEM (r unchanged).
 */
int kc_records_stream(struct kc_client *c, struct kh_req *r);
/* 1 if a read that failed with `err` may succeed when sent again. */
int kc_read_retryable(const struct kc_err *err);

/* Record i of the page (an object of field code -> {type, value}). */
yajl_val kc_page_record(const struct kc_page *page, size_t i);
void kc_page_free(struct kc_page *page);

#endif
