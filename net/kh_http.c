/*
 * kh_http.c - HTTPS transfers over libcurl multi.  See kh_http.h.
 *
 * Requests wait in a FIFO until one of `max_concurrency` slots is free,
 * then run on a pooled easy handle (keeping its connection alive).
 * Completed requests are moved to a done list that kh_http_wait() pops.
 *
 * Transfers are driven socket by socket (curl_multi_socket_action, the
 * sockets curl wants watched kept in `socks`), not with
 * curl_multi_perform: one perform reads every socket that has data
 * before it returns, so when several answers arrive together the first
 * one's end was seen (and its slot given to the next request) only after
 * all of them had been read.  Here finished transfers are taken in after
 * each socket, and the wait returns at the first one.
 */
#include "config.h"
#include "kh_http.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <curl/curl.h>
#include <openssl/ssl.h>

#include "kh_cert.h"
#include "../util/ku_log.h"
#include "../util/ku_mem.h"

#define POOL_MAX 100
#define SOCKS_MIN 16
#define RESERVE_MAX ((size_t)8 << 20)   /* see write_cb */

struct kh_sock {
  curl_socket_t fd;
  int what;                   /* CURL_POLL_IN, _OUT or _INOUT */
};

struct kh_http {
  CURLM *multi;
  CURLSH *share;              /* TLS sessions shared by the handles */
  struct kh_opts opts;        /* strings below are owned copies */
  CURL *idle[POOL_MAX];       /* reusable easy handles */
  int nidle;
  int running;                /* requests attached to the multi handle */
  struct kh_req *queue_head;  /* waiting for a slot (next_done links) */
  struct kh_req *queue_tail;
  struct kh_req *done_head;   /* completed, not yet returned */
  struct kh_req *done_tail;
  struct kh_cert cert;        /* chosen client certificate + key (PEM) */
  int have_cert;
  int tls_certreq;            /* a server asked for a client certificate */
  long long deadline;         /* kh_now_ms() time transfers must end by;
                                 0 = none (query timeout) */
  struct kh_sock *socks;      /* sockets curl wants watched (sock_cb) */
  int nsocks, socks_cap;
  struct pollfd *pfds;        /* step()'s copy of socks for poll() */
  int pfds_cap;
  long long timer_at;         /* kh_now_ms() when curl's timer is due;
                                 -1: no timer (timer_cb) */
  int bundle_only;            /* verify against libcurl's CA file alone */
};

long long kh_now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void kh_http_set_deadline(struct kh_http *h, long long deadline)
{
  h->deadline = deadline;
}

int kh_http_deadline_passed(const struct kh_http *h)
{
  return h->deadline && kh_now_ms() >= h->deadline;
}

int kh_http_sleep(struct kh_http *h, long ms)
{
  long long end = kh_now_ms() + ms;

  if(h->deadline && h->deadline < end)
    end = h->deadline;
  for(;;) {
    long long left = end - kh_now_ms();
    struct timespec ts;
    if(h->opts.cancel && *h->opts.cancel)
      return KH_ECANCEL;
    if(left <= 0)
      return KH_OK;
    if(left > 20)
      left = 20;
    ts.tv_sec = 0;
    ts.tv_nsec = (long)left * 1000000L;
    nanosleep(&ts, NULL);
  }
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static CURLcode init_rc = CURLE_OK;

static void global_init(void)
{
  init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int kh_global_init(void)
{
  pthread_once(&init_once, global_init);
  return init_rc == CURLE_OK ? KH_OK : KH_EINVAL;
}

static char *dup_or_null(const char *s, int *bad)
{
  char *d;

  if(!s)
    return NULL;
  d = ku_strdup(s);
  if(!d)
    *bad = 1;
  return d;
}

/*
 * Loads the client certificate of opts into h->cert (PEM blobs for
 * curl).  The blob text may not be NUL-terminated: copy it first.
 */
static int load_cert(struct kh_http *h, const struct kh_opts *opts,
                     char *errbuf, size_t errlen)
{
  struct kh_cert_src src;
  char *blob = NULL;
  int rc;

  memset(&src, 0, sizeof(src));
  if(opts->cert_blob) {
    blob = ku_strndup(opts->cert_blob, opts->cert_blob_len);
    if(!blob)
      return KH_ENOMEM;
    src.data = blob;
    src.is_blob = 1;
  }
  else
    src.data = opts->cert_file;
  src.is_pkcs12 = opts->cert_type && !strcmp(opts->cert_type, "P12");
  src.password = opts->cert_password;
  src.subject = opts->cert_subject;
  rc = kh_cert_load(&src, &h->cert, errbuf, errlen);
  if(blob) {
    memset(blob, 0, opts->cert_blob_len);
    ku_free(blob);
  }
  if(rc == KH_CERT_ENOMEM)
    return KH_ENOMEM;
  if(rc)
    return KH_EINVAL;
  h->have_cert = 1;
  KLOG(opts->log, KU_LOG_INFO, "http", "client certificate: %s",
       h->cert.subject);
  return KH_OK;
}

/* curl's socket callback: which sockets to watch, for what. */
static int sock_cb(CURL *e, curl_socket_t fd, int what, void *userp,
                   void *sockp)
{
  struct kh_http *h = userp;
  int i;

  (void)e;
  (void)sockp;
  for(i = 0; i < h->nsocks && h->socks[i].fd != fd; i++)
    ;
  if(what == CURL_POLL_REMOVE) {
    if(i < h->nsocks)
      h->socks[i] = h->socks[--h->nsocks];
    return 0;
  }
  if(i == h->nsocks) {
    if(h->nsocks == h->socks_cap) {
      int cap = h->socks_cap * 2;
      struct kh_sock *n = ku_realloc(h->socks, (size_t)cap * sizeof(*n));
      if(!n)
        return -1;              /* the multi handle fails: out of memory */
      h->socks = n;
      h->socks_cap = cap;
    }
    h->socks[h->nsocks++].fd = fd;
  }
  h->socks[i].what = what;
  return 0;
}

/* curl's timer callback: when to let it run its timeouts (0: at once). */
static int timer_cb(CURLM *m, long timeout_ms, void *userp)
{
  struct kh_http *h = userp;

  (void)m;
  h->timer_at = timeout_ms < 0 ? -1 : kh_now_ms() + timeout_ms;
  return 0;
}

int kh_http_new(const struct kh_opts *opts, struct kh_http **out,
                char *errbuf, size_t errlen)
{
  struct kh_http *h;
  int bad = 0;

  *out = NULL;
  if(kh_global_init()) {
    snprintf(errbuf, errlen, "libcurl initialisation failed");
    return KH_EINVAL;
  }
  h = ku_calloc(1, sizeof(*h));
  if(!h)
    return KH_ENOMEM;
  h->opts = *opts;
  if(h->opts.max_concurrency < 1)
    h->opts.max_concurrency = 1;
  if(h->opts.max_concurrency > POOL_MAX)
    h->opts.max_concurrency = POOL_MAX;
  h->opts.ca_file = dup_or_null(opts->ca_file, &bad);
  h->opts.cert_file = dup_or_null(opts->cert_file, &bad);
  h->opts.cert_type = dup_or_null(opts->cert_type, &bad);
  h->opts.cert_password = NULL;   /* used once below, never kept */
  h->opts.cert_subject = dup_or_null(opts->cert_subject, &bad);
  h->opts.proxy = dup_or_null(opts->proxy, &bad);
  h->opts.proxy_user = dup_or_null(opts->proxy_user, &bad);
  h->opts.proxy_password = dup_or_null(opts->proxy_password, &bad);
  h->opts.cert_blob = NULL;
  h->opts.cert_blob_len = 0;
  if(!bad && (opts->cert_file || opts->cert_blob)) {
    int crc = load_cert(h, opts, errbuf, errlen);
    if(crc) {
      kh_http_free(h);
      return crc;
    }
  }
  h->timer_at = -1;
  h->socks_cap = h->pfds_cap = SOCKS_MIN;
  h->socks = ku_malloc(SOCKS_MIN * sizeof(*h->socks));
  h->pfds = ku_malloc(SOCKS_MIN * sizeof(*h->pfds));
  if(!h->socks || !h->pfds)
    bad = 1;
  if(!bad) {
    h->multi = curl_multi_init();
    if(!h->multi)
      bad = 1;
  }
  if(bad) {
    kh_http_free(h);
    return KH_ENOMEM;
  }
  curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                    (long)h->opts.max_concurrency);
  curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
  curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
  curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
  curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
  /*
   * Each pooled easy handle keeps its own TLS session cache, so the
   * connections a scan opens at once would each make a full handshake;
   * shared, they resume the session of the first connection (no
   * certificate to send and check again).  Optional: without it every
   * handshake is a full one.
   */
  h->share = curl_share_init();
  if(h->share && curl_share_setopt(h->share, CURLSHOPT_SHARE,
                                   CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK) {
    curl_share_cleanup(h->share);
    h->share = NULL;
  }
  {
    /* the system's CA bundle alone, when libcurl names one that exists
       (see setup_easy) */
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    h->bundle_only = v && v->age >= CURLVERSION_SEVENTH && v->cainfo &&
                     v->capath && access(v->cainfo, R_OK) == 0;
  }
  *out = h;
  return KH_OK;
}

void kh_http_free(struct kh_http *h)
{
  int i;

  if(!h)
    return;
  while(h->queue_head)
    kh_http_abort(h, h->queue_head);
  /* running requests are owned by callers; detach their handles */
  for(i = 0; i < h->nidle; i++)
    curl_easy_cleanup(h->idle[i]);
  if(h->multi)
    curl_multi_cleanup(h->multi);
  if(h->share)
    curl_share_cleanup(h->share);       /* after the last easy handle */
  ku_free((char *)h->opts.ca_file);
  ku_free((char *)h->opts.cert_file);
  ku_free((char *)h->opts.cert_type);
  ku_free((char *)h->opts.cert_subject);
  if(h->have_cert)
    kh_cert_cleanup(&h->cert);
  ku_free((char *)h->opts.proxy);
  ku_free((char *)h->opts.proxy_user);
  ku_free((char *)h->opts.proxy_password);
  ku_free((void *)h->opts.cert_blob);
  ku_free(h->socks);
  ku_free(h->pfds);
  ku_free(h);
}

int kh_req_init(struct kh_req *r, const char *method, const char *url,
                const char *const *headers, const void *body,
                size_t body_len, size_t resp_max)
{
  memset(r, 0, sizeof(*r));
  ku_buf_init(&r->resp, resp_max);
  r->method = ku_strdup(method);
  r->url = ku_strdup(url);
  if(!r->method || !r->url)
    goto oom;
  for(; headers && *headers; headers++) {
    struct curl_slist *n = curl_slist_append(r->headers, *headers);
    if(!n)
      goto oom;
    r->headers = n;
  }
  if(body) {
    r->body = ku_malloc(body_len + 1);
    if(!r->body)
      goto oom;
    memcpy(r->body, body, body_len);
    r->body[body_len] = '\0';
    r->body_len = body_len;
  }
  return KH_OK;
oom:
  kh_req_cleanup(r);
  return KH_ENOMEM;
}

void kh_req_cleanup(struct kh_req *r)
{
  ku_free(r->method);
  ku_free(r->url);
  curl_slist_free_all(r->headers);
  ku_free(r->body);
  ku_buf_cleanup(&r->resp);
  if(r->sink_ctx && r->sink_free)
    r->sink_free(r->sink_ctx);
  r->sink_ctx = NULL;
  r->method = r->url = r->body = NULL;
  r->headers = NULL;
}

void kh_req_reset_response(struct kh_req *r)
{
  ku_buf_reset(&r->resp);
  if(r->sunk && r->sink_ctx && r->sink_reset)
    r->sink_reset(r->sink_ctx);
  r->sunk = 0;
  r->status = 0;
  r->curl_code = 0;
  r->fail = KH_F_NONE;
  r->errmsg[0] = '\0';
  r->seconds = 0;
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *ud)
{
  struct kh_req *r = ud;
  size_t n = size * nmemb;
  int rc;

  if(r->sink && r->sink_ctx) {
    long code = 0;
    if(r->easy)
      curl_easy_getinfo((CURL *)r->easy, CURLINFO_RESPONSE_CODE, &code);
    if(code >= 200 && code < 300) {
      if(n > r->resp.max || r->sunk > r->resp.max - n) {
        r->fail = KH_F_TOOBIG;
        return 0;
      }
      r->sunk += n;
      if(r->sink(r->sink_ctx, data, n)) {
        r->fail = KH_F_OTHER;
        return 0;
      }
      return n;
    }
  }
  if(!r->resp.len && r->easy) {
    /* the whole body at once: no copies while doubling up to it (up to
       RESERVE_MAX: a larger announced body grows as it comes, so that a
       wrong Content-Length cannot make the driver take memory it never
       fills) */
    curl_off_t clen = -1;
    curl_easy_getinfo((CURL *)r->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
                      &clen);
    if(clen > 0 && (unsigned long long)clen > r->resp.max) {
      r->fail = KH_F_TOOBIG;
      return 0;
    }
    if(clen > 0)
      (void)ku_buf_reserve(&r->resp,
                           (unsigned long long)clen < RESERVE_MAX ?
                           (size_t)clen : RESERVE_MAX);
  }
  rc = ku_buf_add(&r->resp, data, n);
  if(rc) {
    r->fail = rc == KU_ETOOBIG ? KH_F_TOOBIG : KH_F_OTHER;
    return 0;           /* aborts the transfer with CURLE_WRITE_ERROR */
  }
  return n;
}

static int progress_cb(void *ud, curl_off_t dt, curl_off_t dn,
                       curl_off_t ut, curl_off_t un)
{
  const volatile int *cancel = ud;

  (void)dt; (void)dn; (void)ut; (void)un;
  return (cancel && *cancel) ? 1 : 0;
}

/*
 * OpenSSL message callback: notes a CertificateRequest from the server,
 * so that a connection the server then drops can be explained ("requires
 * a client certificate" / "rejected it").  Under TLS 1.3 the refusal
 * comes after the handshake and curl only sees a failed send or read.
 */
static void tls_msg_cb(int write_p, int version, int content_type,
                       const void *buf, size_t len, SSL *ssl, void *arg)
{
  struct kh_http *h = arg;

  (void)version;
  (void)ssl;
  if(!write_p && content_type == SSL3_RT_HANDSHAKE && len > 0 &&
     ((const unsigned char *)buf)[0] == SSL3_MT_CERTIFICATE_REQUEST)
    h->tls_certreq = 1;
}

/* CURLOPT_SSL_CTX_FUNCTION: installs tls_msg_cb on a new connection. */
static CURLcode ssl_ctx_cb(CURL *curl, void *sslctx, void *parm)
{
  (void)curl;
  SSL_CTX_set_msg_callback((SSL_CTX *)sslctx, tls_msg_cb);
  SSL_CTX_set_msg_callback_arg((SSL_CTX *)sslctx, parm);
  return CURLE_OK;
}

/* Configures an easy handle for request r; returns a CURLcode. */
static CURLcode setup_easy(struct kh_http *h, CURL *e, struct kh_req *r)
{
  const struct kh_opts *o = &h->opts;
  CURLcode rc = CURLE_OK;

#define SET(opt, val) \
  do { if(!rc) rc = curl_easy_setopt(e, opt, val); } while(0)
  SET(CURLOPT_URL, r->url);
  SET(CURLOPT_HTTPHEADER, r->headers);
  SET(CURLOPT_WRITEFUNCTION, write_cb);
  SET(CURLOPT_WRITEDATA, r);
  SET(CURLOPT_PRIVATE, r);
  SET(CURLOPT_NOSIGNAL, 1L);
  if(h->share)
    SET(CURLOPT_SHARE, h->share);
  if(r->once) {
    /* libcurl silently resends a request whose reused connection turns
       out dead; a write may already have been applied by then, so
       writes go on a fresh connection, where it never resends */
    SET(CURLOPT_FRESH_CONNECT, 1L);
    SET(CURLOPT_FORBID_REUSE, 1L);
  }
  SET(CURLOPT_ACCEPT_ENCODING, "");
  SET(CURLOPT_TCP_KEEPALIVE, 1L);
  SET(CURLOPT_FOLLOWLOCATION, 0L);
  SET(CURLOPT_USERAGENT, "kintone-odbc/" PACKAGE_VERSION);
  SET(CURLOPT_PROTOCOLS_STR, "https,http");
  SET(CURLOPT_XFERINFOFUNCTION, progress_cb);
  SET(CURLOPT_XFERINFODATA, r->finish ? NULL : (void *)o->cancel);
  SET(CURLOPT_NOPROGRESS, o->cancel && !r->finish ? 0L : 1L);
  {
    /* the request's own Timeout, cut to what the query has left */
    long ms = o->timeout_ms > 0 ? o->timeout_ms : 0;
    if(h->deadline && !r->finish) {
      long long left = h->deadline - kh_now_ms();
      if(left < 1)
        left = 1;
      if(!ms || left < ms)
        ms = (long)left;
    }
    if(ms > 0)
      SET(CURLOPT_TIMEOUT_MS, ms);
  }
  if(o->connect_timeout_ms > 0)
    SET(CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
  /*
   * Certificates are verified against one CA file.  libcurl then builds
   * its certificate store once per transport and keeps it
   * (CURLOPT_CA_CACHE_TIMEOUT); with a CA directory set as well, which
   * Debian's libcurl sets by default, it reads and parses the whole file
   * again for every new connection (several milliseconds for the system
   * bundle, times the connections a concurrent scan opens).
   */
  if(o->ca_file) {
    SET(CURLOPT_CAINFO, o->ca_file);
    SET(CURLOPT_CAPATH, (char *)NULL);
  }
  else if(h->bundle_only)
    SET(CURLOPT_CAPATH, (char *)NULL);
  SET(CURLOPT_ERRORBUFFER, r->errmsg);    /* curl's detailed reason */
  /* only libcurl's OpenSSL backend calls this; others ignore it */
  if(curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, ssl_ctx_cb) == CURLE_OK)
    SET(CURLOPT_SSL_CTX_DATA, (void *)h);
  if(h->have_cert) {
    /* already decrypted and chosen by kh_cert: hand over PEM copies */
    struct curl_blob cert, key;
    cert.data = h->cert.cert_pem.ptr;
    cert.len = h->cert.cert_pem.len;
    cert.flags = CURL_BLOB_COPY;
    key.data = h->cert.key_pem.ptr;
    key.len = h->cert.key_pem.len;
    key.flags = CURL_BLOB_COPY;
    SET(CURLOPT_SSLCERT_BLOB, &cert);
    SET(CURLOPT_SSLCERTTYPE, "PEM");
    SET(CURLOPT_SSLKEY_BLOB, &key);
    SET(CURLOPT_SSLKEYTYPE, "PEM");
  }
  if(o->proxy) {
    SET(CURLOPT_PROXY, o->proxy);
    if(o->proxy_user)
      SET(CURLOPT_PROXYUSERNAME, o->proxy_user);
    if(o->proxy_password)
      SET(CURLOPT_PROXYPASSWORD, o->proxy_password);
  }
  if(!strcmp(r->method, "GET"))
    SET(CURLOPT_HTTPGET, 1L);
  else {
    SET(CURLOPT_CUSTOMREQUEST, r->method);
    if(r->body) {
      SET(CURLOPT_POSTFIELDS, r->body);
      SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
    }
  }
#undef SET
  return rc;
}

static int classify(CURLcode c, int prior)
{
  if(prior == KH_F_TOOBIG)
    return KH_F_TOOBIG;
  switch(c) {
  case CURLE_OK:
    return KH_F_NONE;
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
    return KH_F_RESOLVE;
  case CURLE_COULDNT_CONNECT:
  case CURLE_PROXY:
  case CURLE_UNSUPPORTED_PROTOCOL:
  case CURLE_URL_MALFORMAT:
    return KH_F_CONNECT;
  case CURLE_OPERATION_TIMEDOUT:
    return KH_F_TIMEOUT;
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_ENGINE_NOTFOUND:
  case CURLE_SSL_ENGINE_SETFAILED:
  case CURLE_SSL_ISSUER_ERROR:
  case CURLE_SSL_CRL_BADFILE:
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
  case CURLE_SSL_INVALIDCERTSTATUS:
  case CURLE_SSL_CLIENTCERT:
    return KH_F_TLS;
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return KH_F_SEND_RECV;
  case CURLE_ABORTED_BY_CALLBACK:
    return KH_F_CANCEL;
  default:
    return KH_F_OTHER;
  }
}

static void push_done(struct kh_http *h, struct kh_req *r)
{
  r->next_done = NULL;
  if(h->done_tail)
    h->done_tail->next_done = r;
  else
    h->done_head = r;
  h->done_tail = r;
}

/* Attaches r to the multi handle on a pooled easy handle. */
static int start(struct kh_http *h, struct kh_req *r)
{
  CURL *e;
  CURLcode cc;

  if(h->nidle)
    e = h->idle[--h->nidle];
  else {
    e = curl_easy_init();
    if(!e)
      return KH_ENOMEM;
  }
  curl_easy_reset(e);
  kh_req_reset_response(r);
  cc = setup_easy(h, e, r);
  if(cc != CURLE_OK) {
    r->curl_code = (int)cc;
    r->fail = cc == CURLE_OUT_OF_MEMORY ? KH_F_OTHER : classify(cc, 0);
    snprintf(r->errmsg, sizeof(r->errmsg), "%s", curl_easy_strerror(cc));
    curl_easy_cleanup(e);
    push_done(h, r);
    return KH_OK;
  }
  r->easy = e;
  if(curl_multi_add_handle(h->multi, e) != CURLM_OK) {
    r->easy = NULL;
    curl_easy_cleanup(e);
    return KH_ENOMEM;
  }
  h->running++;
  KLOG(h->opts.log, KU_LOG_DEBUG, "http", "%s %s", r->method, r->url);
  return KH_OK;
}

/* Detaches the easy handle of r and returns it to the pool. */
static void release(struct kh_http *h, struct kh_req *r)
{
  CURL *e = r->easy;

  if(!e)
    return;
  curl_multi_remove_handle(h->multi, e);
  /* the error buffer belongs to r, which may be gone by the next use */
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, (char *)NULL);
  h->running--;
  r->easy = NULL;
  if(h->nidle < POOL_MAX)
    h->idle[h->nidle++] = e;
  else
    curl_easy_cleanup(e);
}

static int start_queued(struct kh_http *h)
{
  while(h->queue_head && h->running < h->opts.max_concurrency) {
    struct kh_req *r = h->queue_head;
    int rc;
    h->queue_head = r->next_done;
    if(!h->queue_head)
      h->queue_tail = NULL;
    rc = start(h, r);
    if(rc)
      return rc;
  }
  return KH_OK;
}

int kh_http_submit(struct kh_http *h, struct kh_req *r)
{
  r->next_done = NULL;
  if(h->queue_tail)
    h->queue_tail->next_done = r;
  else
    h->queue_head = r;
  h->queue_tail = r;
  return start_queued(h);
}

int kh_http_pending(const struct kh_http *h)
{
  int n = h->running;
  const struct kh_req *r;

  for(r = h->queue_head; r; r = r->next_done)
    n++;
  for(r = h->done_head; r; r = r->next_done)
    n++;
  return n;
}

static void unlink_from(struct kh_req **head, struct kh_req **tail,
                        struct kh_req *r)
{
  struct kh_req *p = NULL, *c = *head;

  while(c && c != r) {
    p = c;
    c = c->next_done;
  }
  if(!c)
    return;
  if(p)
    p->next_done = c->next_done;
  else
    *head = c->next_done;
  if(*tail == c)
    *tail = p;
  c->next_done = NULL;
}

void kh_http_abort(struct kh_http *h, struct kh_req *r)
{
  unlink_from(&h->queue_head, &h->queue_tail, r);
  unlink_from(&h->done_head, &h->done_tail, r);
  if(r->easy) {
    release(h, r);
    start_queued(h);
  }
}

/* Moves finished transfers to the done list. */
static int collect(struct kh_http *h)
{
  CURLMsg *m;
  int left;

  while((m = curl_multi_info_read(h->multi, &left)) != NULL) {
    struct kh_req *r = NULL;
    if(m->msg != CURLMSG_DONE)
      continue;
    curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
    if(!r)
      continue;
    r->curl_code = (int)m->data.result;
    r->fail = classify(m->data.result, r->fail);
    if(m->data.result == CURLE_OK) {
      curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &r->status);
    }
    else if(r->fail == KH_F_TOOBIG)
      snprintf(r->errmsg, sizeof(r->errmsg),
               "response larger than %zu bytes", r->resp.max);
    else if(!r->errmsg[0]) {
      const char *msg = curl_easy_strerror(m->data.result);
      snprintf(r->errmsg, sizeof(r->errmsg), "%s", msg);
    }
    /* TLS 1.3 sends the client certificate after the handshake, so a
       refusal arrives as an alert on the first read */
    if(r->fail == KH_F_SEND_RECV && strstr(r->errmsg, "alert") &&
       (strstr(r->errmsg, "certificate") || strstr(r->errmsg, "unknown ca")))
      r->fail = KH_F_TLS;
    if(r->fail == KH_F_SEND_RECV && strstr(r->errmsg, "CONNECT tunnel"))
      r->fail = KH_F_CONNECT;             /* the proxy refused */
    /* dropped right after the server asked for a client certificate */
    if((r->fail == KH_F_SEND_RECV || r->fail == KH_F_TLS) && !r->status &&
       !r->resp.len && h->tls_certreq && !strstr(r->errmsg, "client cert")) {
      char was[sizeof(r->errmsg)];
      snprintf(was, sizeof(was), "%s", r->errmsg);
      snprintf(r->errmsg, sizeof(r->errmsg), "%s: %.300s",
               h->have_cert ? "client certificate rejected by the server"
                            : "no client certificate sent", was);
      r->fail = KH_F_TLS;
    }
    curl_easy_getinfo(m->easy_handle, CURLINFO_TOTAL_TIME, &r->seconds);
    KLOG(h->opts.log, KU_LOG_DEBUG, "http", "%s %s -> %ld%s%s (%.3fs)",
         r->method, r->url, r->status, r->errmsg[0] ? " " : "", r->errmsg,
         r->seconds);
    release(h, r);
    push_done(h, r);
  }
  return start_queued(h);
}

/* Copies the watched sockets into h->pfds; their number, -1 if out of
   memory. */
static int watch_list(struct kh_http *h)
{
  int i;

  if(h->pfds_cap < h->nsocks) {
    struct pollfd *n = ku_realloc(h->pfds,
                                  (size_t)h->socks_cap * sizeof(*n));
    if(!n)
      return -1;
    h->pfds = n;
    h->pfds_cap = h->socks_cap;
  }
  for(i = 0; i < h->nsocks; i++) {
    h->pfds[i].fd = h->socks[i].fd;
    h->pfds[i].events = (short)(((h->socks[i].what & CURL_POLL_IN) ?
                                 POLLIN : 0) |
                                ((h->socks[i].what & CURL_POLL_OUT) ?
                                 POLLOUT : 0));
    h->pfds[i].revents = 0;
  }
  return h->nsocks;
}

/*
 * Lets curl do what is due: its timer, then each socket that is ready
 * (waiting up to wait_ms for one), taking in finished transfers after
 * each and stopping at the first socket that finished one: the caller
 * gives that slot its next request before the others' data is read.
 * The sockets not handled yet stay ready for the next call.
 */
static int step(struct kh_http *h, long wait_ms)
{
  int i, n, still, rc;
  long long now = kh_now_ms();

  if(h->timer_at >= 0 && now >= h->timer_at) {
    h->timer_at = -1;
    if(curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0,
                                &still) != CURLM_OK)
      return KH_ENOMEM;
    rc = collect(h);
    if(rc || h->done_head)
      return rc;
  }
  if(h->timer_at >= 0) {
    long long left = h->timer_at - kh_now_ms();
    if(left < wait_ms)
      wait_ms = left < 0 ? 0 : (long)left;
  }
  n = watch_list(h);
  if(n < 0)
    return KH_ENOMEM;
  rc = poll(h->pfds, (nfds_t)n, (int)wait_ms);
  if(rc < 0)
    return errno == EINTR ? KH_OK : KH_ENOMEM;
  for(i = 0; i < n && rc > 0; i++) {
    short re = h->pfds[i].revents;
    int ev = 0, crc;
    if(!re)
      continue;
    rc--;
    if(re & (POLLIN | POLLPRI | POLLHUP))
      ev |= CURL_CSELECT_IN;
    if(re & POLLOUT)
      ev |= CURL_CSELECT_OUT;
    if(re & (POLLERR | POLLNVAL))
      ev |= CURL_CSELECT_ERR;
    if(curl_multi_socket_action(h->multi, h->pfds[i].fd, ev, &still) !=
       CURLM_OK)
      return KH_ENOMEM;
    crc = collect(h);
    if(crc)
      return crc;
    if(h->done_head)
      break;
  }
  return KH_OK;
}

int kh_http_ready(struct kh_http *h)
{
  int n;

  if(h->done_head)
    return 1;
  if(!h->running)
    return 0;
  if(h->timer_at >= 0 && kh_now_ms() >= h->timer_at)
    return 1;
  n = watch_list(h);
  if(n < 0)
    return 1;                   /* let kh_http_wait see the problem */
  return poll(h->pfds, (nfds_t)n, 0) != 0;
}

int kh_http_drive(struct kh_http *h)
{
  int i, rc;

  for(i = 0; i < 4 && h->running && kh_http_ready(h); i++) {
    rc = step(h, 0);
    if(rc)
      return rc;
  }
  return KH_OK;
}

/* kh_http_wait; heed_cancel 0: the cancel flag does not end the wait. */
static int wait_done(struct kh_http *h, struct kh_req **done,
                     long timeout_ms, int heed_cancel)
{
  long long end = timeout_ms >= 0 ? kh_now_ms() + timeout_ms : -1;

  *done = NULL;
  for(;;) {
    long slice = 50;            /* the cancel flag is looked at this often */
    int rc;
    if(h->done_head) {
      *done = h->done_head;
      h->done_head = h->done_head->next_done;
      if(!h->done_head)
        h->done_tail = NULL;
      (*done)->next_done = NULL;
      return KH_OK;
    }
    if(!h->running && !h->queue_head)
      return KH_OK;
    if(heed_cancel && h->opts.cancel && *h->opts.cancel)
      return KH_ECANCEL;
    if(end >= 0) {
      long long left = end - kh_now_ms();
      if(left < slice)
        slice = left > 0 ? (long)left : 0;
    }
    rc = step(h, slice);
    if(rc)
      return rc;
    if(!h->done_head && end >= 0 && kh_now_ms() >= end)
      return KH_OK;
  }
}

int kh_http_wait(struct kh_http *h, struct kh_req **done, long timeout_ms)
{
  return wait_done(h, done, timeout_ms, 1);
}

int kh_http_perform(struct kh_http *h, struct kh_req *r)
{
  int rc;

  if(r->finish && h->opts.cancel && *h->opts.cancel)
    return KH_ECANCEL;          /* not sent: nothing to finish */
  if(r->finish && kh_http_deadline_passed(h)) {
    kh_req_reset_response(r);   /* not sent either */
    r->fail = KH_F_TIMEOUT;
    snprintf(r->errmsg, sizeof(r->errmsg),
             "the query timeout had passed before the request was sent");
    return KH_ETRANSFER;
  }
  rc = kh_http_submit(h, r);
  if(rc)
    return rc;
  return kh_http_await(h, r);
}

int kh_http_await(struct kh_http *h, struct kh_req *r)
{
  int rc;
  struct kh_req *d;
  struct kh_req *others = NULL, *others_tail = NULL;

  for(;;) {
    rc = wait_done(h, &d, -1, !r->finish);
    if(rc) {
      kh_http_abort(h, r);
      break;
    }
    if(!d || d == r)
      break;
    /* someone else's request: keep it for them, in order */
    d->next_done = NULL;
    if(others_tail)
      others_tail->next_done = d;
    else
      others = d;
    others_tail = d;
  }
  while(others) {
    struct kh_req *n = others->next_done;
    push_done(h, others);
    others = n;
  }
  if(rc == KH_ECANCEL)
    return KH_ECANCEL;
  if(rc)
    return rc;
  if(r->fail == KH_F_CANCEL)
    return KH_ECANCEL;
  return r->fail ? KH_ETRANSFER : KH_OK;
}
