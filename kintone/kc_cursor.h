/*
 * kc_cursor.h - reading records through Kintone's cursor API
 * (/k/v1/records/cursor.json, API.md 3.1 "Cursor").
 *
 * Layer: kintone.  A cursor fixes the set of matching records when it is
 * created; its pages are then read one after another, each GET handing
 * out the next `size` records.  The pages land in the same struct
 * kc_page as records.json reads (kc_records.h), parsed the same way
 * (kc_records_stream: as the body arrives).
 *
 *   struct kc_cursor *k;
 *   rc = kc_cursor_open(c, app, fields, nfields,
 *                       "$id > 500 order by $id asc", 500, &k, &err);
 *   do {
 *     rc = kc_cursor_read(k, &pg, &more, &err);   (error: see below)
 *     use(&pg);
 *     kc_page_free(&pg);
 *   } while(!rc && more);
 *   kc_cursor_close(k, &err);     always; sends DELETE only when needed
 *
 * Rules the server imposes and this module keeps:
 *   - At most 10 live cursors per domain (the 11th create answers 429
 *     GAIA_TM12).  Besides, this process never holds more than
 *     KC_CURSOR_MAX_LIVE cursors per host: kc_cursor_open fails with
 *     KC_EK_THROTTLED (err->code "") instead of asking.
 *   - A cursor is freed by the server when a GET answers next:false; it
 *     must then not be deleted (that would be a 404 GAIA_CN01).
 *     kc_cursor_close sends DELETE only for a cursor that is still live,
 *     and never twice.
 *   - A GET is not idempotent: the page it hands out is gone from the
 *     cursor even if the answer is lost.  Create and read requests are
 *     therefore sent on a fresh connection, where libcurl never resends
 *     them silently, and a failed read is never repeated here; the
 *     caller decides (the fetch engine falls back to $id seek paging).
 */
#ifndef KC_CURSOR_H
#define KC_CURSOR_H

#include <stddef.h>

#include "kc_error.h"
#include "kc_records.h"

struct kc_client;
struct kc_cursor;

/* Live cursors per domain (API.md 4): also this process's own cap. */
#define KC_CURSOR_MAX_LIVE 10

/*
 * Creates a cursor over the records of `app` matching `query` (conditions
 * and `order by` only, no limit/offset), reading `fields` (NULL/0 = all)
 * `size` (1..500) records per page.  On success *out owns the cursor and
 * one of the host's slots.  Failures: KC_EK_THROTTLED with code
 * "GAIA_TM12" (the domain's limit) or "" (this process's limit), any
 * other error of the request.  A create whose answer is lost (cancel,
 * timeout, broken link) may leave a cursor on the server that nobody
 * knows the id of; Kintone frees it after 10 minutes.
 */
int kc_cursor_open(struct kc_client *c, long long app,
                   const char *const *fields,  /* borrowed during call */
                   size_t nfields,
                   const char *query,          /* may be NULL */
                   int size,
                   struct kc_cursor **out,     /* NULL on failure */
                   struct kc_err *err);

/*
 * Reads the next page into *page (kc_page_free it).  *more receives the
 * answer's `next`: 0 means the server has freed the cursor (it is then
 * no longer live and needs no DELETE).  A page may be empty while more
 * is 1.  On failure *page is empty and the cursor's position is unknown
 * (the page may have been handed out and lost); a 404 GAIA_CN01 marks it
 * no longer live (expired or deleted elsewhere).
 */
int kc_cursor_read(struct kc_cursor *k, struct kc_page *page, int *more,
                   struct kc_err *err);

/* 1 while the cursor exists on the server as far as we know. */
int kc_cursor_live(const struct kc_cursor *k);
/* The server's id of the cursor (valid until kc_cursor_close). */
const char *kc_cursor_id(const struct kc_cursor *k);
/* totalCount of the create answer (records in the set), -1 if absent. */
long long kc_cursor_total(const struct kc_cursor *k);

/*
 * Deletes the cursor on the server when it is still live, releases its
 * slot and frees k (accepts NULL).  The DELETE goes through the client's
 * transport like any request, so it obeys the cancel flag and deadline
 * in force (the caller lifts them for cleanup).  Returns KC_OK, or the
 * DELETE's error (404 GAIA_CN01 counts as success: already gone); k is
 * freed either way.
 */
int kc_cursor_close(struct kc_cursor *k, struct kc_err *err);

/* Cursors this process holds on the host of c's URL (for logs, tests). */
int kc_cursor_host_count(const struct kc_client *c);

#endif
