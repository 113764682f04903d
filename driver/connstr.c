/*
 * connstr.c - ODBC connection strings and DSN settings -> kc_config.
 * See connstr.h.
 */
#include "connstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <odbcinst.h>
#include <sys/stat.h>

#include "../util/ku_mem.h"
#include "../util/ku_str.h"
#include "../util/ku_tz.h"

/* Properties, in documentation order.  Aliases map to the first name. */
#define PROP_NAME(name, kind, choices, help) name,
const char *const kd_property_names[] = {
  KD_PROPERTIES(PROP_NAME) NULL
};

#define ALIAS_PAIR(alias, name) {alias, name},
static const struct {
  const char *alias;
  const char *name;
} aliases[] = {
  KD_ALIASES(ALIAS_PAIR)
};

/* Keys that belong to the driver manager or the DSN itself. */
static const char *const ignored_keys[] = {
  "DSN", "DRIVER", "FILEDSN", "SAVEFILE", "Description", "Setup",
  "UsageCount", "Threading", NULL
};

static const char *const secret_keys[] = {
  "Password", "PWD", "APIToken", "APITokens", "BasicAuthPassword",
  "OAuthAccessToken", "AccessToken", "SSLClientCertPassword",
  "ProxyPassword", NULL
};

int kd_key_is_secret(const char *key)
{
  size_t i;

  for(i = 0; secret_keys[i]; i++)
    if(!ku_strcasecmp(key, secret_keys[i]))
      return 1;
  return 0;
}

void kd_connstr_free(struct kd_connstr *cs)
{
  size_t i;

  for(i = 0; i < cs->n; i++) {
    ku_free(cs->kv[i].key);
    if(cs->kv[i].value) {
      memset(cs->kv[i].value, 0, strlen(cs->kv[i].value));
      ku_free(cs->kv[i].value);
    }
  }
  ku_free(cs->kv);
  cs->kv = NULL;
  cs->n = 0;
}

static int push_kv(struct kd_connstr *cs, const char *k, size_t klen,
                   char *v)
{
  struct kd_kv *nkv = ku_realloc(cs->kv, (cs->n + 1) * sizeof(*nkv));

  if(!nkv)
    return KD_CS_ENOMEM;
  cs->kv = nkv;
  cs->kv[cs->n].key = ku_strndup(k, klen);
  if(!cs->kv[cs->n].key)
    return KD_CS_ENOMEM;
  cs->kv[cs->n].value = v;
  cs->n++;
  return KD_CS_OK;
}

int kd_connstr_parse(const char *s, long len, struct kd_connstr *out,
                     char *err, size_t errlen)
{
  size_t n = len < 0 ? strlen(s) : (size_t)len;
  size_t i = 0;
  int rc = KD_CS_OK;

  out->kv = NULL;
  out->n = 0;
  if(errlen)
    err[0] = '\0';
  while(i < n && !rc) {
    size_t ks, ke, klen;
    const char *k;
    struct ku_buf v;
    char *val;
    /* skip separators and blanks */
    while(i < n && (s[i] == ';' || s[i] == ' ' || s[i] == '\t'))
      i++;
    if(i >= n || !s[i])
      break;
    ks = i;
    while(i < n && s[i] && s[i] != '=' && s[i] != ';')
      i++;
    if(i >= n || s[i] != '=') {
      snprintf(err, errlen, "attribute without '=' at offset %zu", ks);
      rc = KD_CS_ESYNTAX;
      break;
    }
    ke = i;
    klen = ke - ks;
    k = ku_trim(s + ks, &klen);
    if(!klen) {
      snprintf(err, errlen, "empty attribute name at offset %zu", ks);
      rc = KD_CS_ESYNTAX;
      break;
    }
    i++;                                /* '=' */
    while(i < n && (s[i] == ' ' || s[i] == '\t'))
      i++;
    ku_buf_init(&v, 1 << 20);
    if(i < n && s[i] == '{') {
      size_t open = i++;
      int closed = 0;
      while(i < n && !rc) {
        if(s[i] == '}') {
          if(i + 1 < n && s[i + 1] == '}') {
            rc = ku_buf_addc(&v, '}') ? KD_CS_ENOMEM : KD_CS_OK;
            i += 2;
            continue;
          }
          closed = 1;
          i++;
          break;
        }
        rc = ku_buf_addc(&v, s[i]) ? KD_CS_ENOMEM : KD_CS_OK;
        i++;
      }
      if(!rc && !closed) {
        snprintf(err, errlen, "unterminated '{' at offset %zu", open);
        rc = KD_CS_ESYNTAX;
      }
      while(!rc && i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
      if(!rc && i < n && s[i] != ';' && s[i]) {
        snprintf(err, errlen, "unexpected text after '}' at offset %zu",
                 i);
        rc = KD_CS_ESYNTAX;
      }
    }
    else {
      size_t vs = i, vlen;
      const char *vt;
      while(i < n && s[i] != ';' && s[i])
        i++;
      vlen = i - vs;
      vt = ku_trim(s + vs, &vlen);
      rc = ku_buf_add(&v, vt, vlen) ? KD_CS_ENOMEM : KD_CS_OK;
    }
    if(rc) {
      ku_buf_cleanup(&v);
      break;
    }
    val = ku_buf_steal(&v);
    if(!val) {
      rc = KD_CS_ENOMEM;
      break;
    }
    rc = push_kv(out, k, klen, val);
    if(rc)
      ku_free(val);
  }
  if(rc)
    kd_connstr_free(out);
  return rc;
}

const char *kd_connstr_get(const struct kd_connstr *cs, const char *key)
{
  size_t i;

  for(i = 0; i < cs->n; i++)
    if(!ku_strcasecmp(cs->kv[i].key, key))
      return cs->kv[i].value;
  return NULL;
}

int kd_connstr_set(struct kd_connstr *cs, const char *key, const char *val)
{
  size_t i;
  char *v = ku_strdup(val);

  if(!v)
    return KD_CS_ENOMEM;
  for(i = 0; i < cs->n; i++) {
    if(!ku_strcasecmp(cs->kv[i].key, key)) {
      memset(cs->kv[i].value, 0, strlen(cs->kv[i].value));
      ku_free(cs->kv[i].value);
      cs->kv[i].value = v;
      return KD_CS_OK;
    }
  }
  if(push_kv(cs, key, strlen(key), v)) {
    ku_free(v);
    return KD_CS_ENOMEM;
  }
  return KD_CS_OK;
}

int kd_connstr_write(const struct kd_connstr *cs, struct ku_buf *out,
                     int mask)
{
  size_t i;
  int rc = 0;

  for(i = 0; i < cs->n && !rc; i++) {
    const char *v = cs->kv[i].value;
    if(mask && kd_key_is_secret(cs->kv[i].key))
      v = "****";
    rc = ku_buf_printf(out, "%s%s=", i ? ";" : "", cs->kv[i].key);
    if(!rc && (strpbrk(v, ";{}=") ||
               (*v && (strchr(" \t\r\n", v[0]) ||
                       strchr(" \t\r\n", v[strlen(v) - 1]))))) {
      const char *p;
      rc = ku_buf_addc(out, '{');
      for(p = v; *p && !rc; p++)
        rc = *p == '}' ? ku_buf_adds(out, "}}") : ku_buf_addc(out, *p);
      if(!rc)
        rc = ku_buf_addc(out, '}');
    }
    else if(!rc)
      rc = ku_buf_adds(out, v);
  }
  return rc ? KD_CS_ENOMEM : KD_CS_OK;
}

int kd_dsn_lookup_odbcini(const char *dsn, const char *key, char *buf,
                          int buflen)
{
  int n;

  buf[0] = '\0';
  if(!key) {
    /* existence check: a DSN section has at least one key */
    n = SQLGetPrivateProfileString(dsn, NULL, "", buf, buflen, "odbc.ini");
    return n > 0 ? n : -1;
  }
  n = SQLGetPrivateProfileString(dsn, key, "", buf, buflen, "odbc.ini");
  return n < 0 ? 0 : n;
}

/* Canonical property name of key, or NULL when unknown. */
static const char *canonical(const char *key)
{
  size_t i;

  for(i = 0; kd_property_names[i]; i++)
    if(!ku_strcasecmp(key, kd_property_names[i]))
      return kd_property_names[i];
  for(i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
    if(!ku_strcasecmp(key, aliases[i].alias))
      return aliases[i].name;
  return NULL;
}

static int is_ignored(const char *key)
{
  size_t i;

  for(i = 0; ignored_keys[i]; i++)
    if(!ku_strcasecmp(key, ignored_keys[i]))
      return 1;
  return 0;
}

int kd_key_is_known(const char *key)
{
  return canonical(key) != NULL || is_ignored(key);
}

static int parse_bool(const char *v, int *out)
{
  if(!ku_strcasecmp(v, "1") || !ku_strcasecmp(v, "yes") ||
     !ku_strcasecmp(v, "true") || !ku_strcasecmp(v, "on"))
    *out = 1;
  else if(!ku_strcasecmp(v, "0") || !ku_strcasecmp(v, "no") ||
          !ku_strcasecmp(v, "false") || !ku_strcasecmp(v, "off") || !*v)
    *out = 0;
  else
    return 1;
  return 0;
}

static int set_str(char **dst, const char *v)
{
  char *d = ku_strdup(v);

  if(!d)
    return KC_ENOMEM;
  ku_free(*dst);
  *dst = d;
  return KC_OK;
}

static int bad(struct kc_err *err, const char *prop, const char *what,
               const char *v)
{
  return kc_err_set(err, KC_EK_CONFIG, 0, "%s %s: '%s'", prop, what, v);
}

/* Applies one property value to cfg. */
static int apply(struct kc_config *cfg, const char *prop, const char *v,
                 int *scheme_set, struct kc_err *err)
{
  long long n;
  int b;

  if(!strcmp(prop, "URL"))
    return set_str(&cfg->url, v);
  if(!strcmp(prop, "AuthScheme")) {
    *scheme_set = 1;
    if(!ku_strcasecmp(v, "Password"))
      cfg->auth_scheme = KC_AUTH_PASSWORD;
    else if(!ku_strcasecmp(v, "APIToken"))
      cfg->auth_scheme = KC_AUTH_APITOKEN;
    else if(!ku_strcasecmp(v, "OAuth"))
      cfg->auth_scheme = KC_AUTH_OAUTH;
    else
      return bad(err, "AuthScheme", "must be Password, APIToken or OAuth",
                 v);
    return KC_OK;
  }
  if(!strcmp(prop, "User"))
    return set_str(&cfg->user, v);
  if(!strcmp(prop, "Password"))
    return set_str(&cfg->password, v);
  if(!strcmp(prop, "APIToken")) {
    char **items;
    size_t cnt;
    if(ku_split_list(v, &items, &cnt))
      return KC_ENOMEM;
    ku_strlist_free(cfg->api_tokens, cfg->n_api_tokens);
    cfg->api_tokens = items;
    cfg->n_api_tokens = cnt;
    return KC_OK;
  }
  if(!strcmp(prop, "AppId")) {
    char **items;
    size_t cnt, i;
    long long *ids;
    if(ku_split_list(v, &items, &cnt))
      return KC_ENOMEM;
    ids = ku_malloc((cnt ? cnt : 1) * sizeof(*ids));
    if(!ids) {
      ku_strlist_free(items, cnt);
      return KC_ENOMEM;
    }
    for(i = 0; i < cnt; i++) {
      if(ku_parse_int64(items[i], &ids[i]) || ids[i] <= 0) {
        int rc = kc_err_set(err, KC_EK_CONFIG, 0,
                            "AppId must be a comma-separated list of app "
                            "numbers: '%s' is not one", items[i]);
        ku_free(ids);
        ku_strlist_free(items, cnt);
        return rc;
      }
    }
    ku_strlist_free(items, cnt);
    ku_free(cfg->app_ids);
    cfg->app_ids = ids;
    cfg->n_app_ids = cnt;
    return KC_OK;
  }
  if(!strcmp(prop, "GuestSpaceId")) {
    if(!*v) {
      cfg->guest_space_id = 0;
      return KC_OK;
    }
    if(ku_parse_int64(v, &n) || n <= 0)
      return bad(err, "GuestSpaceId", "must be a space number", v);
    cfg->guest_space_id = n;
    return KC_OK;
  }
  if(!strcmp(prop, "BasicAuthUser"))
    return set_str(&cfg->basic_user, v);
  if(!strcmp(prop, "BasicAuthPassword"))
    return set_str(&cfg->basic_password, v);
  if(!strcmp(prop, "OAuthAccessToken"))
    return set_str(&cfg->oauth_token, v);
  if(!strcmp(prop, "SSLClientCert"))
    return set_str(&cfg->client_cert, v);
  if(!strcmp(prop, "SSLClientCertType"))
    return set_str(&cfg->client_cert_type, v);
  if(!strcmp(prop, "SSLClientCertPassword"))
    return set_str(&cfg->client_cert_password, v);
  if(!strcmp(prop, "SSLClientCertSubject"))
    return set_str(&cfg->client_cert_subject, v);
  if(!strcmp(prop, "SSLServerCert"))
    return set_str(&cfg->server_cert, v);
  if(!strcmp(prop, "AllowInsecureHttp")) {
    if(parse_bool(v, &b))
      return bad(err, "AllowInsecureHttp", "must be 0 or 1", v);
    cfg->allow_http = b;
    return KC_OK;
  }
  if(!strcmp(prop, "Timeout")) {
    if(ku_parse_int64(v, &n) || n < 0 || n > 86400)
      return bad(err, "Timeout", "must be seconds between 0 and 86400", v);
    cfg->timeout_s = (long)n;
    return KC_OK;
  }
  if(!strcmp(prop, "ProxyURL"))
    return set_str(&cfg->proxy_url, v);
  if(!strcmp(prop, "ProxyUser"))
    return set_str(&cfg->proxy_user, v);
  if(!strcmp(prop, "ProxyPassword"))
    return set_str(&cfg->proxy_password, v);
  if(!strcmp(prop, "MaxConcurrency")) {
    if(ku_parse_int64(v, &n) || n < 1 || n > 100)
      return bad(err, "MaxConcurrency", "must be between 1 and 100", v);
    cfg->max_concurrency = (int)n;
    return KC_OK;
  }
  if(!strcmp(prop, "PageSize")) {
    if(ku_parse_int64(v, &n) || n < 1 || n > 500)
      return bad(err, "PageSize", "must be between 1 and 500", v);
    cfg->page_size = (int)n;
    return KC_OK;
  }
  if(!strcmp(prop, "SubtableSeparator")) {
    if(strlen(v) > 8)
      return bad(err, "SubtableSeparator", "must be at most 8 characters", v);
    return set_str(&cfg->subtable_sep, v);
  }
  if(!strcmp(prop, "NumberMapToDouble")) {
    if(parse_bool(v, &b))
      return bad(err, "NumberMapToDouble", "must be 0 or 1", v);
    cfg->number_double = b;
    return KC_OK;
  }
  if(!strcmp(prop, "UseDisplayNames")) {
    if(parse_bool(v, &b))
      return bad(err, "UseDisplayNames", "must be 0 or 1", v);
    cfg->use_display_names = b;
    return KC_OK;
  }
  if(!strcmp(prop, "IdRangeProbe")) {
    if(parse_bool(v, &b))
      return bad(err, "IdRangeProbe", "must be 0 or 1", v);
    cfg->id_range_probe = b;
    return KC_OK;
  }
  if(!strcmp(prop, "PreserveOrder")) {
    if(parse_bool(v, &b))
      return bad(err, "PreserveOrder", "must be 0 or 1", v);
    cfg->preserve_order = b;
    return KC_OK;
  }
  if(!strcmp(prop, "UseCursor")) {
    if(parse_bool(v, &b))
      return bad(err, "UseCursor", "must be 0 or 1", v);
    cfg->use_cursor = b;
    return KC_OK;
  }
  if(!strcmp(prop, "TimeZone")) {
    /* loaded here only to refuse unknown zones at once (08001); the sql
       layer loads it again for use */
    struct ku_tz *tz = NULL;
    char why[160];
    int rc;
    if(!*v) {                          /* empty: the default, UTC */
      ku_free(cfg->time_zone);
      cfg->time_zone = NULL;
      return KC_OK;
    }
    rc = ku_tz_load(v, &tz, why, sizeof(why));
    ku_tz_free(tz);
    if(rc == KU_ENOMEM)
      return KC_ENOMEM;
    if(rc)
      return bad(err, "TimeZone", why, v);
    return set_str(&cfg->time_zone, v);
  }
  if(!strcmp(prop, "TableNaming")) {
    if(!ku_strcasecmp(v, "Name"))
      cfg->table_naming = KC_NAMING_NAME;
    else if(!ku_strcasecmp(v, "Code"))
      cfg->table_naming = KC_NAMING_CODE;
    else if(!ku_strcasecmp(v, "Id"))
      cfg->table_naming = KC_NAMING_ID;
    else
      return bad(err, "TableNaming", "must be Name, Code or Id", v);
    return KC_OK;
  }
  if(!strcmp(prop, "LogFile"))
    return set_str(&cfg->log_file, v);
  if(!strcmp(prop, "LogLevel")) {
    if(ku_parse_int64(v, &n) || n < 0 || n > 5)
      return bad(err, "LogLevel", "must be between 0 and 5", v);
    cfg->log_level = (int)n;
    return KC_OK;
  }
  return KC_OK;
}

/* Appends the key=value lines of section [ODBC] of ini file fp. */
static int read_odbc_section(FILE *fp, struct kd_connstr *out)
{
  char line[8192];
  int in = 0, rc = KD_CS_OK, nlines = 0;

  /* a DSN file is a few lines; stop early on anything else */
  while(!rc && nlines++ < 4096 && fgets(line, sizeof(line), fp)) {
    size_t n = strlen(line), klen, vlen;
    const char *k, *v;
    char *eq, *val;
    while(n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    k = line;
    while(*k == ' ' || *k == '\t')
      k++;
    if(*k == '[') {
      in = !ku_strncasecmp(k, "[ODBC]", 6);
      continue;
    }
    eq = strchr(k, '=');
    if(!in || *k == ';' || *k == '#' || !eq)
      continue;
    klen = (size_t)(eq - k);
    k = ku_trim(k, &klen);
    vlen = strlen(eq + 1);
    v = ku_trim(eq + 1, &vlen);
    if(!klen)
      continue;
    val = ku_strndup(v, vlen);
    if(!val)
      return KD_CS_ENOMEM;
    rc = push_kv(out, k, klen, val);
    if(rc)
      ku_free(val);
  }
  return rc;
}

int kd_filedsn_read(const char *path, struct kd_connstr *out, char *err,
                    size_t errlen)
{
  FILE *fp = fopen(path, "r");
  char alt[4096];
  struct stat st;
  int rc;

  out->kv = NULL;
  out->n = 0;
  if(!fp && !strchr(path, '/')) {
    /* unixODBC's convention: NAME means NAME.dsn in the FileDSN path */
    char dir[2048] = "";
    SQLGetPrivateProfileString("ODBC", "FileDSNPath", "", dir, sizeof(dir),
                               "odbcinst.ini");
    snprintf(alt, sizeof(alt), "%s%s%s%s", dir, *dir ? "/" : "", path,
             strstr(path, ".dsn") ? "" : ".dsn");
    fp = fopen(alt, "r");
  }
  else if(!fp && !strstr(path, ".dsn")) {
    snprintf(alt, sizeof(alt), "%s.dsn", path);
    fp = fopen(alt, "r");
  }
  if(!fp) {
    snprintf(err, errlen, "FILEDSN: cannot read file '%s'", path);
    return KD_CS_ESYNTAX;
  }
  if(fstat(fileno(fp), &st) || !S_ISREG(st.st_mode)) {
    fclose(fp);
    snprintf(err, errlen, "FILEDSN: '%s' is not a regular file", path);
    return KD_CS_ESYNTAX;
  }
  rc = read_odbc_section(fp, out);
  fclose(fp);
  if(rc)
    kd_connstr_free(out);
  return rc;
}

int kd_config_build(const struct kd_connstr *cs, kd_dsn_lookup_fn lookup,
                    struct kc_config *cfg, struct ku_buf *unknown,
                    struct kc_err *err)
{
  const char *filedsn = kd_connstr_get(cs, "FILEDSN");
  const char *dsn = kd_connstr_get(cs, "DSN");
  int scheme_set = 0, rc = KC_OK;
  size_t i;
  char buf[4096];

  kc_config_init(cfg);
  kc_err_clear(err);
  /* DSN settings first; the connection string overrides them */
  if(dsn && *dsn && lookup) {
    if(lookup(dsn, NULL, buf, sizeof(buf)) < 0)
      return kc_err_set(err, KC_EK_CONFIG, 0,
                        "data source name '%s' not found", dsn);
    for(i = 0; kd_property_names[i] && !rc; i++) {
      if(lookup(dsn, kd_property_names[i], buf, sizeof(buf)) > 0 &&
         !kd_connstr_get(cs, kd_property_names[i])) {
        size_t a;
        int overridden = 0;
        /* an alias in the connection string overrides too */
        for(a = 0; a < sizeof(aliases) / sizeof(aliases[0]); a++)
          if(!strcmp(aliases[a].name, kd_property_names[i]) &&
             kd_connstr_get(cs, aliases[a].alias))
            overridden = 1;
        if(!overridden)
          rc = apply(cfg, kd_property_names[i], buf, &scheme_set, err);
      }
    }
    /* the same for the DSN's aliases (UID/PWD written by tools) */
    for(i = 0; i < sizeof(aliases) / sizeof(aliases[0]) && !rc; i++) {
      if(lookup(dsn, aliases[i].alias, buf, sizeof(buf)) > 0 &&
         !kd_connstr_get(cs, aliases[i].alias) &&
         !kd_connstr_get(cs, aliases[i].name)) {
        char probe[8];
        /* the canonical key in the DSN wins over its alias */
        if(lookup(dsn, aliases[i].name, probe, sizeof(probe)) <= 0)
          rc = apply(cfg, aliases[i].name, buf, &scheme_set, err);
      }
    }
    memset(buf, 0, sizeof(buf));
  }
  /* then a file DSN's [ODBC] section (unixODBC may have merged it into
     the connection string already; applying it again is harmless) */
  if(!rc && filedsn && *filedsn) {
    struct kd_connstr fd;
    char ferr[256];
    int frc = kd_filedsn_read(filedsn, &fd, ferr, sizeof(ferr));
    if(frc == KD_CS_ENOMEM)
      rc = KC_ENOMEM;
    else if(frc)
      rc = kc_err_set(err, KC_EK_CONFIG, 0, "%s", ferr);
    for(i = 0; !rc && i < fd.n; i++) {
      const char *prop = canonical(fd.kv[i].key);
      if(prop)
        rc = apply(cfg, prop, fd.kv[i].value, &scheme_set, err);
    }
    if(!frc)
      kd_connstr_free(&fd);
  }
  for(i = 0; i < cs->n && !rc; i++) {
    const char *k = cs->kv[i].key, *prop;
    size_t j;
    int dup = 0;
    /* the first occurrence of a key wins */
    for(j = 0; j < i && !dup; j++)
      dup = canonical(cs->kv[j].key) && canonical(k) &&
            !strcmp(canonical(cs->kv[j].key), canonical(k));
    if(dup)
      continue;
    prop = canonical(k);
    if(!prop) {
      size_t u;
      int seen = 0;
      for(u = 0; u < i && !seen; u++)
        seen = !ku_strcasecmp(cs->kv[u].key, k);
      if(!is_ignored(k) && unknown && !seen) {
        if(unknown->len)
          ku_buf_adds(unknown, ", ");
        ku_buf_adds(unknown, k);
      }
      continue;
    }
    rc = apply(cfg, prop, cs->kv[i].value, &scheme_set, err);
  }
  if(rc == KC_ENOMEM)
    kc_err_set(err, KC_EK_NOMEM, 0, "out of memory");
  if(!rc && !scheme_set) {
    /* no AuthScheme: tokens without a user mean APIToken */
    if(cfg->n_api_tokens && !cfg->user)
      cfg->auth_scheme = KC_AUTH_APITOKEN;
    else if(cfg->oauth_token && !cfg->user)
      cfg->auth_scheme = KC_AUTH_OAUTH;
  }
  if(rc)
    kc_config_cleanup(cfg);
  return rc;
}
