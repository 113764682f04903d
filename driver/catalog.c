/*
 * catalog.c - catalog functions as queries.  See catalog.h.
 */
#include "catalog.h"

#include <string.h>

#include "exec.h"
#include "typeinfo.h"
#include "../sql/ks_db.h"
#include "../util/ku_mem.h"
#include "../util/ku_str.h"

/* ODBC pattern match: '%' any run, '_' one character, '\' escapes. */
static int pattern_match(const char *p, const char *v)
{
  while(*p) {
    if(*p == '%') {
      while(*p == '%')
        p++;
      if(!*p)
        return 1;
      for(; *v; v++)
        if(pattern_match(p, v))
          return 1;
      return pattern_match(p, v);
    }
    if(!*v)
      return 0;
    if(*p == '_') {
      /* one character: skip a whole UTF-8 sequence */
      v++;
      while((*v & 0xc0) == 0x80)
        v++;
      p++;
      continue;
    }
    if(*p == '\\' && p[1])
      p++;
    if(*p != *v)
      return 0;
    p++;
    v++;
  }
  return !*v;
}

/* odbc_match(pattern, value, is_pattern): NULL pattern matches all. */
static void fn_match(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  const char *p = (const char *)sqlite3_value_text(argv[0]);
  const char *v = (const char *)sqlite3_value_text(argv[1]);
  int is_pattern = argc > 2 ? sqlite3_value_int(argv[2]) : 1;

  if(!p) {
    sqlite3_result_int(ctx, 1);
    return;
  }
  if(!v) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  sqlite3_result_int(ctx, is_pattern ? pattern_match(p, v)
                                     : !strcmp(p, v));
}

/* odbc_col(decltype, what, odbc2) -> attribute of the ODBC type. */
static void fn_col(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  const char *decl = (const char *)sqlite3_value_text(argv[0]);
  const char *what = (const char *)sqlite3_value_text(argv[1]);
  int odbc2 = argc > 2 ? sqlite3_value_int(argv[2]) : 0;
  struct kd_typeinfo ti;
  SQLSMALLINT t, verbose;

  kd_typeinfo_from_decl(decl, SQLITE_NULL, &ti);
  t = kd_type_for_version(ti.sql_type, odbc2);
  verbose = (ti.sql_type == SQL_TYPE_DATE || ti.sql_type == SQL_TYPE_TIME ||
             ti.sql_type == SQL_TYPE_TIMESTAMP) ? SQL_DATETIME : t;
  if(!what)
    sqlite3_result_null(ctx);
  else if(!strcmp(what, "data_type"))
    sqlite3_result_int(ctx, t);
  else if(!strcmp(what, "type_name"))
    sqlite3_result_text(ctx, ti.type_name, -1, SQLITE_STATIC);
  else if(!strcmp(what, "column_size"))
    sqlite3_result_int64(ctx, (sqlite3_int64)ti.column_size);
  else if(!strcmp(what, "buffer_length"))
    sqlite3_result_int64(ctx, ti.octet_length);
  else if(!strcmp(what, "decimal_digits")) {
    if(ti.sql_type == SQL_DECIMAL || ti.sql_type == SQL_NUMERIC ||
       ti.sql_type == SQL_BIGINT || ti.sql_type == SQL_INTEGER ||
       ti.sql_type == SQL_SMALLINT || ti.sql_type == SQL_TYPE_TIMESTAMP ||
       ti.sql_type == SQL_TYPE_TIME)
      sqlite3_result_int(ctx, ti.decimal_digits);
    else
      sqlite3_result_null(ctx);
  }
  else if(!strcmp(what, "num_prec_radix")) {
    if(ti.sql_type == SQL_DECIMAL || ti.sql_type == SQL_NUMERIC ||
       ti.sql_type == SQL_BIGINT || ti.sql_type == SQL_INTEGER ||
       ti.sql_type == SQL_SMALLINT)
      sqlite3_result_int(ctx, 10);
    else if(ti.sql_type == SQL_DOUBLE)
      sqlite3_result_int(ctx, 2);
    else
      sqlite3_result_null(ctx);
  }
  else if(!strcmp(what, "sql_data_type"))
    sqlite3_result_int(ctx, odbc2 ? t : verbose);
  else if(!strcmp(what, "datetime_sub")) {
    if(verbose == SQL_DATETIME && !odbc2)
      sqlite3_result_int(ctx, ti.sql_type == SQL_TYPE_DATE ? SQL_CODE_DATE :
                              ti.sql_type == SQL_TYPE_TIME ? SQL_CODE_TIME :
                              SQL_CODE_TIMESTAMP);
    else
      sqlite3_result_null(ctx);
  }
  else if(!strcmp(what, "char_octet_length")) {
    if(ti.sql_type == SQL_WVARCHAR || ti.sql_type == SQL_WLONGVARCHAR ||
       ti.sql_type == SQL_VARCHAR || ti.sql_type == SQL_WCHAR ||
       ti.sql_type == SQL_VARBINARY)
      sqlite3_result_int64(ctx, ti.octet_length);
    else
      sqlite3_result_null(ctx);
  }
  else
    sqlite3_result_null(ctx);
}

int kd_catalog_register(sqlite3 *db)
{
  int rc = sqlite3_create_function(db, "odbc_match", 3,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                   fn_match, NULL, NULL);
  if(rc == SQLITE_OK)
    rc = sqlite3_create_function(db, "odbc_col", 3,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                 fn_col, NULL, NULL);
  return rc;
}

static int odbc2(struct kd_stmt *s)
{
  return kd_odbc_version(&s->hdr) == SQL_OV_ODBC2;
}

/* 1 if the sql layer provides sys.Tables (subtable child tables). */
static int have_sys_tables(struct kd_stmt *s)
{
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(ks_db_sqlite(s->dbc->db),
                              "SELECT table_name, parent_table, "
                              "subtable_code FROM sys.Tables", -1, &st,
                              NULL);

  sqlite3_finalize(st);
  return rc == SQLITE_OK;
}

/*
 * The system table listing every table: sys.Tables (apps and subtable
 * child tables) when the sql layer has it, else sys.Apps; `remarks` gets
 * the SQL expression of the table's description in that table: the
 * app's description as text (else its name); for a subtable table the
 * app name and the subtable's label.
 */
static const char *table_source(struct kd_stmt *s, const char **remarks)
{
  if(s->dbc->db && have_sys_tables(s)) {
    if(remarks)
      *remarks = "CASE WHEN coalesce(subtable_code, '') = '' THEN "
                 "coalesce(nullif(description, ''), app_name) "
                 "ELSE app_name || ' / ' || "
                 "coalesce(nullif(description, ''), subtable_code) END";
    return "sys.Tables";
  }
  if(remarks)
    *remarks = "name";
  return "sys.Apps";
}

static const SQLSMALLINT tables_types[] = {
  SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR
};

static const SQLSMALLINT columns_types[] = {
  SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_SMALLINT,
  SQL_WVARCHAR, SQL_INTEGER, SQL_INTEGER, SQL_SMALLINT, SQL_SMALLINT,
  SQL_SMALLINT, SQL_WVARCHAR, SQL_WVARCHAR, SQL_SMALLINT, SQL_SMALLINT,
  SQL_INTEGER, SQL_INTEGER, SQL_WVARCHAR
};

/* What a TableType argument asks for (types_wanted). */
#define WANT_TABLE 1        /* 'TABLE' listed */
#define WANT_SYSTEM 2       /* 'SYSTEM TABLE' listed */
#define WANT_ANY 4          /* NULL, empty or "%": every type */

/* Parses a TableType list such as "'TABLE','VIEW'" (quotes optional). */
static int types_wanted(const char *types)
{
  char **items;
  size_t n, i;
  int want = 0;

  if(!types || !*types || !strcmp(types, "%"))
    return WANT_ANY;
  if(ku_split_list(types, &items, &n))
    return WANT_ANY;
  for(i = 0; i < n; i++) {
    char *t = items[i];
    size_t len = strlen(t);
    if(len >= 2 && (t[0] == '\'' || t[0] == '"') && t[len - 1] == t[0]) {
      t[len - 1] = '\0';
      t++;
    }
    if(!ku_strcasecmp(t, "TABLE"))
      want |= WANT_TABLE;
    else if(!ku_strcasecmp(t, "SYSTEM TABLE"))
      want |= WANT_SYSTEM;
  }
  ku_strlist_free(items, n);
  return want;
}

/* 1 if a schema argument names something: not NULL, "" or "%". */
static int schema_given(const char *schem)
{
  return schem && *schem && strcmp(schem, "%");
}

/* 1 if the schema argument (pattern unless meta) matches "sys". */
static int schema_is_sys(const char *schem, int meta)
{
  return meta ? !ku_strcasecmp(schem, "sys") : pattern_match(schem, "sys");
}

/* REMARKS of the system tables (by name), for SQLTables. */
static const char sys_remarks[] =
  "CASE name "
  "WHEN 'Apps' THEN 'the apps of the connection and their table names' "
  "WHEN 'Tables' THEN 'every table: app tables and subtable tables' "
  "WHEN 'Fields' THEN 'every field of every app' "
  "WHEN 'Views' THEN 'the views of every app' "
  "WHEN 'Comments' THEN 'the comments of one record (WHERE app_id = ? "
  "AND record_id = ?)' "
  "WHEN 'Spaces' THEN 'the spaces the apps belong to' "
  "WHEN 'ProcessStates' THEN 'the statuses of each app''s process "
  "management' "
  "WHEN 'ProcessActions' THEN 'the actions of each app''s process "
  "management' END";

/*
 * SQLTables.  App tables have no catalog and no schema (NULL) and are of
 * type TABLE.  The system tables are TABLE_SCHEM 'sys', TABLE_TYPE
 * 'SYSTEM TABLE', and are listed only when asked for, by type ('SYSTEM
 * TABLE' in TableType) or by schema (a SchemaName that matches "sys"
 * and is not "%"): as psqlODBC hides pg_catalog unless 'SYSTEM TABLE' is
 * asked for, so that table lists of tools (isql help, LibreOffice,
 * Tableau) show the apps only.  For the same reason the SQL_ALL_SCHEMAS
 * enumeration stays empty (SQL_SCHEMA_USAGE is 0: app tables are never
 * qualified).  Rows are ordered by TABLE_TYPE, TABLE_SCHEM, TABLE_NAME
 * as the specification asks.
 */
SQLRETURN kd_catalog_tables(struct kd_stmt *s, const char *cat,
                            const char *schem, const char *table,
                            const char *types)
{
  static const char none[] = "SELECT NULL AS TABLE_CAT, NULL AS "
                             "TABLE_SCHEM, NULL AS TABLE_NAME, NULL AS "
                             "TABLE_TYPE, NULL AS REMARKS WHERE 0";
  const char *params[1];
  int meta = s->metadata_id || s->dbc->metadata_id;
  int want, apps, sys;
  sqlite3_str *q;
  char *sql;
  SQLRETURN r;

  /* the special enumerations of the ODBC specification */
  if(cat && !strcmp(cat, SQL_ALL_CATALOGS) && schem && !*schem && table &&
     !*table)
    return kd_stmt_run_internal(s, none, tables_types, 5, NULL, 0);
  if(schem && !strcmp(schem, SQL_ALL_SCHEMAS) && cat && !*cat && table &&
     !*table)
    return kd_stmt_run_internal(s, none, tables_types, 5, NULL, 0);
  if(types && !strcmp(types, SQL_ALL_TABLE_TYPES) && cat && !*cat &&
     schem && !*schem && table && !*table)
    return kd_stmt_run_internal(s, "SELECT NULL AS TABLE_CAT, NULL AS "
                                "TABLE_SCHEM, NULL AS TABLE_NAME, column1 "
                                "AS TABLE_TYPE, NULL AS REMARKS FROM "
                                "(VALUES ('SYSTEM TABLE'), ('TABLE'))",
                                tables_types, 5, NULL, 0);
  /* no catalogs: a non-empty one matches nothing */
  if(cat && *cat && strcmp(cat, "%"))
    return kd_stmt_run_internal(s, none, tables_types, 5, NULL, 0);
  want = types_wanted(types);
  apps = !schema_given(schem) && (want & (WANT_ANY | WANT_TABLE));
  sys = schema_given(schem) ? schema_is_sys(schem, meta) &&
                              (want & (WANT_ANY | WANT_SYSTEM))
                            : (want & WANT_SYSTEM) != 0;
  if(!apps && !sys)
    return kd_stmt_run_internal(s, none, tables_types, 5, NULL, 0);
  params[0] = table;
  q = sqlite3_str_new(NULL);
  if(sys)
    sqlite3_str_appendf(q, "SELECT NULL AS TABLE_CAT, 'sys' AS TABLE_SCHEM, "
                        "name AS TABLE_NAME, 'SYSTEM TABLE' AS TABLE_TYPE, "
                        "%s AS REMARKS FROM sys.sqlite_schema WHERE type = "
                        "'table' AND odbc_match(?1, name, %d)",
                        sys_remarks, !meta);
  if(apps) {
    const char *remarks;
    const char *src = table_source(s, &remarks);
    sqlite3_str_appendf(q, "%sSELECT NULL AS TABLE_CAT, NULL AS "
                        "TABLE_SCHEM, table_name AS TABLE_NAME, 'TABLE' AS "
                        "TABLE_TYPE, %s AS REMARKS FROM %s WHERE "
                        "odbc_match(?1, table_name, %d)",
                        sys ? " UNION ALL " : "", remarks, src, !meta);
  }
  sqlite3_str_appendall(q, " ORDER BY TABLE_TYPE, TABLE_SCHEM, TABLE_NAME");
  sql = sqlite3_str_finish(q);
  if(!sql)
    return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  r = kd_stmt_run_internal(s, sql, tables_types, 5, params, 1);
  sqlite3_free(sql);
  return r;
}

/*
 * The columns of an SQLColumns row that follow from the column's declared
 * type p.type (odbc_col; ?3 is '1' for an ODBC 2 application).
 */
#define TYPE_COLS                                                       \
  "odbc_col(p.type, 'data_type', ?3) AS DATA_TYPE, "                    \
  "odbc_col(p.type, 'type_name', ?3) AS TYPE_NAME, "                    \
  "odbc_col(p.type, 'column_size', ?3) AS COLUMN_SIZE, "                \
  "odbc_col(p.type, 'buffer_length', ?3) AS BUFFER_LENGTH, "            \
  "odbc_col(p.type, 'decimal_digits', ?3) AS DECIMAL_DIGITS, "          \
  "odbc_col(p.type, 'num_prec_radix', ?3) AS NUM_PREC_RADIX, "
#define TYPE_COLS_SQL                                                   \
  "odbc_col(p.type, 'sql_data_type', ?3) AS SQL_DATA_TYPE, "            \
  "odbc_col(p.type, 'datetime_sub', ?3) AS SQL_DATETIME_SUB, "          \
  "odbc_col(p.type, 'char_octet_length', ?3) AS CHAR_OCTET_LENGTH, "

/*
 * SQLColumns of the system tables (SchemaName "sys"): their declared
 * column types, TABLE_SCHEM 'sys'.
 */
static SQLRETURN sys_columns(struct kd_stmt *s, const char *table,
                             const char *column, int meta)
{
  const char *params[3];
  char v[2] = {kd_odbc_version(&s->hdr) == SQL_OV_ODBC2 ? '1' : '0', '\0'};
  char *sql;
  SQLRETURN r;

  params[0] = table;
  params[1] = column;
  params[2] = v;
  sql = sqlite3_mprintf(
    "SELECT NULL AS TABLE_CAT, 'sys' AS TABLE_SCHEM, a.name AS "
    "TABLE_NAME, p.name AS COLUMN_NAME, "
    TYPE_COLS
    "CASE WHEN p.\"notnull\" THEN 0 ELSE 1 END AS NULLABLE, "
    "NULL AS REMARKS, NULL AS COLUMN_DEF, "
    TYPE_COLS_SQL
    "p.cid + 1 AS ORDINAL_POSITION, "
    "CASE WHEN p.\"notnull\" THEN 'NO' ELSE 'YES' END AS IS_NULLABLE "
    "FROM sys.sqlite_schema a JOIN pragma_table_info(a.name, 'sys') p "
    "WHERE a.type = 'table' AND odbc_match(?1, a.name, %d) AND "
    "odbc_match(?2, p.name, %d) "
    "ORDER BY TABLE_NAME, ORDINAL_POSITION", !meta, !meta);
  if(!sql)
    return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  r = kd_stmt_run_internal(s, sql, columns_types, 18, params, 3);
  sqlite3_free(sql);
  return r;
}


/*
 * Creates the subtable child tables of sys.Tables whose names match
 * `table` (pattern unless meta), so that pragma_table_info sees them.
 * Names are collected first: no DDL while sys.Tables is being read.
 */
static SQLRETURN ensure_child_tables(struct kd_stmt *s, const char *table,
                                     int meta)
{
  struct ks_db *db = s->dbc->db;
  sqlite3_stmt *st = NULL;
  char **names = NULL;
  size_t n = 0, cap = 0, i;
  SQLRETURN r = SQL_SUCCESS;
  int rc;

  rc = sqlite3_prepare_v2(ks_db_sqlite(db), "SELECT table_name FROM "
                          "sys.Tables WHERE coalesce(parent_table, '') <> ''",
                          -1, &st, NULL);
  if(rc != SQLITE_OK)
    return kd_stmt_sqlite_error(s, rc);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    if(!name || (table && !(meta ? !strcmp(table, name)
                                 : pattern_match(table, name))))
      continue;
    if(n == cap) {
      char **nn = ku_realloc(names, (cap ? cap * 2 : 8) * sizeof(*nn));
      if(!nn) {
        r = kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
        goto out;
      }
      names = nn;
      cap = cap ? cap * 2 : 8;
    }
    names[n] = ku_strdup(name);
    if(!names[n]) {
      r = kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
      goto out;
    }
    n++;
  }
  if(rc != SQLITE_DONE) {
    r = kd_stmt_sqlite_error(s, rc);
    goto out;
  }
  sqlite3_finalize(st);
  st = NULL;
  for(i = 0; i < n; i++) {
    int found;
    rc = ks_db_ensure_table(db, names[i], &found);
    if(rc != SQLITE_OK) {
      r = kd_stmt_sqlite_error(s, rc);
      goto out;
    }
  }
out:
  sqlite3_finalize(st);
  for(i = 0; i < n; i++)
    ku_free(names[i]);
  ku_free(names);
  return r;
}

SQLRETURN kd_catalog_columns(struct kd_stmt *s, const char *cat,
                             const char *schem, const char *table,
                             const char *column)
{
  struct ks_db *db = s->dbc->db;
  const char *params[3];
  char v[2] = {odbc2(s) ? '1' : '0', '\0'};
  int meta = s->metadata_id || s->dbc->metadata_id;
  size_t i;
  char *sql;
  SQLRETURN r;

  if(!db)
    return kd_diag_post(&s->hdr, KD_E_NOT_CONNECTED, 0, NULL);
  if(!(cat && *cat && strcmp(cat, "%")) && schema_given(schem) &&
     schema_is_sys(schem, meta))
    return sys_columns(s, table, column, meta);
  if((cat && *cat && strcmp(cat, "%")) || schema_given(schem))
    table = "\x01";                    /* matches no table */
  /* reading fields is part of this statement: its timeout applies */
  ks_db_set_timeout(db, (unsigned long)s->query_timeout);
  /* make sure the matching tables exist (reads their fields) */
  if(!strcmp(table_source(s, NULL), "sys.Tables")) {
    r = ensure_child_tables(s, table, meta);
    if(r != SQL_SUCCESS)
      return r;
  }
  for(i = 0; i < ks_db_table_count(db); i++) {
    const char *name = ks_db_table_name(db, i);
    int found, rc;
    if(table && !(meta ? !strcmp(table, name) : pattern_match(table, name)))
      continue;
    rc = ks_db_ensure_table(db, name, &found);
    if(rc != SQLITE_OK)
      return kd_stmt_sqlite_error(s, rc);
  }
  params[0] = table;
  params[1] = column;
  params[2] = v;
  /* REMARKS: the field's label (and a selection field's options), from
     sys.Fields read once; the fixed columns say what they hold */
  if(!strcmp(table_source(s, NULL), "sys.Tables"))
    sql = sqlite3_mprintf(
    "WITH f AS MATERIALIZED (SELECT table_name, column_name, "
    "CASE WHEN options IS NULL THEN label ELSE label || '; options: ' || "
    "(SELECT group_concat(j.value, ', ') FROM json_each(options) j) END "
    "AS remarks FROM sys.Fields WHERE column_name IS NOT NULL AND "
    "odbc_match(?1, table_name, %d)) "
    "SELECT NULL AS TABLE_CAT, NULL AS TABLE_SCHEM, a.table_name AS "
    "TABLE_NAME, p.name AS COLUMN_NAME, "
    TYPE_COLS
    "CASE WHEN p.pk THEN 0 ELSE 1 END AS NULLABLE, "
    "coalesce(f.remarks, CASE p.name "
    "WHEN '$id' THEN CASE WHEN coalesce(a.parent_table, '') = '' "
    "THEN 'record id' ELSE 'subtable row id' END "
    "WHEN '$revision' THEN 'record revision' "
    "WHEN '$parent_id' THEN 'record id of the row''s record' END) "
    "AS REMARKS, "
    "NULL AS COLUMN_DEF, "
    TYPE_COLS_SQL
    "p.cid + 1 AS ORDINAL_POSITION, "
    "CASE WHEN p.pk THEN 'NO' ELSE 'YES' END AS IS_NULLABLE "
    "FROM sys.Tables a JOIN pragma_table_info(a.table_name, 'main') p "
    "LEFT JOIN f ON f.table_name = a.table_name AND "
    "f.column_name = p.name "
    "WHERE odbc_match(?1, a.table_name, %d) AND "
    "odbc_match(?2, p.name, %d) "
    "ORDER BY TABLE_NAME, ORDINAL_POSITION", !meta, !meta, !meta);
  else
    sql = sqlite3_mprintf(
      "SELECT NULL AS TABLE_CAT, NULL AS TABLE_SCHEM, a.table_name AS "
      "TABLE_NAME, p.name AS COLUMN_NAME, "
      TYPE_COLS
      "CASE WHEN p.pk THEN 0 ELSE 1 END AS NULLABLE, NULL AS REMARKS, "
      "NULL AS COLUMN_DEF, "
      TYPE_COLS_SQL
      "p.cid + 1 AS ORDINAL_POSITION, "
      "CASE WHEN p.pk THEN 'NO' ELSE 'YES' END AS IS_NULLABLE "
      "FROM %s a JOIN pragma_table_info(a.table_name, 'main') p "
      "WHERE odbc_match(?1, a.table_name, %d) AND "
      "odbc_match(?2, p.name, %d) "
      "ORDER BY TABLE_NAME, ORDINAL_POSITION", table_source(s, NULL), !meta,
      !meta);
  if(!sql)
    return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  r = kd_stmt_run_internal(s, sql, columns_types, 18, params, 3);
  sqlite3_free(sql);
  return r;
}

SQLRETURN kd_catalog_type_info(struct kd_stmt *s, SQLSMALLINT type)
{
  const SQLSMALLINT *types = NULL;
  char *sql = kd_typeinfo_sql(type, odbc2(s), &types);
  SQLRETURN r;

  if(!sql)
    return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  r = kd_stmt_run_internal(s, sql, types, 19, NULL, 0);
  sqlite3_free(sql);
  return r;
}

static const SQLSMALLINT pk_types[] = {
  SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_SMALLINT,
  SQL_WVARCHAR
};

SQLRETURN kd_catalog_primary_keys(struct kd_stmt *s, const char *cat,
                                  const char *schem, const char *table)
{
  const char *params[1];

  if(!table)
    return kd_diag_post(&s->hdr, KD_E_NULL_POINTER, 0,
                        "SQLPrimaryKeys needs a table name");
  if((cat && *cat) || (schem && *schem))
    table = "\x01";
  params[0] = table;
  {
    char *sql = sqlite3_mprintf(
      "SELECT NULL AS TABLE_CAT, NULL AS TABLE_SCHEM, table_name AS "
      "TABLE_NAME, '$id' AS COLUMN_NAME, 1 AS KEY_SEQ, 'PRIMARY' AS "
      "PK_NAME FROM %s WHERE table_name = ?1", table_source(s, NULL));
    SQLRETURN r;
    if(!sql)
      return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
    r = kd_stmt_run_internal(s, sql, pk_types, 6, params, 1);
    sqlite3_free(sql);
    return r;
  }
}

/*
 * Runs an empty result set with the given column names and SQL types
 * (SQLProcedures and friends: well-shaped, no rows).
 */
static SQLRETURN empty_result(struct kd_stmt *s, const char *const *names,
                              const SQLSMALLINT *types, int n)
{
  sqlite3_str *q = sqlite3_str_new(NULL);
  char *sql;
  SQLRETURN r;
  int i;

  sqlite3_str_appendall(q, "SELECT ");
  for(i = 0; i < n; i++)
    sqlite3_str_appendf(q, "%sNULL AS \"%w\"", i ? ", " : "", names[i]);
  sqlite3_str_appendall(q, " WHERE 0");
  sql = sqlite3_str_finish(q);
  if(!sql)
    return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  r = kd_stmt_run_internal(s, sql, types, n, NULL, 0);
  sqlite3_free(sql);
  return r;
}

/* 1 if `cat`/`schem` name something other than "no catalog/schema". */
static int names_elsewhere(const char *cat, const char *schem)
{
  return (cat && *cat && strcmp(cat, "%")) ||
         (schem && *schem && strcmp(schem, "%"));
}

static const char *const stat_names[] = {
  "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "NON_UNIQUE", "INDEX_QUALIFIER",
  "INDEX_NAME", "TYPE", "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC",
  "CARDINALITY", "PAGES", "FILTER_CONDITION"
};
static const SQLSMALLINT stat_types[] = {
  SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_SMALLINT, SQL_WVARCHAR,
  SQL_WVARCHAR, SQL_SMALLINT, SQL_SMALLINT, SQL_WVARCHAR, SQL_WVARCHAR,
  SQL_INTEGER, SQL_INTEGER, SQL_WVARCHAR
};

SQLRETURN kd_catalog_statistics(struct kd_stmt *s, const char *cat,
                                const char *schem, const char *table,
                                SQLUSMALLINT unique)
{
  const char *params[1];

  (void)unique;                 /* the only index is unique */
  if(!table)
    return kd_diag_post(&s->hdr, KD_E_NULL_POINTER, 0,
                        "SQLStatistics needs a table name");
  if(names_elsewhere(cat, schem))
    return empty_result(s, stat_names, stat_types, 13);
  params[0] = table;
  /* every table has one unique index: the record (or row) id "$id" */
  {
    char *sql = sqlite3_mprintf(
      "SELECT NULL AS TABLE_CAT, NULL AS TABLE_SCHEM, table_name AS "
      "TABLE_NAME, 0 AS NON_UNIQUE, NULL AS INDEX_QUALIFIER, 'PRIMARY' AS "
      "INDEX_NAME, 3 AS TYPE, 1 AS ORDINAL_POSITION, '$id' AS COLUMN_NAME, "
      "'A' AS ASC_OR_DESC, NULL AS CARDINALITY, NULL AS PAGES, NULL AS "
      "FILTER_CONDITION FROM %s WHERE table_name = ?1",
      table_source(s, NULL));
    SQLRETURN r;
    if(!sql)
      return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
    r = kd_stmt_run_internal(s, sql, stat_types, 13, params, 1);
    sqlite3_free(sql);
    return r;
  }
}

static const char *const special_names[] = {
  "SCOPE", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE",
  "BUFFER_LENGTH", "DECIMAL_DIGITS", "PSEUDO_COLUMN"
};
static const SQLSMALLINT special_types[] = {
  SQL_SMALLINT, SQL_WVARCHAR, SQL_SMALLINT, SQL_WVARCHAR, SQL_INTEGER,
  SQL_INTEGER, SQL_SMALLINT, SQL_SMALLINT
};

SQLRETURN kd_catalog_special_columns(struct kd_stmt *s, SQLUSMALLINT id,
                                     const char *cat, const char *schem,
                                     const char *table)
{
  const char *params[2];
  char v[2] = {odbc2(s) ? '1' : '0', '\0'};
  char *sql;
  SQLRETURN r;

  if(!table)
    return kd_diag_post(&s->hdr, KD_E_NULL_POINTER, 0,
                        "SQLSpecialColumns needs a table name");
  if(id != SQL_BEST_ROWID && id != SQL_ROWVER)
    return kd_diag_post(&s->hdr, KD_E_BAD_ATTR_VALUE, 0,
                        "identifier type %u is not valid", (unsigned)id);
  if(names_elsewhere(cat, schem))
    return empty_result(s, special_names, special_types, 8);
  params[0] = table;
  params[1] = v;
  /* "$id" identifies a record for its whole life; "$revision" changes
     with every update of the record (a row version) */
  sql = sqlite3_mprintf(
    "SELECT %s AS SCOPE, '%s' AS COLUMN_NAME, "
    "odbc_col('BIGINT', 'data_type', ?2) AS DATA_TYPE, "
    "odbc_col('BIGINT', 'type_name', ?2) AS TYPE_NAME, "
    "odbc_col('BIGINT', 'column_size', ?2) AS COLUMN_SIZE, "
    "odbc_col('BIGINT', 'buffer_length', ?2) AS BUFFER_LENGTH, "
    "0 AS DECIMAL_DIGITS, %d AS PSEUDO_COLUMN "
    "FROM %s WHERE table_name = ?1%s",
    id == SQL_BEST_ROWID ? "2" : "NULL",
    id == SQL_BEST_ROWID ? "$id" : "$revision", SQL_PC_NOT_PSEUDO,
    table_source(s, NULL),
    /* child table rows have no revision of their own */
    id == SQL_ROWVER && !strcmp(table_source(s, NULL), "sys.Tables")
      ? " AND coalesce(parent_table, '') = ''" : "");
  if(!sql)
    return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  r = kd_stmt_run_internal(s, sql, special_types, 8, params, 2);
  sqlite3_free(sql);
  return r;
}

static const char *const fk_names[] = {
  "PKTABLE_CAT", "PKTABLE_SCHEM", "PKTABLE_NAME", "PKCOLUMN_NAME",
  "FKTABLE_CAT", "FKTABLE_SCHEM", "FKTABLE_NAME", "FKCOLUMN_NAME",
  "KEY_SEQ", "UPDATE_RULE", "DELETE_RULE", "FK_NAME", "PK_NAME",
  "DEFERRABILITY"
};
static const SQLSMALLINT fk_types[] = {
  SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR,
  SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_SMALLINT, SQL_SMALLINT,
  SQL_SMALLINT, SQL_WVARCHAR, SQL_WVARCHAR, SQL_SMALLINT
};


SQLRETURN kd_catalog_foreign_keys(struct kd_stmt *s, const char *pkcat,
                                  const char *pkschem, const char *pktable,
                                  const char *fkcat, const char *fkschem,
                                  const char *fktable)
{
  const char *params[2];
  char *sql;
  SQLRETURN r;

  if(!pktable && !fktable)
    return kd_diag_post(&s->hdr, KD_E_NULL_POINTER, 0,
                        "SQLForeignKeys needs a primary-key or a "
                        "foreign-key table name");
  if(!s->dbc->db)
    return kd_diag_post(&s->hdr, KD_E_NOT_CONNECTED, 0, NULL);
  if(names_elsewhere(pkcat, pkschem) || names_elsewhere(fkcat, fkschem) ||
     !have_sys_tables(s))
    return empty_result(s, fk_names, fk_types, 14);
  params[0] = pktable;
  params[1] = fktable;
  /* a subtable's child table refers to its app's table: "$parent_id"
     -> "$id"; deleting the record deletes its rows (CASCADE) */
  sql = sqlite3_mprintf(
    "SELECT NULL AS PKTABLE_CAT, NULL AS PKTABLE_SCHEM, parent_table AS "
    "PKTABLE_NAME, '$id' AS PKCOLUMN_NAME, NULL AS FKTABLE_CAT, NULL AS "
    "FKTABLE_SCHEM, table_name AS FKTABLE_NAME, '$parent_id' AS "
    "FKCOLUMN_NAME, 1 AS KEY_SEQ, %d AS UPDATE_RULE, %d AS DELETE_RULE, "
    "'FK_' || table_name AS FK_NAME, 'PRIMARY' AS PK_NAME, %d AS "
    "DEFERRABILITY FROM sys.Tables WHERE parent_table IS NOT NULL AND "
    "parent_table <> '' AND (?1 IS NULL OR parent_table = ?1) AND "
    "(?2 IS NULL OR table_name = ?2) ORDER BY FKTABLE_NAME",
    SQL_NO_ACTION, SQL_CASCADE, SQL_NOT_DEFERRABLE);
  if(!sql)
    return kd_diag_post(&s->hdr, KD_E_NOMEM, 0, NULL);
  r = kd_stmt_run_internal(s, sql, fk_types, 14, params, 2);
  sqlite3_free(sql);
  return r;
}

static const char *const proc_names[] = {
  "PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "NUM_INPUT_PARAMS",
  "NUM_OUTPUT_PARAMS", "NUM_RESULT_SETS", "REMARKS", "PROCEDURE_TYPE"
};
static const SQLSMALLINT proc_types[] = {
  SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_INTEGER, SQL_INTEGER,
  SQL_INTEGER, SQL_WVARCHAR, SQL_SMALLINT
};

SQLRETURN kd_catalog_procedures(struct kd_stmt *s)
{
  return empty_result(s, proc_names, proc_types, 8);
}

static const char *const proccol_names[] = {
  "PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "COLUMN_NAME",
  "COLUMN_TYPE", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "BUFFER_LENGTH",
  "DECIMAL_DIGITS", "NUM_PREC_RADIX", "NULLABLE", "REMARKS", "COLUMN_DEF",
  "SQL_DATA_TYPE", "SQL_DATETIME_SUB", "CHAR_OCTET_LENGTH",
  "ORDINAL_POSITION", "IS_NULLABLE"
};
static const SQLSMALLINT proccol_types[] = {
  SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_SMALLINT,
  SQL_SMALLINT, SQL_WVARCHAR, SQL_INTEGER, SQL_INTEGER, SQL_SMALLINT,
  SQL_SMALLINT, SQL_SMALLINT, SQL_WVARCHAR, SQL_WVARCHAR, SQL_SMALLINT,
  SQL_SMALLINT, SQL_INTEGER, SQL_INTEGER, SQL_WVARCHAR
};

SQLRETURN kd_catalog_procedure_columns(struct kd_stmt *s)
{
  return empty_result(s, proccol_names, proccol_types, 19);
}

static const char *const tpriv_names[] = {
  "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "GRANTOR", "GRANTEE",
  "PRIVILEGE", "IS_GRANTABLE"
};
static const char *const cpriv_names[] = {
  "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "GRANTOR",
  "GRANTEE", "PRIVILEGE", "IS_GRANTABLE"
};
static const SQLSMALLINT priv_types[] = {
  SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR,
  SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR
};

SQLRETURN kd_catalog_privileges(struct kd_stmt *s, int columns)
{
  /* Kintone permissions are per user and record: not reported */
  return columns ? empty_result(s, cpriv_names, priv_types, 8)
                 : empty_result(s, tpriv_names, priv_types, 7);
}
