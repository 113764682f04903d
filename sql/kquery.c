/*
 * kquery.c - building Kintone query text.  See kquery.h.
 */
#include "kquery.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int kq_quote(sqlite3_str *out, const char *s, size_t len)
{
  size_t i;

  for(i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
      return 1;
  }
  sqlite3_str_appendchar(out, 1, '"');
  for(i = 0; i < len; i++) {
    char c = s[i];
    if(c == '"' || c == '\\') {
      sqlite3_str_appendchar(out, 1, '\\');
      sqlite3_str_appendchar(out, 1, c);
    }
    else if(c == '\t')
      sqlite3_str_appendall(out, "\\t");
    else if(c == '\n')
      sqlite3_str_appendall(out, "\\n");
    else
      sqlite3_str_appendchar(out, 1, c);
  }
  sqlite3_str_appendchar(out, 1, '"');
  return 0;
}

enum { T_ALWAYS = 0, T_NEVER, T_BOUND };

/*
 * Normalises "$id <op> value" under SQLite's rules for an INTEGER
 * column: NULL never matches; text that is not numeric sorts after
 * every integer; a fractional value is moved to the integer bound that
 * selects the same integers.
 */
static int id_term(const char *op, sqlite3_value *v, const char **outop,
                   long long *bound)
{
  int t = sqlite3_value_numeric_type(v);
  double d;

  *outop = op;
  if(t == SQLITE_NULL)
    return T_NEVER;
  if(t == SQLITE_INTEGER) {
    *bound = sqlite3_value_int64(v);
    return T_BOUND;
  }
  if(t != SQLITE_FLOAT) {
    /* text or blob: greater than every integer */
    if(!strcmp(op, "<") || !strcmp(op, "<="))
      return T_ALWAYS;
    return T_NEVER;
  }
  d = sqlite3_value_double(v);
  if(d != d)
    return T_NEVER;
  if(d > 9.2e18)
    return (op[0] == '<') ? T_ALWAYS : T_NEVER;
  if(d < -9.2e18)
    return (op[0] == '>') ? T_ALWAYS : T_NEVER;
  if(d == floor(d)) {
    *bound = (long long)d;
    return T_BOUND;
  }
  if(!strcmp(op, "="))
    return T_NEVER;
  if(!strcmp(op, ">") || !strcmp(op, "<=")) {
    *bound = (long long)floor(d);   /* > 2.5 == > 2; <= 2.5 == <= 2 */
    return T_BOUND;
  }
  *bound = (long long)ceil(d);      /* >= 2.5 == >= 3; < 2.5 == < 3 */
  return T_BOUND;
}

int kq_render(const char *tmpl, sqlite3_value **argv, int argc,
              sqlite3_str *out, int *never)
{
  const char *p = tmpl;
  sqlite3_str *tmp = sqlite3_str_new(NULL);
  int nterms = 0, rc = SQLITE_OK;

  *never = 0;
  while(*p) {
    char op[3] = "";
    const char *q;
    long n;
    char *end;
    long long bound = 0;
    const char *outop;
    int kind;
    size_t oplen;

    if(strncmp(p, "$id ", 4)) {
      rc = SQLITE_ERROR;
      break;
    }
    p += 4;
    q = strchr(p, ' ');
    if(!q || q - p > 2) {
      rc = SQLITE_ERROR;
      break;
    }
    oplen = (size_t)(q - p);
    memcpy(op, p, oplen);
    op[oplen] = '\0';
    if(strcmp(op, "=") && strcmp(op, "<") && strcmp(op, "<=") &&
       strcmp(op, ">") && strcmp(op, ">=")) {
      rc = SQLITE_ERROR;
      break;
    }
    p = q + 1;
    if(*p != '?') {
      rc = SQLITE_ERROR;
      break;
    }
    n = strtol(p + 1, &end, 10);
    if(n < 1 || n > argc) {
      rc = SQLITE_ERROR;
      break;
    }
    p = end;
    kind = id_term(op, argv[n - 1], &outop, &bound);
    if(kind == T_NEVER) {
      *never = 1;
      break;
    }
    if(kind == T_BOUND) {
      sqlite3_str_appendf(tmp, "%s$id %s %lld", nterms ? " and " : "",
                          outop, bound);
      nterms++;
    }
    if(!strncmp(p, " and ", 5) && p[5])
      p += 5;
    else if(*p) {
      rc = SQLITE_ERROR;
      break;
    }
  }
  if(rc == SQLITE_OK && !*never && sqlite3_str_length(tmp))
    sqlite3_str_appendall(out, sqlite3_str_value(tmp));
  sqlite3_free(sqlite3_str_finish(tmp));
  return rc;
}
