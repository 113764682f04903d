/*
 * values.c - Kintone field JSON -> SQL values.  See values.h.
 */
#include "values.h"

#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "../kintone/kc_fields.h"
#include "../net/kj_json.h"
#include "../util/ku_buf.h"
#include "../util/ku_tz.h"

/* Sets a TEXT result that is NULL when empty. */
static void text_or_null(sqlite3_context *ctx, const char *s)
{
  if(!s || !*s)
    sqlite3_result_null(ctx);
  else
    sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

/* NUMBER text -> INTEGER when integral and in range, else REAL. */
static void number_result(sqlite3_context *ctx, const char *s)
{
  char *end;
  long long i;
  double d;
  const char *p = s;

  if(!s || !*s) {
    sqlite3_result_null(ctx);
    return;
  }
  if(*p == '-' || *p == '+')
    p++;
  if(*p && strspn(p, "0123456789") == strlen(p) && strlen(p) < 19) {
    i = strtoll(s, &end, 10);
    sqlite3_result_int64(ctx, i);
    return;
  }
  d = strtod(s, &end);
  if(*end) {
    /* not a number after all (calculation error text): keep as text */
    sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
    return;
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
    sqlite3_result_text(ctx, buf, 19, SQLITE_TRANSIENT);
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
  sqlite3_result_text(ctx, buf, 19, SQLITE_TRANSIENT);
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
    sqlite3_result_text(ctx, buf, 8, SQLITE_TRANSIENT);
  }
  else
    sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

/* JSON array text of strings, or of one member of each object. */
static void array_result(sqlite3_context *ctx, yajl_val v,
                         const char *member)
{
  struct ku_buf b;
  size_t i, n = kj_len(v);
  int first = 1, rc;

  if(!n) {
    sqlite3_result_null(ctx);
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
  else
    sqlite3_result_text(ctx, b.ptr, (int)b.len, SQLITE_TRANSIENT);
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
