/*
 * check_tz.c - unit tests of util/ku_tz.c: zone loading and refusal,
 * offsets against the C library's own reading of the same zoneinfo
 * files (this test process may use setenv("TZ") + localtime_r; the
 * driver may not), DST gaps and overlaps, and ISO text parsing.
 *
 * Links libku.la only.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/ku_mem.h"
#include "util/ku_tz.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static long long parse(const char *s)
{
  long long t;
  int zone;
  long off;

  ck_assert_int_eq(ku_parse_datetime(s, strlen(s), &t, &zone, &off), 0);
  return t - off;
}

/* ---------------------------------------------------------------- load */

static const struct {
  const char *spec;
  int ok;
  long off;                  /* fixed zones: the offset */
} load_cases[] = {
  {"UTC", 1, 0}, {"Z", 1, 0}, {"Etc/UTC", 1, 0}, {"+09:00", 1, 32400},
  {"-05:30", 1, -19800}, {"+0900", 1, 32400}, {"+09", 1, 32400},
  {"+18:00", 1, 64800}, {"Asia/Tokyo", 1, 32400},
  {"", 0, 0}, {"+19:00", 0, 0}, {"+09:60", 0, 0}, {"09:00", 0, 0},
  {"Asia/Nowhere", 0, 0}, {"../etc/passwd", 0, 0}, {"/etc/passwd", 0, 0},
  {"Asia/../../etc/passwd", 0, 0}, {"zone.tab", 0, 0},
  {"right/Asia/Tokyo", 0, 0}, {"Asia/Tokyo/", 0, 0}, {"Asia//Tokyo", 0, 0},
  {"asia tokyo", 0, 0}
};

START_TEST(load_specs)
{
  struct ku_tz *tz = NULL;
  char why[200] = "";
  int rc = ku_tz_load(load_cases[_i].spec, &tz, why, sizeof(why));

  if(load_cases[_i].ok) {
    ck_assert_msg(rc == KU_OK, "%s: %s", load_cases[_i].spec, why);
    ck_assert_str_eq(ku_tz_name(tz), load_cases[_i].spec);
    ck_assert_int_eq(ku_tz_offset(tz, 1700000000LL), load_cases[_i].off);
  }
  else {
    ck_assert_msg(rc == KU_EINVAL, "%s accepted", load_cases[_i].spec);
    ck_assert(tz == NULL);
    ck_assert(why[0]);
  }
  ku_tz_free(tz);
}
END_TEST

START_TEST(load_null_is_utc)
{
  long long u[2];

  ck_assert_int_eq(ku_tz_offset(NULL, 123), 0);
  ck_assert(ku_tz_is_utc(NULL));
  ck_assert_int_eq(ku_tz_local_candidates(NULL, 1000, u, NULL), 1);
  ck_assert_int_eq(u[0], 1000);
}
END_TEST

/* ------------------------------------------------- offsets vs the libc */

static const char *const libc_zones[] = {
  "Asia/Tokyo", "America/New_York", "Europe/London", "Europe/Berlin",
  "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo",
  "Pacific/Chatham", "Europe/Dublin", "America/St_Johns",
  "Antarctica/Troll", "Africa/Casablanca", "Pacific/Apia",
  "America/Santiago", "Asia/Tehran", "Pacific/Kiritimati"
};

START_TEST(offsets_match_libc)
{
  const char *zone = libc_zones[_i];
  struct ku_tz *tz;
  char why[200];
  long long t, from = parse("1950-01-01 00:00:00"),
            to = parse("2100-01-01 00:00:00");
  int checked = 0;

  ck_assert_msg(ku_tz_load(zone, &tz, why, sizeof(why)) == KU_OK, "%s: %s",
                zone, why);
  setenv("TZ", zone, 1);
  tzset();
  /* about every 17 hours (not a divisor of a day or a week) */
  for(t = from; t < to; t += 61201) {
    time_t tt = (time_t)t;
    struct tm tm;
    ck_assert(localtime_r(&tt, &tm));
    if(ku_tz_offset(tz, t) != tm.tm_gmtoff)
      ck_abort_msg("%s at %lld: ku_tz %ld, libc %ld", zone, t,
                   ku_tz_offset(tz, t), (long)tm.tm_gmtoff);
    checked++;
  }
  ck_assert_int_gt(checked, 70000);
  ku_tz_free(tz);
}
END_TEST

/* ------------------------------------------------------ gaps, overlaps */

static const struct {
  const char *zone;
  const char *local;
  int n;                     /* candidates */
  const char *u0, *u1;       /* the instants (UTC) */
  const char *gap;           /* n == 0: the skip */
} cand_cases[] = {
  {"Asia/Tokyo", "2024-06-01 09:00:00", 1, "2024-06-01 00:00:00", NULL,
   NULL},
  {"America/New_York", "2024-07-01 12:00:00", 1, "2024-07-01 16:00:00",
   NULL, NULL},
  {"America/New_York", "2024-03-10 02:30:00", 0, NULL, NULL,
   "2024-03-10 07:00:00"},
  {"America/New_York", "2024-03-10 03:00:00", 1, "2024-03-10 07:00:00",
   NULL, NULL},
  {"America/New_York", "2024-03-10 01:59:00", 1, "2024-03-10 06:59:00",
   NULL, NULL},
  {"America/New_York", "2024-11-03 01:30:00", 2, "2024-11-03 05:30:00",
   "2024-11-03 06:30:00", NULL},
  {"America/New_York", "2024-11-03 02:00:00", 1, "2024-11-03 07:00:00",
   NULL, NULL},
  /* beyond the table: the footer rule */
  {"America/New_York", "2077-11-07 01:15:00", 2, "2077-11-07 05:15:00",
   "2077-11-07 06:15:00", NULL},
  {"America/New_York", "2077-03-14 02:15:00", 0, NULL, NULL,
   "2077-03-14 07:00:00"},
  {"Australia/Sydney", "2024-04-07 02:30:00", 2, "2024-04-06 15:30:00",
   "2024-04-06 16:30:00", NULL},
  {"Australia/Sydney", "2024-10-06 02:30:00", 0, NULL, NULL,
   "2024-10-05 16:00:00"},
  {"Europe/London", "2024-03-31 01:30:00", 0, NULL, NULL,
   "2024-03-31 01:00:00"},
  {"+09:00", "2024-03-31 01:30:00", 1, "2024-03-30 16:30:00", NULL, NULL},
};

START_TEST(candidates)
{
  struct ku_tz *tz;
  char why[200];
  long long u[2] = {0, 0}, gap = 0;
  int n;

  ck_assert(ku_tz_load(cand_cases[_i].zone, &tz, why, sizeof(why)) ==
            KU_OK);
  n = ku_tz_local_candidates(tz, parse(cand_cases[_i].local), u, &gap);
  ck_assert_msg(n == cand_cases[_i].n, "%s %s: %d candidates",
                cand_cases[_i].zone, cand_cases[_i].local, n);
  if(n >= 1)
    ck_assert_int_eq(u[0], parse(cand_cases[_i].u0));
  if(n == 2)
    ck_assert_int_eq(u[1], parse(cand_cases[_i].u1));
  if(!n)
    ck_assert_int_eq(gap, parse(cand_cases[_i].gap));
  ku_tz_free(tz);
}
END_TEST

/* ---------------------------------------------------------------- text */

static const struct {
  const char *text;
  int ok;
  const char *utc;           /* formatted with 'T' */
  int zone;
} parse_cases[] = {
  {"2024-02-29", 1, "2024-02-29T00:00:00Z", 0},
  {"2024-02-29 13:05", 1, "2024-02-29T13:05:00Z", 0},
  {"2024-02-29 13:05:09", 1, "2024-02-29T13:05:09Z", 0},
  {"2024-02-29T13:05:09.250", 1, "2024-02-29T13:05:09Z", 0},
  {"2024-02-29T13:05:09Z", 1, "2024-02-29T13:05:09Z", 1},
  {"2024-02-29T13:05:00+09:00", 1, "2024-02-29T04:05:00Z", 1},
  {"2024-02-29T13:05-05:30", 1, "2024-02-29T18:35:00Z", 1},
  {"1969-12-31 23:59:59", 1, "1969-12-31T23:59:59Z", 0},
  {"0001-01-01 00:00:00", 1, "0001-01-01T00:00:00Z", 0},
  {"2023-02-29", 0, NULL, 0}, {"2024-13-01", 0, NULL, 0},
  {"2024-01-01 24:00:00", 0, NULL, 0}, {"2024-01-01 10:60", 0, NULL, 0},
  {"2024-01-01 10", 0, NULL, 0}, {"2024-01-01x", 0, NULL, 0},
  {"2024-01-01 10:00:00.", 0, NULL, 0}, {"2024-01-01 10:00 +9", 0, NULL, 0},
  {"24-01-01", 0, NULL, 0}, {"", 0, NULL, 0}
};

START_TEST(parse_text)
{
  const char *s = parse_cases[_i].text;
  long long t;
  int zone;
  long off;
  char buf[40];
  int rc = ku_parse_datetime(s, strlen(s), &t, &zone, &off);

  ck_assert_msg((rc == 0) == parse_cases[_i].ok, "%s", s);
  if(!parse_cases[_i].ok)
    return;
  ck_assert_int_eq(zone, parse_cases[_i].zone);
  ku_format_datetime(t - off, 'T', buf, sizeof(buf));
  ck_assert_str_eq(buf, parse_cases[_i].utc);
}
END_TEST

START_TEST(civil_round_trip)
{
  long long d, y;
  int m, dd;

  for(d = -800000; d < 800000; d += 7) {
    ku_civil_from_days(d, &y, &m, &dd);
    ck_assert_int_eq(ku_days_from_civil(y, m, dd), d);
  }
  ck_assert_int_eq(ku_days_from_civil(1970, 1, 1), 0);
  ck_assert_int_eq(ku_days_from_civil(2000, 3, 1), 11017);
}
END_TEST

START_TEST(format_negative)
{
  char buf[40];

  ku_format_datetime(-1, ' ', buf, sizeof(buf));
  ck_assert_str_eq(buf, "1969-12-31 23:59:59");
}
END_TEST

static Suite *tz_suite(void)
{
  Suite *s = suite_create("ku_tz");
  TCase *t = tcase_create("load");

  tcase_add_loop_test(t, load_specs, 0, (int)N_ELEMS(load_cases));
  tcase_add_test(t, load_null_is_utc);
  suite_add_tcase(s, t);
  t = tcase_create("libc");
  tcase_set_timeout(t, 60);
  tcase_add_loop_test(t, offsets_match_libc, 0, (int)N_ELEMS(libc_zones));
  suite_add_tcase(s, t);
  t = tcase_create("candidates");
  tcase_add_loop_test(t, candidates, 0, (int)N_ELEMS(cand_cases));
  suite_add_tcase(s, t);
  t = tcase_create("text");
  tcase_add_loop_test(t, parse_text, 0, (int)N_ELEMS(parse_cases));
  tcase_add_test(t, civil_round_trip);
  tcase_add_test(t, format_negative);
  suite_add_tcase(s, t);
  return s;
}

int main(void)
{
  SRunner *sr = srunner_create(tz_suite());
  int failed;

  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
