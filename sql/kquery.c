/*
 * kquery.c - building Kintone query text.  See kquery.h.
 */
#include "kquery.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/ku_str.h"
#include "../util/ku_tz.h"

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

/* Outcome of rendering one term. */
enum { R_OK = 0, R_DROP, R_NEVER };

void kq_number_text(double d, char *buf, size_t cap)
{
  int p;

  for(p = 15; p <= 17; p++) {
    sqlite3_snprintf((int)cap, buf, "%.*g", p, d);
    if(ku_strtod(buf, NULL) == d)
      return;
  }
}

/* A number under NUMERIC affinity: 0 ok (text in buf), R_NEVER for NULL,
   R_DROP for a value that is not a number. */
static int number_value(sqlite3_value *v, char *buf, size_t cap)
{
  int t = sqlite3_value_numeric_type(v);

  if(t == SQLITE_NULL)
    return R_NEVER;
  if(t == SQLITE_INTEGER) {
    sqlite3_snprintf((int)cap, buf, "%lld",
                     (long long)sqlite3_value_int64(v));
    return R_OK;
  }
  if(t == SQLITE_FLOAT) {
    double d = sqlite3_value_double(v);
    if(d != d || d > 1e300 || d < -1e300)
      return R_DROP;
    kq_number_text(d, buf, cap);
    return R_OK;
  }
  return R_DROP;
}

static int num2(const char *s)
{
  return (s[0] - '0') * 10 + (s[1] - '0');
}

/* A real calendar date written 'YYYY-MM-DD' (Kintone rejects others). */
static int date_text(const char *s, size_t n)
{
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                              31};
  int y, m, d;

  if(n != 10 || !ku_all_digits(s, 4) || s[4] != '-' ||
     !ku_all_digits(s + 5, 2) || s[7] != '-' || !ku_all_digits(s + 8, 2))
    return 0;
  y = num2(s) * 100 + num2(s + 2);
  m = num2(s + 5);
  d = num2(s + 8);
  if(y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
    return 0;
  if(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 0;
  return 1;
}

/* A valid time written 'HH:MM:SS'. */
static int time_text(const char *s, size_t n)
{
  return n == 8 && ku_all_digits(s, 2) && s[2] == ':' &&
         ku_all_digits(s + 3, 2) && s[5] == ':' && ku_all_digits(s + 6, 2) &&
         num2(s) < 24 && num2(s + 3) < 60 && num2(s + 6) < 60;
}

/*
 * Minute-precision Kintone values against a second-precision SQL value:
 * with seconds 00 the comparison is kept; otherwise = and != are left
 * out and bounds move to the minute that keeps a superset.
 */
static const char *minute_op(const char *op, int whole_minute)
{
  if(whole_minute)
    return op;
  if(!strcmp(op, ">") || !strcmp(op, ">="))
    return ">=";
  if(!strcmp(op, "<") || !strcmp(op, "<="))
    return "<=";
  return NULL;
}

static int in_options(const struct kq_col *c, const char *v)
{
  size_t i;

  if(!c->options)
    return 1;
  for(i = 0; i < c->noptions; i++)
    if(!strcmp(c->options[i], v))
      return 1;
  return 0;
}

/* Text of a value for string comparison, or NULL (NULL/blob). */
static const char *text_of(sqlite3_value *v, size_t *n)
{
  const char *t;

  if(sqlite3_value_type(v) == SQLITE_NULL ||
     sqlite3_value_type(v) == SQLITE_BLOB)
    return NULL;
  t = (const char *)sqlite3_value_text(v);
  *n = (size_t)sqlite3_value_bytes(v);
  return t;
}

/* Appends the quoted text of one IN/= value for `c`; R_* outcome. */
static int list_value(const struct kq_col *c, sqlite3_value *v,
                      sqlite3_str *out, int first)
{
  char buf[64];
  size_t n = 0;
  const char *t;
  int r;
  long long id;

  switch(c->kind) {
  case KQ_ID:
    r = sqlite3_value_numeric_type(v);
    if(r == SQLITE_INTEGER)
      id = sqlite3_value_int64(v);
    else if(r == SQLITE_FLOAT &&
            sqlite3_value_double(v) == floor(sqlite3_value_double(v)) &&
            fabs(sqlite3_value_double(v)) < 9e18)
      id = (long long)sqlite3_value_double(v);
    else
      return R_NEVER;          /* this value matches no record */
    sqlite3_str_appendf(out, "%s%lld", first ? "" : ", ", id);
    return R_OK;
  case KQ_NUMBER:
    r = number_value(v, buf, sizeof(buf));
    if(r == R_OK)
      sqlite3_str_appendf(out, "%s%s", first ? "" : ", ", buf);
    else if(sqlite3_value_type(v) != SQLITE_NULL)
      r = R_NEVER;             /* text never equals a number */
    return r;
  default:
    t = text_of(v, &n);
    if(!t)
      return R_NEVER;
    if(!n)
      return R_NEVER;          /* empty values read as NULL */
    if(c->kind == KQ_CHOICE && !in_options(c, t))
      return R_DROP;           /* stale value: Kintone cannot ask */
    if(!first)
      sqlite3_str_appendall(out, ", ");
    return kq_quote(out, t, n) ? R_DROP : R_OK;
  }
}

/* Renders "code in (...)" for an IN list; R_* outcome. */
static int render_in(const struct kq_col *c, sqlite3_value *list,
                     sqlite3_str *out)
{
  sqlite3_str *tmp = sqlite3_str_new(NULL);
  sqlite3_value *v = NULL;
  int rc, any = 0, result = R_OK;

  sqlite3_str_appendf(tmp, "%s in (", c->code);
  for(rc = sqlite3_vtab_in_first(list, &v); rc == SQLITE_OK && v;
      rc = sqlite3_vtab_in_next(list, &v)) {
    int r = list_value(c, v, tmp, !any);
    if(r == R_DROP) {
      result = R_DROP;         /* the list must stay complete */
      break;
    }
    if(r == R_OK)
      any = 1;
  }
  if(result == R_OK && rc != SQLITE_OK && rc != SQLITE_DONE)
    result = R_DROP;
  if(result == R_OK && !any)
    result = R_NEVER;
  if(result == R_OK) {
    sqlite3_str_appendchar(tmp, 1, ')');
    sqlite3_str_appendall(out, sqlite3_str_value(tmp));
  }
  sqlite3_free(sqlite3_str_finish(tmp));
  return result;
}

/*
 * Appends "code op <instant>" for UTC instant u (" and " first unless
 * `first`).  Kintone keeps minutes: an instant within a minute moves the
 * bound to that minute as minute_op says.  R_* outcome.
 */
static int dt_bound(sqlite3_str *out, const char *code, const char *op,
                    long long u, int first)
{
  long long m = (long long)floor((double)u / 60) * 60;
  const char *o = minute_op(op, u == m);
  char buf[40];

  if(!o || m < -62135596800LL || m > 253402300740LL)
    return R_DROP;                     /* outside years 1-9999 */
  ku_format_datetime(m, 'T', buf, sizeof(buf));
  sqlite3_str_appendf(out, "%s%s %s \"%s\"", first ? "" : " and ", code, o,
                      buf);
  return R_OK;
}

/*
 * A DATETIME comparison with SQL text t ('YYYY-MM-DD HH:MM:SS', the wall
 * clock in tz): the UTC instants showing t (ku_tz_local_candidates)
 * give the Kintone terms (see kq_render_cols_tz).  R_* outcome.
 */
static int datetime_term(const struct kq_col *c, const char *op,
                         const char *t, const struct ku_tz *tz,
                         sqlite3_str *out)
{
  sqlite3_str *tmp;
  long long local, u[2], gap = 0;
  long zoff;
  int zone, n, r;

  if(ku_parse_datetime(t, 19, &local, &zone, &zoff))
    return R_DROP;
  n = ku_tz_local_candidates(tz, local, u, &gap);
  tmp = sqlite3_str_new(NULL);
  if(!strcmp(op, "=")) {
    if(!n)
      r = R_NEVER;                     /* a time the clock skipped */
    else if(n == 1)
      r = dt_bound(tmp, c->code, "=", u[0], 1);
    else {                             /* shown twice: both instants */
      r = dt_bound(tmp, c->code, ">=", u[0], 1);
      if(r == R_OK)
        r = dt_bound(tmp, c->code, "<=", u[1], 0);
    }
  }
  else if(!strcmp(op, "!=")) {
    r = n ? dt_bound(tmp, c->code, "!=", u[0], 1) : R_DROP;
    if(r == R_OK && n == 2)
      r = dt_bound(tmp, c->code, "!=", u[1], 0);
  }
  else if(op[0] == '<')                /* every instant shown before t */
    r = dt_bound(tmp, c->code, n ? op : "<", n ? u[n - 1] : gap, 1);
  else                                 /* every instant shown after t */
    r = dt_bound(tmp, c->code, n ? op : ">=", n ? u[0] : gap, 1);
  if(r == R_OK)
    sqlite3_str_appendall(out, sqlite3_str_value(tmp));
  sqlite3_free(sqlite3_str_finish(tmp));
  return r;
}

/* Renders one comparison term; R_* outcome. */
static int render_term(const struct kq_col *c, const char *op,
                       sqlite3_value *v, const struct ku_tz *tz,
                       sqlite3_str *out)
{
  char buf[64];
  size_t n = 0;
  const char *t, *o;
  long long bound = 0;
  int r;

  if(!strcmp(op, "isnull")) {
    if(c->kind == KQ_CHOICE)
      sqlite3_str_appendf(out, "%s in (\"\")", c->code);
    else if(c->kind == KQ_LONGTEXT)
      sqlite3_str_appendf(out, "%s is empty", c->code);
    else
      return R_DROP;
    return R_OK;
  }
  if(!v)
    return R_DROP;
  if(sqlite3_value_type(v) == SQLITE_NULL)
    return R_NEVER;            /* a comparison with NULL is never true */
  switch(c->kind) {
  case KQ_ID:
    r = id_term(op, v, &o, &bound);
    if(r == T_NEVER)
      return R_NEVER;
    if(r == T_ALWAYS)
      return R_DROP;
    sqlite3_str_appendf(out, "%s %s %lld", c->code, o, bound);
    return R_OK;
  case KQ_NUMBER:
    r = number_value(v, buf, sizeof(buf));
    if(r == R_DROP && (!strcmp(op, "=") || op[0] == '>'))
      return R_NEVER;          /* numbers sort before text */
    if(r != R_OK)
      return R_DROP;
    sqlite3_str_appendf(out, "%s %s %s", c->code, op, buf);
    return R_OK;
  case KQ_TEXT:
  case KQ_CHOICE:
  case KQ_USER:
    t = text_of(v, &n);
    if(!t)
      return R_DROP;
    if(!n)
      return strcmp(op, "=") ? R_DROP : R_NEVER;
    if(c->kind == KQ_TEXT) {
      if(strcmp(op, "=") && strcmp(op, "!="))
        return R_DROP;
      sqlite3_str_appendf(out, "%s %s ", c->code, op);
      return kq_quote(out, t, n) ? R_DROP : R_OK;
    }
    if(c->kind == KQ_CHOICE && !in_options(c, t))
      return R_DROP;
    if(strcmp(op, "=") && strcmp(op, "!="))
      return R_DROP;
    {
      sqlite3_str *tmp = sqlite3_str_new(NULL);
      int bad;
      sqlite3_str_appendf(tmp, "%s %s (", c->code,
                          !strcmp(op, "=") ? "in" : "not in");
      bad = kq_quote(tmp, t, n);
      sqlite3_str_appendchar(tmp, 1, ')');
      if(!bad)
        sqlite3_str_appendall(out, sqlite3_str_value(tmp));
      sqlite3_free(sqlite3_str_finish(tmp));
      return bad ? R_DROP : R_OK;
    }
  case KQ_DATE:
    t = text_of(v, &n);
    if(!t || !date_text(t, n))
      return R_DROP;
    sqlite3_str_appendf(out, "%s %s \"%.10s\"", c->code, op, t);
    return R_OK;
  case KQ_DATETIME:
    t = text_of(v, &n);
    if(!t || n != 19 || !date_text(t, 10) || t[10] != ' ' ||
       !time_text(t + 11, 8))
      return R_DROP;
    return datetime_term(c, op, t, tz, out);
  case KQ_TIME:
    t = text_of(v, &n);
    if(!t || !time_text(t, n))
      return R_DROP;
    o = minute_op(op, t[6] == '0' && t[7] == '0');
    if(!o)
      return R_DROP;
    sqlite3_str_appendf(out, "%s %s \"%.5s\"", c->code, o, t);
    return R_OK;
  default:
    return R_DROP;
  }
}

static const struct kq_col id_col = {"$id", KQ_ID, NULL, 0};

static const struct kq_col *id_lookup(void *ctx, const char *code,
                                      size_t len)
{
  (void)ctx;
  return (len == 3 && !strncmp(code, "$id", 3)) ? &id_col : NULL;
}

int kq_render_cols(const char *tmpl, sqlite3_value **argv, int argc,
                   kq_lookup_fn lookup, void *ctx, sqlite3_str *out,
                   int *never)
{
  return kq_render_cols_tz(tmpl, argv, argc, lookup, ctx, NULL, out, never);
}

int kq_render_cols_tz(const char *tmpl, sqlite3_value **argv, int argc,
                      kq_lookup_fn lookup, void *ctx,
                      const struct ku_tz *tz, sqlite3_str *out,
                      int *never)
{
  const char *p = tmpl;
  sqlite3_str *tmp = sqlite3_str_new(NULL);
  int nterms = 0, rc = SQLITE_OK;

  *never = 0;
  while(*p) {
    char op[8];
    const char *q, *code = p;
    size_t clen, oplen;
    const struct kq_col *col;
    sqlite3_value *v = NULL;
    int r, has_arg;
    sqlite3_str *term;

    q = strchr(p, ' ');
    if(!q) {
      rc = SQLITE_ERROR;
      break;
    }
    clen = (size_t)(q - code);
    col = lookup(ctx, code, clen);
    p = q + 1;
    q = p + strcspn(p, " ");
    oplen = (size_t)(q - p);
    if(!col || oplen >= sizeof(op)) {
      rc = SQLITE_ERROR;
      break;
    }
    memcpy(op, p, oplen);
    op[oplen] = '\0';
    if(strcmp(op, "=") && strcmp(op, "!=") && strcmp(op, "<") &&
       strcmp(op, "<=") && strcmp(op, ">") && strcmp(op, ">=") &&
       strcmp(op, "in") && strcmp(op, "isnull")) {
      rc = SQLITE_ERROR;
      break;
    }
    p = q;
    has_arg = strcmp(op, "isnull") != 0;
    if(has_arg) {
      char *end;
      long n;
      if(strncmp(p, " ?", 2)) {
        rc = SQLITE_ERROR;
        break;
      }
      n = strtol(p + 2, &end, 10);
      if(n < 1 || n > argc) {
        rc = SQLITE_ERROR;
        break;
      }
      v = argv[n - 1];
      p = end;
    }
    term = sqlite3_str_new(NULL);
    if(!strcmp(op, "in"))
      r = render_in(col, v, term);
    else
      r = render_term(col, op, v, tz, term);
    if(r == R_OK && sqlite3_str_length(term)) {
      sqlite3_str_appendf(tmp, "%s%s", nterms ? " and " : "",
                          sqlite3_str_value(term));
      nterms++;
    }
    sqlite3_free(sqlite3_str_finish(term));
    if(r == R_NEVER) {
      *never = 1;
      break;
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

int kq_render(const char *tmpl, sqlite3_value **argv, int argc,
              sqlite3_str *out, int *never)
{
  return kq_render_cols(tmpl, argv, argc, id_lookup, NULL, out, never);
}
