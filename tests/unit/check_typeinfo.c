/*
 * check_typeinfo.c - unit tests of driver/typeinfo.c: declared type
 * mapping and the SQLGetTypeInfo statement, run in a real SQLite.
 *
 * Built from tests/unit/check_typeinfo.c driver/typeinfo.c (needs only
 * sqlite3 and check).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "driver/typeinfo.h"

static const struct {
  const char *decl;
  int storage;
  SQLSMALLINT type;
  SQLULEN size;
  SQLSMALLINT digits;
  SQLLEN display;
  SQLLEN octet;
  const char *name;
} decls[] = {
  {"BIGINT", SQLITE_INTEGER, SQL_BIGINT, 19, 0, 20, 8, "BIGINT"},
  {"integer", SQLITE_NULL, SQL_INTEGER, 10, 0, 11, 4, "INTEGER"},
  {"SMALLINT", SQLITE_NULL, SQL_SMALLINT, 5, 0, 6, 2, "SMALLINT"},
  {"DOUBLE", SQLITE_NULL, SQL_DOUBLE, 15, 0, 24, 8, "DOUBLE"},
  {"DECIMAL(10,2)", SQLITE_NULL, SQL_DECIMAL, 10, 2, 12, 12, "DECIMAL"},
  {"DECIMAL(5)", SQLITE_NULL, SQL_DECIMAL, 5, 0, 7, 7, "DECIMAL"},
  {"WVARCHAR(64)", SQLITE_NULL, SQL_WVARCHAR, 64, 0, 64, 128, "WVARCHAR"},
  {"WLONGVARCHAR", SQLITE_NULL, SQL_WLONGVARCHAR, 1073741823, 0,
   1073741823, 2147483646, "WLONGVARCHAR"},
  {"VARCHAR(10)", SQLITE_NULL, SQL_VARCHAR, 10, 0, 10, 40, "VARCHAR"},
  {"DATE", SQLITE_TEXT, SQL_TYPE_DATE, 10, 0, 10, 6, "DATE"},
  {"TIME", SQLITE_TEXT, SQL_TYPE_TIME, 8, 0, 8, 6, "TIME"},
  {"TIMESTAMP", SQLITE_TEXT, SQL_TYPE_TIMESTAMP, 19, 0, 19, 16,
   "TIMESTAMP"},
  {"BIT", SQLITE_INTEGER, SQL_BIT, 1, 0, 1, 1, "BIT"},
  {"VARBINARY(16)", SQLITE_BLOB, SQL_VARBINARY, 16, 0, 32, 16,
   "VARBINARY"},
  {NULL, SQLITE_INTEGER, SQL_BIGINT, 19, 0, 20, 8, "BIGINT"},
  {NULL, SQLITE_FLOAT, SQL_DOUBLE, 15, 0, 24, 8, "DOUBLE"},
  /* text of unknown length (expressions): long text, not WVARCHAR(4000)
     that clients sizing buffers from it would cut */
  {NULL, SQLITE_TEXT, SQL_WLONGVARCHAR, 1073741823, 0, 1073741823,
   2147483646, "WLONGVARCHAR"},
  {NULL, SQLITE_NULL, SQL_WLONGVARCHAR, 1073741823, 0, 1073741823,
   2147483646, "WLONGVARCHAR"},
  {"mystery", SQLITE_INTEGER, SQL_BIGINT, 19, 0, 20, 8, "BIGINT"},
  {"TEXT", SQLITE_TEXT, SQL_WLONGVARCHAR, 1073741823, 0, 1073741823,
   2147483646, "WLONGVARCHAR"},
  /* a declared WVARCHAR without length keeps the 4000 default */
  {"WVARCHAR", SQLITE_TEXT, SQL_WVARCHAR, 4000, 0, 4000, 8000, "WVARCHAR"}
};

START_TEST(decl_mapping)
{
  struct kd_typeinfo ti;
  int i = _i;

  kd_typeinfo_from_decl(decls[i].decl, decls[i].storage, &ti);
  ck_assert_int_eq(ti.sql_type, decls[i].type);
  ck_assert_uint_eq(ti.column_size, decls[i].size);
  ck_assert_int_eq(ti.decimal_digits, decls[i].digits);
  ck_assert_int_eq(ti.display_size, decls[i].display);
  ck_assert_int_eq(ti.octet_length, decls[i].octet);
  ck_assert_str_eq(ti.type_name, decls[i].name);
  ck_assert_int_eq(ti.is_unsigned, 0);
}
END_TEST

START_TEST(version_codes)
{
  ck_assert_int_eq(kd_type_for_version(SQL_TYPE_DATE, 1), SQL_DATE);
  ck_assert_int_eq(kd_type_for_version(SQL_TYPE_TIME, 1), SQL_TIME);
  ck_assert_int_eq(kd_type_for_version(SQL_TYPE_TIMESTAMP, 1),
                   SQL_TIMESTAMP);
  ck_assert_int_eq(kd_type_for_version(SQL_TYPE_DATE, 0), SQL_TYPE_DATE);
  ck_assert_int_eq(kd_type_for_version(SQL_WVARCHAR, 1), SQL_WVARCHAR);
}
END_TEST

/* Prepares kd_typeinfo_sql(type, odbc2) and returns the statement. */
static sqlite3_stmt *typeinfo(sqlite3 *db, SQLSMALLINT type, int odbc2)
{
  const SQLSMALLINT *types = NULL;
  char *sql = kd_typeinfo_sql(type, odbc2, &types);
  sqlite3_stmt *st = NULL;
  int rc;

  ck_assert_ptr_nonnull(sql);
  ck_assert_ptr_nonnull(types);
  rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  ck_assert_msg(rc == SQLITE_OK, "%s: %s", sqlite3_errmsg(db), sql);
  sqlite3_free(sql);
  return st;
}

START_TEST(typeinfo_all)
{
  sqlite3 *db;
  sqlite3_stmt *st;
  const SQLSMALLINT *types = NULL;
  char *sql;
  int rows = 0, last = -32768, seen_wvarchar = 0;

  ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
  st = typeinfo(db, SQL_ALL_TYPES, 0);
  ck_assert_int_eq(sqlite3_column_count(st), 19);
  ck_assert_str_eq(sqlite3_column_name(st, 0), "TYPE_NAME");
  ck_assert_str_eq(sqlite3_column_name(st, 2), "COLUMN_SIZE");
  ck_assert_str_eq(sqlite3_column_name(st, 18), "INTERVAL_PRECISION");
  while(sqlite3_step(st) == SQLITE_ROW) {
    int dt = sqlite3_column_int(st, 1);
    const char *name = (const char *)sqlite3_column_text(st, 0);
    ck_assert_int_ge(dt, last);
    last = dt;
    ck_assert_int_eq(sqlite3_column_type(st, 2), SQLITE_INTEGER);
    ck_assert_int_eq(sqlite3_column_int(st, 6), SQL_NULLABLE);
    ck_assert_int_eq(sqlite3_column_type(st, 18), SQLITE_NULL);
    if(dt >= SQL_TYPE_DATE && dt <= SQL_TYPE_TIMESTAMP) {
      ck_assert_int_eq(sqlite3_column_int(st, 15), SQL_DATETIME);
      ck_assert_int_eq(sqlite3_column_int(st, 16), dt - 90);
      ck_assert_str_eq((const char *)sqlite3_column_text(st, 3), "'");
    }
    else {
      ck_assert_int_eq(sqlite3_column_int(st, 15), dt);
      ck_assert_int_eq(sqlite3_column_type(st, 16), SQLITE_NULL);
    }
    if(!strcmp(name, "WVARCHAR")) {
      seen_wvarchar = 1;
      ck_assert_int_eq(dt, SQL_WVARCHAR);
      ck_assert_int_eq(sqlite3_column_int(st, 2), 65535);
      ck_assert_int_eq(sqlite3_column_int(st, 7), 1);
      ck_assert_int_eq(sqlite3_column_int(st, 8), SQL_SEARCHABLE);
    }
    rows++;
  }
  ck_assert_int_eq(rows, 14);
  ck_assert(seen_wvarchar);
  sqlite3_finalize(st);

  sql = kd_typeinfo_sql(SQL_ALL_TYPES, 0, &types);
  ck_assert_int_eq(types[0], SQL_WVARCHAR);
  ck_assert_int_eq(types[1], SQL_SMALLINT);
  ck_assert_int_eq(types[2], SQL_INTEGER);
  ck_assert_int_eq(types[17], SQL_INTEGER);
  ck_assert_int_eq(types[18], SQL_SMALLINT);
  sqlite3_free(sql);
  sqlite3_close(db);
}
END_TEST

START_TEST(typeinfo_filtered)
{
  static const struct {
    SQLSMALLINT ask;
    int odbc2;
    int rows;
    int data_type;
    int size;
  } t[] = {
    {SQL_WVARCHAR, 0, 1, SQL_WVARCHAR, 65535},
    {SQL_VARCHAR, 0, 1, SQL_VARCHAR, 65535},
    {SQL_VARBINARY, 0, 1, SQL_VARBINARY, 65535},
    {SQL_TYPE_TIMESTAMP, 0, 1, SQL_TYPE_TIMESTAMP, 19},
    {SQL_TIMESTAMP, 1, 1, SQL_TIMESTAMP, 19},
    {SQL_TYPE_TIMESTAMP, 1, 1, SQL_TIMESTAMP, 19},
    {SQL_DATE, 1, 1, SQL_DATE, 10},
    {SQL_TIME, 0, 1, SQL_TYPE_TIME, 8},
    {SQL_BIGINT, 1, 1, SQL_BIGINT, 19},
    {SQL_GUID, 0, 0, 0, 0}
  };
  sqlite3 *db;
  size_t i;

  ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
  for(i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
    sqlite3_stmt *st = typeinfo(db, t[i].ask, t[i].odbc2);
    int rows = 0;
    while(sqlite3_step(st) == SQLITE_ROW) {
      ck_assert_int_eq(sqlite3_column_int(st, 1), t[i].data_type);
      ck_assert_int_eq(sqlite3_column_int(st, 2), t[i].size);
      rows++;
    }
    ck_assert_int_eq(rows, t[i].rows);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
}
END_TEST

START_TEST(typeinfo_odbc2_all)
{
  sqlite3 *db;
  sqlite3_stmt *st;
  int n = 0;

  ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
  st = typeinfo(db, SQL_ALL_TYPES, 1);
  while(sqlite3_step(st) == SQLITE_ROW) {
    int dt = sqlite3_column_int(st, 1);
    ck_assert_int_lt(dt, 90);
    if(dt >= SQL_DATE && dt <= SQL_TIMESTAMP) {
      ck_assert_int_eq(sqlite3_column_int(st, 15), SQL_DATETIME);
      n++;
    }
  }
  ck_assert_int_eq(n, 3);
  sqlite3_finalize(st);
  sqlite3_close(db);
}
END_TEST

static Suite *typeinfo_suite(void)
{
  Suite *s = suite_create("typeinfo");
  TCase *d = tcase_create("decltype");
  TCase *g = tcase_create("gettypeinfo");

  tcase_add_loop_test(d, decl_mapping, 0,
                      (int)(sizeof(decls) / sizeof(decls[0])));
  tcase_add_test(d, version_codes);
  tcase_add_test(g, typeinfo_all);
  tcase_add_test(g, typeinfo_filtered);
  tcase_add_test(g, typeinfo_odbc2_all);
  suite_add_tcase(s, d);
  suite_add_tcase(s, g);
  return s;
}

int main(void)
{
  SRunner *sr = srunner_create(typeinfo_suite());
  int failed;

  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
