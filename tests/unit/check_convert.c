/*
 * check_convert.c - unit tests of driver/convert.c: every C target from
 * int/double/text/date/time/timestamp/blob/NULL sources, chunked
 * SQLGetData for CHAR/WCHAR/BINARY, and kd_bind_param round trips
 * through a real SQLite ":memory:" statement.
 *
 * Built from tests/unit/check_convert.c driver/convert.c driver/diag.c
 * driver/sqlstate.c driver/strout.c util/ku_mem.c util/ku_utf.c; handles.c
 * is replaced by a hand-built struct kd_hdr and the kd_odbc_version()
 * stub below.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "driver/handles.h"
#include "driver/convert.h"
#include "util/ku_mem.h"
#include "util/ku_utf.h"

/* Stub of handles.c: every handle is ODBC 3. */
SQLINTEGER kd_odbc_version(const struct kd_hdr *h)
{
  (void)h;
  return SQL_OV_ODBC3;
}

static struct kd_hdr hdr;

static void setup(void)
{
  memset(&hdr, 0, sizeof(hdr));
  hdr.type = SQL_HANDLE_STMT;
  kd_diag_init(&hdr.diag);
}

static void teardown(void)
{
  kd_diag_cleanup(&hdr.diag);
}

/* SQLSTATE of the first record, "" when none. */
static const char *state(void)
{
  return hdr.diag.count ? hdr.diag.recs[0].sqlstate : "";
}

enum { I, D, T, B, N };     /* source kinds of the table */

/* One conversion case; `want` is the target rendered by show(). */
struct conv_case {
  int kind;
  long long i;
  double d;
  const char *s;
  SQLSMALLINT sqlt;
  SQLSMALLINT ctype;
  SQLRETURN rc;
  const char *st;          /* expected SQLSTATE, "" for none */
  const char *want;        /* expected value (NULL: not checked) */
};

#define JA "\xe6\x97\xa5\xe6\x9c\xac"          /* 日本 */
#define EMOJI "\xf0\x9f\x98\x80"                /* U+1F600 */
#define OK SQL_SUCCESS
#define WI SQL_SUCCESS_WITH_INFO
#define ER SQL_ERROR

static const struct conv_case cases[] = {
  /* integers */
  {I, 42, 0, NULL, SQL_BIGINT, SQL_C_CHAR, OK, "", "42"},
  {I, -42, 0, NULL, SQL_BIGINT, SQL_C_WCHAR, OK, "", "-42"},
  {I, 42, 0, NULL, SQL_BIGINT, SQL_C_SLONG, OK, "", "42"},
  {I, 42, 0, NULL, SQL_INTEGER, SQL_C_DEFAULT, OK, "", "42"},
  {I, 127, 0, NULL, SQL_BIGINT, SQL_C_STINYINT, OK, "", "127"},
  {I, 300, 0, NULL, SQL_BIGINT, SQL_C_STINYINT, ER, "22003", NULL},
  {I, 255, 0, NULL, SQL_BIGINT, SQL_C_UTINYINT, OK, "", "255"},
  {I, -1, 0, NULL, SQL_BIGINT, SQL_C_UTINYINT, ER, "22003", NULL},
  {I, -5, 0, NULL, SQL_BIGINT, SQL_C_TINYINT, OK, "", "-5"},
  {I, 32767, 0, NULL, SQL_BIGINT, SQL_C_SSHORT, OK, "", "32767"},
  {I, 32768, 0, NULL, SQL_BIGINT, SQL_C_SHORT, ER, "22003", NULL},
  {I, 65535, 0, NULL, SQL_BIGINT, SQL_C_USHORT, OK, "", "65535"},
  {I, 4294967295LL, 0, NULL, SQL_BIGINT, SQL_C_ULONG, OK, "", "4294967295"},
  {I, 4294967296LL, 0, NULL, SQL_BIGINT, SQL_C_ULONG, ER, "22003", NULL},
  {I, -1, 0, NULL, SQL_BIGINT, SQL_C_ULONG, ER, "22003", NULL},
  {I, 2147483648LL, 0, NULL, SQL_BIGINT, SQL_C_LONG, ER, "22003", NULL},
  {I, 9223372036854775807LL, 0, NULL, SQL_BIGINT, SQL_C_SBIGINT, OK, "",
   "9223372036854775807"},
  {I, -5, 0, NULL, SQL_BIGINT, SQL_C_UBIGINT, ER, "22003", NULL},
  {I, 1, 0, NULL, SQL_BIT, SQL_C_BIT, OK, "", "1"},
  {I, 1, 0, NULL, SQL_BIT, SQL_C_DEFAULT, OK, "", "1"},
  {I, 2, 0, NULL, SQL_BIT, SQL_C_BIT, ER, "22003", NULL},
  {I, 7, 0, NULL, SQL_BIGINT, SQL_C_DOUBLE, OK, "", "7"},
  {I, 7, 0, NULL, SQL_BIGINT, SQL_C_FLOAT, OK, "", "7"},
  {I, 1250, 0, NULL, SQL_DECIMAL, SQL_C_CHAR, OK, "", "1250"},
  {I, -1250, 0, NULL, SQL_DECIMAL, SQL_C_NUMERIC, OK, "", "4/0/-/1250"},
  {I, 5, 0, NULL, SQL_BIGINT, SQL_C_TYPE_DATE, ER, "07006", NULL},
  {I, 5, 0, NULL, SQL_BIGINT, 9999, ER, "HY003", NULL},
  {I, 5, 0, NULL, SQL_BIGINT, SQL_C_GUID, ER, "07006", NULL},
  /* doubles */
  {D, 0, 1250.5, NULL, SQL_DOUBLE, SQL_C_CHAR, OK, "", "1250.5"},
  {D, 0, 0.1, NULL, SQL_DOUBLE, SQL_C_CHAR, OK, "", "0.1"},
  {D, 0, 1250.0, NULL, SQL_DECIMAL, SQL_C_CHAR, OK, "", "1250"},
  /* a NUMBER field's 16 significant digits come back as Kintone sent
     them; a computed DOUBLE keeps 15 (float noise hidden) */
  {D, 0, 999999999999.9999, NULL, SQL_DECIMAL, SQL_C_CHAR, OK, "",
   "999999999999.9999"},
  {D, 0, 999999999999.9999, NULL, SQL_DOUBLE, SQL_C_CHAR, OK, "",
   "1000000000000"},
  {D, 0, 0.1 + 0.2, NULL, SQL_DOUBLE, SQL_C_CHAR, OK, "", "0.3"},
  {D, 0, 0.3, NULL, SQL_DECIMAL, SQL_C_CHAR, OK, "", "0.3"},
  /* a decimal's text has no exponent (pyodbc would read 1.2e+19 as
     1.219); beyond 17 digits a double has no more to give */
  {D, 0, 12345678901234567890.0, NULL, SQL_DECIMAL, SQL_C_CHAR, OK, "",
   "12345678901234567000"},
  {D, 0, 1e-10, NULL, SQL_DECIMAL, SQL_C_CHAR, OK, "", "0.0000000001"},
  {D, 0, -0.0625, NULL, SQL_NUMERIC, SQL_C_CHAR, OK, "", "-0.0625"},
  {D, 0, 1e-10, NULL, SQL_DOUBLE, SQL_C_CHAR, OK, "", "1e-10"},
  {D, 0, 1.0 / 3, NULL, SQL_DOUBLE, SQL_C_CHAR, OK, "",
   "0.333333333333333"},
  {D, 0, 1250.5, NULL, SQL_DOUBLE, SQL_C_WCHAR, OK, "", "1250.5"},
  {D, 0, 1250.5, NULL, SQL_DOUBLE, SQL_C_SLONG, WI, "01S07", "1250"},
  {D, 0, -2.5, NULL, SQL_DOUBLE, SQL_C_SSHORT, WI, "01S07", "-2"},
  {D, 0, 1e20, NULL, SQL_DOUBLE, SQL_C_SBIGINT, ER, "22003", NULL},
  {D, 0, 0.5, NULL, SQL_DOUBLE, SQL_C_BIT, WI, "01S07", "0"},
  {D, 0, 1.5, NULL, SQL_DOUBLE, SQL_C_BIT, WI, "01S07", "1"},
  {D, 0, -0.5, NULL, SQL_DOUBLE, SQL_C_BIT, ER, "22003", NULL},
  {D, 0, 2.25, NULL, SQL_DOUBLE, SQL_C_DOUBLE, OK, "", "2.25"},
  {D, 0, 2.25, NULL, SQL_DOUBLE, SQL_C_DEFAULT, OK, "", "2.25"},
  {D, 0, 2.25, NULL, SQL_DOUBLE, SQL_C_FLOAT, OK, "", "2.25"},
  {D, 0, 1e300, NULL, SQL_DOUBLE, SQL_C_FLOAT, ER, "22003", NULL},
  {D, 0, 1250.5, NULL, SQL_DECIMAL, SQL_C_NUMERIC, OK, "", "5/1/+/12505"},
  {D, 0, 1.5, NULL, SQL_DOUBLE, SQL_C_TYPE_TIMESTAMP, ER, "07006", NULL},
  /* number text */
  {T, 0, 0, "123", SQL_DECIMAL, SQL_C_SLONG, OK, "", "123"},
  {T, 0, 0, " 7 ", SQL_DECIMAL, SQL_C_SLONG, OK, "", "7"},
  {T, 0, 0, "-8", SQL_WVARCHAR, SQL_C_SBIGINT, OK, "", "-8"},
  {T, 0, 0, "12abc", SQL_DECIMAL, SQL_C_SLONG, ER, "22018", NULL},
  {T, 0, 0, "", SQL_DECIMAL, SQL_C_SLONG, ER, "22018", NULL},
  {T, 0, 0, "0x10", SQL_DECIMAL, SQL_C_SLONG, ER, "22018", NULL},
  {T, 0, 0, "inf", SQL_DECIMAL, SQL_C_DOUBLE, ER, "22018", NULL},
  {T, 0, 0, "1.5", SQL_DECIMAL, SQL_C_SLONG, WI, "01S07", "1"},
  {T, 0, 0, "1e3", SQL_DECIMAL, SQL_C_SLONG, OK, "", "1000"},
  {T, 0, 0, "99999999999999999999", SQL_DECIMAL, SQL_C_SBIGINT, ER,
   "22003", NULL},
  {T, 0, 0, "18446744073709551615", SQL_DECIMAL, SQL_C_UBIGINT, OK, "",
   "18446744073709551615"},
  {T, 0, 0, "1e999", SQL_DECIMAL, SQL_C_DOUBLE, ER, "22003", NULL},
  {T, 0, 0, "1250.50", SQL_DECIMAL, SQL_C_CHAR, OK, "", "1250.50"},
  {T, 0, 0, "1250.50", SQL_DECIMAL, SQL_C_DEFAULT, OK, "", "1250.50"},
  {T, 0, 0, "1250.50", SQL_DECIMAL, SQL_C_DOUBLE, OK, "", "1250.5"},
  {T, 0, 0, "1250.50", SQL_DECIMAL, SQL_C_NUMERIC, OK, "", "6/2/+/125050"},
  {T, 0, 0, "-0.001", SQL_DECIMAL, SQL_C_NUMERIC, OK, "", "3/3/-/1"},
  {T, 0, 0, "abc", SQL_DECIMAL, SQL_C_NUMERIC, ER, "22018", NULL},
  {T, 0, 0, "true", SQL_WVARCHAR, SQL_C_BIT, ER, "22018", NULL},
  {T, 0, 0, "1", SQL_WVARCHAR, SQL_C_BIT, OK, "", "1"},
  {T, 0, 0, JA, SQL_WVARCHAR, SQL_C_CHAR, OK, "", JA},
  {T, 0, 0, JA EMOJI, SQL_WVARCHAR, SQL_C_WCHAR, OK, "", JA EMOJI},
  {T, 0, 0, JA, SQL_WVARCHAR, SQL_C_DEFAULT, OK, "", JA},
  {T, 0, 0, "AB", SQL_WVARCHAR, SQL_C_BINARY, OK, "", "4142"},
  /* dates */
  {T, 0, 0, "2024-02-29", SQL_TYPE_DATE, SQL_C_TYPE_DATE, OK, "",
   "2024-02-29"},
  {T, 0, 0, "2024-02-29", SQL_TYPE_DATE, SQL_C_DATE, OK, "", "2024-02-29"},
  {T, 0, 0, "2024-02-29", SQL_TYPE_DATE, SQL_C_DEFAULT, OK, "",
   "2024-02-29"},
  {T, 0, 0, "2024-02-29", SQL_TYPE_DATE, SQL_C_TYPE_TIMESTAMP, OK, "",
   "2024-02-29 00:00:00.0"},
  {T, 0, 0, "2024-02-29", SQL_TYPE_DATE, SQL_C_TYPE_TIME, ER, "07006",
   NULL},
  {T, 0, 0, "2024-02-29", SQL_TYPE_DATE, SQL_C_CHAR, OK, "", "2024-02-29"},
  {T, 0, 0, "2024-02-29", SQL_TYPE_DATE, SQL_C_SLONG, ER, "07006", NULL},
  {T, 0, 0, "2023-02-29", SQL_TYPE_DATE, SQL_C_TYPE_DATE, ER, "22007",
   NULL},
  {T, 0, 0, "garbage", SQL_TYPE_DATE, SQL_C_TYPE_DATE, ER, "22007", NULL},
  {T, 0, 0, "2024-13-01", SQL_WVARCHAR, SQL_C_TYPE_DATE, ER, "22007",
   NULL},
  {T, 0, 0, "2024-01-02", SQL_WVARCHAR, SQL_C_TYPE_DATE, OK, "",
   "2024-01-02"},
  {T, 0, 0, "12:00:00", SQL_WVARCHAR, SQL_C_TYPE_DATE, ER, "22007", NULL},
  /* timestamps */
  {T, 0, 0, "2024-01-02 03:04:05", SQL_TYPE_TIMESTAMP,
   SQL_C_TYPE_TIMESTAMP, OK, "", "2024-01-02 03:04:05.0"},
  {T, 0, 0, "2024-01-02 03:04:05", SQL_TYPE_TIMESTAMP, SQL_C_TIMESTAMP, OK,
   "", "2024-01-02 03:04:05.0"},
  {T, 0, 0, "2024-01-02T03:04:05Z", SQL_TYPE_TIMESTAMP,
   SQL_C_TYPE_TIMESTAMP, OK, "", "2024-01-02 03:04:05.0"},
  {T, 0, 0, "2024-01-02 03:04:05.123", SQL_TYPE_TIMESTAMP,
   SQL_C_TYPE_TIMESTAMP, OK, "", "2024-01-02 03:04:05.123000000"},
  {T, 0, 0, "2024-01-02 03:04:05", SQL_TYPE_TIMESTAMP, SQL_C_TYPE_DATE, WI,
   "01S07", "2024-01-02"},
  {T, 0, 0, "2024-01-02 00:00:00", SQL_TYPE_TIMESTAMP, SQL_C_TYPE_DATE, OK,
   "", "2024-01-02"},
  {T, 0, 0, "2024-01-02 03:04:05", SQL_TYPE_TIMESTAMP, SQL_C_TYPE_TIME, OK,
   "", "03:04:05"},
  {T, 0, 0, "2024-01-02 03:04:05.5", SQL_TYPE_TIMESTAMP, SQL_C_TYPE_TIME,
   WI, "01S07", "03:04:05"},
  {T, 0, 0, "2024-01-02T03:04:05Z", SQL_TYPE_TIMESTAMP, SQL_C_CHAR, OK, "",
   "2024-01-02 03:04:05"},
  {T, 0, 0, "2024-01-02T03:04Z", SQL_TYPE_TIMESTAMP, SQL_C_WCHAR, OK, "",
   "2024-01-02 03:04:00"},
  {T, 0, 0, "2024-01-02 25:00:00", SQL_TYPE_TIMESTAMP,
   SQL_C_TYPE_TIMESTAMP, ER, "22007", NULL},
  /* character targets: canonical text as it is, other forms rendered,
     text that is no valid date-time unchanged */
  {T, 0, 0, "2024-01-02 03:04:05", SQL_TYPE_TIMESTAMP, SQL_C_CHAR, OK, "",
   "2024-01-02 03:04:05"},
  {T, 0, 0, "2024-01-02 03:04:05", SQL_TYPE_TIMESTAMP, SQL_C_WCHAR, OK, "",
   "2024-01-02 03:04:05"},
  {T, 0, 0, "2024-01-02 03:04:05.120", SQL_TYPE_TIMESTAMP, SQL_C_CHAR, OK,
   "", "2024-01-02 03:04:05.12"},
  {T, 0, 0, " 2024-01-02 03:04:05", SQL_TYPE_TIMESTAMP, SQL_C_CHAR, OK, "",
   "2024-01-02 03:04:05"},
  {T, 0, 0, "2024-02-30 03:04:05", SQL_TYPE_TIMESTAMP, SQL_C_CHAR, OK, "",
   "2024-02-30 03:04:05"},
  {T, 0, 0, "0000-01-02 03:04:05", SQL_TYPE_TIMESTAMP, SQL_C_CHAR, OK, "",
   "0000-01-02 03:04:05"},
  {T, 0, 0, "2024-01-02 03:04:60", SQL_TYPE_TIMESTAMP, SQL_C_CHAR, OK, "",
   "2024-01-02 03:04:60"},
  {T, 0, 0, "2024-01-02", SQL_TYPE_TIMESTAMP, SQL_C_CHAR, OK, "",
   "2024-01-02"},
  {T, 0, 0, "2024-01-02 03:04:05", SQL_TYPE_DATE, SQL_C_CHAR, OK, "",
   "2024-01-02 03:04:05"},
  {T, 0, 0, "2024-1-02", SQL_TYPE_DATE, SQL_C_CHAR, OK, "", "2024-1-02"},
  {T, 0, 0, "2024-01-02Z", SQL_TYPE_DATE, SQL_C_CHAR, OK, "",
   "2024-01-02"},
  {T, 0, 0, "03:04:05", SQL_TYPE_TIME, SQL_C_CHAR, OK, "", "03:04:05"},
  {T, 0, 0, "24:04:05", SQL_TYPE_TIME, SQL_C_CHAR, OK, "", "24:04:05"},
  {T, 0, 0, "03:04:05", SQL_TYPE_DATE, SQL_C_CHAR, OK, "", "03:04:05"},
  /* times */
  {T, 0, 0, "12:34:56", SQL_TYPE_TIME, SQL_C_TYPE_TIME, OK, "", "12:34:56"},
  {T, 0, 0, "12:34", SQL_TYPE_TIME, SQL_C_TIME, OK, "", "12:34:00"},
  {T, 0, 0, "12:34", SQL_TYPE_TIME, SQL_C_CHAR, OK, "", "12:34:00"},
  {T, 0, 0, "12:34", SQL_TYPE_TIME, SQL_C_TYPE_DATE, ER, "07006", NULL},
  {T, 0, 0, "12:61", SQL_TYPE_TIME, SQL_C_TYPE_TIME, ER, "22007", NULL},
  /* blobs */
  {B, 0, 0, "\xde\xad\xbe\xef", SQL_VARBINARY, SQL_C_CHAR, OK, "",
   "DEADBEEF"},
  {B, 0, 0, "\xde\xad\xbe\xef", SQL_VARBINARY, SQL_C_BINARY, OK, "",
   "DEADBEEF"},
  {B, 0, 0, "\xde\xad\xbe\xef", SQL_VARBINARY, SQL_C_DEFAULT, OK, "",
   "DEADBEEF"},
  {B, 0, 0, "\xde\xad", SQL_VARBINARY, SQL_C_SLONG, ER, "07006", NULL},
  /* NULL */
  {N, 0, 0, NULL, SQL_WVARCHAR, SQL_C_CHAR, OK, "", "NULL"},
  {N, 0, 0, NULL, SQL_INTEGER, SQL_C_SLONG, OK, "", "NULL"},
  {N, 0, 0, NULL, SQL_TYPE_DATE, SQL_C_TYPE_DATE, OK, "", "NULL"}
};

/* Builds the kd_value of a case. */
static void make_value(const struct conv_case *c, struct kd_value *v)
{
  memset(v, 0, sizeof(*v));
  v->sql_type = c->sqlt;
  switch(c->kind) {
  case I:
    v->kind = KD_V_INT;
    v->i = c->i;
    break;
  case D:
    v->kind = KD_V_DOUBLE;
    v->d = c->d;
    break;
  case T:
    v->kind = KD_V_TEXT;
    v->s = c->s;
    v->len = strlen(c->s);
    break;
  case B:
    v->kind = KD_V_BLOB;
    v->s = c->s;
    v->len = strlen(c->s);
    break;
  default:
    v->kind = KD_V_NULL;
    break;
  }
}

/* Renders the target buffer of ctype as text for comparison. */
static void show(SQLSMALLINT ctype, SQLSMALLINT sqlt, const void *buf,
                 SQLLEN len, char *out, size_t outsz)
{
  if(ctype == SQL_C_DEFAULT) {
    if(sqlt == SQL_BIT)
      ctype = SQL_C_BIT;
    else if(sqlt == SQL_INTEGER)
      ctype = SQL_C_SLONG;
    else if(sqlt == SQL_DOUBLE)
      ctype = SQL_C_DOUBLE;
    else if(sqlt == SQL_TYPE_DATE)
      ctype = SQL_C_TYPE_DATE;
    else if(sqlt == SQL_WVARCHAR)
      ctype = SQL_C_WCHAR;
    else if(sqlt == SQL_VARBINARY)
      ctype = SQL_C_BINARY;
    else
      ctype = SQL_C_CHAR;
  }
  switch(ctype) {
  case SQL_C_CHAR:
    snprintf(out, outsz, "%s", (const char *)buf);
    break;
  case SQL_C_WCHAR: {
    char *u = NULL;
    ck_assert_int_eq(ku_utf16_to_utf8(buf, (size_t)len / 2, &u, NULL), 0);
    snprintf(out, outsz, "%s", u);
    ku_free(u);
    break;
  }
  case SQL_C_BINARY: {
    SQLLEN k;
    out[0] = '\0';
    for(k = 0; k < len; k++)
      snprintf(out + 2 * k, outsz - 2 * (size_t)k, "%02X",
               ((const unsigned char *)buf)[k]);
    break;
  }
  case SQL_C_BIT:
  case SQL_C_UTINYINT:
    snprintf(out, outsz, "%u", *(const unsigned char *)buf);
    break;
  case SQL_C_STINYINT:
  case SQL_C_TINYINT:
    snprintf(out, outsz, "%d", *(const signed char *)buf);
    break;
  case SQL_C_SSHORT:
  case SQL_C_SHORT:
    snprintf(out, outsz, "%d", *(const short *)buf);
    break;
  case SQL_C_USHORT:
    snprintf(out, outsz, "%u", *(const unsigned short *)buf);
    break;
  case SQL_C_SLONG:
  case SQL_C_LONG:
    snprintf(out, outsz, "%d", *(const int *)buf);
    break;
  case SQL_C_ULONG:
    snprintf(out, outsz, "%u", *(const unsigned *)buf);
    break;
  case SQL_C_SBIGINT:
    snprintf(out, outsz, "%lld", *(const long long *)buf);
    break;
  case SQL_C_UBIGINT:
    snprintf(out, outsz, "%llu", *(const unsigned long long *)buf);
    break;
  case SQL_C_FLOAT:
    snprintf(out, outsz, "%g", *(const float *)buf);
    break;
  case SQL_C_DOUBLE:
    snprintf(out, outsz, "%.17g", *(const double *)buf);
    break;
  case SQL_C_NUMERIC: {
    const SQL_NUMERIC_STRUCT *n = buf;
    unsigned long long v = 0;
    int k;
    for(k = 7; k >= 0; k--)
      v = (v << 8) | n->val[k];
    snprintf(out, outsz, "%d/%d/%c/%llu", n->precision, n->scale,
             n->sign ? '+' : '-', v);
    break;
  }
  case SQL_C_TYPE_DATE:
  case SQL_C_DATE: {
    const SQL_DATE_STRUCT *d = buf;
    snprintf(out, outsz, "%04d-%02u-%02u", d->year, d->month, d->day);
    break;
  }
  case SQL_C_TYPE_TIME:
  case SQL_C_TIME: {
    const SQL_TIME_STRUCT *t = buf;
    snprintf(out, outsz, "%02u:%02u:%02u", t->hour, t->minute, t->second);
    break;
  }
  default: {
    const SQL_TIMESTAMP_STRUCT *t = buf;
    snprintf(out, outsz, "%04d-%02u-%02u %02u:%02u:%02u.%u", t->year,
             t->month, t->day, t->hour, t->minute, t->second,
             (unsigned)t->fraction);
    break;
  }
  }
}

START_TEST(conversions)
{
  const struct conv_case *c = &cases[_i];
  struct kd_value v;
  union {
    char c[256];
    SQLWCHAR w[128];
    long long align;
  } buf;
  SQLLEN ind = -12345;
  char got[512];
  SQLRETURN rc;

  make_value(c, &v);
  memset(&buf, 0, sizeof(buf));
  rc = kd_convert_out(&hdr, &v, c->ctype, &buf, sizeof(buf), &ind, &ind,
                      NULL, 1, 1);
  ck_assert_msg(rc == c->rc, "case %d: rc %d want %d (%s)", _i, rc, c->rc,
                state());
  ck_assert_msg(!strcmp(state(), c->st), "case %d: state %s want %s", _i,
                state(), c->st);
  if(!c->want)
    return;
  if(!strcmp(c->want, "NULL")) {
    ck_assert_int_eq(ind, SQL_NULL_DATA);
    return;
  }
  ck_assert_int_ge(ind, 0);
  show(c->ctype, c->sqlt, &buf, ind, got, sizeof(got));
  ck_assert_msg(!strcmp(got, c->want), "case %d: got '%s' want '%s'", _i,
                got, c->want);
  if(hdr.diag.count)
    ck_assert_int_eq(hdr.diag.recs[0].row, 1);
}
END_TEST

START_TEST(time_to_timestamp_today)
{
  struct kd_value v;
  SQL_TIMESTAMP_STRUCT ts;
  time_t now = time(NULL);
  struct tm tm;

  gmtime_r(&now, &tm);          /* no connection: TimeZone's default */
  memset(&v, 0, sizeof(v));
  v.kind = KD_V_TEXT;
  v.s = "10:20:30";
  v.len = 8;
  v.sql_type = SQL_TYPE_TIME;
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_TYPE_TIMESTAMP, &ts,
                                  sizeof(ts), NULL, NULL, NULL, 0, 0),
                   SQL_SUCCESS);
  ck_assert_int_eq(ts.year, tm.tm_year + 1900);
  ck_assert_int_eq(ts.hour, 10);
  ck_assert_int_eq(ts.second, 30);
}
END_TEST

START_TEST(null_needs_indicator)
{
  struct kd_value v;
  char buf[8];
  SQLLEN off = 0, ind = 0;

  memset(&v, 0, sizeof(v));
  v.kind = KD_V_NULL;
  v.sql_type = SQL_WVARCHAR;
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_CHAR, buf, sizeof(buf),
                                  NULL, NULL, NULL, 1, 2), SQL_ERROR);
  ck_assert_str_eq(state(), "22002");
  ck_assert_int_eq(hdr.diag.recs[0].column, 2);
  kd_diag_clear(&hdr.diag);
  /* SQLGetData: NULL once, then SQL_NO_DATA */
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_CHAR, buf, sizeof(buf),
                                  &ind, &ind, &off, 1, 1), SQL_SUCCESS);
  ck_assert_int_eq(ind, SQL_NULL_DATA);
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_CHAR, buf, sizeof(buf),
                                  &ind, &ind, &off, 1, 1), SQL_NO_DATA);
}
END_TEST

START_TEST(separate_indicator)
{
  struct kd_value v;
  SQLINTEGER x = 0;
  SQLLEN ind = 99, len = 0;

  memset(&v, 0, sizeof(v));
  v.kind = KD_V_INT;
  v.i = 5;
  v.sql_type = SQL_INTEGER;
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_SLONG, &x, 0, &ind, &len,
                                  NULL, 1, 1), SQL_SUCCESS);
  ck_assert_int_eq(ind, 0);
  ck_assert_int_eq(len, 4);
  ck_assert_int_eq(x, 5);
}
END_TEST

/*
 * A NUMBER (DECIMAL) value as text, over many doubles (decimals of 0-6
 * places up to 10^15, and raw bit patterns): it reads back as the same
 * double, has no exponent, and has no more significant digits than the
 * fewest (15, 16 or 17) that read back (%.*e and strtod decide, as a
 * reference independent of the renderer's fast path).
 */
static int sig_digits(const char *s)
{
  int n = 0, lead = 1, tail = 0;

  for(; *s; s++) {
    if(*s < '0' || *s > '9')
      continue;
    if(lead && *s == '0')
      continue;
    lead = 0;
    n++;
    tail = *s == '0' ? tail + 1 : 0;
  }
  return n - tail;
}

START_TEST(decimal_text_round_trips)
{
  static const double p10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
  unsigned long long x = 88172645463325252ULL;
  int i;

  for(i = 0; i < 60000; i++) {
    struct kd_value v;
    char buf[64], ref[40];
    SQLLEN ind = 0;
    int p, want;
    double d;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    if(i % 2) {
      memcpy(&d, &x, sizeof(d));
      if(!isfinite(d) || d == 0 || fabs(d) > 1e30 || fabs(d) < 1e-30)
        continue;
    }
    else
      d = (double)(long long)(x % 1000000000000000ULL) / p10[x % 7] *
          ((x >> 60) & 1 ? -1 : 1);
    memset(&v, 0, sizeof(v));
    v.kind = KD_V_DOUBLE;
    v.d = d;
    v.sql_type = SQL_DECIMAL;
    ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_CHAR, buf, sizeof(buf),
                                    &ind, &ind, NULL, 1, 1), SQL_SUCCESS);
    ck_assert_msg(strtod(buf, NULL) == d, "%.17g rendered %s", d, buf);
    ck_assert_msg(!strpbrk(buf, "eE"), "%.17g rendered %s", d, buf);
    for(p = 15; p < 17; p++) {
      snprintf(ref, sizeof(ref), "%.*e", p - 1, d);
      if(strtod(ref, NULL) == d)
        break;
    }
    want = p;
    ck_assert_msg(sig_digits(buf) <= want, "%.17g rendered %s (%d digits)",
                  d, buf, want);
  }
}
END_TEST

START_TEST(number_to_small_char)
{
  struct kd_value v;
  char buf[8];
  SQLLEN ind = 0;

  memset(&v, 0, sizeof(v));
  v.kind = KD_V_INT;
  v.i = 123456;
  v.sql_type = SQL_INTEGER;
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_CHAR, buf, 4, &ind, &ind,
                                  NULL, 1, 1), SQL_ERROR);
  ck_assert_str_eq(state(), "22003");
  kd_diag_clear(&hdr.diag);
  v.kind = KD_V_DOUBLE;
  v.d = 1250.25;
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_CHAR, buf, 6, &ind, &ind,
                                  NULL, 1, 1), SQL_SUCCESS_WITH_INFO);
  ck_assert_str_eq(state(), "01004");
  ck_assert_str_eq(buf, "1250.");
  ck_assert_int_eq(ind, 7);
}
END_TEST

/* 日本語テキスト + emoji + "end": 21 + 4 + 3 = 28 bytes */
#define LONGTXT "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82" \
  "\xad\xe3\x82\xb9\xe3\x83\x88" EMOJI "end"

START_TEST(chunked_char)
{
  struct kd_value v;
  char buf[8], all[64];
  SQLLEN off = 0, ind = 0, total;
  SQLRETURN rc;
  size_t got = 0;
  int pieces = 0;

  memset(&v, 0, sizeof(v));
  v.kind = KD_V_TEXT;
  v.s = LONGTXT;
  v.len = strlen(LONGTXT);
  v.sql_type = SQL_WVARCHAR;
  total = (SQLLEN)v.len;
  for(;;) {
    kd_diag_clear(&hdr.diag);
    rc = kd_convert_out(&hdr, &v, SQL_C_CHAR, buf, sizeof(buf), &ind, &ind,
                        &off, 1, 1);
    if(rc == SQL_NO_DATA)
      break;
    ck_assert_int_eq(ind, total - (SQLLEN)got);
    ck_assert_uint_lt(strlen(buf), sizeof(buf));
    /* every piece is whole characters */
    ck_assert_uint_eq(ku_utf8_prefix(buf, strlen(buf), strlen(buf)),
                      strlen(buf));
    memcpy(all + got, buf, strlen(buf));
    got += strlen(buf);
    pieces++;
    if(got < v.len) {
      ck_assert_int_eq(rc, SQL_SUCCESS_WITH_INFO);
      ck_assert_str_eq(state(), "01004");
    }
    else
      ck_assert_int_eq(rc, SQL_SUCCESS);
    ck_assert_int_lt(pieces, 20);
  }
  all[got] = '\0';
  ck_assert_str_eq(all, LONGTXT);
  ck_assert_int_ge(pieces, 4);
  /* still SQL_NO_DATA afterwards */
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_CHAR, buf, sizeof(buf),
                                  &ind, &ind, &off, 1, 1), SQL_NO_DATA);
}
END_TEST

START_TEST(char_too_small_for_one)
{
  struct kd_value v;
  char buf[3] = "zz";
  SQLLEN off = 0, ind = 0;

  memset(&v, 0, sizeof(v));
  v.kind = KD_V_TEXT;
  v.s = JA;
  v.len = 6;
  v.sql_type = SQL_WVARCHAR;
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_CHAR, buf, 3, &ind, &ind,
                                  &off, 1, 1), SQL_SUCCESS_WITH_INFO);
  ck_assert_int_eq(off, 0);
  ck_assert_int_eq(ind, 6);
  ck_assert_str_eq(buf, "");
  kd_diag_clear(&hdr.diag);
  /* length probe with buffer length 0 */
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_CHAR, buf, 0, &ind, &ind,
                                  &off, 1, 1), SQL_SUCCESS_WITH_INFO);
  ck_assert_int_eq(ind, 6);
  ck_assert_int_eq(off, 0);
}
END_TEST

START_TEST(chunked_wchar)
{
  struct kd_value v;
  SQLWCHAR buf[4];
  SQLWCHAR all[64];
  SQLLEN off = 0, ind = 0;
  SQLRETURN rc;
  size_t units = 0, total_units;
  char *u8 = NULL;
  int pieces = 0;

  memset(&v, 0, sizeof(v));
  v.kind = KD_V_TEXT;
  v.s = LONGTXT;
  v.len = strlen(LONGTXT);
  v.sql_type = SQL_WVARCHAR;
  total_units = ku_utf8_utf16_units(v.s, v.len);
  ck_assert_uint_eq(total_units, 7 + 2 + 3);
  for(;;) {
    size_t n;
    kd_diag_clear(&hdr.diag);
    rc = kd_convert_out(&hdr, &v, SQL_C_WCHAR, buf, sizeof(buf), &ind, &ind,
                        &off, 1, 1);
    if(rc == SQL_NO_DATA)
      break;
    ck_assert_int_eq(ind, (SQLLEN)((total_units - units) * 2));
    n = ku_utf16_len(buf);
    ck_assert_uint_le(n, 3);
    /* never ends on a high surrogate */
    if(n)
      ck_assert(buf[n - 1] < 0xd800 || buf[n - 1] > 0xdbff);
    memcpy(all + units, buf, n * sizeof(SQLWCHAR));
    units += n;
    pieces++;
    ck_assert_int_eq(rc, units < total_units ? SQL_SUCCESS_WITH_INFO :
                     SQL_SUCCESS);
    ck_assert_int_lt(pieces, 20);
  }
  ck_assert_uint_eq(units, total_units);
  ck_assert_int_eq(ku_utf16_to_utf8(all, units, &u8, NULL), 0);
  ck_assert_str_eq(u8, LONGTXT);
  ku_free(u8);
}
END_TEST

START_TEST(wchar_pair_needs_room)
{
  struct kd_value v;
  SQLWCHAR buf[4];
  SQLLEN off = 0, ind = 0;

  memset(&v, 0, sizeof(v));
  v.kind = KD_V_TEXT;
  v.s = EMOJI "x";
  v.len = 5;
  v.sql_type = SQL_WVARCHAR;
  /* 4 bytes = 2 units: 1 unit of room, the pair does not fit */
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_WCHAR, buf, 4, &ind, &ind,
                                  &off, 1, 1), SQL_SUCCESS_WITH_INFO);
  ck_assert_int_eq(off, 0);
  ck_assert_int_eq(ind, 6);
  ck_assert_uint_eq(buf[0], 0);
  /* 6 bytes: the pair fits */
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_WCHAR, buf, 6, &ind, &ind,
                                  &off, 1, 1), SQL_SUCCESS_WITH_INFO);
  ck_assert_int_eq(off, 4);
  ck_assert_uint_eq(buf[0], 0xd83d);
  ck_assert_uint_eq(buf[1], 0xde00);
  ck_assert_uint_eq(buf[2], 0);
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_WCHAR, buf, 6, &ind, &ind,
                                  &off, 1, 1), SQL_SUCCESS);
  ck_assert_int_eq(ind, 2);
  ck_assert_uint_eq(buf[0], 'x');
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_WCHAR, buf, 6, &ind, &ind,
                                  &off, 1, 1), SQL_NO_DATA);
}
END_TEST

START_TEST(chunked_binary_and_fixed)
{
  struct kd_value v;
  unsigned char buf[3];
  SQLLEN off = 0, ind = 0;
  SQLINTEGER x;

  memset(&v, 0, sizeof(v));
  v.kind = KD_V_BLOB;
  v.s = "\x01\x02\x03\x04\x05";
  v.len = 5;
  v.sql_type = SQL_VARBINARY;
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_BINARY, buf, 3, &ind,
                                  &ind, &off, 1, 1), SQL_SUCCESS_WITH_INFO);
  ck_assert_int_eq(ind, 5);
  ck_assert_int_eq(buf[2], 3);
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_BINARY, buf, 3, &ind,
                                  &ind, &off, 1, 1), SQL_SUCCESS);
  ck_assert_int_eq(ind, 2);
  ck_assert_int_eq(buf[1], 5);
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_BINARY, buf, 3, &ind,
                                  &ind, &off, 1, 1), SQL_NO_DATA);

  /* fixed-size targets answer once */
  off = 0;
  v.kind = KD_V_INT;
  v.i = 9;
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_SLONG, &x, 0, &ind, &ind,
                                  &off, 1, 1), SQL_SUCCESS);
  ck_assert_int_eq(x, 9);
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_SLONG, &x, 0, &ind, &ind,
                                  &off, 1, 1), SQL_NO_DATA);

  /* an empty string is returned once, then SQL_NO_DATA */
  off = 0;
  v.kind = KD_V_TEXT;
  v.s = "";
  v.len = 0;
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_CHAR, buf, 3, &ind, &ind,
                                  &off, 1, 1), SQL_SUCCESS);
  ck_assert_int_eq(ind, 0);
  ck_assert_int_eq(kd_convert_out(&hdr, &v, SQL_C_CHAR, buf, 3, &ind, &ind,
                                  &off, 1, 1), SQL_NO_DATA);
}
END_TEST

START_TEST(from_sqlite)
{
  sqlite3 *db;
  sqlite3_stmt *st;
  struct kd_value v;

  ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT 7, 2.5, 'x" JA "', "
                                      "x'0102', NULL", -1, &st, NULL),
                   SQLITE_OK);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  kd_value_from_sqlite(st, 0, SQL_BIGINT, &v);
  ck_assert_int_eq(v.kind, KD_V_INT);
  ck_assert_int_eq(v.i, 7);
  ck_assert_int_eq(v.sql_type, SQL_BIGINT);
  kd_value_from_sqlite(st, 1, SQL_DOUBLE, &v);
  ck_assert_int_eq(v.kind, KD_V_DOUBLE);
  ck_assert(v.d == 2.5);
  kd_value_from_sqlite(st, 2, SQL_WVARCHAR, &v);
  ck_assert_int_eq(v.kind, KD_V_TEXT);
  ck_assert_uint_eq(v.len, 7);
  ck_assert_int_eq(memcmp(v.s, "x" JA, 7), 0);
  kd_value_from_sqlite(st, 3, SQL_VARBINARY, &v);
  ck_assert_int_eq(v.kind, KD_V_BLOB);
  ck_assert_uint_eq(v.len, 2);
  kd_value_from_sqlite(st, 4, SQL_WVARCHAR, &v);
  ck_assert_int_eq(v.kind, KD_V_NULL);
  sqlite3_finalize(st);
  sqlite3_close(db);
}
END_TEST

START_TEST(default_ctypes)
{
  ck_assert_int_eq(kd_default_ctype(SQL_WVARCHAR), SQL_C_WCHAR);
  ck_assert_int_eq(kd_default_ctype(SQL_WLONGVARCHAR), SQL_C_WCHAR);
  ck_assert_int_eq(kd_default_ctype(SQL_VARCHAR), SQL_C_CHAR);
  ck_assert_int_eq(kd_default_ctype(SQL_DECIMAL), SQL_C_CHAR);
  ck_assert_int_eq(kd_default_ctype(SQL_NUMERIC), SQL_C_CHAR);
  ck_assert_int_eq(kd_default_ctype(SQL_BIGINT), SQL_C_SBIGINT);
  ck_assert_int_eq(kd_default_ctype(SQL_INTEGER), SQL_C_SLONG);
  ck_assert_int_eq(kd_default_ctype(SQL_SMALLINT), SQL_C_SSHORT);
  ck_assert_int_eq(kd_default_ctype(SQL_DOUBLE), SQL_C_DOUBLE);
  ck_assert_int_eq(kd_default_ctype(SQL_REAL), SQL_C_FLOAT);
  ck_assert_int_eq(kd_default_ctype(SQL_BIT), SQL_C_BIT);
  ck_assert_int_eq(kd_default_ctype(SQL_VARBINARY), SQL_C_BINARY);
  ck_assert_int_eq(kd_default_ctype(SQL_TYPE_DATE), SQL_C_TYPE_DATE);
  ck_assert_int_eq(kd_default_ctype(SQL_TYPE_TIMESTAMP),
                   SQL_C_TYPE_TIMESTAMP);
  ck_assert_int_eq(kd_default_ctype(SQL_TIMESTAMP), SQL_C_TIMESTAMP);
}
END_TEST

/* ---- parameters ------------------------------------------------------- */

static sqlite3 *db;
static sqlite3_stmt *pst;

static void bind_setup(void)
{
  setup();
  ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT ?1, typeof(?1)", -1,
                                      &pst, NULL), SQLITE_OK);
}

static void bind_teardown(void)
{
  sqlite3_finalize(pst);
  sqlite3_close(db);
  teardown();
}

/*
 * Binds, steps and checks value text and typeof(); `want` NULL means the
 * bind must fail with SQLSTATE `type` instead.
 */
static void roundtrip(SQLSMALLINT ctype, SQLSMALLINT sqlt, const void *data,
                      SQLLEN octet, SQLLEN *ind, const char *want,
                      const char *type)
{
  SQLRETURN rc;

  sqlite3_reset(pst);
  sqlite3_clear_bindings(pst);
  kd_diag_clear(&hdr.diag);
  rc = kd_bind_param(&hdr, pst, 1, ctype, sqlt, 0, 0, (SQLPOINTER)data,
                     octet, ind);
  if(!want) {
    ck_assert_int_eq(rc, SQL_ERROR);
    ck_assert_str_eq(state(), type);
    return;
  }
  ck_assert_msg(rc == SQL_SUCCESS, "bind failed: %s", state());
  ck_assert_int_eq(sqlite3_step(pst), SQLITE_ROW);
  ck_assert_str_eq((const char *)sqlite3_column_text(pst, 1), type);
  if(strcmp(type, "null"))
    ck_assert_str_eq((const char *)sqlite3_column_text(pst, 0), want);
}

START_TEST(bind_text)
{
  SQLLEN len;
  static const SQLWCHAR w[] = {0x65e5, 0x672c, 0xd83d, 0xde00, 0};
  static const SQLWCHAR w42[] = {' ', '4', '2', 0};
  static const SQLWCHAR bad[] = {0xdc00, 0};

  roundtrip(SQL_C_CHAR, SQL_INTEGER, "123", 0, NULL, "123", "integer");
  roundtrip(SQL_C_CHAR, SQL_DECIMAL, "12.5", 0, NULL, "12.5", "real");
  roundtrip(SQL_C_CHAR, SQL_NUMERIC, "-7", 0, NULL, "-7", "integer");
  /* text bound as a number must be one (ODBC: 22018, 22003) */
  roundtrip(SQL_C_CHAR, SQL_INTEGER, "abc", 0, NULL, NULL, "22018");
  roundtrip(SQL_C_CHAR, SQL_DECIMAL, "12abc", 0, NULL, NULL, "22018");
  roundtrip(SQL_C_CHAR, SQL_BIGINT, "", 0, NULL, NULL, "22018");
  roundtrip(SQL_C_CHAR, SQL_DOUBLE, "1e999", 0, NULL, NULL, "22003");
  roundtrip(SQL_C_CHAR, SQL_INTEGER, " 42 ", 0, NULL, "42", "integer");
  roundtrip(SQL_C_CHAR, SQL_WVARCHAR, "123", 0, NULL, "123", "text");
  len = SQL_NTS;
  roundtrip(SQL_C_CHAR, SQL_WVARCHAR, JA, 0, &len, JA, "text");
  len = 3;
  roundtrip(SQL_C_CHAR, SQL_WVARCHAR, JA, 0, &len, "\xe6\x97\xa5", "text");
  roundtrip(SQL_C_WCHAR, SQL_WVARCHAR, w, 0, NULL, JA EMOJI, "text");
  len = 4;
  roundtrip(SQL_C_WCHAR, SQL_WVARCHAR, w, 0, &len, JA, "text");
  roundtrip(SQL_C_WCHAR, SQL_BIGINT, w42, 0, NULL, "42", "integer");
  roundtrip(SQL_C_WCHAR, SQL_WVARCHAR, bad, 0, NULL, NULL, "22018");
  len = -5;
  roundtrip(SQL_C_CHAR, SQL_WVARCHAR, "x", 0, &len, NULL, "HY090");
  len = SQL_NULL_DATA;
  roundtrip(SQL_C_CHAR, SQL_WVARCHAR, "x", 0, &len, "", "null");
  roundtrip(SQL_C_DEFAULT, SQL_INTEGER, NULL, 0, &len, "", "null");
  roundtrip(SQL_C_CHAR, SQL_WVARCHAR, NULL, 0, NULL, NULL, "HY009");
  roundtrip(9999, SQL_WVARCHAR, "x", 0, NULL, NULL, "HY003");
}
END_TEST

START_TEST(bind_numbers)
{
  SQLINTEGER l = -7;
  unsigned char ut = 200, bit1 = 1, bit2 = 2;
  SQLBIGINT big = 9007199254740993LL;
  SQLUBIGINT ubig = 9223372036854775808ULL;
  double d = 2.5;
  float f = 0.5f;
  short sh = -300;
  SQL_NUMERIC_STRUCT ns;

  roundtrip(SQL_C_SLONG, SQL_INTEGER, &l, 0, NULL, "-7", "integer");
  roundtrip(SQL_C_DEFAULT, SQL_INTEGER, &l, 0, NULL, "-7", "integer");
  roundtrip(SQL_C_UTINYINT, SQL_TINYINT, &ut, 0, NULL, "200", "integer");
  roundtrip(SQL_C_SSHORT, SQL_SMALLINT, &sh, 0, NULL, "-300", "integer");
  roundtrip(SQL_C_SBIGINT, SQL_BIGINT, &big, 0, NULL, "9007199254740993",
            "integer");
  /* above INT64_MAX: the exact digits (a double would round them) */
  roundtrip(SQL_C_UBIGINT, SQL_BIGINT, &ubig, 0, NULL,
            "9223372036854775808", "text");
  ubig = 18446744073709551615ULL;
  roundtrip(SQL_C_UBIGINT, SQL_DECIMAL, &ubig, 0, NULL,
            "18446744073709551615", "text");
  ubig = 9223372036854775807ULL;
  roundtrip(SQL_C_UBIGINT, SQL_BIGINT, &ubig, 0, NULL,
            "9223372036854775807", "integer");
  roundtrip(SQL_C_DOUBLE, SQL_DOUBLE, &d, 0, NULL, "2.5", "real");
  roundtrip(SQL_C_FLOAT, SQL_REAL, &f, 0, NULL, "0.5", "real");
  roundtrip(SQL_C_BIT, SQL_BIT, &bit1, 0, NULL, "1", "integer");
  roundtrip(SQL_C_BIT, SQL_BIT, &bit2, 0, NULL, NULL, "22003");

  memset(&ns, 0, sizeof(ns));
  ns.precision = 6;
  ns.scale = 2;
  ns.sign = 1;
  ns.val[0] = 125050 & 0xff;
  ns.val[1] = (125050 >> 8) & 0xff;
  ns.val[2] = (125050 >> 16) & 0xff;
  roundtrip(SQL_C_NUMERIC, SQL_DECIMAL, &ns, 0, NULL, "1250.5", "real");
  roundtrip(SQL_C_NUMERIC, SQL_WVARCHAR, &ns, 0, NULL, "1250.50", "text");
  ns.scale = 7;
  roundtrip(SQL_C_NUMERIC, SQL_WVARCHAR, &ns, 0, NULL, "0.0125050",
            "text");
  memset(&ns, 0, sizeof(ns));
  ns.val[0] = 42;
  ns.sign = 0;
  roundtrip(SQL_C_NUMERIC, SQL_NUMERIC, &ns, 0, NULL, "-42", "integer");
}
END_TEST

START_TEST(bind_dates_and_binary)
{
  SQL_DATE_STRUCT d = {2024, 3, 4};
  SQL_TIME_STRUCT t = {1, 2, 3};
  SQL_TIMESTAMP_STRUCT ts = {2024, 3, 4, 5, 6, 7, 500000000};
  SQL_TIMESTAMP_STRUCT midnight = {2024, 3, 4, 0, 0, 0, 0};
  SQL_DATE_STRUCT badd = {2023, 2, 29};
  SQLLEN len;

  roundtrip(SQL_C_TYPE_DATE, SQL_TYPE_DATE, &d, 0, NULL, "2024-03-04",
            "text");
  roundtrip(SQL_C_DATE, SQL_TYPE_TIMESTAMP, &d, 0, NULL,
            "2024-03-04 00:00:00", "text");
  roundtrip(SQL_C_TYPE_TIME, SQL_TYPE_TIME, &t, 0, NULL, "01:02:03", "text");
  roundtrip(SQL_C_TYPE_TIME, SQL_TYPE_DATE, &t, 0, NULL, NULL, "07006");
  roundtrip(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_TIMESTAMP, &ts, 0, NULL,
            "2024-03-04 05:06:07.5", "text");
  roundtrip(SQL_C_TIMESTAMP, SQL_TIMESTAMP, &ts, 0, NULL,
            "2024-03-04 05:06:07.5", "text");
  roundtrip(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_DATE, &ts, 0, NULL, NULL,
            "22008");
  roundtrip(SQL_C_TYPE_TIMESTAMP, SQL_TYPE_DATE, &midnight, 0, NULL,
            "2024-03-04", "text");
  roundtrip(SQL_C_TYPE_TIMESTAMP, SQL_WVARCHAR, &midnight, 0, NULL,
            "2024-03-04 00:00:00", "text");
  roundtrip(SQL_C_TYPE_DATE, SQL_TYPE_DATE, &badd, 0, NULL, NULL, "22008");
  roundtrip(SQL_C_CHAR, SQL_TYPE_TIMESTAMP, "2024-01-02T03:04:05Z", 0, NULL,
            "2024-01-02 03:04:05", "text");
  roundtrip(SQL_C_CHAR, SQL_TYPE_DATE, "2024-01-02", 0, NULL, "2024-01-02",
            "text");
  roundtrip(SQL_C_CHAR, SQL_TYPE_DATE, "bad", 0, NULL, NULL, "22007");
  len = 3;
  roundtrip(SQL_C_BINARY, SQL_WVARCHAR, "abc", 0, &len, "abc", "text");
}
END_TEST

START_TEST(bind_blob_bytes)
{
  const unsigned char blob[3] = {0, 0xff, 0x10};
  SQLLEN len = 3;

  sqlite3_reset(pst);
  ck_assert_int_eq(kd_bind_param(&hdr, pst, 1, SQL_C_BINARY, SQL_VARBINARY,
                                 0, 0, (SQLPOINTER)blob, 3, &len),
                   SQL_SUCCESS);
  ck_assert_int_eq(sqlite3_step(pst), SQLITE_ROW);
  ck_assert_str_eq((const char *)sqlite3_column_text(pst, 1), "blob");
  ck_assert_int_eq(sqlite3_column_bytes(pst, 0), 3);
  ck_assert_int_eq(memcmp(sqlite3_column_blob(pst, 0), blob, 3), 0);
  /* octet length used when there is no length buffer */
  sqlite3_reset(pst);
  ck_assert_int_eq(kd_bind_param(&hdr, pst, 1, SQL_C_BINARY, SQL_VARBINARY,
                                 0, 0, (SQLPOINTER)blob, 2, NULL),
                   SQL_SUCCESS);
  ck_assert_int_eq(sqlite3_step(pst), SQLITE_ROW);
  ck_assert_int_eq(sqlite3_column_bytes(pst, 0), 2);
  /* parameter index out of range */
  sqlite3_reset(pst);
  ck_assert_int_eq(kd_bind_param(&hdr, pst, 5, SQL_C_BINARY, SQL_VARBINARY,
                                 0, 0, (SQLPOINTER)blob, 2, NULL),
                   SQL_ERROR);
  ck_assert_str_eq(state(), "07009");
}
END_TEST

/* ------------------------------------------------ escape clauses */

static const struct {
  const char *in;          /* application SQL */
  const char *out;         /* translated, or NULL for an error */
  int unsupported;         /* expected *unsupported on error */
} esc_cases[] = {
  {"SELECT 1", "SELECT 1", 0},
  {"SELECT {d '2024-01-02'}", "SELECT '2024-01-02'", 0},
  {"SELECT {t '10:11:12'}, {ts '2024-01-02 03:04:05.5'}",
   "SELECT '10:11:12', '2024-01-02 03:04:05.5'", 0},
  {"SELECT { fn UCASE(x) }", "SELECT upper(x)", 0},
  {"SELECT {fn CONCAT('a', {fn LCASE(b)})}", "SELECT ('a' || lower(b))", 0},
  {"SELECT {fn LOCATE('b', s)}", "SELECT instr(s, 'b')", 0},
  {"SELECT {fn SUBSTRING(s, 2)}", "SELECT substr(s, 2)", 0},
  {"SELECT {fn MOD(f(a, b), 3)}", "SELECT ((f(a, b)) % (3))", 0},
  {"SELECT {fn abs(-1)}", "SELECT abs(-1)", 0},
  {"SELECT {fn CONVERT(x, SQL_INTEGER)}", "SELECT CAST(x AS INTEGER)", 0},
  {"SELECT {fn YEAR(d)}", "SELECT CAST(strftime('%Y', d) AS INTEGER)", 0},
  {"SELECT {fn NOW()}", "SELECT kintone_now('datetime')", 0},
  {"SELECT '{d x}', \"{y}\" -- {z}\n", "SELECT '{d x}', \"{y}\" -- {z}\n",
   0},
  {"SELECT 'it''s {d}' || {fn UCASE('}')}",
   "SELECT 'it''s {d}' || upper('}')", 0},
  {"SELECT * FROM {oj a LEFT OUTER JOIN b ON a.x = b.x}",
   "SELECT * FROM a LEFT OUTER JOIN b ON a.x = b.x", 0},
  {"WHERE s LIKE '!%' {escape '!'}", "WHERE s LIKE '!%' ESCAPE '!'", 0},
  {"{call p(1)}", NULL, 1},
  {"{?= call f(1)}", NULL, 1},
  {"SELECT {interval '1' day}", NULL, 1},
  {"SELECT {d '2024-01-02'", NULL, 0},
  {"SELECT {fn UCASE(x}", NULL, 0},
  {"SELECT {fn CONCAT(a)}", NULL, 0},
  {"SELECT {fn CONVERT(x, SQL_NOPE)}", NULL, 0},
  {"SELECT {d 2024}", NULL, 0},
  {"SELECT {bogus 1}", NULL, 0}
};

START_TEST(escapes)
{
  char err[128];
  int unsupported = -1;
  char *r = kd_escape_translate(esc_cases[_i].in, &unsupported, err,
                                sizeof(err));

  if(esc_cases[_i].out) {
    ck_assert_msg(r != NULL, "%s: %s", esc_cases[_i].in, err);
    ck_assert_str_eq(r, esc_cases[_i].out);
  }
  else {
    ck_assert_msg(r == NULL, "%s -> %s", esc_cases[_i].in, r ? r : "");
    ck_assert(err[0] != '\0');
    ck_assert_int_eq(unsupported, esc_cases[_i].unsupported);
  }
  ku_free(r);
}
END_TEST

START_TEST(ctype_sizes)
{
  ck_assert_int_eq(kd_ctype_size(SQL_C_SLONG), 4);
  ck_assert_int_eq(kd_ctype_size(SQL_C_SBIGINT), 8);
  ck_assert_int_eq(kd_ctype_size(SQL_C_TYPE_DATE),
                   (int)sizeof(SQL_DATE_STRUCT));
  ck_assert_int_eq(kd_ctype_size(SQL_C_TYPE_TIMESTAMP),
                   (int)sizeof(SQL_TIMESTAMP_STRUCT));
  ck_assert_int_eq(kd_ctype_size(SQL_C_CHAR), 0);
  ck_assert_int_eq(kd_ctype_size(SQL_C_WCHAR), 0);
  ck_assert_int_eq(kd_ctype_size(SQL_C_BINARY), 0);
}
END_TEST

static Suite *convert_suite(void)
{
  Suite *s = suite_create("convert");
  TCase *o = tcase_create("output");
  TCase *g = tcase_create("getdata");
  TCase *p = tcase_create("params");

  tcase_add_checked_fixture(o, setup, teardown);
  tcase_add_checked_fixture(g, setup, teardown);
  tcase_add_checked_fixture(p, bind_setup, bind_teardown);
  tcase_add_loop_test(o, conversions, 0,
                      (int)(sizeof(cases) / sizeof(cases[0])));
  tcase_add_test(o, time_to_timestamp_today);
  tcase_add_test(o, null_needs_indicator);
  tcase_add_test(o, separate_indicator);
  tcase_add_test(o, number_to_small_char);
  tcase_add_test(o, decimal_text_round_trips);
  tcase_add_test(o, from_sqlite);
  tcase_add_test(o, default_ctypes);
  tcase_add_test(g, chunked_char);
  tcase_add_test(g, char_too_small_for_one);
  tcase_add_test(g, chunked_wchar);
  tcase_add_test(g, wchar_pair_needs_room);
  tcase_add_test(g, chunked_binary_and_fixed);
  tcase_add_test(p, bind_text);
  tcase_add_test(p, bind_numbers);
  tcase_add_test(p, bind_dates_and_binary);
  tcase_add_test(p, bind_blob_bytes);
  {
    TCase *e = tcase_create("escapes");
    tcase_add_loop_test(e, escapes, 0,
                        (int)(sizeof(esc_cases) / sizeof(esc_cases[0])));
    tcase_add_test(e, ctype_sizes);
    suite_add_tcase(s, e);
  }
  suite_add_tcase(s, o);
  suite_add_tcase(s, g);
  suite_add_tcase(s, p);
  return s;
}

int main(void)
{
  SRunner *sr = srunner_create(convert_suite());
  int failed;

  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
