/*
 * kh_http.h - HTTPS transfers over libcurl multi.
 *
 * Layer: net.  Knows HTTP, TLS and proxies, nothing of Kintone.  One
 * struct kh_http per connection owns a curl multi handle and a pool of
 * reusable easy handles, so connections are kept alive and several
 * requests can be in flight at once (at most `max_concurrency`).
 *
 *   struct kh_req r;
 *   kh_req_init(&r, "GET", url, headers, NULL, 0, 8 << 20);
 *   rc = kh_http_perform(http, &r);      (or kh_http_submit + wait)
 *   if(!rc && r.status == 200) use(r.resp.ptr, r.resp.len);
 *   kh_req_cleanup(&r);
 */
#ifndef KH_HTTP_H
#define KH_HTTP_H

#include <stddef.h>

#include "../util/ku_buf.h"

struct ku_log;
struct kh_http;

enum kh_rc {
  KH_OK = 0,
  KH_ENOMEM,
  KH_EINVAL,      /* bad option (e.g. unreadable certificate) */
  KH_ETRANSFER,   /* the transfer failed; see kh_req.curl_code/errmsg */
  KH_ECANCEL
};

/* Transport failure classes, so callers need not know curl codes. */
enum kh_fail {
  KH_F_NONE = 0,
  KH_F_RESOLVE,     /* DNS */
  KH_F_CONNECT,     /* TCP refused/unreachable, proxy */
  KH_F_TLS,         /* handshake, certificate, client certificate */
  KH_F_TIMEOUT,
  KH_F_SEND_RECV,   /* reset or broken while transferring */
  KH_F_TOOBIG,      /* response exceeded the cap */
  KH_F_CANCEL,
  KH_F_OTHER
};

struct kh_opts {
  long timeout_ms;            /* whole transfer; 0 = none */
  long connect_timeout_ms;    /* TCP + TLS handshake; 0 = curl default */
  int max_concurrency;        /* parallel transfers, >= 1 */
  const char *ca_file;        /* trust this CA bundle instead of system */
  const char *cert_file;      /* client certificate file, or NULL */
  const void *cert_blob;      /* client certificate as base64 (or PEM)
                                 text instead of a file, or NULL */
  size_t cert_blob_len;       /* bytes of cert_blob */
  const char *cert_type;      /* "PEM" (certificate + key) or "P12" */
  const char *cert_password;  /* key / keystore password, or NULL */
  const char *cert_subject;   /* choose the certificate whose subject
                                 contains this; NULL or "*" = first */
  const char *proxy;          /* proxy URL, or NULL (environment applies) */
  const char *proxy_user;
  const char *proxy_password;
  const volatile int *cancel; /* polled during transfers; non-zero stops */
  struct ku_log *log;
};

struct kh_req {
  /* request (owned) */
  char *method;               /* "GET", "POST", "PUT", "DELETE" */
  int once;                   /* never sent twice: a new connection and no
                                 automatic resend (writes) */
  int finish;                 /* once started, runs to its end even after
                                 a cancel or past the query deadline
                                 (its own Timeout still applies): what
                                 the server makes of it must be known
                                 (a new cursor, to delete it again) */
  char *url;
  struct curl_slist *headers;
  char *body;                 /* request body or NULL */
  size_t body_len;
  /* response */
  long status;                /* HTTP status, 0 when no response */
  struct ku_buf resp;         /* body, capped */
  int curl_code;              /* CURLE_* of the transfer */
  int fail;                   /* enum kh_fail */
  char errmsg[512];           /* transport error text */
  double seconds;             /* total time */
  void *user;                 /* caller's context */
  /*
   * Optional consumer of a successful (2xx) body: pieces go to sink as
   * they arrive instead of into resp (other statuses are still kept in
   * resp).  A non-zero return aborts the transfer (fail KH_F_OTHER).
   * sink_reset is called when the response starts over; sink_free, when
   * set, releases sink_ctx in kh_req_cleanup (a caller that takes the
   * context over sets sink_ctx to NULL first).
   */
  int (*sink)(void *ctx, const char *data, size_t len);
  void (*sink_reset)(void *ctx);
  void (*sink_free)(void *ctx);
  void *sink_ctx;
  size_t sunk;                /* bytes given to sink (capped like resp) */
  void *easy;                 /* internal: the curl easy handle in use */
  struct kh_req *next_done;   /* internal: completion list */
};

/* Monotonic milliseconds. */
long long kh_now_ms(void);
/* Every transfer started from now on ends by `deadline` (kh_now_ms()
   time; 0 = no deadline): SQL_ATTR_QUERY_TIMEOUT. */
void kh_http_set_deadline(struct kh_http *h, long long deadline);
int kh_http_deadline_passed(const struct kh_http *h);
/* Waits ms milliseconds (a retry's backoff) or until the deadline,
   watching the cancel flag every 20 ms: KH_ECANCEL when it is set. */
int kh_http_sleep(struct kh_http *h, long ms);

/* Global libcurl initialisation, once per process (thread-safe). */
int kh_global_init(void);

/*
 * Creates a transport.  A client certificate is loaded, decrypted and
 * chosen here (net/kh_cert.h): a missing file, a wrong password or no
 * certificate with the subject fails with KH_EINVAL and a message naming
 * the connection property in errbuf.
 */
int kh_http_new(const struct kh_opts *opts, struct kh_http **out,
                char *errbuf, size_t errlen);
void kh_http_free(struct kh_http *h);       /* accepts NULL */

/*
 * Prepares a request; headers are copied (NULL-terminated array of
 * "Name: value" strings, may be NULL); body copied when non-NULL.
 * resp_max caps the response body (KH_F_TOOBIG beyond it).
 */
int kh_req_init(struct kh_req *r, const char *method, const char *url,
                const char *const *headers, const void *body,
                size_t body_len, size_t resp_max);
void kh_req_cleanup(struct kh_req *r);
/* Clears the response part so the request can be sent again. */
void kh_req_reset_response(struct kh_req *r);

/* Queues r; it starts as soon as a concurrency slot is free. */
int kh_http_submit(struct kh_http *h, struct kh_req *r);
/*
 * Drives transfers until one request completes (or timeout_ms passes,
 * or cancel is set); *done receives it (NULL on timeout).  The result
 * of the transfer is in the request (status, fail, errmsg).
 */
int kh_http_wait(struct kh_http *h, struct kh_req **done, long timeout_ms);
/* Number of requests queued or in flight. */
int kh_http_pending(const struct kh_http *h);
/*
 * 1 when a finished request is waiting or a running transfer's socket
 * has something to read or write now (one poll, no waiting), so that a
 * caller busy with other work asks kh_http_wait only when it has news.
 */
int kh_http_ready(struct kh_http *h);
/*
 * Moves the transfers on as far as they go without waiting: a new
 * connection whose TCP connect has completed sends its TLS hello, a
 * request goes out.  Finished transfers are kept for kh_http_wait.
 */
int kh_http_drive(struct kh_http *h);
/* Removes a queued or running request without completing it. */
void kh_http_abort(struct kh_http *h, struct kh_req *r);
/* Submits r and waits for it alone (other transfers keep running). */
int kh_http_perform(struct kh_http *h, struct kh_req *r);
/* Waits for the submitted r alone, as kh_http_perform does: the other
   requests that finish meanwhile are kept for kh_http_wait.  A cancel
   ends the wait (and r) with KH_ECANCEL, unless r->finish is set: then
   r runs to its end and its result is returned (kh_http_perform does not
   send an r->finish request at all once the cancel flag is set or the
   query deadline has passed: KH_ECANCEL, or KH_ETRANSFER with
   KH_F_TIMEOUT). */
int kh_http_await(struct kh_http *h, struct kh_req *r);

#endif
