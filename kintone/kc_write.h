/*
 * kc_write.h - record writes in Kintone's atomic bulk requests.
 *
 * Layer: kintone.  A batch is at most KC_BULK_RECORDS records: one
 * POST bulkRequest.json of up to 20 sub-requests (POST/PUT/DELETE
 * records.json) of up to 100 records each, applied all or nothing by
 * Kintone.  Items are JSON texts built by the caller:
 *   KC_W_ADD     a record object  {"code": {"value": ...}, ...}
 *   KC_W_UPDATE  an update item   {"id": 7, "revision": -1, "record": {...}}
 *   KC_W_DELETE  "<id>" or "<id>:<revision>"
 *
 * Outcomes: KC_OK (everything applied; ADD fills ids), a Kintone error
 * (nothing applied; err->row is the failing item's index when Kintone
 * names it), or KC_EK_UNKNOWN_OUTCOME when the request may or may not
 * have been applied (connection lost or a non-Kintone answer after the
 * request was sent) - never retried, so nothing is duplicated.
 */
#ifndef KC_WRITE_H
#define KC_WRITE_H

#include <stddef.h>

#include "kc_error.h"

struct kc_client;

#define KC_CHUNK_RECORDS 100
#define KC_BULK_REQUESTS 20
#define KC_BULK_RECORDS (KC_CHUNK_RECORDS * KC_BULK_REQUESTS)

enum kc_wkind { KC_W_ADD = 1, KC_W_UPDATE, KC_W_DELETE,
                KC_W_UPSERT       /* PUT with "upsert": true; items are
                                     {"updateKey": {...}, "record": {...}} */
};

struct kc_write_result {
  long long *ids;          /* ADD: new record ids, n entries (ku_free) */
  long row;                /* failing item index, -1 when not known */
  char field[256];         /* failing field code, "" when not known */
  char field_message[512]; /* Kintone's message for that field */
};

/*
 * Applies n (<= KC_BULK_RECORDS) items of one kind to `app` atomically.
 * res may be NULL.
 */
int kc_write_bulk(struct kc_client *c, int kind, long long app,
                  const char *const *items, size_t n,
                  struct kc_write_result *res, struct kc_err *err);
void kc_write_result_cleanup(struct kc_write_result *res);

#endif
