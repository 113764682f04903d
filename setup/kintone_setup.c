/*
 * kintone_setup.c - the ODBC Setup library of the Kintone driver
 * (libkintoneodbcS.so; odbcinst.ini `Setup =`).
 *
 * Not part of the driver's layers: a separate module that links only
 * libodbcinst.  It exports
 *   ConfigDSN / ConfigDSNW     SQLConfigDataSource(ODBC_ADD_DSN...): add,
 *                              change or remove a data source without a
 *                              dialog; every key is checked against the
 *                              driver's property list (driver/connstr.h)
 *   ODBCINSTGetProperties      the property list with prompt types, choices
 *                              and help, for odbcinst-based editors
 *                              (ODBCConfig, the unixODBC GUI plugins)
 *
 *   SQLConfigDataSource(NULL, ODBC_ADD_DSN, "Kintone",
 *                       "DSN=k\0URL=https://x.cybozu.com\0User=a\0\0");
 *
 * Errors go to the installer error queue (SQLInstallerError): an unknown
 * key is ODBC_ERROR_INVALID_KEYWORD_VALUE naming the key.  There is no
 * GUI: a request without DSN= fails with ODBC_ERROR_INVALID_DSN.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <strings.h>
#include <sql.h>
#include <sqlext.h>
#include <odbcinst.h>
#include <odbcinstext.h>

#include "../driver/connstr.h"

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

BOOL INSTAPI ConfigDSN(HWND hwnd, WORD req, LPCSTR driver, LPCSTR attrs);
BOOL INSTAPI ConfigDSNW(HWND hwnd, WORD req, LPCWSTR driver,
                        LPCWSTR attrs);
int INSTAPI ODBCINSTGetProperties(HODBCINSTPROPERTY last);

struct prop {
  const char *name;         /* property name */
  int kind;                 /* KD_PK_* */
  const char *choices;      /* "a|b|c" or NULL */
  const char *help;         /* one line */
};

#define PROP_ROW(name, kind, choices, help) {name, kind, choices, help},
static const struct prop props[] = {
  KD_PROPERTIES(PROP_ROW)
};
#define NPROPS (sizeof(props) / sizeof(props[0]))

#define ALIAS_NAME(alias, name) alias,
static const char *const aliases[] = {
  KD_ALIASES(ALIAS_NAME) NULL
};

/* Keys a DSN section may hold besides properties. */
static const char *const dsn_keys[] = {
  "Driver", "Description", "Setup", NULL
};

/* The property named key (aliases resolved), or NULL. */
static const struct prop *find_prop(const char *key)
{
  size_t i;

  for(i = 0; i < NPROPS; i++)
    if(!strcasecmp(key, props[i].name))
      return &props[i];
  return NULL;
}

#define ALIAS_PAIR(alias, name) {alias, name},
static const struct {
  const char *alias;
  const char *name;
} alias_pairs[] = {
  KD_ALIASES(ALIAS_PAIR) {NULL, NULL}
};

/* The property an alias stands for, or NULL. */
static const char *canonical_alias(const char *key)
{
  size_t i;

  for(i = 0; alias_pairs[i].alias; i++)
    if(!strcasecmp(key, alias_pairs[i].alias))
      return alias_pairs[i].name;
  return NULL;
}

static int known_key(const char *key)
{
  size_t i;

  if(find_prop(key))
    return 1;
  for(i = 0; aliases[i]; i++)
    if(!strcasecmp(key, aliases[i]))
      return 1;
  for(i = 0; dsn_keys[i]; i++)
    if(!strcasecmp(key, dsn_keys[i]))
      return 1;
  return 0;
}

/* 1 if value is one of the |-separated choices (case-insensitive). */
static int in_choices(const char *choices, const char *value)
{
  size_t n = strlen(value);
  const char *c = choices;

  while(c && *c) {
    const char *bar = strchr(c, '|');
    size_t len = bar ? (size_t)(bar - c) : strlen(c);
    if(len == n && !strncasecmp(c, value, n))
      return 1;
    c = bar ? bar + 1 : NULL;
  }
  return 0;
}

static BOOL post(DWORD code, const char *fmt, const char *arg)
{
  char msg[512];

  snprintf(msg, sizeof(msg), fmt, arg);
  SQLPostInstallerError(code, msg);
  return FALSE;
}

/*
 * Checks every "key=value" of the double-NUL-terminated attrs; returns
 * the DSN name (pointer into attrs) via *dsn.
 */
static BOOL check_attrs(LPCSTR attrs, const char **dsn, size_t *dsnlen)
{
  const char *a;

  *dsn = NULL;
  *dsnlen = 0;
  for(a = attrs; a && *a; a += strlen(a) + 1) {
    const char *eq = strchr(a, '=');
    char key[256];
    size_t klen;
    const struct prop *p;
    if(!eq || eq == a)
      return post(ODBC_ERROR_INVALID_KEYWORD_VALUE,
                  "expected KEY=VALUE, got '%s'", a);
    klen = (size_t)(eq - a);
    if(klen >= sizeof(key))
      return post(ODBC_ERROR_INVALID_KEYWORD_VALUE, "key too long: %s", a);
    memcpy(key, a, klen);
    key[klen] = '\0';
    if(!strcasecmp(key, "DSN")) {
      *dsn = eq + 1;
      *dsnlen = strlen(eq + 1);
      continue;
    }
    if(!known_key(key))
      return post(ODBC_ERROR_INVALID_KEYWORD_VALUE,
                  "'%s' is not a Kintone connection property", key);
    p = find_prop(key);
    if(p && p->kind == KD_PK_LIST && eq[1] && !in_choices(p->choices, eq + 1))
      return post(ODBC_ERROR_INVALID_KEYWORD_VALUE,
                  "invalid value for %s", a);
  }
  if(!*dsn || !**dsn)
    return post(ODBC_ERROR_INVALID_DSN, "%s",
                "DSN= is required (this setup library has no dialog)");
  if(!SQLValidDSN(*dsn))
    return post(ODBC_ERROR_INVALID_DSN, "invalid data source name '%s'",
                *dsn);
  return TRUE;
}

static BOOL write_attrs(const char *dsn, LPCSTR attrs)
{
  const char *a;

  for(a = attrs; *a; a += strlen(a) + 1) {
    const char *eq = strchr(a, '=');
    char key[256];
    size_t klen = (size_t)(eq - a);
    memcpy(key, a, klen);
    key[klen] = '\0';
    if(!strcasecmp(key, "DSN") || !strcasecmp(key, "Driver"))
      continue;
    /* canonical names: in a DSN the canonical key wins over an alias, so
       writing PWD next to an existing Password would change nothing */
    if(find_prop(key))
      snprintf(key, sizeof(key), "%s", find_prop(key)->name);
    else if(canonical_alias(key))
      snprintf(key, sizeof(key), "%s", canonical_alias(key));
    if(!SQLWritePrivateProfileString(dsn, key, eq + 1, "odbc.ini"))
      return post(ODBC_ERROR_REQUEST_FAILED, "cannot write %s", key);
  }
  return TRUE;
}

/* 1 if data source dsn exists in the current configuration mode. */
static int dsn_exists(const char *dsn)
{
  char buf[4096];

  return SQLGetPrivateProfileString(dsn, NULL, "", buf, sizeof(buf),
                                    "odbc.ini") > 0;
}

BOOL INSTAPI ConfigDSN(HWND hwnd, WORD req, LPCSTR driver, LPCSTR attrs)
{
  const char *d;
  size_t dlen;
  char dsn[SQL_MAX_DSN_LENGTH * 4 + 1];
  UWORD mode = ODBC_BOTH_DSN;
  BOOL ok;

  (void)hwnd;
  if(!attrs)
    return post(ODBC_ERROR_INVALID_DSN, "%s", "no attributes (DSN=...)");
  if(!check_attrs(attrs, &d, &dlen))
    return FALSE;
  if(dlen >= sizeof(dsn))
    return post(ODBC_ERROR_INVALID_DSN, "%s", "data source name too long");
  memcpy(dsn, d, dlen + 1);
  SQLGetConfigMode(&mode);
  switch(req) {
  case ODBC_ADD_SYS_DSN:
  case ODBC_CONFIG_SYS_DSN:
  case ODBC_REMOVE_SYS_DSN:
    SQLSetConfigMode(ODBC_SYSTEM_DSN);
    req = (WORD)(req - 3);
    break;
  default:
    break;
  }
  switch(req) {
  case ODBC_ADD_DSN:
    ok = SQLWriteDSNToIni(dsn, driver && *driver ? driver : "Kintone");
    if(!ok)
      post(ODBC_ERROR_REQUEST_FAILED, "cannot create data source '%s'",
           dsn);
    else
      ok = write_attrs(dsn, attrs);
    break;
  case ODBC_CONFIG_DSN:
    ok = dsn_exists(dsn) ? write_attrs(dsn, attrs)
                         : post(ODBC_ERROR_INVALID_DSN,
                                "data source '%s' not found", dsn);
    break;
  case ODBC_REMOVE_DSN:
    ok = SQLRemoveDSNFromIni(dsn);
    if(!ok)
      post(ODBC_ERROR_REQUEST_FAILED, "cannot remove data source '%s'", dsn);
    break;
  default:
    ok = post(ODBC_ERROR_INVALID_REQUEST_TYPE, "%s",
              "unsupported ConfigDSN request");
  }
  SQLSetConfigMode(mode);
  return ok;
}

/* UTF-16 (SQLWCHAR) -> UTF-8; n < 0: up to a NUL, else n units.  The
   result is malloc'd and NUL-terminated (plus one extra NUL). */
static char *narrow(const SQLWCHAR *w, long n)
{
  long i, len = 0;
  char *out, *o;

  if(n < 0)
    for(n = 0; w[n]; n++)
      ;
  out = malloc((size_t)n * 3 + 2);
  if(!out)
    return NULL;
  o = out;
  for(i = 0; i < n; i++) {
    unsigned long c = w[i];
    if(c >= 0xD800 && c < 0xDC00 && i + 1 < n && w[i + 1] >= 0xDC00 &&
       w[i + 1] < 0xE000) {
      c = 0x10000 + ((c - 0xD800) << 10) + (w[i + 1] - 0xDC00);
      i++;
    }
    if(c < 0x80)
      *o++ = (char)c;
    else if(c < 0x800) {
      *o++ = (char)(0xC0 | (c >> 6));
      *o++ = (char)(0x80 | (c & 0x3F));
    }
    else if(c < 0x10000) {
      *o++ = (char)(0xE0 | (c >> 12));
      *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
      *o++ = (char)(0x80 | (c & 0x3F));
    }
    else {
      /* 4 bytes: ensured by 3 per unit over the surrogate pair */
      *o++ = (char)(0xF0 | (c >> 18));
      *o++ = (char)(0x80 | ((c >> 12) & 0x3F));
      *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
      *o++ = (char)(0x80 | (c & 0x3F));
    }
    len++;
  }
  o[0] = '\0';
  o[1] = '\0';
  return out;
}

BOOL INSTAPI ConfigDSNW(HWND hwnd, WORD req, LPCWSTR driver, LPCWSTR attrs)
{
  char *d = driver ? narrow((const SQLWCHAR *)driver, -1) : NULL;
  char *a = NULL;
  BOOL ok;

  if(attrs) {
    /* a double-NUL-terminated list: convert the whole run */
    long n = 0;
    const SQLWCHAR *w = (const SQLWCHAR *)attrs;
    while(w[n] || w[n + 1])
      n++;
    a = narrow(w, n + 1);
  }
  if((driver && !d) || (attrs && !a)) {
    free(d);
    free(a);
    return post(ODBC_ERROR_OUT_OF_MEM, "%s", "out of memory");
  }
  ok = ConfigDSN(hwnd, req, d, a);
  free(d);
  free(a);
  return ok;
}

/*
 * Splits "a|b|c" into a NULL-terminated array in ONE malloc'd block (the
 * pointers, then the strings): unixODBC frees aPromptData with a single
 * free() and not the strings it points to.
 */
static char **prompt_data(const char *choices)
{
  size_t n = 1, i = 0, len = strlen(choices);
  const char *c;
  char **arr, *text;

  for(c = choices; *c; c++)
    n += *c == '|';
  arr = malloc((n + 1) * sizeof(char *) + len + 1);
  if(!arr)
    return NULL;
  text = (char *)(arr + n + 1);
  memcpy(text, choices, len + 1);
  arr[i++] = text;
  for(; *text; text++) {
    if(*text == '|') {
      *text = '\0';
      arr[i++] = text + 1;
    }
  }
  arr[i] = NULL;
  return arr;
}

int INSTAPI ODBCINSTGetProperties(HODBCINSTPROPERTY last)
{
  size_t i;

  for(i = 0; i < NPROPS; i++) {
    HODBCINSTPROPERTY p = calloc(1, sizeof(ODBCINSTPROPERTY));
    if(!p)
      return ODBCINST_ERROR;
    last->pNext = p;
    last = p;
    snprintf(p->szName, sizeof(p->szName), "%s", props[i].name);
    switch(props[i].kind) {
    case KD_PK_LIST:
      p->nPromptType = ODBCINST_PROMPTTYPE_LISTBOX;
      p->aPromptData = prompt_data(props[i].choices);
      break;
    case KD_PK_FILE:
      p->nPromptType = ODBCINST_PROMPTTYPE_FILENAME;
      break;
    case KD_PK_SECRET:
      p->nPromptType = ODBCINST_PROMPTTYPE_TEXTEDIT_PASSWORD;
      break;
    default:
      p->nPromptType = ODBCINST_PROMPTTYPE_TEXTEDIT;
    }
    if(!strcmp(props[i].name, "AuthScheme"))
      snprintf(p->szValue, sizeof(p->szValue), "Password");
    else if(!strcmp(props[i].name, "TableNaming"))
      snprintf(p->szValue, sizeof(p->szValue), "Name");
    else if(!strcmp(props[i].name, "LogLevel") ||
            !strcmp(props[i].name, "AllowInsecureHttp"))
      snprintf(p->szValue, sizeof(p->szValue), "0");
    p->pszHelp = strdup(props[i].help);
  }
  return ODBCINST_SUCCESS;
}
