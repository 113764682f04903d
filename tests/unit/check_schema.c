/*
 * check_schema.c - unit tests of sql/schema.c: column names by field
 * code and by label (UseDisplayNames) with its clash rules, codes kept
 * for Kintone, TimeZone only on date-time columns.
 *
 * Links libks.la; forms are built by hand (no client).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "kintone/kc_fields.h"
#include "sql/schema.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define MAXF 8

struct fdef {
  const char *code, *label;
  int type;
};

static const struct {
  const char *what;
  struct fdef f[MAXF];
  const char *names[MAXF];      /* expected column names after $id... */
} cases[] = {
  {"unique labels",
   {{"deal", "Deal", KC_F_SINGLE_LINE_TEXT}, {"amt", "Amount", KC_F_NUMBER}},
   {"Deal", "Amount"}},
  {"a shared label: every field sharing it gets (code)",
   {{"start", "Date", KC_F_DATE}, {"end", "Date", KC_F_DATE},
    {"memo", "Memo", KC_F_MULTI_LINE_TEXT}},
   {"Date (start)", "Date (end)", "Memo"}},
  {"clash with a fixed column",
   {{"rid", "$id", KC_F_SINGLE_LINE_TEXT}},
   {"$id (rid)"}},
  {"clash compared ASCII case-insensitively",
   {{"n1", "Name", KC_F_SINGLE_LINE_TEXT},
    {"n2", "name", KC_F_SINGLE_LINE_TEXT}},
   {"Name (n1)", "name (n2)"}},
  {"Japanese labels compare exactly",
   {{"a", "\xe9\x87\x91\xe9\xa1\x8d", KC_F_NUMBER},
    {"b", "\xe9\x87\x91\xe9\xa1\x8d", KC_F_NUMBER}},
   {"\xe9\x87\x91\xe9\xa1\x8d (a)", "\xe9\x87\x91\xe9\xa1\x8d (b)"}},
  {"empty label: the code",
   {{"code1", "", KC_F_SINGLE_LINE_TEXT}},
   {"code1"}},
  {"a label that looks like a resolved name: the code, in code order",
   {{"a", "X", KC_F_NUMBER}, {"b", "X", KC_F_NUMBER},
    {"c", "X (b)", KC_F_NUMBER}},
   {"X (a)", "b", "X (b)"}},
  {"layout and subtable fields are no columns",
   {{"g", "Group", KC_F_GROUP}, {"t", "Table", KC_F_SUBTABLE},
    {"x", "Table", KC_F_NUMBER}},
   {"Table"}}
};

static void make_form(struct kc_form *form, struct kc_field *f,
                      const struct fdef *d)
{
  size_t n = 0;

  memset(form, 0, sizeof(*form));
  for(n = 0; n < MAXF && d[n].code; n++) {
    memset(&f[n], 0, sizeof(f[n]));
    f[n].code = (char *)d[n].code;
    f[n].label = (char *)d[n].label;
    f[n].type = d[n].type;
    f[n].enabled = 1;
  }
  form->fields = f;
  form->n = n;
}

START_TEST(display_names)
{
  struct kc_field f[MAXF];
  struct kc_form form;
  struct ks_schema s;
  struct ks_schema_opts o = {1, NULL};
  size_t i;

  make_form(&form, f, cases[_i].f);
  ck_assert_int_eq(ks_schema_build(&form, &o, &s), 0);
  ck_assert_str_eq(s.cols[0].name, "$id");
  ck_assert_str_eq(s.cols[1].name, "$revision");
  for(i = 0; cases[_i].names[i]; i++) {
    ck_assert_msg(2 + i < s.ncols, "%s: too few columns", cases[_i].what);
    ck_assert_msg(!strcmp(s.cols[2 + i].name, cases[_i].names[i]),
                  "%s: column %zu is '%s', not '%s'", cases[_i].what, i,
                  s.cols[2 + i].name, cases[_i].names[i]);
  }
  ck_assert_uint_eq(s.ncols, 2 + i);
  /* Kintone keeps hearing the codes */
  for(i = 2; i < s.ncols; i++)
    ck_assert_int_eq(ks_schema_find(&s, s.cols[i].code), (int)i);
  ks_schema_cleanup(&s);
}
END_TEST

START_TEST(codes_by_default)
{
  struct kc_field f[MAXF];
  struct kc_form form;
  struct ks_schema s;
  char *sql;

  make_form(&form, f, cases[1].f);
  ck_assert_int_eq(ks_schema_build(&form, NULL, &s), 0);
  ck_assert_str_eq(s.cols[2].name, "start");
  ck_assert_str_eq(s.cols[3].name, "end");
  sql = ks_schema_sql(&s);
  ck_assert_str_eq(sql, "CREATE TABLE x(\"$id\" BIGINT PRIMARY KEY, "
                   "\"$revision\" BIGINT, \"start\" DATE, \"end\" DATE, "
                   "\"memo\" WLONGVARCHAR) WITHOUT ROWID");
  sqlite3_free(sql);
  ks_schema_cleanup(&s);
}
END_TEST

START_TEST(quotes_in_labels)
{
  static const struct fdef d[] = {{"q", "say \"hi\"", KC_F_NUMBER},
                                  {NULL, NULL, 0}};
  struct kc_field f[MAXF];
  struct kc_form form;
  struct ks_schema s;
  struct ks_schema_opts o = {1, NULL};
  char *sql;

  make_form(&form, f, d);
  ck_assert_int_eq(ks_schema_build(&form, &o, &s), 0);
  sql = ks_schema_sql(&s);
  ck_assert(strstr(sql, "\"say \"\"hi\"\"\" DECIMAL(30,10)"));
  sqlite3_free(sql);
  ks_schema_cleanup(&s);
}
END_TEST

START_TEST(subtable_columns)
{
  static const struct fdef d[] = {{"item", "Item", KC_F_SINGLE_LINE_TEXT},
                                  {"item2", "Item", KC_F_SINGLE_LINE_TEXT},
                                  {NULL, NULL, 0}};
  struct kc_field f[MAXF], sub;
  struct kc_form form;
  struct ks_schema s;
  struct ks_schema_opts o = {1, NULL};

  make_form(&form, f, d);
  memset(&sub, 0, sizeof(sub));
  sub.code = (char *)"lines";
  sub.type = KC_F_SUBTABLE;
  sub.sub = f;
  sub.nsub = form.n;
  ck_assert_int_eq(ks_schema_build_sub(&sub, &o, &s), 0);
  ck_assert_uint_eq(s.ncols, 4);
  ck_assert_str_eq(s.cols[1].name, "$parent_id");
  ck_assert_str_eq(s.cols[2].name, "Item (item)");
  ck_assert_str_eq(s.cols[3].name, "Item (item2)");
  ck_assert_str_eq(s.cols[3].code, "item2");
  ks_schema_cleanup(&s);
}
END_TEST

START_TEST(zone_on_datetimes_only)
{
  static const struct fdef d[] = {{"dt", "DT", KC_F_DATETIME},
                                  {"d", "D", KC_F_DATE},
                                  {"t", "T", KC_F_TIME},
                                  {"ct", "CT", KC_F_CREATED_TIME},
                                  {"c", "C", KC_F_CALC},
                                  {NULL, NULL, 0}};
  struct kc_field f[MAXF];
  struct kc_form form;
  struct ks_schema s;
  struct ks_schema_opts o = {0, (const struct ku_tz *)&o};  /* a token */

  make_form(&form, f, d);
  f[4].format = (char *)"DATETIME";
  ck_assert_int_eq(ks_schema_build(&form, &o, &s), 0);
  ck_assert(s.cols[2].tz == o.tz);        /* DATETIME */
  ck_assert(s.cols[3].tz == NULL);        /* DATE */
  ck_assert(s.cols[4].tz == NULL);        /* TIME */
  ck_assert(s.cols[5].tz == o.tz);        /* CREATED_TIME */
  ck_assert(s.cols[6].tz == o.tz);        /* CALC DATETIME */
  ks_schema_cleanup(&s);
}
END_TEST

static Suite *schema_suite(void)
{
  Suite *s = suite_create("schema");
  TCase *t = tcase_create("names");

  tcase_add_loop_test(t, display_names, 0, (int)N_ELEMS(cases));
  tcase_add_test(t, codes_by_default);
  tcase_add_test(t, quotes_in_labels);
  tcase_add_test(t, subtable_columns);
  suite_add_tcase(s, t);
  t = tcase_create("types");
  tcase_add_test(t, zone_on_datetimes_only);
  suite_add_tcase(s, t);
  return s;
}

int main(void)
{
  SRunner *sr = srunner_create(schema_suite());
  int failed;

  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
