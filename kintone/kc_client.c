/*
 * kc_client.c - the Kintone REST client.  See kc_client.h.
 *
 * Authentication (API.md section 2): password ->
 * X-Cybozu-Authorization: base64(login:password); API tokens ->
 * X-Cybozu-API-Token; OAuth -> Authorization: Bearer; the optional Basic
 * gate -> Authorization: Basic (not with OAuth: one header).
 *
 * API tokens belong to one app each.  The client keeps a token -> app
 * map, first guessed from the order of APIToken and AppId, and sends
 * with a request only the token of the app the request names (its `app`
 * parameter, `id` for app.json, or "app" in the JSON body), so there is
 * never a limit of 9 to hit and no unrelated token can spoil a request
 * (an unknown token anywhere in the header fails the whole request,
 * API.md 2.7).  kc_client_call() confirms the guess: when the app refuses
 * its guessed token, the other unconfirmed tokens are tried one by one
 * and the map is corrected, so tokens may be listed in any order; in the
 * usual case connecting costs one request per AppId.  Writes add the
 * other confirmed tokens (up to 9 in all) for lookups into other apps;
 * requests naming no app (bulkRequest) carry every token, up to 9.
 */
#include "kc_client.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../net/kh_http.h"
#include "../net/kj_arena.h"
#include "../net/kj_json.h"
#include "../util/ku_log.h"
#include "../util/ku_mem.h"
#include "../util/ku_str.h"

#define MAX_HEADERS 8
#define MAX_TOKENS_PER_REQUEST 9       /* API.md 2.2 */
#define RESP_MAX ((size_t)256 << 20)   /* cap of one response body */
#define URL_OVERRIDE_LEN 4096          /* as the official clients do */

struct kc_client {
  struct kc_config cfg;
  struct ku_log *log;           /* borrowed */
  struct kh_http *http;
  char *base;                   /* "https://host[/prefix]/k[/guest/N]/v1/" */
  char *headers[MAX_HEADERS + 1];  /* NULL-terminated, owned */
  unsigned long nrequests;
  long long *tok_app;           /* app of each API token, 0 = unknown */
  unsigned char *tok_sure;      /* 1 when Kintone accepted the pairing */
  struct kj_pool *pool;         /* chunks of freed record pages */
};

void kc_params_init(struct kc_params *p)
{
  ku_buf_init(&p->qs, 8 << 20);
  p->failed = 0;
}

void kc_params_cleanup(struct kc_params *p)
{
  ku_buf_cleanup(&p->qs);
}

static void add_raw(struct kc_params *p, const char *name, size_t nlen,
                    const char *value)
{
  if(p->failed)
    return;
  if((p->qs.len && ku_buf_addc(&p->qs, '&')) ||
     ku_url_encode(&p->qs, name, nlen) || ku_buf_addc(&p->qs, '=') ||
     ku_url_encode(&p->qs, value, strlen(value)))
    p->failed = 1;
}

void kc_params_add(struct kc_params *p, const char *name, const char *value)
{
  add_raw(p, name, strlen(name), value);
}

void kc_params_addf(struct kc_params *p, const char *name, const char *fmt,
                    ...)
{
  struct ku_buf v;
  va_list ap;

  ku_buf_init(&v, 1 << 20);
  va_start(ap, fmt);
  if(ku_buf_vprintf(&v, fmt, ap))
    p->failed = 1;
  va_end(ap);
  add_raw(p, name, strlen(name), ku_buf_cstr(&v));
  ku_buf_cleanup(&v);
}

void kc_params_add_at(struct kc_params *p, const char *name, size_t i,
                      const char *value)
{
  char key[256];
  int n = snprintf(key, sizeof(key), "%s[%zu]", name, i);

  if(n < 0 || (size_t)n >= sizeof(key))
    p->failed = 1;
  else
    add_raw(p, key, (size_t)n, value);
}

/* Adds "Name: prefix + base64(a:b)" to the header list. */
static int add_b64_header(struct kc_client *c, int *nh, const char *name,
                          const char *a, const char *b)
{
  struct ku_buf raw, h;
  int rc;

  ku_buf_init(&raw, 1 << 16);
  ku_buf_init(&h, 1 << 17);
  rc = ku_buf_printf(&raw, "%s:%s", a ? a : "", b ? b : "");
  if(!rc)
    rc = ku_buf_adds(&h, name);
  if(!rc)
    rc = ku_base64_encode(&h, raw.ptr, raw.len);
  /* the joined credentials are a secret in their own right */
  if(!rc)
    rc = ku_log_secret(c->log, ku_buf_cstr(&raw));
  if(raw.ptr)
    memset(raw.ptr, 0, raw.len);
  ku_buf_cleanup(&raw);
  if(rc) {
    ku_buf_cleanup(&h);
    return KC_ENOMEM;
  }
  c->headers[(*nh)++] = ku_buf_steal(&h);
  return c->headers[*nh - 1] ? KC_OK : KC_ENOMEM;
}

static int build_headers(struct kc_client *c)
{
  const struct kc_config *cfg = &c->cfg;
  int nh = 0, rc = KC_OK;
  size_t i;

  switch(cfg->auth_scheme) {
  case KC_AUTH_PASSWORD:
    rc = add_b64_header(c, &nh, "X-Cybozu-Authorization: ", cfg->user,
                        cfg->password);
    break;
  case KC_AUTH_APITOKEN:
    /* chosen per request: see token_header() */
    c->tok_app = ku_calloc(cfg->n_api_tokens + 1, sizeof(long long));
    c->tok_sure = ku_calloc(cfg->n_api_tokens + 1, 1);
    if(!c->tok_app || !c->tok_sure)
      return KC_ENOMEM;
    for(i = 0; i < cfg->n_api_tokens; i++)
      c->tok_app[i] = i < cfg->n_app_ids ? cfg->app_ids[i] : 0;
    break;
  case KC_AUTH_OAUTH: {
    struct ku_buf h;
    ku_buf_init(&h, 1 << 16);
    rc = ku_buf_printf(&h, "Authorization: Bearer %s", cfg->oauth_token);
    if(rc) {
      ku_buf_cleanup(&h);
      return KC_ENOMEM;
    }
    c->headers[nh++] = ku_buf_steal(&h);
    break;
  }
  }
  if(!rc && cfg->basic_user && *cfg->basic_user &&
     cfg->auth_scheme != KC_AUTH_OAUTH)
    rc = add_b64_header(c, &nh, "Authorization: Basic ", cfg->basic_user,
                        cfg->basic_password);
  if(!rc) {
    c->headers[nh] = ku_strdup("Expect:");   /* no 100-continue round trip */
    if(!c->headers[nh])
      rc = KC_ENOMEM;
  }
  return rc;
}

static int build_base(struct kc_client *c)
{
  struct ku_buf b;
  const char *u = c->cfg.url;
  size_t n = strlen(u);

  while(n && u[n - 1] == '/')
    n--;
  ku_buf_init(&b, 1 << 16);
  if(ku_buf_add(&b, u, n) ||
     (c->cfg.guest_space_id
        ? ku_buf_printf(&b, "/k/guest/%lld/v1/", c->cfg.guest_space_id)
        : ku_buf_adds(&b, "/k/v1/"))) {
    ku_buf_cleanup(&b);
    return KC_ENOMEM;
  }
  c->base = ku_buf_steal(&b);
  return c->base ? KC_OK : KC_ENOMEM;
}

static int register_secrets(struct kc_client *c)
{
  const struct kc_config *cfg = &c->cfg;
  size_t i;
  int rc = 0;

  rc |= ku_log_secret(c->log, cfg->password);
  rc |= ku_log_secret(c->log, cfg->oauth_token);
  rc |= ku_log_secret(c->log, cfg->basic_password);
  rc |= ku_log_secret(c->log, cfg->client_cert_password);
  rc |= ku_log_secret(c->log, cfg->proxy_password);
  for(i = 0; i < cfg->n_api_tokens; i++)
    rc |= ku_log_secret(c->log, cfg->api_tokens[i]);
  /* a certificate given inline (PEMKEY_BLOB/PFXBLOB) holds a private
     key; registered in pieces, as the log caps the size of one secret */
  if(cfg->client_cert && (kc_config_cert_type(cfg) == KC_CERT_PEMKEY_BLOB ||
                          kc_config_cert_type(cfg) == KC_CERT_PFXBLOB)) {
    size_t len = strlen(cfg->client_cert), off;
    char piece[1025];
    for(off = 0; off < len && !rc; off += sizeof(piece) - 1) {
      snprintf(piece, sizeof(piece), "%s", cfg->client_cert + off);
      rc |= ku_log_secret(c->log, piece);
    }
    memset(piece, 0, sizeof(piece));
  }
  return rc ? KC_ENOMEM : KC_OK;
}

int kc_client_new(const struct kc_config *cfg, struct ku_log *log,
                  const volatile int *cancel, struct kc_client **out,
                  struct kc_err *err)
{
  struct kc_client *c;
  struct kh_opts o;
  char ebuf[256] = "";
  int rc;

  *out = NULL;
  c = ku_calloc(1, sizeof(*c));
  if(!c)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  c->log = log;
  rc = kc_config_copy(&c->cfg, cfg);
  if(!rc)
    rc = register_secrets(c);
  if(!rc)
    rc = build_base(c);
  if(!rc)
    rc = build_headers(c);
  if(rc) {
    kc_client_free(c);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  memset(&o, 0, sizeof(o));
  o.timeout_ms = cfg->timeout_s * 1000;
  o.connect_timeout_ms = cfg->connect_timeout_s * 1000;
  o.max_concurrency = cfg->max_concurrency;
  o.ca_file = cfg->server_cert;
  if(cfg->client_cert && *cfg->client_cert) {
    int type = kc_config_cert_type(cfg);
    if(type < 0) {
      kc_client_free(c);
      return kc_err_set(err, KC_EK_CONFIG, 0,
                        "SSLClientCertType must be PEMKEY_FILE, PFXFILE, "
                        "PEMKEY_BLOB or PFXBLOB: '%s'",
                        cfg->client_cert_type);
    }
    o.cert_type = (type == KC_CERT_PFXFILE || type == KC_CERT_PFXBLOB)
                    ? "P12" : "PEM";
    if(type == KC_CERT_PEMKEY_BLOB || type == KC_CERT_PFXBLOB) {
      o.cert_blob = cfg->client_cert;
      o.cert_blob_len = strlen(cfg->client_cert);
    }
    else
      o.cert_file = cfg->client_cert;
    o.cert_password = cfg->client_cert_password;
    o.cert_subject = cfg->client_cert_subject;
  }
  o.proxy = cfg->proxy_url;
  o.proxy_user = cfg->proxy_user;
  o.proxy_password = cfg->proxy_password;
  o.cancel = cancel;
  o.log = log;
  rc = kh_http_new(&o, &c->http, ebuf, sizeof(ebuf));
  if(rc) {
    kc_client_free(c);
    if(rc == KH_ENOMEM)
      return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
    return kc_err_set(err, KC_EK_CONFIG, 0, "%s", ebuf);
  }
  *out = c;
  return KC_OK;
}

void kc_client_free(struct kc_client *c)
{
  int i;

  if(!c)
    return;
  kh_http_free(c->http);
  kj_pool_release(c->pool);
  for(i = 0; i < MAX_HEADERS; i++) {
    if(c->headers[i]) {
      memset(c->headers[i], 0, strlen(c->headers[i]));
      ku_free(c->headers[i]);
    }
  }
  ku_free(c->base);
  ku_free(c->tok_app);
  ku_free(c->tok_sure);
  kc_config_cleanup(&c->cfg);
  ku_free(c);
}

const struct kc_config *kc_client_config(const struct kc_client *c)
{
  return &c->cfg;
}

struct ku_log *kc_client_log(const struct kc_client *c)
{
  return c->log;
}

struct kh_http *kc_client_http(const struct kc_client *c)
{
  return c->http;
}

struct kj_pool *kc_client_pool(struct kc_client *c)
{
  if(!c->pool)
    c->pool = kj_pool_new(KC_POOL_BYTES);    /* NULL: parse without */
  return c->pool;
}

unsigned long kc_client_request_count(const struct kc_client *c)
{
  return c->nrequests;
}

/* Turns query-string parameters into a JSON object body (flat keys). */
static int qs_to_json(const char *qs, struct ku_buf *out);

/* Value of integer parameter `name` in a query string, or 0. */
static long long qs_int(const char *qs, const char *name)
{
  size_t nl = strlen(name);
  const char *p = qs;
  long long v = 0;

  while(p && *p) {
    if(!strncmp(p, name, nl) && p[nl] == '=') {
      for(p += nl + 1; *p >= '0' && *p <= '9' && v < 1000000000000LL; p++)
        v = v * 10 + (*p - '0');
      return v;
    }
    p = strchr(p, '&');
    if(p)
      p++;
  }
  return 0;
}

/*
 * The app a request is about: `app` (or `id` for app.json) in the query
 * string, else the first "app" member of the JSON body; 0 when none.
 */
static long long request_app(const char *api, const struct kc_params *p,
                             const char *body)
{
  long long app = 0;

  if(p && p->qs.len) {
    app = qs_int(ku_buf_cstr(&p->qs), "app");
    if(!app && !strcmp(api, "app"))
      app = qs_int(ku_buf_cstr(&p->qs), "id");
  }
  if(!app && body && strcmp(api, "bulkRequest")) {
    const char *b = strstr(body, "\"app\"");
    if(b) {
      b += 5;
      while(*b == ' ' || *b == ':' || *b == '"' || *b == '\t')
        b++;
      for(; *b >= '0' && *b <= '9' && app < 1000000000000LL; b++)
        app = app * 10 + (*b - '0');
    }
  }
  return app;
}

static int is_write(const char *method)
{
  return strcmp(method, "GET") != 0;
}

/*
 * Builds the X-Cybozu-API-Token header for a request about `app`:
 * token `force` alone when >= 0; else the app's token (plus, for writes,
 * the other confirmed ones); else, for no known app, every token.
 */
static int token_header(struct kc_client *c, long long app,
                        const char *method, int force, struct ku_buf *h)
{
  const struct kc_config *cfg = &c->cfg;
  size_t i, n = 0;
  int rc = ku_buf_adds(h, "X-Cybozu-API-Token: "), own = -1;

  if(force >= 0)
    return rc || ku_buf_adds(h, cfg->api_tokens[force]);
  for(i = 0; app && i < cfg->n_api_tokens && own < 0; i++)
    if(c->tok_app[i] == app)
      own = (int)i;
  if(own >= 0) {
    rc = rc || ku_buf_adds(h, cfg->api_tokens[own]);
    n = 1;
    for(i = 0; is_write(method) && i < cfg->n_api_tokens &&
               n < MAX_TOKENS_PER_REQUEST && !rc; i++) {
      if((int)i != own && c->tok_sure[i] && c->tok_app[i] != app) {
        rc = ku_buf_printf(h, ",%s", cfg->api_tokens[i]);
        n++;
      }
    }
    return rc;
  }
  for(i = 0; i < cfg->n_api_tokens && n < MAX_TOKENS_PER_REQUEST && !rc;
      i++) {
    rc = ku_buf_printf(h, "%s%s", n ? "," : "", cfg->api_tokens[i]);
    n++;
  }
  return rc;
}

/* kc_client_request with a forced token (-1: chosen automatically). */
static int request_tok(struct kc_client *c, struct kh_req *r,
                       const char *method, const char *api,
                       const struct kc_params *p, const char *body,
                       int force_token, long long app_hint,
                       struct kc_err *err)
{
  struct ku_buf url, jbody, tok;
  const char *hdrs[MAX_HEADERS + 4];
  int i, n = 0, rc;
  const char *send_method = method;
  const char *send_body = body;

  if(p && p->failed)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  ku_buf_init(&url, 16 << 20);
  ku_buf_init(&jbody, 16 << 20);
  ku_buf_init(&tok, 1 << 16);
  rc = ku_buf_printf(&url, "%s%s.json", c->base, api);
  for(i = 0; c->headers[i]; i++)
    hdrs[n++] = c->headers[i];
  if(!rc && c->cfg.auth_scheme == KC_AUTH_APITOKEN) {
    long long app = request_app(api, p, body);
    rc = token_header(c, app ? app : app_hint, method, force_token, &tok);
    if(!rc)
      hdrs[n++] = ku_buf_cstr(&tok);
  }
  if(!rc && p && p->qs.len) {
    if(!strcmp(method, "GET") &&
       url.len + 1 + p->qs.len > URL_OVERRIDE_LEN) {
      /* long query: POST + X-HTTP-Method-Override with a JSON body */
      rc = qs_to_json(ku_buf_cstr(&p->qs), &jbody);
      send_method = "POST";
      send_body = ku_buf_cstr(&jbody);
      hdrs[n++] = "X-HTTP-Method-Override: GET";
    }
    else
      rc = ku_buf_printf(&url, "?%s", ku_buf_cstr(&p->qs));
  }
  if(send_body)
    hdrs[n++] = "Content-Type: application/json";
  hdrs[n] = NULL;
  if(!rc)
    rc = kh_req_init(r, send_method, ku_buf_cstr(&url), hdrs, send_body,
                     send_body ? strlen(send_body) : 0, RESP_MAX);
  ku_buf_cleanup(&url);
  ku_buf_cleanup(&jbody);
  if(tok.ptr)
    memset(tok.ptr, 0, tok.len);
  ku_buf_cleanup(&tok);
  if(rc)
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  c->nrequests++;
  return KC_OK;
}

int kc_client_request(struct kc_client *c, struct kh_req *r,
                      const char *method, const char *api,
                      const struct kc_params *p, const char *body,
                      struct kc_err *err)
{
  return request_tok(c, r, method, api, p, body, -1, 0, err);
}

int kc_client_request_app(struct kc_client *c, struct kh_req *r,
                          const char *method, const char *api,
                          const struct kc_params *p, const char *body,
                          long long app, struct kc_err *err)
{
  return request_tok(c, r, method, api, p, body, -1, app, err);
}

/* Decodes a percent-encoded component into out. */
static int url_decode(const char *s, size_t len, struct ku_buf *out)
{
  size_t i;
  int rc = 0;

  for(i = 0; i < len && !rc; i++) {
    if(s[i] == '%' && i + 2 < len &&
       ku_hex_digit((unsigned char)s[i + 1]) >= 0 &&
       ku_hex_digit((unsigned char)s[i + 2]) >= 0) {
      int hi = ku_hex_digit((unsigned char)s[i + 1]);
      rc = ku_buf_addc(out, (char)(hi * 16 +
                                   ku_hex_digit((unsigned char)s[i + 2])));
      i += 2;
    }
    else
      rc = ku_buf_addc(out, s[i]);
  }
  return rc;
}

/*
 * Rebuilds our own query strings as JSON: "a=1&b%5B0%5D=x&b%5B1%5D=y"
 * -> {"a":"1","b":["x","y"]}.  Only the shapes kc_params produces.
 */
static int qs_to_json(const char *qs, struct ku_buf *out)
{
  const char *p = qs;
  int rc = ku_buf_addc(out, '{');
  char prev_array[256] = "";
  int first = 1;

  while(*p && !rc) {
    const char *amp = strchr(p, '&');
    size_t len = amp ? (size_t)(amp - p) : strlen(p);
    const char *eq = memchr(p, '=', len);
    struct ku_buf k, v;
    char *br;
    ku_buf_init(&k, 1 << 16);
    ku_buf_init(&v, 16 << 20);
    if(!eq)
      eq = p + len;
    rc = url_decode(p, (size_t)(eq - p), &k);
    if(!rc && eq < p + len)
      rc = url_decode(eq + 1, (size_t)(p + len - eq - 1), &v);
    br = k.ptr ? strchr(k.ptr, '[') : NULL;
    if(!rc && br) {
      *br = '\0';
      if(strcmp(prev_array, k.ptr)) {
        if(prev_array[0])
          rc = ku_buf_addc(out, ']');
        if(!rc && !first)
          rc = ku_buf_addc(out, ',');
        if(!rc)
          rc = kj_write_string(out, k.ptr, strlen(k.ptr));
        if(!rc)
          rc = ku_buf_adds(out, ":[");
        snprintf(prev_array, sizeof(prev_array), "%s", k.ptr);
      }
      else if(!rc)
        rc = ku_buf_addc(out, ',');
      if(!rc)
        rc = kj_write_string(out, ku_buf_cstr(&v), v.len);
    }
    else if(!rc) {
      if(prev_array[0]) {
        rc = ku_buf_addc(out, ']');
        prev_array[0] = '\0';
      }
      if(!rc && !first)
        rc = ku_buf_addc(out, ',');
      if(!rc)
        rc = kj_write_string(out, ku_buf_cstr(&k), k.len);
      if(!rc)
        rc = ku_buf_addc(out, ':');
      if(!rc)
        rc = kj_write_string(out, ku_buf_cstr(&v), v.len);
    }
    first = 0;
    ku_buf_cleanup(&k);
    ku_buf_cleanup(&v);
    p = amp ? amp + 1 : p + len;
  }
  if(!rc && prev_array[0])
    rc = ku_buf_addc(out, ']');
  if(!rc)
    rc = ku_buf_addc(out, '}');
  return rc;
}

/* Kind of an API error from its HTTP status and Kintone code. */
static int api_kind(long status, const char *code)
{
  if(code) {
    if(!strcmp(code, "CB_WA01") || !strcmp(code, "CB_AU01") ||
       !strcmp(code, "GAIA_IA02") || !strcmp(code, "GAIA_DA03"))
      return KC_EK_AUTH;
    if(!strcmp(code, "GAIA_NO01") || !strcmp(code, "CB_NO02"))
      return KC_EK_PERMISSION;
    if(!strcmp(code, "GAIA_AP01") || !strcmp(code, "GAIA_RE01"))
      return KC_EK_NOT_FOUND;
    if(!strncmp(code, "GAIA_IQ", 7) || !strncmp(code, "GAIA_QU", 7) ||
       !strcmp(code, "GAIA_IR02") || !strcmp(code, "GAIA_IL08"))
      return KC_EK_BAD_QUERY;
    if(!strcmp(code, "GAIA_IL23"))
      return KC_EK_CONFIG;
    if(!strcmp(code, "GAIA_CO02"))
      return KC_EK_CONFLICT;
    if(!strcmp(code, "GAIA_TO04") || !strcmp(code, "GAIA_TM12"))
      return KC_EK_THROTTLED;
  }
  if(status == 401)
    return KC_EK_AUTH;
  if(status == 403)
    return KC_EK_PERMISSION;
  if(status == 404)
    return KC_EK_NOT_FOUND;
  if(status == 409)
    return KC_EK_CONFLICT;
  if(status == 429)
    return KC_EK_THROTTLED;
  if(status >= 500)
    return KC_EK_SERVER;
  return KC_EK_INVALID;
}

/* Appends the messages of an `errors` object: "key: msg; ...". */
static void append_errors(yajl_val errors, char *dst, size_t cap)
{
  size_t i, j, used = strlen(dst);

  if(!errors || !YAJL_IS_OBJECT(errors))
    return;
  for(i = 0; i < errors->u.object.len && used + 8 < cap; i++) {
    yajl_val msgs = kj_get(errors->u.object.values[i], "messages");
    for(j = 0; j < kj_len(msgs) && used + 8 < cap; j++) {
      const char *m = kj_str(kj_at(msgs, j));
      int n = snprintf(dst + used, cap - used, "%s%s: %s",
                       used ? "; " : " ", errors->u.object.keys[i],
                       m ? m : "");
      if(n < 0)
        return;
      used += (size_t)n;
      if(used >= cap)
        used = cap - 1;
    }
  }
}

/* A short, printable excerpt of a non-JSON error body (HTML stripped). */
static void body_excerpt(const char *b, char *dst, size_t cap)
{
  size_t o = 0;
  int in_tag = 0, space = 0;

  for(; *b && o + 1 < cap && o < 160; b++) {
    unsigned char ch = (unsigned char)*b;
    if(ch == '<')
      in_tag = 1;
    else if(ch == '>')
      in_tag = 0;
    else if(!in_tag) {
      if(ch <= ' ') {
        if(o && !space)
          dst[o++] = ' ', space = 1;
      }
      else {
        dst[o++] = (char)ch;
        space = 0;
      }
    }
  }
  while(o && dst[o - 1] == ' ')
    o--;
  dst[o] = '\0';
}

/* A plain-words cause for a TLS failure, from curl's detailed text. */
static const char *tls_cause(const char *m)
{
  if(strstr(m, "certificate required") ||
     strstr(m, "no client certificate sent"))
    return "TLS failure: the server requires a client certificate (set "
           "SSLClientCert)";
  if(strstr(m, "client certificate rejected") ||
     strstr(m, "alert unknown ca") || strstr(m, "alert bad certificate") ||
     strstr(m, "alert certificate unknown") ||
     strstr(m, "alert certificate revoked") ||
     strstr(m, "alert certificate expired") ||
     strstr(m, "alert access denied"))
    return "TLS failure: the server rejected the client certificate "
           "(SSLClientCert)";
  if(strstr(m, "subject name") || strstr(m, "does not match") ||
     strstr(m, "hostname"))
    return "TLS failure: the server certificate does not match the host "
           "name in URL";
  if(strstr(m, "certificate problem") || strstr(m, "self-signed") ||
     strstr(m, "self signed") || strstr(m, "issuer"))
    return "TLS failure: the server certificate is not trusted (set "
           "SSLServerCert to the CA bundle that signed it)";
  if(strstr(m, "SSL_CTX_use") || strstr(m, "client cert") ||
     strstr(m, "private key"))
    return "TLS failure: the client certificate cannot be used";
  return "TLS failure";
}

static int transport_error(struct kh_req *r, struct kc_err *err)
{
  int kind;
  const char *what;

  switch(r->fail) {
  case KH_F_RESOLVE:
    kind = KC_EK_CONNECT;
    what = "cannot resolve host";
    break;
  case KH_F_CONNECT:
    kind = KC_EK_CONNECT;
    what = strstr(r->errmsg, "407")
             ? "proxy authentication failed (check ProxyUser and "
               "ProxyPassword)"
             : strstr(r->errmsg, "CONNECT tunnel") ? "the proxy refused"
             : "cannot connect";
    break;
  case KH_F_TLS:
    kind = KC_EK_CONNECT;
    what = tls_cause(r->errmsg);
    break;
  case KH_F_TIMEOUT:
    kind = KC_EK_TIMEOUT;
    what = "timeout";
    break;
  case KH_F_CANCEL:
    kind = KC_EK_CANCELLED;
    what = "cancelled";
    break;
  case KH_F_TOOBIG:
    kind = KC_EK_PROTOCOL;
    what = "response too large";
    break;
  default:
    kind = KC_EK_LINK;
    what = "connection failure";
  }
  return kc_err_set(err, kind, r->curl_code, "%s: %s", what, r->errmsg);
}

int kc_client_finish(struct kc_client *c, struct kh_req *r, yajl_val *root,
                     struct kc_err *err)
{
  yajl_val v = NULL;
  char perr[300];
  const char *body = ku_buf_cstr(&r->resp);

  *root = NULL;
  if(r->fail)
    return transport_error(r, err);
  if(r->status >= 200 && r->status < 300) {
    if(kj_parse(body, r->resp.len, &v, perr, sizeof(perr)))
      return kc_err_set(err, KC_EK_PROTOCOL, r->status,
                        "malformed response from Kintone (HTTP %ld): %s",
                        r->status, perr);
    if(!YAJL_IS_OBJECT(v)) {
      yajl_tree_free(v);
      return kc_err_set(err, KC_EK_PROTOCOL, r->status,
                        "unexpected response from Kintone: not an object");
    }
    *root = v;
    return KC_OK;
  }
  /* an error answer: Kintone's JSON, or something else (proxy, 503) */
  if(!kj_parse(body, r->resp.len, &v, perr, sizeof(perr)) &&
     kj_str(kj_get(v, "code"))) {
    const char *code = kj_str(kj_get(v, "code"));
    const char *id = kj_str(kj_get(v, "id"));
    const char *msg = kj_str(kj_get(v, "message"));
    int kind = api_kind(r->status, code);
    kc_err_set(err, kind, r->status, "%s", msg ? msg : "Kintone error");
    append_errors(kj_get(v, "errors"), err->message, sizeof(err->message));
    if(!strcmp(code, "GAIA_IL23"))
      snprintf(err->message + strlen(err->message),
               sizeof(err->message) - strlen(err->message),
               " (the app is in a guest space: set GuestSpaceId)");
    err->http_status = r->status;
    snprintf(err->code, sizeof(err->code), "%s", code);
    snprintf(err->id, sizeof(err->id), "%s", id ? id : "");
    yajl_tree_free(v);
  }
  else {
    char ex[200];
    yajl_tree_free(v);
    body_excerpt(body, ex, sizeof(ex));
    kc_err_set(err, api_kind(r->status, NULL), r->status,
               "HTTP %ld from %s%s%s%s", r->status, c->cfg.url,
               ex[0] ? ": " : "", ex,
               r->status == 401
                 ? (c->cfg.basic_user && *c->cfg.basic_user
                      ? " (Basic authentication refused: check "
                        "BasicAuthUser and BasicAuthPassword)"
                      : " (the domain may require Basic authentication: "
                        "set BasicAuthUser and BasicAuthPassword)")
                 : "");
    err->http_status = r->status;
  }
  KLOG(c->log, KU_LOG_WARN, "kintone", "request failed: %s (code=%s)",
       err->message, err->code);
  return kc_err_rc(err->kind);
}

/* One synchronous request; force_token as for request_tok(). */
static int call_tok(struct kc_client *c, const char *method, const char *api,
                    const struct kc_params *p, const char *body,
                    int force_token, yajl_val *root, struct kc_err *err)
{
  struct kh_req r;
  int rc;

  *root = NULL;
  rc = request_tok(c, &r, method, api, p, body, force_token, 0, err);
  if(rc)
    return rc;
  KLOG(c->log, KU_LOG_INFO, "kintone", "%s %s %s", method, api,
       p ? ku_buf_cstr(&p->qs) : "");
  rc = kh_http_perform(c->http, &r);
  if(rc == KH_ENOMEM)
    rc = kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  else if(rc == KH_ECANCEL)
    rc = kc_err_cancelled(err);
  else
    rc = kc_client_finish(c, &r, root, err);
  kh_req_cleanup(&r);
  return rc;
}

/* 1 if err says "this token is not (a usable one) for this app". */
static int token_refused(const struct kc_err *err)
{
  return !strcmp(err->code, "GAIA_NO01") || !strcmp(err->code, "GAIA_IA02")
         || !strcmp(err->code, "CB_NO02");
}

/*
 * 1 when a metadata GET (app list, app, form, views...: idempotent) that
 * failed with err may succeed when sent again: 429, 5xx, a connection
 * lost during the answer, a malformed answer, Kintone's lock errors.
 * Not a failed connect or a timeout, which would only multiply the wait.
 */
static int meta_retryable(const struct kc_err *err)
{
  switch(err->kind) {
  case KC_EK_THROTTLED:
  case KC_EK_SERVER:
  case KC_EK_LINK:
  case KC_EK_PROTOCOL:
    return 1;
  default:
    return !strcmp(err->code, "GAIA_DA02") || !strcmp(err->code, "GAIA_RE18");
  }
}

/* The parameters of kc_client_get_each's request for `id` (p is new). */
static void each_params(struct kc_params *p, const struct kc_params *base,
                        const char *key, long long id)
{
  kc_params_init(p);
  if(base && (base->failed ||
              (base->qs.len &&
               ku_buf_add(&p->qs, base->qs.ptr, base->qs.len))))
    p->failed = 1;
  kc_params_addf(p, key, "%lld", id);
}

int kc_client_get_each(struct kc_client *c, const char *api,
                       const struct kc_params *base,
                       const char *key, const long long *ids, size_t n,
                       int (*take)(void *ctx, size_t i, int rc,
                                   yajl_val root, struct kc_err *err),
                       void *ctx, struct kc_err *err)
{
  struct kh_req *reqs = ku_calloc(n ? n : 1, sizeof(*reqs));
  unsigned char *state = ku_calloc(n ? n : 1, 1);   /* 1 sent, 2 done */
  size_t i, left = 0;
  int rc = KC_OK;

  if(!reqs || !state) {
    ku_free(reqs);
    ku_free(state);
    return kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  }
  for(i = 0; i < n && !rc; i++) {
    struct kc_params p;
    each_params(&p, base, key, ids[i]);
    rc = request_tok(c, &reqs[i], "GET", api, &p, NULL, -1, 0, err);
    if(!rc)
      KLOG(c->log, KU_LOG_INFO, "kintone", "GET %s %s", api,
           ku_buf_cstr(&p.qs));
    kc_params_cleanup(&p);
    if(rc)
      break;
    if(kh_http_submit(c->http, &reqs[i])) {
      kh_req_cleanup(&reqs[i]);
      rc = kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
      break;
    }
    state[i] = 1;
    left++;
  }
  /* waited for in order, each alone: the requests of others (a scan of
     another statement) that finish meanwhile are kept for them */
  for(i = 0; i < n && left && !rc; i++) {
    int wr;
    if(state[i] != 1)
      continue;
    wr = kh_http_await(c->http, &reqs[i]);
    if(wr == KH_ECANCEL)
      rc = kc_err_cancelled(err);
    else if(wr == KH_ENOMEM)
      rc = kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
    else {
      state[i] = 2;             /* a failed transfer: finish says why */
      left--;
    }
  }
  for(i = 0; i < n; i++) {
    if(state[i] == 2 && !rc) {
      yajl_val root = NULL;
      int r;
      kc_err_clear(err);
      r = kc_client_finish(c, &reqs[i], &root, err);
      if(r && meta_retryable(err)) {
        /* sent again alone, with kc_client_call's backoff */
        struct kc_params p;
        each_params(&p, base, key, ids[i]);
        kc_err_clear(err);
        r = kc_client_call(c, "GET", api, &p, NULL, &root, err);
        kc_params_cleanup(&p);
      }
      rc = take(ctx, i, r, root, err);
    }
    else if(state[i] == 1)
      kh_http_abort(c->http, &reqs[i]);
    if(state[i])
      kh_req_cleanup(&reqs[i]);
  }
  ku_free(reqs);
  ku_free(state);
  return rc;
}

static int call_once(struct kc_client *c, const char *method,
                     const char *api, const struct kc_params *p,
                     const char *body, yajl_val *root, struct kc_err *err);

#define META_RETRIES 4
#define META_BACKOFF_MS 200

/* kc_client_call; a GET is sent again (up to 4 times, with exponential
   backoff and jitter) while meta_retryable says it may help. */
int kc_client_call(struct kc_client *c, const char *method, const char *api,
                   const struct kc_params *p, const char *body,
                   yajl_val *root, struct kc_err *err)
{
  int n, rc = KC_OK;

  for(n = 0; n <= META_RETRIES; n++) {
    long ms;
    rc = call_once(c, method, api, p, body, root, err);
    if(!rc || strcmp(method, "GET") || !meta_retryable(err) ||
       n == META_RETRIES || kh_http_deadline_passed(c->http))
      break;
    ms = (long)META_BACKOFF_MS << n;
    ms += rand() % (ms / 2 + 1);
    KLOG(c->log, KU_LOG_WARN, "kintone", "GET %s: retrying (%d of %d) in "
         "%ld ms after: %s", api, n + 1, META_RETRIES, ms, err->message);
    if(kh_http_sleep(c->http, ms) == KH_ECANCEL) {
      rc = kc_err_cancelled(err);
      break;
    }
  }
  return rc;
}

static int call_once(struct kc_client *c, const char *method,
                     const char *api, const struct kc_params *p,
                     const char *body, yajl_val *root, struct kc_err *err)
{
  const struct kc_config *cfg = &c->cfg;
  long long app;
  struct kc_err first;
  int rc, own = -1;
  size_t i;

  rc = call_tok(c, method, api, p, body, -1, root, err);
  if(cfg->auth_scheme != KC_AUTH_APITOKEN)
    return rc;
  app = request_app(api, p, body);
  if(!app)
    return rc;
  for(i = 0; i < cfg->n_api_tokens && own < 0; i++)
    if(c->tok_app[i] == app)
      own = (int)i;
  if(!rc) {
    if(own >= 0 && !c->tok_sure[own]) {
      c->tok_sure[own] = 1;
      KLOG(c->log, KU_LOG_DEBUG, "kintone", "API token #%d is app %lld's",
           own + 1, app);
    }
    return rc;
  }
  if(rc != KC_EAPI || !token_refused(err) || (own >= 0 && c->tok_sure[own]))
    return rc;
  /* the guess was wrong (or there was none): try the unplaced tokens */
  first = *err;
  for(i = 0; i < cfg->n_api_tokens; i++) {
    if((int)i == own || c->tok_sure[i])
      continue;
    KLOG(c->log, KU_LOG_DEBUG, "kintone", "trying API token #%zu for app "
         "%lld", i + 1, app);
    rc = call_tok(c, method, api, p, body, (int)i, root, err);
    if(!rc) {
      if(own >= 0)
        c->tok_app[own] = c->tok_app[i];    /* swap the guesses */
      c->tok_app[i] = app;
      c->tok_sure[i] = 1;
      KLOG(c->log, KU_LOG_INFO, "kintone", "API token #%zu is app %lld's "
           "(not in AppId order)", i + 1, app);
      return KC_OK;
    }
    if(rc != KC_EAPI || !token_refused(err))
      return rc;
  }
  *err = first;
  snprintf(err->message + strlen(err->message),
           sizeof(err->message) - strlen(err->message),
           " (none of the API tokens in APIToken is accepted for app %lld)",
           app);
  return kc_err_rc(err->kind);
}
