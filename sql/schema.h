/*
 * schema.h - Kintone form fields -> SQL columns.
 *
 * Layer: sql.  One table per app: "$id" (BIGINT, the primary key),
 * "$revision" (BIGINT), then one column per record field in form order,
 * named by field code.  Layout-only fields (LABEL, SPACER, HR, GROUP),
 * REFERENCE_TABLE, SUBTABLE (its rows are a child table) and process-
 * management fields of apps without process management are omitted.
 * With UseDisplayNames columns are named by field label (ks_schema_build
 * says how clashes are resolved); Kintone is always sent the codes.
 * The declared types are the names driver/typeinfo.h understands; the
 * mapping is documented in docs/sql-reference.md.
 */
#ifndef KS_SCHEMA_H
#define KS_SCHEMA_H

#include <stddef.h>

struct kc_form;
struct kc_field;

struct ku_tz;

struct ks_col {
  const char *name;        /* column name: the field code, or with
                              UseDisplayNames its label (borrowed: form
                              or the schema's own names) */
  const char *code;        /* field code, what Kintone is sent (borrowed:
                              form; "$id"... for the fixed columns) */
  const char *label;       /* field label (borrowed: form) */
  int ftype;               /* enum kc_ftype */
  const char *calc_format; /* CALC: result format, else NULL */
  const struct kc_field *field;  /* definition (borrowed: form), NULL for
                                    $id/$revision */
  const struct ku_tz *tz;  /* DATETIME, CREATED_TIME, UPDATED_TIME, CALC
                              DATETIME: the TimeZone values are shown and
                              read in (borrowed); NULL = UTC */
  char decl[48];           /* declared SQL type */
};

struct ks_schema {
  struct ks_col *cols;     /* owned array */
  size_t ncols;
  char **names;            /* display names made up here (owned; NULL
                              entries borrow) */
};

/* How columns are named and typed (NULL: field codes, UTC). */
struct ks_schema_opts {
  int display_names;       /* UseDisplayNames: columns named by label */
  const struct ku_tz *tz;  /* TimeZone of date-time columns, NULL = UTC */
};

/*
 * Builds the columns of an app table from its form (which must outlive
 * the schema).  With display_names, a field's column is its label; when
 * labels collide (compared ASCII case-insensitively, as SQLite compares
 * identifiers, also with the fixed "$..." columns), every field sharing
 * that label is named "label (code)" instead; an empty label gives the
 * code.  Should a name still clash (a label that looks like that), the
 * field code is used, then "label (code) 2", 3... in field code order.
 * Returns 0, or non-zero when out of memory.
 */
int ks_schema_build(const struct kc_form *form,
                    const struct ks_schema_opts *o, struct ks_schema *s);
void ks_schema_cleanup(struct ks_schema *s);
/* The columns of a subtable table: "$id" (row id), "$parent_id" (the
   record's $id), then the subtable's fields, named as above. */
int ks_schema_build_sub(const struct kc_field *sub,
                        const struct ks_schema_opts *o, struct ks_schema *s);
/* The CREATE TABLE text for sqlite3_declare_vtab (sqlite3_free). */
char *ks_schema_sql(const struct ks_schema *s);
/* The declared type of field f as a column of its table, or NULL when
   the field is no column (layout, subtable, disabled process fields). */
const char *ks_schema_decl(const struct kc_field *f, char *buf, size_t n);
/* Column index of field code `code`, or -1. */
int ks_schema_find(const struct ks_schema *s, const char *code);
/* Column index of the column of field f, or -1. */
int ks_schema_find_field(const struct ks_schema *s,
                         const struct kc_field *f);

#endif
