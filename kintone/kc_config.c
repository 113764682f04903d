/*
 * kc_config.c - connection settings: defaults, copy and validation.
 * See kc_config.h.
 */
#include "kc_config.h"

#include <string.h>

#include "kc_error.h"
#include "../util/ku_mem.h"
#include "../util/ku_str.h"

void kc_config_init(struct kc_config *cfg)
{
  memset(cfg, 0, sizeof(*cfg));
  cfg->auth_scheme = KC_AUTH_PASSWORD;
  cfg->timeout_s = 60;
  cfg->connect_timeout_s = 30;
  cfg->max_concurrency = 4;
  cfg->page_size = 500;
  cfg->preserve_order = 1;
  cfg->id_range_probe = 1;
  cfg->table_naming = KC_NAMING_NAME;
}

void kc_config_cleanup(struct kc_config *cfg)
{
  ku_free(cfg->url);
  ku_free(cfg->user);
  ku_free(cfg->password);
  ku_strlist_free(cfg->api_tokens, cfg->n_api_tokens);
  ku_free(cfg->oauth_token);
  ku_free(cfg->app_ids);
  ku_free(cfg->basic_user);
  ku_free(cfg->basic_password);
  ku_free(cfg->client_cert);
  ku_free(cfg->client_cert_type);
  ku_free(cfg->client_cert_password);
  ku_free(cfg->client_cert_subject);
  ku_free(cfg->server_cert);
  ku_free(cfg->proxy_url);
  ku_free(cfg->proxy_user);
  ku_free(cfg->proxy_password);
  ku_free(cfg->log_file);
  ku_free(cfg->subtable_sep);
  ku_free(cfg->time_zone);
  kc_config_init(cfg);
}

/* Copies one optional string; returns 0 on success. */
static int dup_opt(char **dst, const char *src)
{
  *dst = NULL;
  if(!src)
    return 0;
  *dst = ku_strdup(src);
  return *dst ? 0 : 1;
}

int kc_config_copy(struct kc_config *dst, const struct kc_config *src)
{
  size_t i;
  int bad = 0;

  *dst = *src;
  /* pointers are re-created below; clear them so cleanup is safe */
  dst->api_tokens = NULL;
  dst->n_api_tokens = 0;
  dst->app_ids = NULL;
  dst->n_app_ids = 0;
  bad |= dup_opt(&dst->url, src->url);
  bad |= dup_opt(&dst->user, src->user);
  bad |= dup_opt(&dst->password, src->password);
  bad |= dup_opt(&dst->oauth_token, src->oauth_token);
  bad |= dup_opt(&dst->basic_user, src->basic_user);
  bad |= dup_opt(&dst->basic_password, src->basic_password);
  bad |= dup_opt(&dst->client_cert, src->client_cert);
  bad |= dup_opt(&dst->client_cert_type, src->client_cert_type);
  bad |= dup_opt(&dst->client_cert_password, src->client_cert_password);
  bad |= dup_opt(&dst->client_cert_subject, src->client_cert_subject);
  bad |= dup_opt(&dst->server_cert, src->server_cert);
  bad |= dup_opt(&dst->proxy_url, src->proxy_url);
  bad |= dup_opt(&dst->proxy_user, src->proxy_user);
  bad |= dup_opt(&dst->proxy_password, src->proxy_password);
  bad |= dup_opt(&dst->log_file, src->log_file);
  bad |= dup_opt(&dst->subtable_sep, src->subtable_sep);
  bad |= dup_opt(&dst->time_zone, src->time_zone);
  if(!bad && src->n_api_tokens) {
    dst->api_tokens = ku_calloc(src->n_api_tokens, sizeof(char *));
    if(!dst->api_tokens)
      bad = 1;
    else {
      dst->n_api_tokens = src->n_api_tokens;
      for(i = 0; i < src->n_api_tokens && !bad; i++)
        bad |= dup_opt(&dst->api_tokens[i], src->api_tokens[i]);
    }
  }
  if(!bad && src->n_app_ids) {
    dst->app_ids = ku_malloc(src->n_app_ids * sizeof(long long));
    if(!dst->app_ids)
      bad = 1;
    else {
      memcpy(dst->app_ids, src->app_ids, src->n_app_ids * sizeof(long long));
      dst->n_app_ids = src->n_app_ids;
    }
  }
  if(bad) {
    kc_config_cleanup(dst);
    return KC_ENOMEM;
  }
  return KC_OK;
}

/* 1 if s[0..len) is a dotted-quad IPv4 address of 127.0.0.0/8. */
static int loopback_v4(const char *s, size_t len)
{
  size_t i = 0;
  int parts = 0;

  while(i < len) {
    size_t start = i;
    long v = 0;
    while(i < len && s[i] >= '0' && s[i] <= '9' && i - start < 3)
      v = v * 10 + (s[i++] - '0');
    if(i == start || v > 255 || (parts == 0 && v != 127))
      return 0;
    parts++;
    if(i < len) {
      if(s[i] != '.' || parts == 4)
        return 0;
      i++;
      if(i == len)
        return 0;
    }
  }
  return parts == 4;
}

/* 1 if the host (without port) is a loopback name or address. */
static int loopback_host(const char *host, size_t len)
{
  return (len == 9 && !ku_strncasecmp(host, "localhost", 9)) ||
         (len == 5 && !strncmp(host, "[::1]", 5)) ||
         loopback_v4(host, len);
}

int kc_config_cert_type(const struct kc_config *cfg)
{
  const char *t = cfg->client_cert_type;
  size_t n;

  if(!t || !*t) {
    n = cfg->client_cert ? strlen(cfg->client_cert) : 0;
    if(n > 4 && (!ku_strcasecmp(cfg->client_cert + n - 4, ".pfx") ||
                 !ku_strcasecmp(cfg->client_cert + n - 4, ".p12")))
      return KC_CERT_PFXFILE;
    return KC_CERT_PEMKEY_FILE;
  }
  if(!ku_strcasecmp(t, "PEMKEY_FILE") || !ku_strcasecmp(t, "PEM"))
    return KC_CERT_PEMKEY_FILE;
  if(!ku_strcasecmp(t, "PFXFILE") || !ku_strcasecmp(t, "PKCS12FILE") ||
     !ku_strcasecmp(t, "P12"))
    return KC_CERT_PFXFILE;
  if(!ku_strcasecmp(t, "PEMKEY_BLOB"))
    return KC_CERT_PEMKEY_BLOB;
  if(!ku_strcasecmp(t, "PFXBLOB") || !ku_strcasecmp(t, "PKCS12BLOB"))
    return KC_CERT_PFXBLOB;
  return -1;
}

int kc_config_validate(const struct kc_config *cfg, struct kc_err *err)
{
  const char *u = cfg->url, *host;
  size_t alen, hlen;
  int plain;

  if(!u || !*u)
    return kc_err_set(err, KC_EK_CONFIG, 0,
                      "URL is required (e.g. URL=https://example.cybozu.com)");
  if(!ku_strncasecmp(u, "https://", 8)) {
    host = u + 8;
    plain = 0;
  }
  else if(!ku_strncasecmp(u, "http://", 7)) {
    host = u + 7;
    plain = 1;
  }
  else
    return kc_err_set(err, KC_EK_CONFIG, 0,
                      "URL must start with https:// : %s", u);
  alen = strcspn(host, "/?#");          /* the authority part */
  if(memchr(host, '@', alen))
    return kc_err_set(err, KC_EK_CONFIG, 0,
                      "URL must not contain credentials (use User and "
                      "Password)");    /* not echoed: it holds a secret */
  if(*host == '[')
    hlen = strcspn(host, "]") + 1;
  else
    hlen = strcspn(host, ":/?#");
  if(hlen > alen || !hlen || *host == ':')
    return kc_err_set(err, KC_EK_CONFIG, 0, "URL has no host name: %s", u);
  if(plain && (!cfg->allow_http || !loopback_host(host, hlen)))
    return kc_err_set(err, KC_EK_CONFIG, 0,
                      "URL must use https:// (plain http is accepted only "
                      "for a loopback test server with "
                      "AllowInsecureHttp=1): %s", u);
  switch(cfg->auth_scheme) {
  case KC_AUTH_PASSWORD:
    if(!cfg->user || !*cfg->user)
      return kc_err_set(err, KC_EK_CONFIG, 0,
                        "AuthScheme=Password requires User");
    if(!cfg->password)
      return kc_err_set(err, KC_EK_CONFIG, 0,
                        "AuthScheme=Password requires Password");
    break;
  case KC_AUTH_APITOKEN:
    if(!cfg->n_api_tokens)
      return kc_err_set(err, KC_EK_CONFIG, 0,
                        "AuthScheme=APIToken requires APIToken");
    if(!cfg->n_app_ids)
      return kc_err_set(err, KC_EK_CONFIG, 0,
                        "AuthScheme=APIToken requires AppId (the apps the "
                        "tokens belong to)");
    if(cfg->n_api_tokens > cfg->n_app_ids)
      return kc_err_set(err, KC_EK_CONFIG, 0,
                        "APIToken lists %zu tokens but AppId only %zu apps",
                        cfg->n_api_tokens, cfg->n_app_ids);
    break;
  case KC_AUTH_OAUTH:
    if(!cfg->oauth_token || !*cfg->oauth_token)
      return kc_err_set(err, KC_EK_CONFIG, 0,
                        "AuthScheme=OAuth requires OAuthAccessToken");
    break;
  default:
    return kc_err_set(err, KC_EK_CONFIG, 0, "unknown AuthScheme");
  }
  if(cfg->basic_user && *cfg->basic_user &&
     cfg->auth_scheme == KC_AUTH_OAUTH)
    return kc_err_set(err, KC_EK_CONFIG, 0,
                      "BasicAuthUser cannot be combined with "
                      "AuthScheme=OAuth (both need the Authorization "
                      "header)");
  if(kc_config_cert_type(cfg) < 0)
    return kc_err_set(err, KC_EK_CONFIG, 0,
                      "SSLClientCertType must be PEMKEY_FILE, PFXFILE, "
                      "PEMKEY_BLOB or PFXBLOB: '%s'", cfg->client_cert_type);
  if((!cfg->client_cert || !*cfg->client_cert) &&
     ((cfg->client_cert_subject && *cfg->client_cert_subject) ||
      (cfg->client_cert_password && *cfg->client_cert_password)))
    return kc_err_set(err, KC_EK_CONFIG, 0,
                      "SSLClientCertPassword and SSLClientCertSubject "
                      "need SSLClientCert");
  if(cfg->proxy_url && *cfg->proxy_url &&
     ku_strncasecmp(cfg->proxy_url, "http://", 7) &&
     ku_strncasecmp(cfg->proxy_url, "https://", 8) &&
     ku_strncasecmp(cfg->proxy_url, "socks", 5) && strstr(cfg->proxy_url,
                                                           "://"))
    return kc_err_set(err, KC_EK_CONFIG, 0,
                      "ProxyURL must be http://host:port (or https://, "
                      "socks5://): %s", cfg->proxy_url);
  if(cfg->page_size < 1 || cfg->page_size > 500)
    return kc_err_set(err, KC_EK_CONFIG, 0,
                      "PageSize must be between 1 and 500");
  if(cfg->max_concurrency < 1 || cfg->max_concurrency > 100)
    return kc_err_set(err, KC_EK_CONFIG, 0,
                      "MaxConcurrency must be between 1 and 100");
  return KC_OK;
}
