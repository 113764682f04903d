/*
 * check_strout.c - unit tests of driver/strout.c (A and W string output,
 * application input strings).
 *
 * Built from tests/unit/check_strout.c driver/strout.c driver/diag.c
 * driver/sqlstate.c util/ku_mem.c util/ku_utf.c; handles.c is replaced by
 * a hand-built struct kd_hdr and the kd_odbc_version() stub below.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "driver/handles.h"
#include "driver/strout.h"
#include "util/ku_mem.h"

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

/* "日本語" = 9 bytes, 3 characters. */
#define JA "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"
/* "a" U+1F600 "b": 6 bytes, 4 UTF-16 units. */
#define EMO "a\xf0\x9f\x98\x80" "b"

START_TEST(a_fits)
{
  SQLCHAR buf[16];
  SQLLEN len = -99;

  ck_assert_int_eq(kd_out_str_a(&hdr, JA, SQL_NTS, buf, sizeof(buf), &len),
                   SQL_SUCCESS);
  ck_assert_str_eq((char *)buf, JA);
  ck_assert_int_eq(len, 9);
  ck_assert_int_eq(hdr.diag.count, 0);
}
END_TEST

START_TEST(a_truncates_at_char)
{
  SQLCHAR buf[16];
  SQLLEN len = 0;
  SQLLEN cap;

  for(cap = 1; cap <= 9; cap++) {
    size_t want = (size_t)((cap - 1) / 3) * 3;
    kd_diag_clear(&hdr.diag);
    memset(buf, 'x', sizeof(buf));
    ck_assert_int_eq(kd_out_str_a(&hdr, JA, SQL_NTS, buf, cap, &len),
                     SQL_SUCCESS_WITH_INFO);
    ck_assert_uint_eq(strlen((char *)buf), want);
    ck_assert_int_eq(memcmp(buf, JA, want), 0);
    ck_assert_int_eq(len, 9);
    ck_assert_str_eq(state(), "01004");
  }
}
END_TEST

START_TEST(a_null_buf_and_bad_cap)
{
  SQLCHAR buf[4] = "zz";
  SQLLEN len = 0;

  ck_assert_int_eq(kd_out_str_a(&hdr, "hello", SQL_NTS, NULL, 0, &len),
                   SQL_SUCCESS);
  ck_assert_int_eq(len, 5);
  ck_assert_int_eq(kd_out_str_a(&hdr, "hello", 3, buf, 0, &len),
                   SQL_SUCCESS_WITH_INFO);
  ck_assert_int_eq(len, 3);
  ck_assert_str_eq((char *)buf, "zz");
  kd_diag_clear(&hdr.diag);
  ck_assert_int_eq(kd_out_str_a(&hdr, "hello", SQL_NTS, buf, -1, &len),
                   SQL_ERROR);
  ck_assert_str_eq(state(), "HY090");
  kd_diag_clear(&hdr.diag);
  ck_assert_int_eq(kd_out_str_a(&hdr, "", SQL_NTS, buf, 0, &len),
                   SQL_SUCCESS);
  ck_assert_int_eq(kd_out_str_a(&hdr, NULL, SQL_NTS, buf, 4, &len),
                   SQL_SUCCESS);
  ck_assert_str_eq((char *)buf, "");
}
END_TEST

START_TEST(w_units_and_pairs)
{
  SQLWCHAR buf[8];
  SQLLEN len = 0;

  ck_assert_int_eq(kd_out_str_w(&hdr, EMO, SQL_NTS, buf, 8, &len, 0),
                   SQL_SUCCESS);
  ck_assert_int_eq(len, 4);
  ck_assert_uint_eq(buf[0], 'a');
  ck_assert_uint_eq(buf[1], 0xd83d);
  ck_assert_uint_eq(buf[2], 0xde00);
  ck_assert_uint_eq(buf[3], 'b');
  ck_assert_uint_eq(buf[4], 0);

  /* room for 2 units + NUL would split the pair: only "a" */
  ck_assert_int_eq(kd_out_str_w(&hdr, EMO, SQL_NTS, buf, 3, &len, 0),
                   SQL_SUCCESS_WITH_INFO);
  ck_assert_uint_eq(buf[0], 'a');
  ck_assert_uint_eq(buf[1], 0);
  ck_assert_int_eq(len, 4);
  ck_assert_str_eq(state(), "01004");

  kd_diag_clear(&hdr.diag);
  ck_assert_int_eq(kd_out_str_w(&hdr, EMO, SQL_NTS, buf, 4, &len, 0),
                   SQL_SUCCESS_WITH_INFO);
  ck_assert_uint_eq(buf[2], 0xde00);
  ck_assert_uint_eq(buf[3], 0);
}
END_TEST

START_TEST(w_bytes)
{
  SQLWCHAR buf[8];
  SQLLEN len = 0;

  ck_assert_int_eq(kd_out_str_w(&hdr, JA, SQL_NTS, buf, 7, &len, 1),
                   SQL_SUCCESS_WITH_INFO);
  ck_assert_int_eq(len, 6);
  ck_assert_uint_eq(buf[0], 0x65e5);
  ck_assert_uint_eq(buf[1], 0x672c);
  ck_assert_uint_eq(buf[2], 0);
  kd_diag_clear(&hdr.diag);
  ck_assert_int_eq(kd_out_str_w(&hdr, JA, SQL_NTS, buf, 8, &len, 1),
                   SQL_SUCCESS);
  ck_assert_uint_eq(buf[2], 0x8a9e);
  ck_assert_int_eq(kd_out_str_w(&hdr, JA, SQL_NTS, NULL, 0, &len, 0),
                   SQL_SUCCESS);
  ck_assert_int_eq(len, 3);
}
END_TEST

START_TEST(s_and_i_variants)
{
  char abuf[4];
  SQLWCHAR wbuf[4];
  SQLSMALLINT sl = 0;
  SQLINTEGER il = 0;

  ck_assert_int_eq(kd_out_str_s(&hdr, 0, "Kintone", abuf, sizeof(abuf), &sl,
                                1), SQL_SUCCESS_WITH_INFO);
  ck_assert_str_eq(abuf, "Kin");
  ck_assert_int_eq(sl, 7);
  ck_assert_int_eq(kd_out_str_s(&hdr, 1, "Kintone", wbuf, sizeof(wbuf), &sl,
                                1), SQL_SUCCESS_WITH_INFO);
  ck_assert_int_eq(sl, 14);
  ck_assert_uint_eq(wbuf[0], 'K');
  ck_assert_uint_eq(wbuf[3], 0);
  ck_assert_int_eq(kd_out_str_i(&hdr, 1, "Kintone", wbuf, 4, &il, 0),
                   SQL_SUCCESS_WITH_INFO);
  ck_assert_int_eq(il, 7);
  ck_assert_uint_eq(wbuf[2], 'n');
}
END_TEST

START_TEST(invalid_utf8_out)
{
  SQLWCHAR buf[4];
  SQLWCHAR w[4];
  size_t used = 0;

  ck_assert_uint_eq(kd_utf8_to_wbuf("\xff" "a", 2, w, 4, &used), 2);
  ck_assert_uint_eq(w[0], 0xfffd);
  ck_assert_uint_eq(w[1], 'a');
  ck_assert_uint_eq(used, 2);
  ck_assert_int_eq(kd_out_str_w(&hdr, "\xff", SQL_NTS, buf, 4, NULL, 0),
                   SQL_SUCCESS);
  ck_assert_uint_eq(buf[0], 0xfffd);
}
END_TEST

START_TEST(in_strings)
{
  char *out = (char *)1;
  static const SQLWCHAR w[] = {0x65e5, 0xd83d, 0xde00, 'x', 0};
  static const SQLWCHAR bad[] = {'a', 0xdc00, 0};

  ck_assert_int_eq(kd_in_str(&hdr, 0, NULL, SQL_NTS, &out), SQL_SUCCESS);
  ck_assert_ptr_null(out);
  ck_assert_int_eq(kd_in_str(&hdr, 0, "hello", SQL_NTS, &out), SQL_SUCCESS);
  ck_assert_str_eq(out, "hello");
  ku_free(out);
  ck_assert_int_eq(kd_in_str(&hdr, 0, "hello", 3, &out), SQL_SUCCESS);
  ck_assert_str_eq(out, "hel");
  ku_free(out);
  ck_assert_int_eq(kd_in_str(&hdr, 1, w, SQL_NTS, &out), SQL_SUCCESS);
  ck_assert_str_eq(out, "\xe6\x97\xa5\xf0\x9f\x98\x80x");
  ku_free(out);
  ck_assert_int_eq(kd_in_str(&hdr, 1, w, 3, &out), SQL_SUCCESS);
  ck_assert_str_eq(out, "\xe6\x97\xa5\xf0\x9f\x98\x80");
  ku_free(out);
  ck_assert_int_eq(kd_in_str(&hdr, 1, bad, SQL_NTS, &out), SQL_ERROR);
  ck_assert_ptr_null(out);
  ck_assert_str_eq(state(), "22018");
  kd_diag_clear(&hdr.diag);
  ck_assert_int_eq(kd_in_str(&hdr, 0, "x", -5, &out), SQL_ERROR);
  ck_assert_str_eq(state(), "HY090");
  kd_diag_clear(&hdr.diag);
  ku_mem_fail_after(0);
  ck_assert_int_eq(kd_in_str(&hdr, 0, "x", SQL_NTS, &out), SQL_ERROR);
  ku_mem_fail_after(-1);
}
END_TEST

static Suite *strout_suite(void)
{
  Suite *s = suite_create("strout");
  TCase *a = tcase_create("ansi");
  TCase *w = tcase_create("wide");
  TCase *in = tcase_create("input");

  tcase_add_checked_fixture(a, setup, teardown);
  tcase_add_checked_fixture(w, setup, teardown);
  tcase_add_checked_fixture(in, setup, teardown);
  tcase_add_test(a, a_fits);
  tcase_add_test(a, a_truncates_at_char);
  tcase_add_test(a, a_null_buf_and_bad_cap);
  tcase_add_test(w, w_units_and_pairs);
  tcase_add_test(w, w_bytes);
  tcase_add_test(w, s_and_i_variants);
  tcase_add_test(w, invalid_utf8_out);
  tcase_add_test(in, in_strings);
  suite_add_tcase(s, a);
  suite_add_tcase(s, w);
  suite_add_tcase(s, in);
  return s;
}

int main(void)
{
  SRunner *sr = srunner_create(strout_suite());
  int failed;

  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
