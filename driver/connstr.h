/*
 * connstr.h - ODBC connection strings and DSN settings -> kc_config.
 *
 * Layer: driver.  Grammar (ODBC): attributes separated by ';', each
 * `key=value`; a value may be wrapped in braces, inside which ';' and
 * '=' are literal and '}}' is an escaped '}'.  Keys are compared
 * case-insensitively and surrounding blanks are dropped; the first
 * occurrence of a key wins (as the ODBC specification says).
 *
 *   struct kd_connstr cs;
 *   if(kd_connstr_parse("DSN=k;UID=alice;PWD={a;b}", SQL_NTS, &cs, ...))
 *   kd_config_build(&cs, kd_dsn_lookup_odbcini, &cfg, &warn, &err);
 */
#ifndef KD_CONNSTR_H
#define KD_CONNSTR_H

#include <stddef.h>

#include "../kintone/kc_config.h"
#include "../kintone/kc_error.h"
#include "../util/ku_buf.h"

struct kd_kv {
  char *key;       /* as written (owned) */
  char *value;     /* unescaped (owned) */
};

struct kd_connstr {
  struct kd_kv *kv;
  size_t n;
};

enum { KD_CS_OK = 0, KD_CS_ENOMEM, KD_CS_ESYNTAX };

/*
 * Parses len bytes (len < 0: NUL-terminated).  On KD_CS_ESYNTAX err
 * names the problem and its byte offset.
 */
int kd_connstr_parse(const char *s, long len, struct kd_connstr *out,
                     char *err, size_t errlen);
void kd_connstr_free(struct kd_connstr *cs);
/* Value of the first `key` (case-insensitive), or NULL. */
const char *kd_connstr_get(const struct kd_connstr *cs, const char *key);
/* Appends/replaces key=value. */
int kd_connstr_set(struct kd_connstr *cs, const char *key, const char *val);
/* Serialises with braces where needed; masks secrets when `mask`. */
int kd_connstr_write(const struct kd_connstr *cs, struct ku_buf *out,
                     int mask);
/* 1 if `key` names a secret property (Password, tokens...). */
int kd_key_is_secret(const char *key);

/*
 * Reads `key` of data source `dsn` into buf (""/0 when absent);
 * returns the length, or -1 when the DSN does not exist.
 */
typedef int (*kd_dsn_lookup_fn)(const char *dsn, const char *key, char *buf,
                                int buflen);
/* The real lookup through odbcinst (SQLGetPrivateProfileString). */
int kd_dsn_lookup_odbcini(const char *dsn, const char *key, char *buf,
                          int buflen);

/*
 * Builds cfg from the DSN named by DSN= (if any, read with `lookup`) and
 * the connection string, which overrides the DSN.  Unknown keys are
 * listed in `unknown` (comma-separated) for a 01S00 warning.  Returns
 * KC_OK, KC_ENOMEM or KC_ECONFIG (err names the property).  Does not
 * run kc_config_validate().
 */
int kd_config_build(const struct kd_connstr *cs, kd_dsn_lookup_fn lookup,
                    struct kc_config *cfg, struct ku_buf *unknown,
                    struct kc_err *err);

/*
 * Reads the [ODBC] section of a file DSN (FILEDSN=path; a bare name is
 * looked up as NAME.dsn in odbcinst.ini's FileDSNPath) into out.  Returns
 * KD_CS_OK, KD_CS_ENOMEM, or KD_CS_ESYNTAX with err naming the file.
 */
int kd_filedsn_read(const char *path, struct kd_connstr *out, char *err,
                    size_t errlen);

/* 1 if key is a connection property (or alias) the driver knows, or a
   key of the driver manager (DSN, DRIVER, Description...). */
int kd_key_is_known(const char *key);

/*
 * Every connection property: X(name, kind, choices, help).  kind is one of
 * KD_PK_TEXT, KD_PK_LIST (choices: "a|b|c"), KD_PK_FILE, KD_PK_SECRET.
 * The one list behind the driver (kd_property_names), the Setup library
 * (setup/: ODBCINSTGetProperties, ConfigDSN key checks) and the DSN tool;
 * it is header-only so those need not link the driver.
 */
enum { KD_PK_TEXT, KD_PK_LIST, KD_PK_FILE, KD_PK_SECRET };
#define KD_PROPERTIES(X)                                                  \
  X("URL", KD_PK_TEXT, NULL,                                              \
    "https://SUBDOMAIN.cybozu.com (or .kintone.com, .s.cybozu.com)")      \
  X("AuthScheme", KD_PK_LIST, "Password|APIToken|OAuth",                  \
    "Password (default), APIToken or OAuth")                              \
  X("User", KD_PK_TEXT, NULL, "login name (AuthScheme=Password)")         \
  X("Password", KD_PK_SECRET, NULL, "password (AuthScheme=Password)")     \
  X("APIToken", KD_PK_SECRET, NULL,                                       \
    "API tokens, comma-separated, one per app of AppId")                  \
  X("AppId", KD_PK_TEXT, NULL,                                            \
    "app ids, comma-separated; only these apps become tables")            \
  X("GuestSpaceId", KD_PK_TEXT, NULL, "guest space id of the apps")       \
  X("BasicAuthUser", KD_PK_TEXT, NULL, "user of the domain's Basic auth") \
  X("BasicAuthPassword", KD_PK_SECRET, NULL,                              \
    "password of the domain's Basic auth")                                \
  X("OAuthAccessToken", KD_PK_SECRET, NULL,                               \
    "OAuth access token (AuthScheme=OAuth)")                              \
  X("SSLClientCert", KD_PK_FILE, NULL,                                    \
    "client certificate: PEM (cert+key) or .pfx file, or base64 blob")    \
  X("SSLClientCertType", KD_PK_LIST,                                      \
    "PEMKEY_FILE|PFXFILE|PEMKEY_BLOB|PFXBLOB", "form of SSLClientCert")   \
  X("SSLClientCertPassword", KD_PK_SECRET, NULL,                          \
    "password of the key or keystore")                                    \
  X("SSLClientCertSubject", KD_PK_TEXT, NULL,                             \
    "use the certificate whose subject contains this (* = first)")        \
  X("SSLServerCert", KD_PK_FILE, NULL,                                    \
    "CA bundle (PEM) to trust instead of the system's")                   \
  X("AllowInsecureHttp", KD_PK_LIST, "0|1",                               \
    "1 allows http:// to a loopback test server")                         \
  X("Timeout", KD_PK_TEXT, NULL, "seconds per request (default 60)")      \
  X("ProxyURL", KD_PK_TEXT, NULL, "HTTP proxy, http://host:port")         \
  X("ProxyUser", KD_PK_TEXT, NULL, "proxy user")                          \
  X("ProxyPassword", KD_PK_SECRET, NULL, "proxy password")                \
  X("MaxConcurrency", KD_PK_TEXT, NULL, "parallel requests, 1-100")       \
  X("PageSize", KD_PK_TEXT, NULL, "records per request, 1-500")           \
  X("UseCursor", KD_PK_LIST, "0|1",                                       \
    "1 reads scans through Kintone's cursor API (one consistent pass)")   \
  X("PreserveOrder", KD_PK_LIST, "0|1",                                   \
    "0 lets scans without ORDER BY return pages as they arrive")          \
  X("IdRangeProbe", KD_PK_LIST, "0|1",                                    \
    "0: no $id range read with a table's fields (2 requests fewer)")      \
  X("TableNaming", KD_PK_LIST, "Name|Code|Id",                            \
    "table names from the app Name, Code or Id")                          \
  X("SubtableSeparator", KD_PK_TEXT, NULL,                                \
    "between app and subtable in subtable table names (default _)")      \
  X("NumberMapToDouble", KD_PK_LIST, "0|1",                               \
    "1 reports NUMBER and CALC columns as DOUBLE instead of DECIMAL")     \
  X("UseDisplayNames", KD_PK_LIST, "0|1",                                 \
    "1 names columns by field label instead of field code")              \
  X("TimeZone", KD_PK_TEXT, NULL,                                         \
    "time zone of DATETIME values, e.g. Asia/Tokyo (default UTC)")        \
  X("LogFile", KD_PK_FILE, NULL, "log file (secrets are masked)")         \
  X("LogLevel", KD_PK_LIST, "0|1|2|3|4|5", "0 (off) to 5 (trace)")

/* Aliases: X(alias, property). */
#define KD_ALIASES(X)                                                     \
  X("UID", "User") X("PWD", "Password") X("Server", "URL")                \
  X("AccessToken", "OAuthAccessToken") X("APITokens", "APIToken")        \
  X("AppIds", "AppId")

/* The names of every property the driver understands (NULL-ended). */
extern const char *const kd_property_names[];

#endif
