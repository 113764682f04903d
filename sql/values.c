/*
 * values.c - Kintone field JSON -> SQL values.  See values.h.
 */
#include "values.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "../kintone/kc_fields.h"
#include "../net/kj_json.h"
#include "../util/ku_buf.h"
#include "../util/ku_tz.h"
#include "../util/ku_str.h"

/*
 * Text results are set with length -1 from NUL-terminated buffers, also
 * where the length is known: only then does SQLite mark its copy as
 * terminated, and sqlite3_column_text (the driver reads every column
 * with it) otherwise reallocates the copy to add the terminator.
 */

/* Sets a TEXT result that is NULL when empty. */
static void text_or_null(sqlite3_context *ctx, const char *s)
{
  if(!s || !*s)
    sqlite3_result_null(ctx);
  else
    sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

/*
 * "[-+]digits.digits" with at most 15 digits in all (Kintone's usual
 * decimals) -> *out, else 0.  The digits are an exact double and so is
 * the power of ten, so the quotient is correctly rounded: exactly what
 * strtod returns, without its cost.
 */
static int plain_decimal(const char *s, double *out)
{
  static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
                               1e15};
  const char *p = s, *q;
  long long m = 0;
  int nd = 0, nf = 0;

  if(*p == '-' || *p == '+')
    p++;
  for(q = p; *q >= '0' && *q <= '9' && nd < 15; q++, nd++)
    m = m * 10 + (*q - '0');
  if(!nd || *q != '.')
    return 0;
  for(q++; *q >= '0' && *q <= '9' && nd < 15; q++, nd++, nf++)
    m = m * 10 + (*q - '0');
  if(*q || !nf)
    return 0;
  *out = (double)m / p10[nf];
  if(*s == '-')
    *out = -*out;
  return 1;
}

/* NUMBER text -> INTEGER when integral and in range, else REAL. */
static void number_result(sqlite3_context *ctx, const char *s)
{
  char *end;
  long long i = 0;
  double d;
  const char *p = s, *q;

  if(!s || !*s) {
    sqlite3_result_null(ctx);
    return;
  }
  if(*p == '-' || *p == '+')
    p++;
  /* [sign] up to 18 digits: the value directly (what strtoll gives) */
  for(q = p; *q >= '0' && *q <= '9' && q - p < 18; q++)
    i = i * 10 + (*q - '0');
  if(!*q && q > p) {
    sqlite3_result_int64(ctx, *s == '-' ? -i : i);
    return;
  }
  if(q - p == 18 && *q >= '0' && *q <= '9' && !q[1]) {
    /* 19 digits: exact while within 64 bits (a double would round) */
    unsigned long long u = (unsigned long long)i * 10 + (unsigned)(*q - '0');
    if(*s != '-' && u <= (unsigned long long)LLONG_MAX) {
      sqlite3_result_int64(ctx, (long long)u);
      return;
    }
    if(*s == '-' && u - 1 <= (unsigned long long)LLONG_MAX) {
      sqlite3_result_int64(ctx, -(long long)(u - 1) - 1);
      return;
    }
  }
  if(!plain_decimal(s, &d)) {
    d = ku_strtod(s, &end);       /* '.' whatever LC_NUMERIC says */
    if(*end) {
      /* not a number after all (calculation error text): keep as text */
      sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
      return;
    }
  }
  if(d > -9e15 && d < 9e15 && d == (double)(long long)d)
    sqlite3_result_int64(ctx, (long long)d);
  else
    sqlite3_result_double(ctx, d);
}

/*
 * "2025-02-03T01:20:00Z" -> "2025-02-03 01:20:00", or with a TimeZone
 * the wall-clock time of that instant there ("2025-02-03 10:20:00" in
 * Asia/Tokyo).  Text that is no date-time is returned as it is.
 */
static void datetime_result(sqlite3_context *ctx, const char *s,
                            const struct ku_tz *tz)
{
  char buf[40];
  long long t;
  long off;
  size_t n;
  int zone;

  if(!s || !*s) {
    sqlite3_result_null(ctx);
    return;
  }
  n = strlen(s);
  if(!tz && n == 20 && s[10] == 'T' && s[19] == 'Z') {
    memcpy(buf, s, 19);                /* UTC as sent: the common case */
    buf[10] = ' ';
    buf[19] = '\0';
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
    return;
  }
  if(n < 16 || ku_parse_datetime(s, n, &t, &zone, &off)) {
    sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
    return;
  }
  t -= off;                               /* the instant, UTC */
  if(tz)
    t += ku_tz_offset(tz, t);
  ku_format_datetime(t, ' ', buf, sizeof(buf));
  buf[19] = '\0';                       /* years past 9999: 19 bytes */
  sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

/* "13:05" -> "13:05:00". */
static void time_result(sqlite3_context *ctx, const char *s)
{
  char buf[16];

  if(!s || !*s) {
    sqlite3_result_null(ctx);
    return;
  }
  if(strlen(s) == 5) {
    memcpy(buf, s, 5);
    memcpy(buf + 5, ":00", 4);
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
  }
  else
    sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

/*
 * The JSON array text of array_result in out (outsz bytes) when every
 * element is text that needs no escape and all fits: 1, else 0 (the
 * general path then builds it).
 */
static int array_plain(yajl_val v, const char *member, size_t n, char *out,
                       size_t outsz)
{
  size_t i, o = 0;

  out[o++] = '[';
  for(i = 0; i < n; i++) {
    yajl_val e = kj_at(v, i);
    const char *t = member ? kj_text(kj_get(e, member)) : kj_text(e);
    size_t k;
    if(!t)
      continue;
    k = strlen(t);
    if(o + k + 5 > outsz ||          /* , " text " and then ] NUL */
       kj_plain_run(t, k) != k)      /* escapes: kj_write_string's path */
      return 0;
    if(o > 1)
      out[o++] = ',';
    out[o++] = '"';
    memcpy(out + o, t, k);
    o += k;
    out[o++] = '"';
  }
  out[o++] = ']';
  out[o] = '\0';
  return 1;
}

/* JSON array text of strings, or of one member of each object. */
static void array_result(sqlite3_context *ctx, yajl_val v,
                         const char *member)
{
  struct ku_buf b;
  char small[512];
  size_t i, n = kj_len(v);
  int first = 1, rc;

  if(!n) {
    sqlite3_result_null(ctx);
    return;
  }
  if(array_plain(v, member, n, small, sizeof(small))) {
    sqlite3_result_text(ctx, small, -1, SQLITE_TRANSIENT);
    return;
  }
  ku_buf_init(&b, (size_t)1 << 30);
  rc = ku_buf_addc(&b, '[');
  for(i = 0; i < n && !rc; i++) {
    yajl_val e = kj_at(v, i);
    const char *t = member ? kj_text(kj_get(e, member)) : kj_text(e);
    if(!t)
      continue;
    if(!first)
      rc = ku_buf_addc(&b, ',');
    if(!rc)
      rc = kj_write_string(&b, t, strlen(t));
    first = 0;
  }
  if(!rc)
    rc = ku_buf_addc(&b, ']');
  if(rc)
    sqlite3_result_error_nomem(ctx);
  else                  /* NUL-terminated and without NULs: see above */
    sqlite3_result_text(ctx, b.ptr, -1, SQLITE_TRANSIENT);
  ku_buf_cleanup(&b);
}

void ks_value_result(sqlite3_context *ctx, const struct ks_col *col,
                     yajl_val v)
{
  if(!v || YAJL_IS_NULL(v)) {
    sqlite3_result_null(ctx);
    return;
  }
  switch(col->ftype) {
  case KC_F_ID:
  case KC_F_REVISION:
    sqlite3_result_int64(ctx, kj_int(v, 0));
    break;
  case KC_F_NUMBER:
    number_result(ctx, kj_text(v));
    break;
  case KC_F_CALC:
    if(!col->calc_format || !strcmp(col->calc_format, "NUMBER") ||
       !strcmp(col->calc_format, "NUMBER_DIGIT"))
      number_result(ctx, kj_text(v));
    else if(!strcmp(col->calc_format, "DATETIME"))
      datetime_result(ctx, kj_text(v), col->tz);
    else if(!strcmp(col->calc_format, "TIME"))
      time_result(ctx, kj_text(v));
    else
      text_or_null(ctx, kj_text(v));
    break;
  case KC_F_DATETIME:
  case KC_F_CREATED_TIME:
  case KC_F_UPDATED_TIME:
    datetime_result(ctx, kj_text(v), col->tz);
    break;
  case KC_F_TIME:
    time_result(ctx, kj_text(v));
    break;
  case KC_F_CREATOR:
  case KC_F_MODIFIER:
    text_or_null(ctx, kj_text(kj_get(v, "code")));
    break;
  case KC_F_CHECK_BOX:
  case KC_F_MULTI_SELECT:
  case KC_F_CATEGORY:
    array_result(ctx, v, NULL);
    break;
  case KC_F_USER_SELECT:
  case KC_F_ORGANIZATION_SELECT:
  case KC_F_GROUP_SELECT:
  case KC_F_STATUS_ASSIGNEE:
    array_result(ctx, v, "code");
    break;
  case KC_F_FILE:
    array_result(ctx, v, "name");
    break;
  default:
    text_or_null(ctx, kj_text(v));
  }
}
