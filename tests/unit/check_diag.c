/*
 * check_diag.c - unit tests of driver/diag.c and driver/sqlstate.c.
 *
 * Built from tests/unit/check_diag.c driver/diag.c driver/sqlstate.c
 * util/ku_mem.c util/ku_utf.c; handles.c is replaced by a hand-built
 * struct kd_hdr and the kd_odbc_version() stub below, which answers the
 * version the test sets.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver/handles.h"
#include "driver/diag.h"
#include "kintone/kc_error.h"
#include "util/ku_mem.h"

static SQLINTEGER fake_version = SQL_OV_ODBC3;

/* Stub of handles.c. */
SQLINTEGER kd_odbc_version(const struct kd_hdr *h)
{
  (void)h;
  return fake_version;
}

static struct kd_hdr hdr;

static void setup(void)
{
  fake_version = SQL_OV_ODBC3;
  memset(&hdr, 0, sizeof(hdr));
  hdr.type = SQL_HANDLE_DBC;
  kd_diag_init(&hdr.diag);
}

static void teardown(void)
{
  ku_mem_fail_after(-1);
  kd_diag_cleanup(&hdr.diag);
}

START_TEST(post_default_text)
{
  ck_assert_int_eq(kd_diag_post(&hdr, KD_E_GENERAL, 0, NULL), SQL_ERROR);
  ck_assert_int_eq(hdr.diag.count, 1);
  ck_assert_str_eq(hdr.diag.recs[0].sqlstate, "HY000");
  ck_assert_str_eq(hdr.diag.recs[0].message,
                   "[Kintone][ODBC] General error");
  ck_assert_int_eq(hdr.diag.recs[0].native, 0);
  ck_assert_int_eq(hdr.diag.recs[0].row, SQL_NO_ROW_NUMBER);
  ck_assert_int_eq(hdr.diag.recs[0].column, SQL_NO_COLUMN_NUMBER);
}
END_TEST

START_TEST(post_format_and_order)
{
  ck_assert_int_eq(kd_diag_post(&hdr, KD_E_TRUNCATED, 0, NULL),
                   SQL_SUCCESS_WITH_INFO);
  ck_assert_int_eq(kd_diag_post(&hdr, KD_E_NO_TABLE, 404,
                                "table %s not found", "\xe9\xa1\xa7"),
                   SQL_ERROR);
  ck_assert_int_eq(kd_diag_post_at(&hdr, KD_E_BAD_CAST, 0, 3, 2, NULL),
                   SQL_ERROR);
  ck_assert_int_eq(hdr.diag.count, 3);
  /* errors first, in posting order, then the warning */
  ck_assert_str_eq(hdr.diag.recs[0].sqlstate, "42S02");
  ck_assert_str_eq(hdr.diag.recs[0].message,
                   "[Kintone][ODBC] table \xe9\xa1\xa7 not found");
  ck_assert_int_eq(hdr.diag.recs[0].native, 404);
  ck_assert_str_eq(hdr.diag.recs[1].sqlstate, "22018");
  ck_assert_int_eq(hdr.diag.recs[1].row, 3);
  ck_assert_int_eq(hdr.diag.recs[1].column, 2);
  ck_assert_str_eq(hdr.diag.recs[2].sqlstate, "01004");
  kd_diag_clear(&hdr.diag);
  ck_assert_int_eq(hdr.diag.count, 0);
}
END_TEST

START_TEST(odbc2_states)
{
  static const struct {
    enum kd_err e;
    const char *s2;
  } t[] = {
    {KD_E_GENERAL, "S1000"}, {KD_E_NO_TABLE, "S0002"},
    {KD_E_NO_COLUMN, "S0022"}, {KD_E_BAD_COLUMN, "S1002"},
    {KD_E_SEQUENCE, "S1010"}, {KD_E_BAD_BUFLEN, "S1090"},
    {KD_E_BAD_ATTR, "S1092"}, {KD_E_BAD_INFO_TYPE, "S1096"},
    {KD_E_NOT_CAPABLE, "S1C00"}, {KD_E_TIMEOUT, "S1T00"},
    {KD_E_NOMEM, "S1001"}, {KD_E_NULL_POINTER, "S1009"},
    {KD_E_BAD_FETCH_TYPE, "S1106"}, {KD_E_BAD_ROW, "S1107"},
    {KD_E_BAD_ATTR_VALUE, "S1009"}, {KD_E_NUMERIC_RANGE, "22003"},
    {KD_E_BAD_CAST, "22005"}, {KD_E_CURSOR_STATE, "24000"},
    {KD_E_SYNTAX, "37000"}, {KD_E_DATETIME_FORMAT, "22008"},
    {KD_E_TRUNCATED, "01004"}
  };
  size_t i;

  fake_version = SQL_OV_ODBC2;
  for(i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
    kd_diag_clear(&hdr.diag);
    kd_diag_post(&hdr, t[i].e, 0, NULL);
    ck_assert_str_eq(hdr.diag.recs[0].sqlstate, t[i].s2);
    ck_assert_str_eq(kd_sqlstate(t[i].e, 1), t[i].s2);
  }
  fake_version = SQL_OV_ODBC3_80;
  kd_diag_clear(&hdr.diag);
  kd_diag_post(&hdr, KD_E_NO_TABLE, 0, NULL);
  ck_assert_str_eq(hdr.diag.recs[0].sqlstate, "42S02");
}
END_TEST

START_TEST(table_complete)
{
  int e;

  for(e = 0; e < KD_E__COUNT; e++) {
    const char *s3 = kd_sqlstate((enum kd_err)e, 0);
    const char *s2 = kd_sqlstate((enum kd_err)e, 1);
    ck_assert_uint_eq(strlen(s3), 5);
    ck_assert_uint_eq(strlen(s2), 5);
    ck_assert_ptr_nonnull(kd_err_text((enum kd_err)e));
    ck_assert_int_eq(kd_err_is_warning((enum kd_err)e),
                     s3[0] == '0' && s3[1] == '1');
  }
  ck_assert_str_eq(kd_sqlstate(KD_E__COUNT, 0), "HY000");
}
END_TEST

START_TEST(kc_mapping)
{
  static const struct {
    int kind;
    const char *state;
  } t[] = {
    {KC_EK_NOMEM, "HY001"}, {KC_EK_CONFIG, "HY000"},
    {KC_EK_CONNECT, "08001"}, {KC_EK_LINK, "08S01"},
    {KC_EK_TIMEOUT, "HYT00"}, {KC_EK_AUTH, "28000"},
    {KC_EK_PERMISSION, "42000"}, {KC_EK_NOT_FOUND, "42S02"},
    {KC_EK_BAD_QUERY, "42000"}, {KC_EK_INVALID, "HY000"},
    {KC_EK_CONFLICT, "40001"}, {KC_EK_THROTTLED, "HY000"},
    {KC_EK_PROTOCOL, "08S01"}, {KC_EK_SERVER, "HY000"},
    {KC_EK_CANCELLED, "HY008"}, {KC_EK_UNKNOWN_OUTCOME, "40003"}
  };
  size_t i;

  for(i = 0; i < sizeof(t) / sizeof(t[0]); i++)
    ck_assert_str_eq(kd_sqlstate(kd_err_from_kc(t[i].kind), 0),
                     t[i].state);
}
END_TEST

START_TEST(post_kc_format)
{
  struct kc_err err;

  memset(&err, 0, sizeof(err));
  err.kind = KC_EK_NOT_FOUND;
  err.native = 404;
  snprintf(err.message, sizeof(err.message), "app 7 not found");
  snprintf(err.code, sizeof(err.code), "GAIA_AP01");
  snprintf(err.id, sizeof(err.id), "abc123");
  ck_assert_int_eq(kd_diag_post_kc(&hdr, &err), SQL_ERROR);
  ck_assert_str_eq(hdr.diag.recs[0].message,
                   "[Kintone][ODBC] app 7 not found "
                   "(code=GAIA_AP01, id=abc123)");
  ck_assert_str_eq(hdr.diag.recs[0].sqlstate, "42S02");
  ck_assert_int_eq(hdr.diag.recs[0].native, 404);

  err.id[0] = '\0';
  kd_diag_clear(&hdr.diag);
  kd_diag_post_kc(&hdr, &err);
  ck_assert_str_eq(hdr.diag.recs[0].message,
                   "[Kintone][ODBC] app 7 not found (code=GAIA_AP01)");

  err.code[0] = '\0';
  snprintf(err.id, sizeof(err.id), "x1");
  kd_diag_clear(&hdr.diag);
  kd_diag_post_kc(&hdr, &err);
  ck_assert_str_eq(hdr.diag.recs[0].message,
                   "[Kintone][ODBC] app 7 not found (id=x1)");

  err.id[0] = '\0';
  kd_diag_clear(&hdr.diag);
  kd_diag_post_kc(&hdr, &err);
  ck_assert_str_eq(hdr.diag.recs[0].message,
                   "[Kintone][ODBC] app 7 not found");

  err.message[0] = '\0';
  err.kind = KC_EK_TIMEOUT;
  err.native = 28;
  kd_diag_clear(&hdr.diag);
  kd_diag_post_kc(&hdr, &err);
  ck_assert_str_eq(hdr.diag.recs[0].message,
                   "[Kintone][ODBC] Timeout expired");
  ck_assert_str_eq(hdr.diag.recs[0].sqlstate, "HYT00");
  ck_assert_int_eq(hdr.diag.recs[0].native, 28);

  fake_version = SQL_OV_ODBC2;
  kd_diag_clear(&hdr.diag);
  kd_diag_post_kc(&hdr, &err);
  ck_assert_str_eq(hdr.diag.recs[0].sqlstate, "S1T00");
}
END_TEST

START_TEST(cap_and_long_message)
{
  char big[6000];
  int i;
  size_t n;

  for(i = 0; i < 300; i++)
    kd_diag_post(&hdr, KD_E_WARNING, i, NULL);
  ck_assert_int_eq(hdr.diag.count, 256);
  ck_assert_int_eq(hdr.diag.recs[255].native, 255);
  /* an error still returns SQL_ERROR when dropped */
  ck_assert_int_eq(kd_diag_post(&hdr, KD_E_GENERAL, 0, NULL), SQL_ERROR);
  kd_diag_clear(&hdr.diag);

  /* 2000 three-byte characters: cut at a character boundary */
  for(i = 0; i < 2000; i++)
    memcpy(big + i * 3, "\xe3\x81\x82", 3);
  big[6000 - 1] = '\0';
  big[5997] = '\0';
  kd_diag_post(&hdr, KD_E_GENERAL, 0, "%s", big);
  n = strlen(hdr.diag.recs[0].message);
  ck_assert_uint_lt(n, 4096);
  ck_assert_uint_eq((n - strlen("[Kintone][ODBC] ")) % 3, 0);
}
END_TEST

START_TEST(oom_drops_record)
{
  ku_mem_fail_after(0);
  ck_assert_int_eq(kd_diag_post(&hdr, KD_E_GENERAL, 0, NULL), SQL_ERROR);
  ck_assert_int_eq(kd_diag_post(&hdr, KD_E_TRUNCATED, 0, NULL),
                   SQL_SUCCESS_WITH_INFO);
  ck_assert_int_eq(hdr.diag.count, 0);
  ku_mem_fail_after(1);    /* array allocated, message fails */
  ck_assert_int_eq(kd_diag_post(&hdr, KD_E_GENERAL, 0, NULL), SQL_ERROR);
  ck_assert_int_eq(hdr.diag.count, 0);
  ku_mem_fail_after(-1);
  ck_assert_int_eq(kd_diag_post(&hdr, KD_E_GENERAL, 0, NULL), SQL_ERROR);
  ck_assert_int_eq(hdr.diag.count, 1);
}
END_TEST

static Suite *diag_suite(void)
{
  Suite *s = suite_create("diag");
  TCase *p = tcase_create("post");
  TCase *st = tcase_create("sqlstate");

  tcase_add_checked_fixture(p, setup, teardown);
  tcase_add_checked_fixture(st, setup, teardown);
  tcase_add_test(p, post_default_text);
  tcase_add_test(p, post_format_and_order);
  tcase_add_test(p, post_kc_format);
  tcase_add_test(p, cap_and_long_message);
  tcase_add_test(p, oom_drops_record);
  tcase_add_test(st, odbc2_states);
  tcase_add_test(st, table_complete);
  tcase_add_test(st, kc_mapping);
  suite_add_tcase(s, p);
  suite_add_tcase(s, st);
  return s;
}

int main(void)
{
  SRunner *sr = srunner_create(diag_suite());
  int failed;

  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
