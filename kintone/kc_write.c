/*
 * kc_write.c - record writes in atomic bulk requests.  See kc_write.h.
 */
#include "kc_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kc_client.h"
#include "../net/kh_http.h"
#include "../net/kj_json.h"
#include "../util/ku_buf.h"
#include "../util/ku_log.h"
#include "../util/ku_mem.h"

void kc_write_result_cleanup(struct kc_write_result *res)
{
  if(!res)
    return;
  ku_free(res->ids);
  res->ids = NULL;
}

/* The API path of a sub-request, guest spaces included. */
static int api_path(struct kc_client *c, struct ku_buf *b, const char *api)
{
  const struct kc_config *cfg = kc_client_config(c);

  if(cfg->guest_space_id)
    return ku_buf_printf(b, "\"/k/guest/%lld/v1/%s.json\"",
                         cfg->guest_space_id, api);
  return ku_buf_printf(b, "\"/k/v1/%s.json\"", api);
}

/* Builds the bulkRequest body. */
static int build_body(struct kc_client *c, int kind, long long app,
                      const char *const *items, size_t n, struct ku_buf *b)
{
  size_t i, j;
  int rc = ku_buf_adds(b, "{\"requests\":[");

  for(i = 0; i < n && !rc; i += KC_CHUNK_RECORDS) {
    size_t end = i + KC_CHUNK_RECORDS < n ? i + KC_CHUNK_RECORDS : n;
    rc = ku_buf_printf(b, "%s{\"method\":\"%s\",\"api\":", i ? "," : "",
                       kind == KC_W_ADD ? "POST" :
                       kind == KC_W_DELETE ? "DELETE" : "PUT");
    if(!rc)
      rc = api_path(c, b, "records");
    if(!rc)
      rc = ku_buf_printf(b, ",\"payload\":{\"app\":%lld,", app);
    if(kind == KC_W_DELETE) {
      if(!rc)
        rc = ku_buf_adds(b, "\"ids\":[");
      for(j = i; j < end && !rc; j++)
        rc = ku_buf_printf(b, "%s%lld", j > i ? "," : "",
                           strtoll(items[j], NULL, 10));
      if(!rc)
        rc = ku_buf_adds(b, "],\"revisions\":[");
      for(j = i; j < end && !rc; j++) {
        const char *colon = strchr(items[j], ':');
        rc = ku_buf_printf(b, "%s%lld", j > i ? "," : "",
                           colon ? strtoll(colon + 1, NULL, 10) : -1LL);
      }
      if(!rc)
        rc = ku_buf_adds(b, "]}}");
    }
    else {
      if(!rc && kind == KC_W_UPSERT)
        rc = ku_buf_adds(b, "\"upsert\":true,");
      if(!rc)
        rc = ku_buf_adds(b, "\"records\":[");
      for(j = i; j < end && !rc; j++)
        rc = ku_buf_printf(b, "%s%s", j > i ? "," : "", items[j]);
      if(!rc)
        rc = ku_buf_adds(b, "]}}");
    }
  }
  if(!rc)
    rc = ku_buf_adds(b, "]}");
  return rc;
}

/*
 * Reads the failing sub-request of a bulkRequest error: its index, and
 * from its `errors` keys ("records[3].amount.value") the record index
 * and field code.
 */
static void failure_detail(yajl_val root, struct kc_write_result *res,
                           struct kc_err *err)
{
  yajl_val results = kj_get(root, "results");
  size_t i, k;

  for(i = 0; i < kj_len(results); i++) {
    yajl_val r = kj_at(results, i);
    const char *code = kj_str(kj_get(r, "code"));
    const char *msg = kj_str(kj_get(r, "message"));
    yajl_val errors = kj_get(r, "errors");
    if(!code)
      continue;
    snprintf(err->code, sizeof(err->code), "%s", code);
    snprintf(err->id, sizeof(err->id), "%s",
             kj_str(kj_get(r, "id")) ? kj_str(kj_get(r, "id")) : "");
    if(msg)
      snprintf(err->message, sizeof(err->message), "%s", msg);
    if(res)
      res->row = (long)(i * KC_CHUNK_RECORDS);
    for(k = 0; errors && YAJL_IS_OBJECT(errors) && k < errors->u.object.len;
        k++) {
      const char *key = errors->u.object.keys[k];
      const char *m = kj_str(kj_at(kj_get(errors->u.object.values[k],
                                          "messages"), 0));
      const char *p = strstr(key, "records[");
      if(res && p) {
        const char *dot;
        res->row = (long)(i * KC_CHUNK_RECORDS) +
                   strtol(p + 8, NULL, 10);
        dot = strchr(p, ']');
        if(dot && dot[1] == '.') {
          const char *f = dot + 2, *e = strchr(f, '.');
          size_t len = e ? (size_t)(e - f) : strlen(f);
          snprintf(res->field, sizeof(res->field), "%.*s", (int)len, f);
        }
        else if(dot && dot[1] == '[') {   /* records[i][code].value */
          const char *f = dot + 2, *e = strchr(f, ']');
          size_t len = e ? (size_t)(e - f) : strlen(f);
          snprintf(res->field, sizeof(res->field), "%.*s", (int)len, f);
        }
        snprintf(res->field_message, sizeof(res->field_message), "%s",
                 m ? m : "");
      }
      if(m) {
        size_t used = strlen(err->message);
        snprintf(err->message + used, sizeof(err->message) - used,
                 "%s%s: %s", k ? "; " : " ", key, m);
      }
    }
    return;
  }
}

int kc_write_bulk(struct kc_client *c, int kind, long long app,
                  const char *const *items, size_t n,
                  struct kc_write_result *res, struct kc_err *err)
{
  struct ku_buf body;
  struct kh_req r;
  yajl_val root = NULL;
  int rc;
  size_t i;

  if(res) {
    memset(res, 0, sizeof(*res));
    res->row = -1;
  }
  if(!n)
    return KC_OK;
  if(n > KC_BULK_RECORDS)
    return kc_err_set(err, KC_EK_INVALID, 0, "too many records in a batch");
  ku_buf_init(&body, (size_t)1 << 30);
  if(build_body(c, kind, app, items, n, &body)) {
    ku_buf_cleanup(&body);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  rc = kc_client_request(c, &r, "POST", "bulkRequest", NULL,
                         ku_buf_cstr(&body), err);
  ku_buf_cleanup(&body);
  if(rc)
    return rc;
  r.once = 1;
  KLOG(kc_client_log(c), KU_LOG_INFO, "kintone",
       "bulkRequest app=%lld %s %zu records", app,
       kind == KC_W_ADD ? "add" : kind == KC_W_UPDATE ? "update" :
       kind == KC_W_UPSERT ? "upsert" : "delete",
       n);
  rc = kh_http_perform(kc_client_http(c), &r);
  if(rc == KH_ENOMEM) {
    kh_req_cleanup(&r);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  if(rc == KH_ECANCEL) {
    kh_req_cleanup(&r);
    return kc_err_set(err, KC_EK_UNKNOWN_OUTCOME, 0,
                      "cancelled while the write of %zu records was in "
                      "flight: it may or may not have been applied", n);
  }
  /*
   * Once the request may have reached Kintone, a lost answer means the
   * outcome is unknown.  A refused connection or failed TLS handshake
   * means it was never sent.
   */
  if(r.fail && r.fail != KH_F_RESOLVE && r.fail != KH_F_CONNECT &&
     r.fail != KH_F_TLS) {
    rc = kc_err_set(err, KC_EK_UNKNOWN_OUTCOME, r.curl_code,
                    "the write of %zu records may or may not have been "
                    "applied: %s", n, r.errmsg);
    kh_req_cleanup(&r);
    return rc;
  }
  rc = kc_client_finish(c, &r, &root, err);
  if(rc && !err->code[0] && r.status >= 500) {
    /* not Kintone's own answer (a proxy, a crash): unknown outcome */
    rc = kc_err_set(err, KC_EK_UNKNOWN_OUTCOME, r.status,
                    "the write of %zu records may or may not have been "
                    "applied: HTTP %ld without a Kintone error", n,
                    r.status);
  }
  else if(rc && err->kind != KC_EK_NOMEM && r.resp.len) {
    yajl_val ev = NULL;
    char perr[64];
    if(!kj_parse(ku_buf_cstr(&r.resp), r.resp.len, &ev, perr,
                 sizeof(perr))) {
      failure_detail(ev, res, err);
      yajl_tree_free(ev);
    }
  }
  else if(!rc && r.status == 200 && root && kind == KC_W_ADD && res) {
    yajl_val results = kj_get(root, "results");
    size_t got = 0;
    res->ids = ku_calloc(n, sizeof(long long));
    for(i = 0; res->ids && i < kj_len(results); i++) {
      yajl_val ids = kj_get(kj_at(results, i), "ids");
      size_t j;
      for(j = 0; j < kj_len(ids) && got < n; j++)
        res->ids[got++] = kj_int(kj_at(ids, j), 0);
    }
  }
  else if(!rc && !root) {
    rc = kc_err_set(err, KC_EK_UNKNOWN_OUTCOME, r.status,
                    "the write of %zu records may or may not have been "
                    "applied: unreadable answer", n);
  }
  if(root)
    yajl_tree_free(root);
  kh_req_cleanup(&r);
  return rc;
}
