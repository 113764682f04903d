/*
 * convert.c - SQLite values to ODBC C types and bound parameters to
 * SQLite bindings.
 *
 * Layer: driver.  Output (kd_convert_out) follows the ODBC 3.8 "Converting
 * Data from SQL to C Data Types" tables, driven by both the column's SQL
 * type (the IRD concise type) and the value SQLite actually holds:
 *
 *   source                    character/binary targets   other targets
 *   NULL                      SQL_NULL_DATA (22002 without indicator)
 *   INT/DOUBLE                rendered text, chunked     range 22003, 01S07
 *   TEXT, numeric column      as is, chunked             strict parse 22018
 *   TEXT, date/time column    canonical text, chunked    22007, 01S07, 07006
 *   BLOB                      hex (char) / bytes         07006
 *
 * Character and binary targets are returned in pieces by SQLGetData: the
 * caller keeps *offset (0 at the first call), which counts bytes of the
 * character (UTF-8) or binary source already returned and becomes
 * KD_OFFSET_DONE (-1) after the last piece, so the next call answers
 * SQL_NO_DATA; fixed-size targets are DONE after one call.
 *
 * Input (kd_bind_param) turns an application buffer into one
 * sqlite3_bind_* call; text goes in with SQLITE_TRANSIENT.  Text bound
 * as a numeric SQL type must be a number (22018, 22003 out of range),
 * as a date/time type a date/time (22007, 22008).
 */
#include "convert.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "handles.h"
#include "strout.h"
#include "../sql/ks_db.h"
#include "../util/ku_mem.h"
#include "../util/ku_str.h"
#include "../util/ku_tz.h"
#include "../util/ku_utf.h"

#define KD_OFFSET_DONE (-1)   /* *offset: column returned completely */

/* One kd_convert_out call: where to write and whom to tell. */
struct out_ctx {
  struct kd_hdr *h;          /* handle for diagnostics */
  const struct kd_value *v;  /* source value */
  SQLPOINTER buf;            /* target buffer (may be NULL) */
  SQLLEN buflen;             /* target size in bytes */
  SQLLEN *ind;               /* indicator (may be NULL) */
  SQLLEN *lenp;              /* length (may be NULL or == ind) */
  SQLLEN *offset;            /* SQLGetData progress (NULL when bound) */
  SQLLEN row;                /* diagnostics row number */
  SQLINTEGER col;            /* diagnostics column number */
};

/* A number read from a value. */
enum { NUM_INT, NUM_UINT, NUM_DBL };
struct num {
  int kind;                  /* NUM_* */
  long long i;               /* NUM_INT */
  unsigned long long u;      /* NUM_UINT (above LLONG_MAX) */
  double d;                  /* NUM_DBL */
};

/* A parsed date, time or timestamp. */
struct dt {
  int has_date;              /* YYYY-MM-DD present */
  int has_time;              /* HH:MM[:SS[.f]] present */
  int y, mo, d;
  int h, mi, s;
  unsigned long frac;        /* nanoseconds */
};

/* Posts e with the context's row/column; returns its SQLRETURN. */
static SQLRETURN post(struct out_ctx *c, enum kd_err e)
{
  return kd_diag_post_at(c->h, e, 0, c->row, c->col, NULL);
}

/* Posts 07006 naming the two types. */
static SQLRETURN post_restricted(struct out_ctx *c, SQLSMALLINT ctype)
{
  return kd_diag_post_at(c->h, KD_E_RESTRICTED_TYPE, 0, c->row, c->col,
                         "Cannot convert SQL type %d to C type %d",
                         (int)c->v->sql_type, (int)ctype);
}

/* Stores the length of a non-NULL value; a separate indicator gets 0. */
static void set_len(struct out_ctx *c, SQLLEN n)
{
  if(c->lenp)
    *c->lenp = n;
  if(c->ind && c->ind != c->lenp)
    *c->ind = 0;
}

/* 1 for the date/time/timestamp SQL types of ODBC 2 and 3. */
static int is_datetime_sql(SQLSMALLINT t)
{
  return t == SQL_TYPE_DATE || t == SQL_TYPE_TIME ||
    t == SQL_TYPE_TIMESTAMP || t == SQL_DATE || t == SQL_TIME ||
    t == SQL_TIMESTAMP;
}

/* 1 for SQL types whose values are numbers. */
static int is_numeric_sql(SQLSMALLINT t)
{
  switch(t) {
  case SQL_BIT:
  case SQL_TINYINT:
  case SQL_SMALLINT:
  case SQL_INTEGER:
  case SQL_BIGINT:
  case SQL_REAL:
  case SQL_FLOAT:
  case SQL_DOUBLE:
  case SQL_DECIMAL:
  case SQL_NUMERIC:
    return 1;
  default:
    return 0;
  }
}

/* 1 for character SQL types. */
static int is_char_sql(SQLSMALLINT t)
{
  switch(t) {
  case SQL_CHAR:
  case SQL_VARCHAR:
  case SQL_LONGVARCHAR:
  case SQL_WCHAR:
  case SQL_WVARCHAR:
  case SQL_WLONGVARCHAR:
    return 1;
  default:
    return 0;
  }
}

/* Base of a date/time SQL type: 1 date, 2 time, 3 timestamp, 0 other. */
static int dt_kind_sql(SQLSMALLINT t)
{
  if(t == SQL_TYPE_DATE || t == SQL_DATE)
    return 1;
  if(t == SQL_TYPE_TIME || t == SQL_TIME)
    return 2;
  if(t == SQL_TYPE_TIMESTAMP || t == SQL_TIMESTAMP)
    return 3;
  return 0;
}

/* The default C type for an SQL type (ODBC 3.8 "C Data Types" table). */
SQLLEN kd_ctype_size(SQLSMALLINT ctype)
{
  switch(ctype) {
  case SQL_C_BIT:
  case SQL_C_TINYINT:
  case SQL_C_STINYINT:
  case SQL_C_UTINYINT:
    return 1;
  case SQL_C_SHORT:
  case SQL_C_SSHORT:
  case SQL_C_USHORT:
    return (SQLLEN)sizeof(SQLSMALLINT);
  case SQL_C_LONG:
  case SQL_C_SLONG:
  case SQL_C_ULONG:
    return (SQLLEN)sizeof(SQLINTEGER);
  case SQL_C_SBIGINT:
  case SQL_C_UBIGINT:
    return (SQLLEN)sizeof(SQLBIGINT);
  case SQL_C_FLOAT:
    return (SQLLEN)sizeof(SQLREAL);
  case SQL_C_DOUBLE:
    return (SQLLEN)sizeof(SQLDOUBLE);
  case SQL_C_DATE:
  case SQL_C_TYPE_DATE:
    return (SQLLEN)sizeof(SQL_DATE_STRUCT);
  case SQL_C_TIME:
  case SQL_C_TYPE_TIME:
    return (SQLLEN)sizeof(SQL_TIME_STRUCT);
  case SQL_C_TIMESTAMP:
  case SQL_C_TYPE_TIMESTAMP:
    return (SQLLEN)sizeof(SQL_TIMESTAMP_STRUCT);
  case SQL_C_NUMERIC:
    return (SQLLEN)sizeof(SQL_NUMERIC_STRUCT);
  case SQL_C_GUID:
    return (SQLLEN)sizeof(SQLGUID);
  default:
    return 0;
  }
}

SQLSMALLINT kd_default_ctype(SQLSMALLINT sql_type)
{
  switch(sql_type) {
  case SQL_WCHAR:
  case SQL_WVARCHAR:
  case SQL_WLONGVARCHAR:
    return SQL_C_WCHAR;
  case SQL_BIT:
    return SQL_C_BIT;
  case SQL_TINYINT:
    return SQL_C_STINYINT;
  case SQL_SMALLINT:
    return SQL_C_SSHORT;
  case SQL_INTEGER:
    return SQL_C_SLONG;
  case SQL_BIGINT:
    return SQL_C_SBIGINT;
  case SQL_REAL:
    return SQL_C_FLOAT;
  case SQL_FLOAT:
  case SQL_DOUBLE:
    return SQL_C_DOUBLE;
  case SQL_BINARY:
  case SQL_VARBINARY:
  case SQL_LONGVARBINARY:
    return SQL_C_BINARY;
  case SQL_TYPE_DATE:
    return SQL_C_TYPE_DATE;
  case SQL_TYPE_TIME:
    return SQL_C_TYPE_TIME;
  case SQL_TYPE_TIMESTAMP:
    return SQL_C_TYPE_TIMESTAMP;
  case SQL_DATE:
    return SQL_C_DATE;
  case SQL_TIME:
    return SQL_C_TIME;
  case SQL_TIMESTAMP:
    return SQL_C_TIMESTAMP;
  default:                 /* CHAR, VARCHAR, DECIMAL, NUMERIC, unknown */
    return SQL_C_CHAR;
  }
}

/*
 * Reads column col of the current row of st; text/blob are borrowed
 * until the next step/reset/column call on st.
 *
 * One sqlite3_column_value and the value's accessors instead of three
 * sqlite3_column_* calls, each of which takes the database mutex: the
 * value is "unprotected", which is fine since the connection lock
 * (kd_enter) keeps every other thread off this sqlite3 handle.  Should
 * reading the text or blob fail (out of memory in SQLite), the
 * sqlite3_column_* call repeats it so that SQLite records the error as
 * it always did.
 */
void kd_value_from_sqlite(sqlite3_stmt *st, int col, SQLSMALLINT sql_type,
                          struct kd_value *v)
{
  sqlite3_value *val = sqlite3_column_value(st, col);

  memset(v, 0, sizeof(*v));
  v->sql_type = sql_type;
  switch(sqlite3_value_type(val)) {
  case SQLITE_INTEGER:
    v->kind = KD_V_INT;
    v->i = sqlite3_value_int64(val);
    break;
  case SQLITE_FLOAT:
    v->kind = KD_V_DOUBLE;
    v->d = sqlite3_value_double(val);
    break;
  case SQLITE_TEXT:
    v->kind = KD_V_TEXT;
    v->s = (const char *)sqlite3_value_text(val);
    if(!v->s)
      v->s = (const char *)sqlite3_column_text(st, col);
    v->len = (size_t)sqlite3_value_bytes(val);
    if(!v->s) {            /* out of memory inside SQLite */
      v->s = "";
      v->len = 0;
    }
    break;
  case SQLITE_BLOB:
    v->kind = KD_V_BLOB;
    v->s = sqlite3_value_blob(val);
    if(!v->s)
      v->s = sqlite3_column_blob(st, col);
    v->len = (size_t)sqlite3_value_bytes(val);
    if(!v->s) {
      v->s = "";
      v->len = 0;
    }
    break;
  default:
    v->kind = KD_V_NULL;
    break;
  }
}

/* ---- numbers ---------------------------------------------------------- */

/*
 * Checks strict number syntax [ws][+-]d*[.d*][(e|E)[+-]d+][ws] with at
 * least one mantissa digit.  Returns 0 (not a number), 1 (integer form)
 * or 2 (decimal/exponent form); *b and *e delimit the trimmed text.
 */
static int scan_number(const char *s, size_t len, size_t *b, size_t *e)
{
  size_t i = 0, j, nd = 0;
  int form = 1;

  while(i < len && (s[i] == ' ' || s[i] == '\t'))
    i++;
  while(len > i && (s[len - 1] == ' ' || s[len - 1] == '\t'))
    len--;
  *b = i;
  *e = len;
  if(i < len && (s[i] == '+' || s[i] == '-'))
    i++;
  while(i < len && s[i] >= '0' && s[i] <= '9') {
    i++;
    nd++;
  }
  if(i < len && s[i] == '.') {
    form = 2;
    i++;
    while(i < len && s[i] >= '0' && s[i] <= '9') {
      i++;
      nd++;
    }
  }
  if(!nd)
    return 0;
  if(i < len && (s[i] == 'e' || s[i] == 'E')) {
    form = 2;
    i++;
    if(i < len && (s[i] == '+' || s[i] == '-'))
      i++;
    j = i;
    while(i < len && s[i] >= '0' && s[i] <= '9')
      i++;
    if(i == j)
      return 0;
  }
  return i == len ? form : 0;
}

/*
 * Parses number text strictly into n.  Returns 0, KD_E_BAD_CAST for
 * junk, KD_E_NUMERIC_RANGE for overflow, KD_E_NOMEM.
 */
static int parse_num(const char *s, size_t len, struct num *n)
{
  char tmp[128];
  char *p = tmp, *end;
  size_t b, e;
  int form = scan_number(s, len, &b, &e);
  int rc = 0;

  if(!form)
    return KD_E_BAD_CAST;
  if(e - b >= sizeof(tmp)) {
    p = ku_malloc(e - b + 1);
    if(!p)
      return KD_E_NOMEM;
  }
  memcpy(p, s + b, e - b);
  p[e - b] = '\0';
  if(form == 1) {
    errno = 0;
    n->kind = NUM_INT;
    n->i = strtoll(p, &end, 10);
    if(errno == ERANGE && p[0] != '-') {
      errno = 0;
      n->kind = NUM_UINT;
      n->u = strtoull(p, &end, 10);
    }
    if(errno == ERANGE)
      form = 2;            /* beyond 64 bits: keep the magnitude */
  }
  if(form == 2) {
    errno = 0;
    n->kind = NUM_DBL;
    n->d = ku_strtod(p, &end);
    if(errno == ERANGE && fabs(n->d) > 1.0)
      rc = KD_E_NUMERIC_RANGE;
  }
  if(p != tmp)
    ku_free(p);
  return rc;
}

/* Reads the value as a number; posts and returns SQL_ERROR if it is
   not one (07006 for dates and blobs, 22018 for text). */
static SQLRETURN get_num(struct out_ctx *c, SQLSMALLINT ctype,
                         struct num *n)
{
  const struct kd_value *v = c->v;
  int rc;

  switch(v->kind) {
  case KD_V_INT:
    n->kind = NUM_INT;
    n->i = v->i;
    return SQL_SUCCESS;
  case KD_V_DOUBLE:
    n->kind = NUM_DBL;
    n->d = v->d;
    return SQL_SUCCESS;
  case KD_V_TEXT:
    if(is_datetime_sql(v->sql_type))
      return post_restricted(c, ctype);
    rc = parse_num(v->s, v->len, n);
    if(rc)
      return post(c, (enum kd_err)rc);
    return SQL_SUCCESS;
  default:
    return post_restricted(c, ctype);
  }
}

/* The number as a long double (exact for every 64-bit integer). */
static long double num_ld(const struct num *n)
{
  if(n->kind == NUM_INT)
    return (long double)n->i;
  if(n->kind == NUM_UINT)
    return (long double)n->u;
  return (long double)n->d;
}

/* v in decimal at out (at least 21 bytes), NUL-terminated; the length. */
static size_t fmt_uint(char *out, unsigned long long v)
{
  char d[24];
  size_t n = 0, k = 0;

  do {
    d[n++] = (char)('0' + v % 10);
    v /= 10;
  } while(v);
  while(n)
    out[k++] = d[--n];
  out[k] = '\0';
  return k;
}

/*
 * Renders d as SQLite renders a REAL as text: 15 significant digits, so
 * float noise of computed values does not show (71812759.95, not
 * 71812759.94999999).  Clients needing every bit bind SQL_C_DOUBLE.
 */
static void render_double15(double d, char *out, size_t outsz);
static int fixed15(double d, char *out, size_t outsz);

/*
 * Fixed notation of "d.ddd...e[+-]XX" (printf's %e), trailing zeros of
 * the fraction dropped: 1.2345e+03 -> 1234.5, 5e-06 -> 0.000005.  0 when
 * it would not fit in outsz (or the exponent is beyond +-40).
 */
static int fixed_of_e(const char *e, char *out, size_t outsz)
{
  char dig[24];
  int nd = 0, ex, k;
  size_t o = 0;
  const char *p = e;

  if(*p == '-')
    out[o++] = *p++;
  for(; *p && *p != 'e' && nd < (int)sizeof(dig); p++)
    if(*p >= '0' && *p <= '9')
      dig[nd++] = *p;
  if(*p != 'e')
    return 0;
  ex = atoi(p + 1);
  while(nd > 1 && dig[nd - 1] == '0')
    nd--;
  if(ex > 40 || ex < -40 || outsz < (size_t)(nd + 45))
    return 0;
  if(ex < 0) {
    out[o++] = '0';
    out[o++] = '.';
    for(k = -1; k > ex; k--)
      out[o++] = '0';
    memcpy(out + o, dig, (size_t)nd);
    o += (size_t)nd;
  }
  else {
    for(k = 0; k <= ex || k < nd; k++) {
      if(k == ex + 1)
        out[o++] = '.';
      out[o++] = k < nd ? dig[k] : '0';
    }
  }
  out[o] = '\0';
  return 1;
}

/*
 * The text of a REAL in a column of the value's SQL type.  A DECIMAL or
 * NUMERIC column is a Kintone NUMBER field, whose values arrive as
 * decimal text with up to 16 significant digits by default (the app's
 * numberPrecision can allow more): 15 digits would turn
 * 999999999999.9999 into 1000000000000.  There the shortest digits that
 * read back as the same double (15, 16 or 17) are used, which are the
 * decimal Kintone sent whenever the double can tell it from its
 * neighbours, and always in fixed notation (a decimal's character form
 * has no exponent: pyodbc drops the 'e' of 1.2e+19 and reads 1.219).
 * Computed values (DOUBLE) keep 15 digits.
 */
static void render_double(const struct kd_value *v, char *out, size_t outsz)
{
  char e[40];
  int p;

  if((v->sql_type != SQL_DECIMAL && v->sql_type != SQL_NUMERIC) ||
     !isfinite(v->d)) {
    render_double15(v->d, out, outsz);
    return;
  }
  /* 15 digits that read back as d are what the loop below finds first
     (d is within half an ulp of them, far from a 15-digit rounding
     boundary); fixed15 finds them without snprintf and strtod */
  if(fixed15(v->d, out, outsz))
    return;
  for(p = 15; p <= 17; p++) {
    ku_snprintf_c(e, sizeof(e), "%.*e", p - 1, v->d);
    if(ku_strtod(e, NULL) == v->d)
      break;
  }
  if(!fixed_of_e(e, out, outsz))
    render_double15(v->d, out, outsz);
}

static void render_double15(double d, char *out, size_t outsz)
{
  if(!fixed15(d, out, outsz))
    ku_snprintf_c(out, outsz, "%.15g", d);
}

/* d in fixed notation when 15 significant digits tell it exactly (see
   below); 0 (out untouched) otherwise */
static int fixed15(double d, char *out, size_t outsz)
{
  static const double p10[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
    1e13, 1e14, 1e15
  };
  double a = d < 0 ? -d : d;
  int k;

  /*
   * Fast path for what %.15g prints in fixed notation: when some
   * r / 10^k (r < 10^15, k decimals) rounds to exactly d, that decimal
   * is d to 15 significant digits (d is within half an ulp of it, far
   * below the 15th digit), and the smallest such k has no trailing
   * zeros.  Anything else goes to snprintf.
   */
  if(a >= 1e-4 && a < 1e15 && outsz >= 24) {
    for(k = 0; k <= 15; k++) {
      double m = a * p10[k];
      unsigned long long r, ip, fp;
      char *o = out;
      int j;
      if(m >= 1e15)
        break;
      r = (unsigned long long)(m + 0.5);
      if((double)r / p10[k] != a)
        continue;
      ip = r / (unsigned long long)p10[k];
      fp = r % (unsigned long long)p10[k];
      if(d < 0)
        *o++ = '-';
      o += fmt_uint(o, ip);
      if(k) {
        *o++ = '.';
        for(j = k - 1; j >= 0; j--) {
          o[j] = (char)('0' + fp % 10);
          fp /= 10;
        }
        o += k;
      }
      *o = '\0';
      return 1;
    }
  }
  return 0;
}

/* Integer targets: size in bytes, signedness, limits. */
static SQLRETURN out_integer(struct out_ctx *c, SQLSMALLINT ctype,
                             size_t size, int is_signed)
{
  struct num n;
  long double x, t, lo, hi;
  SQLRETURN rc = get_num(c, ctype, &n);
  int frac;

  if(rc != SQL_SUCCESS)
    return rc;
  x = num_ld(&n);
  if(isnan(x))
    return post(c, KD_E_NUMERIC_RANGE);
  if(is_signed) {
    hi = (long double)((1ULL << (size * 8 - 1)) - 1);
    lo = -hi - 1;
  }
  else {
    lo = 0;
    hi = size == 8 ? (long double)18446744073709551615ULL :
      (long double)((1ULL << (size * 8)) - 1);
  }
  t = truncl(x);
  if(t < lo || t > hi)
    return post(c, KD_E_NUMERIC_RANGE);
  frac = x != t;
  if(!c->buf)
    return post(c, KD_E_NULL_POINTER);
  if(is_signed) {
    long long r = (long long)t;
    signed char r8 = (signed char)r;
    short r16 = (short)r;
    int r32 = (int)r;
    if(size == 1)
      memcpy(c->buf, &r8, 1);
    else if(size == 2)
      memcpy(c->buf, &r16, 2);
    else if(size == 4)
      memcpy(c->buf, &r32, 4);
    else
      memcpy(c->buf, &r, 8);
  }
  else {
    unsigned long long r = (unsigned long long)t;
    unsigned char r8 = (unsigned char)r;
    unsigned short r16 = (unsigned short)r;
    unsigned int r32 = (unsigned int)r;
    if(size == 1)
      memcpy(c->buf, &r8, 1);
    else if(size == 2)
      memcpy(c->buf, &r16, 2);
    else if(size == 4)
      memcpy(c->buf, &r32, 4);
    else
      memcpy(c->buf, &r, 8);
  }
  set_len(c, (SQLLEN)size);
  return frac ? post(c, KD_E_FRACTION_TRUNC) : SQL_SUCCESS;
}

/* SQL_C_BIT: 0 and 1 exactly, 0 < x < 2 truncated (01S07), else 22003. */
static SQLRETURN out_bit(struct out_ctx *c)
{
  struct num n;
  long double x;
  unsigned char b;
  SQLRETURN rc = get_num(c, SQL_C_BIT, &n);

  if(rc != SQL_SUCCESS)
    return rc;
  x = num_ld(&n);
  if(isnan(x) || x < 0 || x >= 2)
    return post(c, KD_E_NUMERIC_RANGE);
  if(!c->buf)
    return post(c, KD_E_NULL_POINTER);
  b = x >= 1;
  memcpy(c->buf, &b, 1);
  set_len(c, 1);
  if(x != 0 && x != 1)
    return post(c, KD_E_FRACTION_TRUNC);
  return SQL_SUCCESS;
}

/* SQL_C_FLOAT / SQL_C_DOUBLE. */
static SQLRETURN out_real(struct out_ctx *c, SQLSMALLINT ctype)
{
  struct num n;
  double d;
  SQLRETURN rc = get_num(c, ctype, &n);

  if(rc != SQL_SUCCESS)
    return rc;
  d = (double)num_ld(&n);
  if(!c->buf)
    return post(c, KD_E_NULL_POINTER);
  if(ctype == SQL_C_FLOAT) {
    float f;
    if(isfinite(d) && fabs(d) > FLT_MAX)
      return post(c, KD_E_NUMERIC_RANGE);
    f = (float)d;
    memcpy(c->buf, &f, sizeof(f));
    set_len(c, sizeof(f));
  }
  else {
    memcpy(c->buf, &d, sizeof(d));
    set_len(c, sizeof(d));
  }
  return SQL_SUCCESS;
}

/*
 * Decimal text (strict syntax) -> digits without leading zeros, scale
 * and sign.  digits must hold 80 bytes.  Returns 0, KD_E_BAD_CAST or
 * KD_E_NUMERIC_RANGE (more than 38 integer digits); *cut is set when
 * fraction digits beyond 38 were dropped.
 */
static int parse_decimal(const char *s, size_t len, char *digits,
                         int *ndig, int *scale, int *neg, int *cut)
{
  size_t b, e, i;
  int nd = 0, sc = 0, exp10 = 0, seen_dot = 0;

  *cut = 0;
  *neg = 0;
  if(!scan_number(s, len, &b, &e))
    return KD_E_BAD_CAST;
  i = b;
  if(s[i] == '+' || s[i] == '-')
    *neg = s[i++] == '-';
  for(; i < e && s[i] != 'e' && s[i] != 'E'; i++) {
    if(s[i] == '.') {
      seen_dot = 1;
      continue;
    }
    if(nd == 0 && s[i] == '0') {
      if(seen_dot)
        sc++;              /* 0.001: scale counts, digit does not */
      continue;            /* leading zero */
    }
    if(nd >= 76) {
      if(!seen_dot)
        return KD_E_NUMERIC_RANGE;
      *cut = 1;
      continue;
    }
    digits[nd++] = s[i];
    if(seen_dot)
      sc++;
  }
  if(i < e) {
    long x = strtol(s + i + 1, NULL, 10);   /* syntax checked above */
    exp10 = x > 1000 ? 1000 : x < -1000 ? -1000 : (int)x;
  }
  if(exp10 > 76)
    return KD_E_NUMERIC_RANGE;
  if(exp10 < -76) {        /* far below 10^-38: rounds to zero */
    *cut = nd > 0;
    *ndig = 0;
    *scale = 0;
    return 0;
  }
  sc -= exp10;
  while(sc < 0 && nd < 76) {
    digits[nd++] = '0';
    sc++;
  }
  if(sc < 0)
    return KD_E_NUMERIC_RANGE;
  while(sc > 38 && nd > 0) {
    nd--;
    sc--;
    *cut = 1;
  }
  if(sc > 38) {
    sc = 38;
    *cut = 1;
  }
  *ndig = nd;
  *scale = sc;
  return 0;
}

/*
 * SQL_C_NUMERIC.  Without ARD precision/scale (SQLGetData has none) the
 * value keeps its own scale (e.g. "1250.50" -> val 125050, scale 2) and
 * precision is its digit count: scale 0, the spec's default, would
 * silently truncate every Kintone decimal.
 */
static SQLRETURN out_numeric(struct out_ctx *c)
{
  const struct kd_value *v = c->v;
  char text[64], digits[80];
  const char *s = text;
  size_t len;
  int nd = 0, sc = 0, neg = 0, cut = 0, rc, i, k;
  SQL_NUMERIC_STRUCT ns;

  if(v->kind == KD_V_INT)
    snprintf(text, sizeof(text), "%lld", v->i);
  else if(v->kind == KD_V_DOUBLE) {
    if(!isfinite(v->d))
      return post(c, KD_E_NUMERIC_RANGE);
    render_double(v, text, sizeof(text));
  }
  else if(v->kind == KD_V_TEXT && !is_datetime_sql(v->sql_type))
    s = v->s;
  else
    return post_restricted(c, SQL_C_NUMERIC);
  len = s == text ? strlen(text) : v->len;
  rc = parse_decimal(s, len, digits, &nd, &sc, &neg, &cut);
  if(rc)
    return post(c, (enum kd_err)rc);
  memset(&ns, 0, sizeof(ns));
  for(i = 0; i < nd; i++) {
    unsigned carry = (unsigned)(digits[i] - '0');
    for(k = 0; k < SQL_MAX_NUMERIC_LEN; k++) {
      unsigned x = ns.val[k] * 10u + carry;
      ns.val[k] = (SQLCHAR)(x & 0xff);
      carry = x >> 8;
    }
    if(carry)
      return post(c, KD_E_NUMERIC_RANGE);
  }
  k = nd > sc ? nd : sc;   /* precision >= scale (0.001: 3,3) */
  ns.precision = (SQLCHAR)(k ? (k > 38 ? 38 : k) : 1);
  ns.scale = (SQLSCHAR)sc;
  ns.sign = (SQLCHAR)(neg && nd ? 0 : 1);
  if(!c->buf)
    return post(c, KD_E_NULL_POINTER);
  memcpy(c->buf, &ns, sizeof(ns));
  set_len(c, sizeof(ns));
  return cut ? post(c, KD_E_FRACTION_TRUNC) : SQL_SUCCESS;
}

/* ---- dates and times -------------------------------------------------- */

/* Reads exactly n digits at s[*i]; 1 on success. */
static int read_digits(const char *s, size_t len, size_t *i, int n,
                       int *out)
{
  int v = 0, k;

  if(*i + (size_t)n > len)
    return 0;
  for(k = 0; k < n; k++) {
    char ch = s[*i + (size_t)k];
    if(ch < '0' || ch > '9')
      return 0;
    v = v * 10 + (ch - '0');
  }
  *i += (size_t)n;
  *out = v;
  return 1;
}

/* Days in month mo of year y. */
static int month_days(int y, int mo)
{
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                               31};
  if(mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return days[mo - 1];
}

/* 1 if the fields of t are in range. */
static int dt_valid(const struct dt *t)
{
  if(t->has_date && (t->y < 1 || t->y > 9999 || t->mo < 1 || t->mo > 12 ||
                     t->d < 1 || t->d > month_days(t->y, t->mo)))
    return 0;
  if(t->has_time && (t->h < 0 || t->h > 23 || t->mi < 0 || t->mi > 59 ||
                     t->s < 0 || t->s > 59 || t->frac > 999999999UL))
    return 0;
  return 1;
}

/*
 * Parses "YYYY-MM-DD", "HH:MM[:SS[.f]]" or "YYYY-MM-DD(sp|T)HH:MM[:SS[.f]]"
 * with an optional trailing "Z" and surrounding blanks.  1 on success.
 */
static int parse_dt(const char *s, size_t len, struct dt *t)
{
  size_t i = 0;

  memset(t, 0, sizeof(*t));
  while(i < len && s[i] == ' ')
    i++;
  while(len > i && s[len - 1] == ' ')
    len--;
  if(len > i && s[len - 1] == 'Z')
    len--;
  if(len - i >= 10 && s[i + 4] == '-') {
    if(!read_digits(s, len, &i, 4, &t->y) || s[i++] != '-' ||
       !read_digits(s, len, &i, 2, &t->mo) || i >= len ||
       s[i++] != '-' || !read_digits(s, len, &i, 2, &t->d))
      return 0;
    t->has_date = 1;
    if(i == len)
      return dt_valid(t);
    if(s[i] != ' ' && s[i] != 'T')
      return 0;
    i++;
  }
  if(!read_digits(s, len, &i, 2, &t->h) || i >= len || s[i++] != ':' ||
     !read_digits(s, len, &i, 2, &t->mi))
    return 0;
  t->has_time = 1;
  if(i < len && s[i] == ':') {
    i++;
    if(!read_digits(s, len, &i, 2, &t->s))
      return 0;
    if(i < len && s[i] == '.') {
      unsigned long scale = 100000000UL;
      size_t start = ++i;
      while(i < len && s[i] >= '0' && s[i] <= '9') {
        t->frac += (unsigned long)(s[i] - '0') * scale;
        scale /= 10;
        i++;
        if(i - start > 9)
          return 0;
      }
      if(i == start)
        return 0;
    }
  }
  return i == len && dt_valid(t);
}

/* Two and four decimal digits (0..99, 0..9999) at o. */
static void put2(char *o, int v)
{
  o[0] = (char)('0' + v / 10 % 10);
  o[1] = (char)('0' + v % 10);
}

static void put4(char *o, int v)
{
  put2(o, v / 100);
  put2(o + 2, v % 100);
}

/*
 * Renders t in canonical form: date, time or "date time[.fraction]".
 * Fields are within their digit counts (parse_dt reads at most 4 digits
 * of year and 2 of the others); outsz is at least 32.
 */
static void render_dt(const struct dt *t, int kind, char *out,
                      size_t outsz)
{
  char *o = out;

  (void)outsz;
  if(kind != 2) {
    put4(o, t->y);
    o[4] = '-';
    put2(o + 5, t->mo);
    o[7] = '-';
    put2(o + 8, t->d);
    o += 10;
    if(kind == 1) {
      *o = '\0';
      return;
    }
    *o++ = ' ';
  }
  put2(o, t->h);
  o[2] = ':';
  put2(o + 3, t->mi);
  o[5] = ':';
  put2(o + 6, t->s);
  o += 8;
  if(kind != 2 && t->frac) {
    unsigned long f = (unsigned long)(t->frac % 1000000000UL);
    int k;
    *o++ = '.';
    for(k = 8; k >= 0; k--) {
      o[k] = (char)('0' + f % 10);
      f /= 10;
    }
    k = 9;
    while(k > 1 && o[k - 1] == '0')
      k--;
    o += k;
  }
  *o = '\0';
}

/*
 * 1 if text s (len bytes) already is the canonical form render_dt gives
 * for date/time kind 1, 2 or 3 ("YYYY-MM-DD", "HH:MM:SS", "YYYY-MM-DD
 * HH:MM:SS"): the form the sql layer produces, so the character path
 * can copy it instead of parsing and rendering it again.  0 means
 * "parse it" (other forms, fractions, out-of-range fields).
 */
static int dt_canonical(const char *s, size_t len, int kind)
{
  struct dt t;
  const char *tm = s;

  memset(&t, 0, sizeof(t));
  if(len != (kind == 1 ? 10u : kind == 2 ? 8u : 19u))
    return 0;
  if(kind != 2) {
    if(s[4] != '-' || s[7] != '-' || !ku_all_digits(s, 4) ||
       !ku_all_digits(s + 5, 2) || !ku_all_digits(s + 8, 2))
      return 0;
    t.has_date = 1;
    t.y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
          (s[3] - '0');
    t.mo = (s[5] - '0') * 10 + (s[6] - '0');
    t.d = (s[8] - '0') * 10 + (s[9] - '0');
    if(kind == 3 && s[10] != ' ')
      return 0;
    tm = s + 11;
  }
  if(kind != 1) {
    if(tm[2] != ':' || tm[5] != ':' || !ku_all_digits(tm, 2) ||
       !ku_all_digits(tm + 3, 2) || !ku_all_digits(tm + 6, 2))
      return 0;
    t.has_time = 1;
    t.h = (tm[0] - '0') * 10 + (tm[1] - '0');
    t.mi = (tm[3] - '0') * 10 + (tm[4] - '0');
    t.s = (tm[6] - '0') * 10 + (tm[7] - '0');
  }
  return dt_valid(&t);
}

/*
 * Today's date into t (TIME -> TIMESTAMP conversions), on the wall clock
 * of the TimeZone of h's connection (UTC without one), the zone of
 * {fn CURDATE()} and of the DATETIME values shown.
 */
static void today(const struct kd_hdr *h, struct dt *t)
{
  const struct ks_db *db = NULL;
  long long y;
  int mo, d;

  while(h && h->type != KD_H_DBC)
    h = h->parent;
  if(h)
    db = ((const struct kd_dbc *)h)->db;
  ku_date_of(ks_db_local_now(db), &y, &mo, &d);
  t->y = (int)y;
  t->mo = mo;
  t->d = d;
}

/* SQL_C_(TYPE_)DATE/TIME/TIMESTAMP; kind 1 date, 2 time, 3 timestamp. */
static SQLRETURN out_datetime(struct out_ctx *c, SQLSMALLINT ctype,
                              int kind)
{
  const struct kd_value *v = c->v;
  int src = dt_kind_sql(v->sql_type);
  int lost = 0;
  struct dt t;

  if(v->kind != KD_V_TEXT)
    return post_restricted(c, ctype);
  if(!parse_dt(v->s, v->len, &t))
    return post(c, KD_E_DATETIME_FORMAT);
  if(kind == 1) {
    if(!t.has_date)
      return src == 2 ? post_restricted(c, ctype) :
        post(c, KD_E_DATETIME_FORMAT);
    lost = t.has_time && (t.h || t.mi || t.s || t.frac);
  }
  else if(kind == 2) {
    if(!t.has_time)
      return src == 1 ? post_restricted(c, ctype) :
        post(c, KD_E_DATETIME_FORMAT);
    lost = t.frac != 0;
  }
  else if(!t.has_date)
    today(c->h, &t);
  if(!c->buf)
    return post(c, KD_E_NULL_POINTER);
  if(kind == 1) {
    SQL_DATE_STRUCT ds;
    ds.year = (SQLSMALLINT)t.y;
    ds.month = (SQLUSMALLINT)t.mo;
    ds.day = (SQLUSMALLINT)t.d;
    memcpy(c->buf, &ds, sizeof(ds));
    set_len(c, sizeof(ds));
  }
  else if(kind == 2) {
    SQL_TIME_STRUCT ts;
    ts.hour = (SQLUSMALLINT)t.h;
    ts.minute = (SQLUSMALLINT)t.mi;
    ts.second = (SQLUSMALLINT)t.s;
    memcpy(c->buf, &ts, sizeof(ts));
    set_len(c, sizeof(ts));
  }
  else {
    SQL_TIMESTAMP_STRUCT ts;
    ts.year = (SQLSMALLINT)t.y;
    ts.month = (SQLUSMALLINT)t.mo;
    ts.day = (SQLUSMALLINT)t.d;
    ts.hour = (SQLUSMALLINT)t.h;
    ts.minute = (SQLUSMALLINT)t.mi;
    ts.second = (SQLUSMALLINT)t.s;
    ts.fraction = (SQLUINTEGER)t.frac;
    memcpy(c->buf, &ts, sizeof(ts));
    set_len(c, sizeof(ts));
  }
  return lost ? post(c, KD_E_FRACTION_TRUNC) : SQL_SUCCESS;
}

/* ---- character and binary --------------------------------------------- */

/* v in decimal at out (at least 22 bytes), NUL-terminated; the length. */
static size_t fmt_int(char *out, long long v)
{
  if(v < 0) {
    *out = '-';
    return 1 + fmt_uint(out + 1, 0ULL - (unsigned long long)v);
  }
  return fmt_uint(out, (unsigned long long)v);
}

/*
 * The character form of the value: *out and *outlen point into tmp, the
 * value's own text, or *heap (caller frees).  *whole receives the number
 * of characters that must not be truncated (22003) for numbers, else 0.
 */
static SQLRETURN render_text(struct out_ctx *c, char *tmp, size_t tmpsz,
                             const char **out, size_t *outlen, char **heap,
                             size_t *whole)
{
  const struct kd_value *v = c->v;
  static const char hex[] = "0123456789ABCDEF";
  size_t i;

  *heap = NULL;
  *whole = 0;
  switch(v->kind) {
  case KD_V_INT:
    *out = tmp;
    *outlen = *whole = fmt_int(tmp, v->i);
    return SQL_SUCCESS;
  case KD_V_DOUBLE:
    render_double(v, tmp, tmpsz);
    *out = tmp;
    *outlen = strlen(tmp);
    *whole = strcspn(tmp, ".");
    if(strpbrk(tmp, "eEin"))  /* exponent, inf, nan: keep whole */
      *whole = *outlen;
    return SQL_SUCCESS;
  case KD_V_TEXT:
    *out = v->s;
    *outlen = v->len;
    if(is_datetime_sql(v->sql_type) &&
       !dt_canonical(v->s, v->len, dt_kind_sql(v->sql_type))) {
      struct dt t;
      int kind = dt_kind_sql(v->sql_type);
      if(parse_dt(v->s, v->len, &t) &&
         ((kind == 1 && !t.has_time) || (kind == 2 && !t.has_date) ||
          (kind == 3 && t.has_date && t.has_time))) {
        render_dt(&t, kind, tmp, tmpsz);
        *out = tmp;
        *outlen = strlen(tmp);
      }
    }
    return SQL_SUCCESS;
  case KD_V_BLOB:
    *heap = ku_malloc(v->len * 2 + 1);
    if(!*heap)
      return post(c, KD_E_NOMEM);
    for(i = 0; i < v->len; i++) {
      (*heap)[2 * i] = hex[(unsigned char)v->s[i] >> 4];
      (*heap)[2 * i + 1] = hex[(unsigned char)v->s[i] & 0xf];
    }
    (*heap)[2 * i] = '\0';
    *out = *heap;
    *outlen = v->len * 2;
    return SQL_SUCCESS;
  default:
    return post(c, KD_E_GENERAL);
  }
}

/*
 * Writes the piece of UTF-16 text s[0..n) that fits into room units
 * (plus a terminator) at dst, which may be unaligned.  Returns units
 * written; *used gets source bytes consumed.
 */
static size_t put_wide(const char *s, size_t n, unsigned char *dst,
                       size_t room, size_t *used)
{
  SQLWCHAR tmp[256];
  size_t w = 0, i = 0;

  while(i < n && w < room) {
    size_t chunk = room - w, u, k;
    if(chunk > 256)
      chunk = 256;
    k = kd_utf8_to_wbuf(s + i, n - i, tmp, chunk, &u);
    if(!k)
      break;
    memcpy(dst + w * sizeof(SQLWCHAR), tmp, k * sizeof(SQLWCHAR));
    w += k;
    i += u;
  }
  *used = i;
  return w;
}

/*
 * Character targets (SQL_C_CHAR as UTF-8, SQL_C_WCHAR as UTF-16): one
 * piece from *offset, NUL-terminated, never splitting a character.
 */
static SQLRETURN out_chars(struct out_ctx *c, int wide)
{
  char tmp[64];
  const char *s = NULL;
  char *heap = NULL;
  size_t n = 0, whole = 0, off = 0, r, used = 0, room;
  SQLRETURN rc = render_text(c, tmp, sizeof(tmp), &s, &n, &heap, &whole);

  if(rc != SQL_SUCCESS)
    return rc;
  if(c->offset)
    off = (size_t)*c->offset;
  if(off > n)
    off = n;
  r = n - off;
  s += off;
  room = c->buf && c->buflen > 0 ?
    (wide ? (size_t)c->buflen / sizeof(SQLWCHAR) : (size_t)c->buflen) : 0;
  if(c->buf && off == 0 && whole && whole >= room) {
    ku_free(heap);
    return post(c, KD_E_NUMERIC_RANGE);
  }
  if(wide) {
    SQLWCHAR nul = 0;
    set_len(c, (SQLLEN)(ku_utf8_utf16_units(s, r) * sizeof(SQLWCHAR)));
    if(room) {
      size_t w = put_wide(s, r, c->buf, room - 1, &used);
      memcpy((unsigned char *)c->buf + w * sizeof(SQLWCHAR), &nul,
             sizeof(nul));
    }
  }
  else {
    set_len(c, (SQLLEN)r);
    if(room) {
      used = r <= room - 1 ? r : ku_utf8_prefix(s, r, room - 1);
      memcpy(c->buf, s, used);
      ((char *)c->buf)[used] = '\0';
    }
  }
  if(heap)
    ku_free(heap);
  if(used < r) {
    if(c->offset)
      *c->offset = (SQLLEN)(off + used);
    return post(c, KD_E_TRUNCATED);
  }
  if(c->offset)
    *c->offset = KD_OFFSET_DONE;
  return SQL_SUCCESS;
}

/* SQL_C_BINARY: text/blob bytes in pieces; numbers as their 8 bytes. */
static SQLRETURN out_binary(struct out_ctx *c)
{
  const struct kd_value *v = c->v;
  size_t off = 0, r, put;

  if(v->kind == KD_V_INT || v->kind == KD_V_DOUBLE) {
    if(c->buflen < 8 || !c->buf)
      return post(c, KD_E_NUMERIC_RANGE);
    if(v->kind == KD_V_INT)
      memcpy(c->buf, &v->i, 8);
    else
      memcpy(c->buf, &v->d, 8);
    set_len(c, 8);
    if(c->offset)
      *c->offset = KD_OFFSET_DONE;
    return SQL_SUCCESS;
  }
  if(c->offset)
    off = (size_t)*c->offset;
  if(off > v->len)
    off = v->len;
  r = v->len - off;
  set_len(c, (SQLLEN)r);
  put = 0;
  if(c->buf && c->buflen > 0) {
    put = r < (size_t)c->buflen ? r : (size_t)c->buflen;
    memcpy(c->buf, v->s + off, put);
  }
  if(put < r) {
    if(c->offset)
      *c->offset = (SQLLEN)(off + put);
    return post(c, KD_E_TRUNCATED);
  }
  if(c->offset)
    *c->offset = KD_OFFSET_DONE;
  return SQL_SUCCESS;
}

/* See convert.h. */
SQLRETURN kd_convert_out(struct kd_hdr *h, const struct kd_value *v,
                         SQLSMALLINT ctype, SQLPOINTER buf, SQLLEN buflen,
                         SQLLEN *ind, SQLLEN *lenp, SQLLEN *offset,
                         SQLLEN row, SQLINTEGER col)
{
  struct out_ctx c;
  SQLRETURN rc;

  c.h = h;
  c.v = v;
  c.buf = buf;
  c.buflen = buflen;
  c.ind = ind;
  c.lenp = lenp;
  c.offset = offset;
  c.row = row;
  c.col = col;

  if(offset && *offset == KD_OFFSET_DONE)
    return SQL_NO_DATA;
  if(v->kind == KD_V_NULL) {
    if(!ind)
      return post(&c, KD_E_INDICATOR_NEEDED);
    *ind = SQL_NULL_DATA;
    if(offset)
      *offset = KD_OFFSET_DONE;
    return SQL_SUCCESS;
  }
  if(ctype == SQL_C_DEFAULT)
    ctype = kd_default_ctype(v->sql_type);
  if(buflen < 0 && (ctype == SQL_C_CHAR || ctype == SQL_C_WCHAR ||
                    ctype == SQL_C_BINARY))
    return post(&c, KD_E_BAD_BUFLEN);

  switch(ctype) {
  case SQL_C_CHAR:
    return out_chars(&c, 0);
  case SQL_C_WCHAR:
    return out_chars(&c, 1);
  case SQL_C_BINARY:
    return out_binary(&c);
  default:
    break;
  }

  /* fixed-size targets: one call only */
  if(offset && *offset != 0)
    return SQL_NO_DATA;
  switch(ctype) {
  case SQL_C_BIT:
    rc = out_bit(&c);
    break;
  case SQL_C_STINYINT:
  case SQL_C_TINYINT:
    rc = out_integer(&c, ctype, 1, 1);
    break;
  case SQL_C_UTINYINT:
    rc = out_integer(&c, ctype, 1, 0);
    break;
  case SQL_C_SSHORT:
  case SQL_C_SHORT:
    rc = out_integer(&c, ctype, 2, 1);
    break;
  case SQL_C_USHORT:
    rc = out_integer(&c, ctype, 2, 0);
    break;
  case SQL_C_SLONG:
  case SQL_C_LONG:
    rc = out_integer(&c, ctype, 4, 1);
    break;
  case SQL_C_ULONG:
    rc = out_integer(&c, ctype, 4, 0);
    break;
  case SQL_C_SBIGINT:
    rc = out_integer(&c, ctype, 8, 1);
    break;
  case SQL_C_UBIGINT:
    rc = out_integer(&c, ctype, 8, 0);
    break;
  case SQL_C_FLOAT:
  case SQL_C_DOUBLE:
    rc = out_real(&c, ctype);
    break;
  case SQL_C_NUMERIC:
    rc = out_numeric(&c);
    break;
  case SQL_C_TYPE_DATE:
  case SQL_C_DATE:
    rc = out_datetime(&c, ctype, 1);
    break;
  case SQL_C_TYPE_TIME:
  case SQL_C_TIME:
    rc = out_datetime(&c, ctype, 2);
    break;
  case SQL_C_TYPE_TIMESTAMP:
  case SQL_C_TIMESTAMP:
    rc = out_datetime(&c, ctype, 3);
    break;
  case SQL_C_GUID:
    return post_restricted(&c, ctype);
  default:
    return kd_diag_post_at(h, KD_E_BAD_DATA_TYPE, 0, row, col,
                           "Unsupported C type %d", (int)ctype);
  }
  if(offset && rc != SQL_ERROR)
    *offset = KD_OFFSET_DONE;
  return rc;
}

/* ---- parameters ------------------------------------------------------- */

/* Maps a sqlite3_bind_* result to SQL_SUCCESS or a posted error. */
static SQLRETURN bind_rc(struct kd_hdr *h, int rc, int idx)
{
  if(rc == SQLITE_OK)
    return SQL_SUCCESS;
  if(rc == SQLITE_NOMEM)
    return kd_diag_post(h, KD_E_NOMEM, rc, NULL);
  if(rc == SQLITE_RANGE)
    return kd_diag_post(h, KD_E_BAD_COLUMN, rc,
                        "Parameter %d out of range", idx);
  return kd_diag_post(h, KD_E_GENERAL, rc, "Cannot bind parameter %d: %s",
                      idx, sqlite3_errstr(rc));
}

/*
 * Binds text s[0..n) for an SQL type: numeric types get an INTEGER or
 * REAL binding when the text is a number (SQLite never compares TEXT
 * equal to a number), date/time types the canonical text (22007 when
 * unparsable), everything else the text itself.
 */
static SQLRETURN bind_text_as(struct kd_hdr *h, sqlite3_stmt *st, int idx,
                              SQLSMALLINT sqltype, const char *s, size_t n)
{
  int kind = dt_kind_sql(sqltype);

  if(is_numeric_sql(sqltype)) {
    struct num num;
    int rc = parse_num(s, n, &num);
    if(rc == KD_E_BAD_CAST)
      return kd_diag_post(h, KD_E_BAD_CAST, 0,
                          "Parameter %d is bound as a number but its text "
                          "is not one", idx);
    if(rc == KD_E_NUMERIC_RANGE)
      return kd_diag_post(h, KD_E_NUMERIC_RANGE, 0,
                          "Parameter %d is out of the range of a number",
                          idx);
    if(rc)
      return kd_diag_post(h, (enum kd_err)rc, 0, NULL);
    if(num.kind == NUM_INT)
      return bind_rc(h, sqlite3_bind_int64(st, idx, num.i), idx);
    if(num.kind == NUM_DBL && isfinite(num.d))
      return bind_rc(h, sqlite3_bind_double(st, idx, num.d), idx);
    /* above INT64_MAX: its exact digits, as text */
  }
  else if(kind) {
    struct dt t;
    char out[40];
    if(!parse_dt(s, n, &t))
      return kd_diag_post(h, KD_E_DATETIME_FORMAT, 0,
                          "Invalid datetime text for parameter %d", idx);
    if(kind == 1 && !t.has_date)
      return kd_diag_post(h, KD_E_DATETIME_FORMAT, 0, NULL);
    if(kind == 1 && t.has_time && (t.h || t.mi || t.s || t.frac))
      return kd_diag_post(h, KD_E_DATETIME_OVERFLOW, 0, NULL);
    if(kind == 2 && !t.has_time)
      return kd_diag_post(h, KD_E_DATETIME_FORMAT, 0, NULL);
    if(kind == 2 && t.frac)
      return kd_diag_post(h, KD_E_DATETIME_OVERFLOW, 0, NULL);
    if(kind == 3 && !t.has_date)
      today(h, &t);
    render_dt(&t, kind, out, sizeof(out));
    return bind_rc(h, sqlite3_bind_text(st, idx, out, -1, SQLITE_TRANSIENT),
                   idx);
  }
  if(n > 0x7fffffff)
    return kd_diag_post(h, KD_E_BAD_BUFLEN, 0, NULL);
  return bind_rc(h, sqlite3_bind_text(st, idx, s, (int)n, SQLITE_TRANSIENT),
                 idx);
}

/* Binds a C date/time/timestamp struct (ckind 1/2/3) for sqltype. */
static SQLRETURN bind_datetime(struct kd_hdr *h, sqlite3_stmt *st, int idx,
                               SQLSMALLINT sqltype, int ckind,
                               const void *data)
{
  struct dt t;
  int kind = dt_kind_sql(sqltype);
  char out[40];

  memset(&t, 0, sizeof(t));
  if(ckind == 1) {
    SQL_DATE_STRUCT d;
    memcpy(&d, data, sizeof(d));
    t.has_date = 1;
    t.y = d.year;
    t.mo = d.month;
    t.d = d.day;
  }
  else if(ckind == 2) {
    SQL_TIME_STRUCT tm;
    memcpy(&tm, data, sizeof(tm));
    t.has_time = 1;
    t.h = tm.hour;
    t.mi = tm.minute;
    t.s = tm.second;
  }
  else {
    SQL_TIMESTAMP_STRUCT ts;
    memcpy(&ts, data, sizeof(ts));
    t.has_date = t.has_time = 1;
    t.y = ts.year;
    t.mo = ts.month;
    t.d = ts.day;
    t.h = ts.hour;
    t.mi = ts.minute;
    t.s = ts.second;
    t.frac = ts.fraction;
  }
  if(!dt_valid(&t))
    return kd_diag_post(h, KD_E_DATETIME_OVERFLOW, 0,
                        "Invalid date/time value for parameter %d", idx);
  if(!kind)
    kind = ckind;          /* character and other columns: own form */
  if((kind == 1 && ckind == 2) || (kind == 2 && ckind == 1))
    return kd_diag_post(h, KD_E_RESTRICTED_TYPE, 0,
                        "Cannot convert C type to SQL type %d",
                        (int)sqltype);
  if(kind == 1 && ckind == 3 && (t.h || t.mi || t.s || t.frac))
    return kd_diag_post(h, KD_E_DATETIME_OVERFLOW, 0, NULL);
  if(kind == 2 && ckind == 3 && t.frac)
    return kd_diag_post(h, KD_E_DATETIME_OVERFLOW, 0, NULL);
  if(kind == 3 && ckind == 2)
    today(h, &t);
  render_dt(&t, kind, out, sizeof(out));
  return bind_rc(h, sqlite3_bind_text(st, idx, out, -1, SQLITE_TRANSIENT),
                 idx);
}

/* Renders a SQL_NUMERIC_STRUCT as decimal text ("-12.50"). */
static void numeric_text(const SQL_NUMERIC_STRUCT *ns, char *out,
                         size_t outsz)
{
  unsigned char v[SQL_MAX_NUMERIC_LEN];
  char digits[48];
  int nd = 0, k, zero, sc = ns->scale, o = 0, i;

  memcpy(v, ns->val, sizeof(v));
  /* repeated division by 10 of the little-endian 128-bit magnitude */
  do {
    unsigned rem = 0;
    zero = 1;
    for(k = SQL_MAX_NUMERIC_LEN - 1; k >= 0; k--) {
      unsigned x = (rem << 8) | v[k];
      v[k] = (unsigned char)(x / 10);
      rem = x % 10;
      if(v[k])
        zero = 0;
    }
    digits[nd++] = (char)('0' + rem);
  } while(!zero && nd < 40);
  /* digits are reversed; negative scale appends zeros */
  if(ns->sign == 0 && !(nd == 1 && digits[0] == '0'))
    out[o++] = '-';
  if(sc <= 0) {
    for(i = nd - 1; i >= 0; i--)
      out[o++] = digits[i];
    for(i = 0; i < -sc && (size_t)o < outsz - 1; i++)
      out[o++] = '0';
  }
  else {
    if(nd <= sc) {
      out[o++] = '0';
      out[o++] = '.';
      for(i = 0; i < sc - nd; i++)
        out[o++] = '0';
      for(i = nd - 1; i >= 0; i--)
        out[o++] = digits[i];
    }
    else {
      for(i = nd - 1; i >= 0; i--) {
        out[o++] = digits[i];
        if(i == sc)
          out[o++] = '.';
      }
    }
  }
  out[o] = '\0';
}

/* See convert.h. */
SQLRETURN kd_bind_param(struct kd_hdr *h, sqlite3_stmt *st, int idx,
                        SQLSMALLINT ctype, SQLSMALLINT sqltype,
                        SQLULEN colsize, SQLSMALLINT digits,
                        SQLPOINTER data, SQLLEN octet_len, SQLLEN *ind)
{
  SQLLEN len = ind ? *ind : SQL_NTS;

  (void)colsize;
  (void)digits;
  if(ind && *ind == SQL_NULL_DATA)
    return bind_rc(h, sqlite3_bind_null(st, idx), idx);
  if(len == SQL_DATA_AT_EXEC || len <= SQL_LEN_DATA_AT_EXEC_OFFSET)
    return kd_diag_post(h, KD_E_GENERAL, 0,
                        "Data-at-execution parameter %d has no data", idx);
  if(!data)
    return kd_diag_post(h, KD_E_NULL_POINTER, 0,
                        "Parameter %d has no data pointer", idx);
  if(ctype == SQL_C_DEFAULT)
    ctype = kd_default_ctype(sqltype);

  switch(ctype) {
  case SQL_C_CHAR: {
    size_t n;
    if(len == SQL_NTS)
      n = strlen(data);
    else if(len < 0)
      return kd_diag_post(h, KD_E_BAD_BUFLEN, 0, NULL);
    else
      n = (size_t)len;
    return bind_text_as(h, st, idx, sqltype, data, n);
  }
  case SQL_C_WCHAR: {
    char *u8 = NULL;
    size_t units, n8 = 0;
    int rc;
    SQLRETURN ret;
    if(len == SQL_NTS)
      units = ku_utf16_len(data);
    else if(len < 0)
      return kd_diag_post(h, KD_E_BAD_BUFLEN, 0, NULL);
    else
      units = (size_t)len / sizeof(SQLWCHAR);
    rc = ku_utf16_to_utf8(data, units, &u8, &n8);
    if(rc == KU_EILSEQ)
      return kd_diag_post(h, KD_E_BAD_CAST, 0,
                          "Invalid UTF-16 in parameter %d", idx);
    if(rc)
      return kd_diag_post(h, KD_E_NOMEM, 0, NULL);
    ret = bind_text_as(h, st, idx, sqltype, u8, n8);
    ku_free(u8);
    return ret;
  }
  case SQL_C_BIT: {
    unsigned char b;
    memcpy(&b, data, 1);
    if(b > 1)
      return kd_diag_post(h, KD_E_NUMERIC_RANGE, 0, NULL);
    return bind_rc(h, sqlite3_bind_int64(st, idx, b), idx);
  }
  case SQL_C_STINYINT:
  case SQL_C_TINYINT: {
    signed char x;
    memcpy(&x, data, 1);
    return bind_rc(h, sqlite3_bind_int64(st, idx, x), idx);
  }
  case SQL_C_UTINYINT: {
    unsigned char x;
    memcpy(&x, data, 1);
    return bind_rc(h, sqlite3_bind_int64(st, idx, x), idx);
  }
  case SQL_C_SSHORT:
  case SQL_C_SHORT: {
    short x;
    memcpy(&x, data, sizeof(x));
    return bind_rc(h, sqlite3_bind_int64(st, idx, x), idx);
  }
  case SQL_C_USHORT: {
    unsigned short x;
    memcpy(&x, data, sizeof(x));
    return bind_rc(h, sqlite3_bind_int64(st, idx, x), idx);
  }
  case SQL_C_SLONG:
  case SQL_C_LONG: {
    SQLINTEGER x;
    memcpy(&x, data, sizeof(x));
    return bind_rc(h, sqlite3_bind_int64(st, idx, x), idx);
  }
  case SQL_C_ULONG: {
    SQLUINTEGER x;
    memcpy(&x, data, sizeof(x));
    return bind_rc(h, sqlite3_bind_int64(st, idx, x), idx);
  }
  case SQL_C_SBIGINT: {
    SQLBIGINT x;
    memcpy(&x, data, sizeof(x));
    return bind_rc(h, sqlite3_bind_int64(st, idx, x), idx);
  }
  case SQL_C_UBIGINT: {
    SQLUBIGINT x;
    memcpy(&x, data, sizeof(x));
    if(x > 9223372036854775807ULL) {
      /* SQLite has no unsigned 64-bit integer, and a double would round
         it: the exact digits go as text (sent to Kintone as they are;
         compared with numeric columns by SQLite's affinity rules) */
      char text[24];
      snprintf(text, sizeof(text), "%llu", (unsigned long long)x);
      return bind_rc(h, sqlite3_bind_text(st, idx, text, -1,
                                          SQLITE_TRANSIENT), idx);
    }
    return bind_rc(h, sqlite3_bind_int64(st, idx, (sqlite3_int64)x), idx);
  }
  case SQL_C_FLOAT: {
    float x;
    memcpy(&x, data, sizeof(x));
    return bind_rc(h, sqlite3_bind_double(st, idx, x), idx);
  }
  case SQL_C_DOUBLE: {
    double x;
    memcpy(&x, data, sizeof(x));
    return bind_rc(h, sqlite3_bind_double(st, idx, x), idx);
  }
  case SQL_C_NUMERIC: {
    SQL_NUMERIC_STRUCT ns;
    char text[64];
    memcpy(&ns, data, sizeof(ns));
    if(ns.scale < -38 || ns.scale > 38)
      return kd_diag_post(h, KD_E_NUMERIC_RANGE, 0, NULL);
    numeric_text(&ns, text, sizeof(text));
    return bind_text_as(h, st, idx,
                        is_char_sql(sqltype) ? sqltype : SQL_DECIMAL, text,
                        strlen(text));
  }
  case SQL_C_TYPE_DATE:
  case SQL_C_DATE:
    return bind_datetime(h, st, idx, sqltype, 1, data);
  case SQL_C_TYPE_TIME:
  case SQL_C_TIME:
    return bind_datetime(h, st, idx, sqltype, 2, data);
  case SQL_C_TYPE_TIMESTAMP:
  case SQL_C_TIMESTAMP:
    return bind_datetime(h, st, idx, sqltype, 3, data);
  case SQL_C_BINARY: {
    SQLLEN n = ind ? len : octet_len;
    if(n < 0 || n > 0x7fffffff)
      return kd_diag_post(h, KD_E_BAD_BUFLEN, 0, NULL);
    if(is_char_sql(sqltype))
      return bind_rc(h, sqlite3_bind_text(st, idx, data, (int)n,
                                          SQLITE_TRANSIENT), idx);
    return bind_rc(h, sqlite3_bind_blob(st, idx, data, (int)n,
                                        SQLITE_TRANSIENT), idx);
  }
  default:
    return kd_diag_post(h, KD_E_BAD_DATA_TYPE, 0,
                        "Unsupported C type %d for parameter %d",
                        (int)ctype, idx);
  }
}

/* ------------------------------------------------ ODBC escape clauses */

/*
 * Scalar functions of {fn ...}: ODBC name, number of arguments (-1 any),
 * SQLite text with $1..$3 standing for the arguments ($* for all of them
 * as given).  Names not listed pass through unchanged (SQLite has many
 * of the same name: ABS, ROUND, LTRIM, REPLACE, IFNULL, SQRT...).
 */
static const struct fn_map {
  const char *name;
  int nargs;
  const char *tmpl;
} fn_maps[] = {
  {"UCASE", 1, "upper($1)"},
  {"LCASE", 1, "lower($1)"},
  {"LENGTH", 1, "length(rtrim($1))"},
  {"CHAR_LENGTH", 1, "length($1)"},
  {"CHARACTER_LENGTH", 1, "length($1)"},
  {"OCTET_LENGTH", 1, "length(CAST($1 AS BLOB))"},
  {"CONCAT", 2, "($1 || $2)"},
  {"LEFT", 2, "substr($1, 1, $2)"},
  {"RIGHT", 2, "substr($1, -($2))"},
  {"SUBSTRING", 3, "substr($1, $2, $3)"},
  {"LOCATE", 2, "instr($2, $1)"},
  {"SPACE", 1, "printf('%*s', $1, '')"},
  {"ASCII", 1, "unicode($1)"},
  {"CHAR", 1, "char($1)"},
  {"CEILING", 1, "ceil($1)"},
  {"MOD", 2, "(($1) % ($2))"},
  {"POWER", 2, "pow($1, $2)"},
  {"LOG", 1, "ln($1)"},
  {"TRUNCATE", 2, "(trunc(($1) * pow(10, $2)) / pow(10, $2))"},
  {"RAND", -1, "(abs(random()) / 9223372036854775807.0)"},
  /* the wall clock of TimeZone, the zone DATETIME values are shown in
     (sql/ks_db.c) */
  {"NOW", 0, "kintone_now('datetime')"},
  {"CURDATE", 0, "kintone_now('date')"},
  {"CURTIME", 0, "kintone_now('time')"},
  {"CURRENT_DATE", 0, "kintone_now('date')"},
  {"CURRENT_TIME", 0, "kintone_now('time')"},
  {"CURRENT_TIMESTAMP", 0, "kintone_now('datetime')"},
  {"YEAR", 1, "CAST(strftime('%Y', $1) AS INTEGER)"},
  {"MONTH", 1, "CAST(strftime('%m', $1) AS INTEGER)"},
  {"DAYOFMONTH", 1, "CAST(strftime('%d', $1) AS INTEGER)"},
  {"DAYOFWEEK", 1, "(CAST(strftime('%w', $1) AS INTEGER) + 1)"},
  {"DAYOFYEAR", 1, "CAST(strftime('%j', $1) AS INTEGER)"},
  {"WEEK", 1, "(CAST(strftime('%W', $1) AS INTEGER) + 1)"},
  {"QUARTER", 1, "((CAST(strftime('%m', $1) AS INTEGER) + 2) / 3)"},
  {"HOUR", 1, "CAST(strftime('%H', $1) AS INTEGER)"},
  {"MINUTE", 1, "CAST(strftime('%M', $1) AS INTEGER)"},
  {"SECOND", 1, "CAST(strftime('%S', $1) AS INTEGER)"},
  {"DATABASE", 0, "''"},
  {"USER", 0, "''"},
  {"IFNULL", 2, "ifnull($1, $2)"}
};

/* CONVERT(x, SQL_type) targets: ODBC type name -> SQLite CAST type. */
static const struct {
  const char *odbc;
  const char *cast;
} cvt_maps[] = {
  {"SQL_BIGINT", "INTEGER"}, {"SQL_INTEGER", "INTEGER"},
  {"SQL_SMALLINT", "INTEGER"}, {"SQL_TINYINT", "INTEGER"},
  {"SQL_BIT", "INTEGER"}, {"SQL_DOUBLE", "REAL"}, {"SQL_FLOAT", "REAL"},
  {"SQL_REAL", "REAL"}, {"SQL_DECIMAL", "NUMERIC"},
  {"SQL_NUMERIC", "NUMERIC"}, {"SQL_CHAR", "TEXT"}, {"SQL_VARCHAR", "TEXT"},
  {"SQL_LONGVARCHAR", "TEXT"}, {"SQL_WCHAR", "TEXT"},
  {"SQL_WVARCHAR", "TEXT"}, {"SQL_WLONGVARCHAR", "TEXT"},
  {"SQL_DATE", "TEXT"}, {"SQL_TYPE_DATE", "TEXT"}, {"SQL_TIME", "TEXT"},
  {"SQL_TYPE_TIME", "TEXT"}, {"SQL_TIMESTAMP", "TEXT"},
  {"SQL_TYPE_TIMESTAMP", "TEXT"}, {"SQL_BINARY", "BLOB"},
  {"SQL_VARBINARY", "BLOB"}, {"SQL_LONGVARBINARY", "BLOB"}
};

struct esc {
  sqlite3_str *out;          /* translated text */
  char *err;                 /* message on failure */
  size_t errsz;
  int failed;                /* an error was recorded */
  int unsupported;           /* ... and it is a missing feature */
};

static int esc_fail(struct esc *e, const char *msg)
{
  if(!e->failed && e->errsz)
    snprintf(e->err, e->errsz, "%s", msg);
  if(!e->failed && strstr(msg, "not supported"))
    e->unsupported = 1;
  e->failed = 1;
  return -1;
}

/*
 * Length of the token at p that must be copied verbatim: a quoted
 * literal or identifier ('..', "..", `..`, [..]) or a comment; 0 if p
 * starts none of them.
 */
static size_t verbatim_len(const char *p)
{
  const char *q;

  if(*p == '\'' || *p == '"' || *p == '`') {
    char c = *p;
    for(q = p + 1; *q; q++) {
      if(*q == c) {
        if(q[1] == c) {       /* doubled quote */
          q++;
          continue;
        }
        return (size_t)(q - p) + 1;
      }
    }
    return strlen(p);
  }
  if(*p == '[') {
    q = strchr(p, ']');
    return q ? (size_t)(q - p) + 1 : strlen(p);
  }
  if(p[0] == '-' && p[1] == '-') {
    q = strchr(p, '\n');
    return q ? (size_t)(q - p) + 1 : strlen(p);
  }
  if(p[0] == '/' && p[1] == '*') {
    q = strstr(p + 2, "*/");
    return q ? (size_t)(q - p) + 2 : strlen(p);
  }
  return 0;
}

static int esc_text(struct esc *e, const char *p, const char *end,
                    sqlite3_str *out);

/*
 * Finds the end of a brace or parenthesis group starting after an
 * opening character at p: returns the pointer to the matching `close`,
 * skipping literals and nested groups, or NULL.
 */
static const char *group_end(const char *p, const char *end, char open,
                             char close)
{
  int depth = 1;

  while(p < end && *p) {
    size_t v = verbatim_len(p);
    if(v) {
      p += v;
      continue;
    }
    if(*p == open)
      depth++;
    else if(*p == close && --depth == 0)
      return p;
    p++;
  }
  return NULL;
}

static int is_word(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

/* Translated text of [p, end) as a new sqlite3 string (or NULL). */
static char *esc_sub(struct esc *e, const char *p, const char *end)
{
  sqlite3_str *s = sqlite3_str_new(NULL);
  char *r;

  esc_text(e, p, end, s);
  r = sqlite3_str_finish(s);
  if(!r)
    esc_fail(e, "");
  return r;
}

/* {fn name(args)}: body is "name(args)" (whitespace trimmed). */
static int esc_fn(struct esc *e, const char *p, const char *end)
{
  const char *name = p, *open, *close, *a;
  char *args[8];
  int nargs = 0, i, rc = 0;
  size_t nlen;

  while(p < end && is_word(*p))
    p++;
  nlen = (size_t)(p - name);
  while(p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  if(!nlen || p >= end || *p != '(')
    return esc_fail(e, "{fn} needs a function call");
  open = p;
  close = group_end(open + 1, end, '(', ')');
  if(!close)
    return esc_fail(e, "unbalanced parentheses in {fn}");
  /* split the arguments at top-level commas */
  for(a = open + 1, p = a; p <= close; ) {
    size_t v = p < close ? verbatim_len(p) : 0;
    if(v) {
      p += v;
      continue;
    }
    if(p < close && *p == '(') {
      const char *g = group_end(p + 1, close, '(', ')');
      p = g ? g + 1 : close;
      continue;
    }
    if(p == close || *p == ',') {
      const char *b = a, *z = p;
      while(b < z && (*b == ' ' || *b == '\t' || *b == '\n'))
        b++;
      while(z > b && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\n'))
        z--;
      if(z > b || p != close || nargs > 0) {
        if(nargs == 8) {
          rc = esc_fail(e, "too many arguments in {fn}");
          goto out;
        }
        args[nargs] = esc_sub(e, b, z);
        if(!args[nargs]) {
          rc = -1;
          goto out;
        }
        nargs++;
      }
      a = p + 1;
    }
    p++;
  }
  if(nlen == 7 && !sqlite3_strnicmp(name, "CONVERT", 7)) {
    const char *cast = NULL;
    size_t k;
    if(nargs != 2) {
      rc = esc_fail(e, "CONVERT takes two arguments");
      goto out;
    }
    for(k = 0; k < sizeof(cvt_maps) / sizeof(cvt_maps[0]); k++)
      if(!sqlite3_stricmp(args[1], cvt_maps[k].odbc))
        cast = cvt_maps[k].cast;
    if(!cast) {
      rc = esc_fail(e, "CONVERT to an unknown SQL type");
      goto out;
    }
    sqlite3_str_appendf(e->out, "CAST(%s AS %s)", args[0], cast);
    goto out;
  }
  {
    size_t k;
    for(k = 0; k < sizeof(fn_maps) / sizeof(fn_maps[0]); k++) {
      const struct fn_map *m = &fn_maps[k];
      const char *t;
      if(strlen(m->name) != nlen || sqlite3_strnicmp(m->name, name, nlen))
        continue;
      if(m->nargs >= 0 && m->nargs != nargs &&
         !(!strcmp(m->name, "SUBSTRING") && nargs == 2) &&
         !(!strcmp(m->name, "LOCATE") && nargs == 3)) {
        rc = esc_fail(e, "wrong number of arguments in {fn}");
        goto out;
      }
      if(!strcmp(m->name, "SUBSTRING") && nargs == 2) {
        sqlite3_str_appendf(e->out, "substr(%s, %s)", args[0], args[1]);
        goto out;
      }
      if(!strcmp(m->name, "LOCATE") && nargs == 3) {
        /* position of $1 in $2 from $3 on */
        sqlite3_str_appendf(e->out,
                            "(CASE WHEN instr(substr(%s, %s), %s) > 0 THEN "
                            "instr(substr(%s, %s), %s) + (%s) - 1 ELSE 0 "
                            "END)", args[1], args[2], args[0], args[1],
                            args[2], args[0], args[2]);
        goto out;
      }
      for(t = m->tmpl; *t; t++) {
        if(*t == '$' && t[1] >= '1' && t[1] <= '3' && t[1] - '1' < nargs) {
          sqlite3_str_appendall(e->out, args[t[1] - '1']);
          t++;
        }
        else
          sqlite3_str_appendchar(e->out, 1, *t);
      }
      goto out;
    }
  }
  /* same name in SQLite */
  sqlite3_str_append(e->out, name, (int)nlen);
  sqlite3_str_appendchar(e->out, 1, '(');
  for(i = 0; i < nargs; i++)
    sqlite3_str_appendf(e->out, "%s%s", i ? ", " : "", args[i]);
  sqlite3_str_appendchar(e->out, 1, ')');
out:
  for(i = 0; i < nargs; i++)
    sqlite3_free(args[i]);
  return rc;
}

/* One escape clause: the text between '{' and the matching '}'. */
static int esc_clause(struct esc *e, const char *p, const char *end)
{
  const char *kw;
  size_t klen;

  while(p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  while(end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
                    end[-1] == '\r'))
    end--;
  if(p < end && *p == '?')
    return esc_fail(e, "procedure calls ({call}) are not supported");
  kw = p;
  while(p < end && is_word(*p))
    p++;
  klen = (size_t)(p - kw);
  while(p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
#define KW(s) (klen == sizeof(s) - 1 && !sqlite3_strnicmp(kw, s, klen))
  if(KW("d") || KW("t") || KW("ts") || KW("guid")) {
    /* the literal itself: SQLite compares the text forms */
    if(p >= end || *p != '\'' || verbatim_len(p) != (size_t)(end - p))
      return esc_fail(e, "a date, time or timestamp escape needs one "
                         "quoted literal");
    sqlite3_str_append(e->out, p, (int)(end - p));
    return 0;
  }
  if(KW("fn"))
    return esc_fn(e, p, end);
  if(KW("oj")) {
    /* outer joins are SQLite syntax already */
    return esc_text(e, p, end, e->out);
  }
  if(KW("escape")) {
    sqlite3_str_appendall(e->out, "ESCAPE ");
    sqlite3_str_append(e->out, p, (int)(end - p));
    return 0;
  }
  if(KW("call"))
    return esc_fail(e, "procedure calls ({call}) are not supported");
  if(KW("interval"))
    return esc_fail(e, "interval literals are not supported");
#undef KW
  return esc_fail(e, "unknown ODBC escape clause");
}

/* Copies [p, end) to out, translating escape clauses. */
static int esc_text(struct esc *e, const char *p, const char *end,
                    sqlite3_str *out)
{
  sqlite3_str *saved = e->out;

  e->out = out;
  while(p < end && *p && !e->failed) {
    size_t v = verbatim_len(p);
    if(v) {
      if(v > (size_t)(end - p))
        v = (size_t)(end - p);
      sqlite3_str_append(out, p, (int)v);
      p += v;
      continue;
    }
    if(*p == '{') {
      const char *close = group_end(p + 1, end, '{', '}');
      if(!close) {
        esc_fail(e, "unbalanced braces: an escape clause is not closed");
        break;
      }
      esc_clause(e, p + 1, close);
      p = close + 1;
      continue;
    }
    sqlite3_str_appendchar(out, 1, *p);
    p++;
  }
  e->out = saved;
  return e->failed ? -1 : 0;
}

char *kd_escape_translate(const char *sql, int *unsupported, char *err,
                          size_t errsz)
{
  struct esc e;
  char *t, *r;
  size_t n;

  if(errsz)
    err[0] = '\0';
  if(unsupported)
    *unsupported = 0;
  if(!strchr(sql, '{'))
    return ku_strdup(sql);
  memset(&e, 0, sizeof(e));
  e.err = err;
  e.errsz = errsz;
  t = esc_sub(&e, sql, sql + strlen(sql));
  if(e.failed || !t) {
    if(unsupported)
      *unsupported = e.unsupported;
    sqlite3_free(t);
    return NULL;
  }
  n = strlen(t);
  r = ku_malloc(n + 1);
  if(r)
    memcpy(r, t, n + 1);
  else if(errsz)
    err[0] = '\0';
  sqlite3_free(t);
  return r;
}
