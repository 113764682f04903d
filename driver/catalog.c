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

static const SQLSMALLINT tables_types[] = {
  SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR
};

/* 1 if the TableType list (e.g. "'TABLE','VIEW'") includes TABLE. */
static int types_include_table(const char *types)
{
  char **items;
  size_t n, i;
  int found = 0;

  if(!types || !*types || !strcmp(types, "%"))
    return 1;
  if(ku_split_list(types, &items, &n))
    return 1;
  for(i = 0; i < n; i++) {
    char *t = items[i];
    size_t len = strlen(t);
    if(len >= 2 && (t[0] == '\'' || t[0] == '"') && t[len - 1] == t[0]) {
      t[len - 1] = '\0';
      t++;
    }
    if(!ku_strcasecmp(t, "TABLE"))
      found = 1;
  }
  ku_strlist_free(items, n);
  return found;
}

SQLRETURN kd_catalog_tables(struct kd_stmt *s, const char *cat,
                            const char *schem, const char *table,
                            const char *types)
{
  const char *params[1];
  int meta = s->metadata_id || s->dbc->metadata_id;

  /* the special enumerations of the ODBC specification */
  if(cat && !strcmp(cat, SQL_ALL_CATALOGS) && schem && !*schem && table &&
     !*table)
    return kd_stmt_run_internal(s, "SELECT NULL AS TABLE_CAT, NULL AS "
                                "TABLE_SCHEM, NULL AS TABLE_NAME, NULL AS "
                                "TABLE_TYPE, NULL AS REMARKS WHERE 0",
                                tables_types, 5, NULL, 0);
  if(schem && !strcmp(schem, SQL_ALL_SCHEMAS) && cat && !*cat && table &&
     !*table)
    return kd_stmt_run_internal(s, "SELECT NULL AS TABLE_CAT, NULL AS "
                                "TABLE_SCHEM, NULL AS TABLE_NAME, NULL AS "
                                "TABLE_TYPE, NULL AS REMARKS WHERE 0",
                                tables_types, 5, NULL, 0);
  if(types && !strcmp(types, SQL_ALL_TABLE_TYPES) && cat && !*cat &&
     schem && !*schem && table && !*table)
    return kd_stmt_run_internal(s, "SELECT NULL AS TABLE_CAT, NULL AS "
                                "TABLE_SCHEM, NULL AS TABLE_NAME, 'TABLE' "
                                "AS TABLE_TYPE, NULL AS REMARKS",
                                tables_types, 5, NULL, 0);
  /* no catalogs or schemas: a non-empty one matches nothing */
  if((cat && *cat && strcmp(cat, "%")) ||
     (schem && *schem && strcmp(schem, "%")) || !types_include_table(types))
    return kd_stmt_run_internal(s, "SELECT NULL AS TABLE_CAT, NULL AS "
                                "TABLE_SCHEM, NULL AS TABLE_NAME, NULL AS "
                                "TABLE_TYPE, NULL AS REMARKS WHERE 0",
                                tables_types, 5, NULL, 0);
  params[0] = table;
  return kd_stmt_run_internal(
    s, meta ?
    "SELECT NULL AS TABLE_CAT, NULL AS TABLE_SCHEM, table_name AS "
    "TABLE_NAME, 'TABLE' AS TABLE_TYPE, name AS REMARKS FROM sys.Apps "
    "WHERE odbc_match(?1, table_name, 0) ORDER BY TABLE_NAME" :
    "SELECT NULL AS TABLE_CAT, NULL AS TABLE_SCHEM, table_name AS "
    "TABLE_NAME, 'TABLE' AS TABLE_TYPE, name AS REMARKS FROM sys.Apps "
    "WHERE odbc_match(?1, table_name, 1) ORDER BY TABLE_NAME",
    tables_types, 5, params, 1);
}

static const SQLSMALLINT columns_types[] = {
  SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_WVARCHAR, SQL_SMALLINT,
  SQL_WVARCHAR, SQL_INTEGER, SQL_INTEGER, SQL_SMALLINT, SQL_SMALLINT,
  SQL_SMALLINT, SQL_WVARCHAR, SQL_WVARCHAR, SQL_SMALLINT, SQL_SMALLINT,
  SQL_INTEGER, SQL_INTEGER, SQL_WVARCHAR
};

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
  if((cat && *cat && strcmp(cat, "%")) ||
     (schem && *schem && strcmp(schem, "%")))
    table = "\x01";                    /* matches no table */
  /* make sure the matching tables exist (reads their fields) */
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
  sql = sqlite3_mprintf(
    "SELECT NULL AS TABLE_CAT, NULL AS TABLE_SCHEM, a.table_name AS "
    "TABLE_NAME, p.name AS COLUMN_NAME, "
    "odbc_col(p.type, 'data_type', ?3) AS DATA_TYPE, "
    "odbc_col(p.type, 'type_name', ?3) AS TYPE_NAME, "
    "odbc_col(p.type, 'column_size', ?3) AS COLUMN_SIZE, "
    "odbc_col(p.type, 'buffer_length', ?3) AS BUFFER_LENGTH, "
    "odbc_col(p.type, 'decimal_digits', ?3) AS DECIMAL_DIGITS, "
    "odbc_col(p.type, 'num_prec_radix', ?3) AS NUM_PREC_RADIX, "
    "CASE WHEN p.pk THEN 0 ELSE 1 END AS NULLABLE, NULL AS REMARKS, "
    "NULL AS COLUMN_DEF, "
    "odbc_col(p.type, 'sql_data_type', ?3) AS SQL_DATA_TYPE, "
    "odbc_col(p.type, 'datetime_sub', ?3) AS SQL_DATETIME_SUB, "
    "odbc_col(p.type, 'char_octet_length', ?3) AS CHAR_OCTET_LENGTH, "
    "p.cid + 1 AS ORDINAL_POSITION, "
    "CASE WHEN p.pk THEN 'NO' ELSE 'YES' END AS IS_NULLABLE "
    "FROM sys.Apps a JOIN pragma_table_info(a.table_name, 'main') p "
    "WHERE odbc_match(?1, a.table_name, %d) AND "
    "odbc_match(?2, p.name, %d) "
    "ORDER BY TABLE_NAME, ORDINAL_POSITION", !meta, !meta);
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
  return kd_stmt_run_internal(
    s, "SELECT NULL AS TABLE_CAT, NULL AS TABLE_SCHEM, table_name AS "
       "TABLE_NAME, '$id' AS COLUMN_NAME, 1 AS KEY_SEQ, 'PRIMARY' AS "
       "PK_NAME FROM sys.Apps WHERE table_name = ?1",
    pk_types, 6, params, 1);
}
