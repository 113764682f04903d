/*
 * kc_config.h - connection settings of a Kintone client.
 *
 * Layer: kintone.  Filled by driver/connstr.c from the DSN and the
 * connection string, validated by kc_config_validate(), then copied into
 * the client.  All strings are UTF-8, owned by the struct and released by
 * kc_config_cleanup().
 */
#ifndef KC_CONFIG_H
#define KC_CONFIG_H

#include <stddef.h>

struct kc_err;

enum kc_auth_scheme {
  KC_AUTH_PASSWORD = 0,
  KC_AUTH_APITOKEN,
  KC_AUTH_OAUTH
};

enum kc_table_naming {
  KC_NAMING_NAME = 0,       /* app name (default) */
  KC_NAMING_CODE,           /* app code, falling back to the name */
  KC_NAMING_ID              /* "app_<id>" */
};

struct kc_config {
  char *url;                /* https://SUBDOMAIN.cybozu.com (no path) */
  int auth_scheme;          /* enum kc_auth_scheme */
  char *user;               /* Password scheme: login name */
  char *password;           /* Password scheme: password (secret) */
  char **api_tokens;        /* APIToken scheme: tokens (secrets) */
  size_t n_api_tokens;
  char *oauth_token;        /* OAuth scheme: access token (secret) */
  long long *app_ids;       /* AppId list; empty = every visible app */
  size_t n_app_ids;
  long long guest_space_id; /* 0 = not a guest space */
  char *basic_user;         /* BasicAuthUser */
  char *basic_password;     /* BasicAuthPassword (secret) */
  char *client_cert;        /* SSLClientCert: a path or base64 blob */
  char *client_cert_type;   /* PEMKEY_FILE | PFXFILE | PEMKEY_BLOB | PFXBLOB */
  char *client_cert_password;  /* SSLClientCertPassword (secret) */
  char *client_cert_subject;   /* SSLClientCertSubject */
  char *server_cert;        /* SSLServerCert: CA bundle to trust */
  int allow_http;           /* AllowInsecureHttp: plain http to loopback */
  long timeout_s;           /* Timeout: per request, seconds (0 = none) */
  long connect_timeout_s;   /* login timeout, seconds */
  char *proxy_url;          /* ProxyURL */
  char *proxy_user;         /* ProxyUser */
  char *proxy_password;     /* ProxyPassword (secret) */
  int max_concurrency;      /* MaxConcurrency: parallel requests */
  int page_size;            /* PageSize: records per request (<= 500) */
  int table_naming;         /* enum kc_table_naming */
  char *subtable_sep;       /* SubtableSeparator; NULL = "_" */
  int number_double;        /* NumberMapToDouble: NUMBER as DOUBLE */
  int use_display_names;    /* UseDisplayNames: columns named by label */
  char *time_zone;          /* TimeZone; NULL = UTC */
  int use_cursor;           /* UseCursor: scans through the cursor API */
  int preserve_order;       /* PreserveOrder: scans in $id order even
                               without ORDER BY (default 1) */
  int id_range_probe;       /* IdRangeProbe: $id range read with a form
                               (default 1) */
  char *log_file;           /* LogFile */
  int log_level;            /* LogLevel 0..5 */
};

/* SSLClientCertType values. */
enum kc_cert_type {
  KC_CERT_PEMKEY_FILE = 0,  /* PEM file: certificate(s) + private key(s) */
  KC_CERT_PFXFILE,          /* PKCS#12 (.pfx/.p12) keystore file */
  KC_CERT_PEMKEY_BLOB,      /* the PEM text, base64-encoded (or as is) */
  KC_CERT_PFXBLOB           /* the keystore, base64-encoded */
};

/*
 * The enum kc_cert_type of cfg's SSLClientCertType, or -1 when it is
 * unknown.  Unset: PFXFILE for a *.pfx / *.p12 file name, else
 * PEMKEY_FILE.
 */
int kc_config_cert_type(const struct kc_config *cfg);

void kc_config_init(struct kc_config *cfg);     /* defaults */
void kc_config_cleanup(struct kc_config *cfg);  /* frees, back to init */
/* Deep copy; KC_ENOMEM on failure (dst then holds defaults). */
int kc_config_copy(struct kc_config *dst, const struct kc_config *src);
/*
 * Checks consistency (URL form, scheme vs credentials, counts).  On error
 * fills err (kind KC_EK_CONFIG, message naming the property) and returns
 * KC_ECONFIG.
 */
int kc_config_validate(const struct kc_config *cfg, struct kc_err *err);

#endif
