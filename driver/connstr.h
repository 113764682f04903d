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

/* The names of every property the driver understands (NULL-ended). */
extern const char *const kd_property_names[];

#endif
