/*
 * schema.h - Kintone form fields -> SQL columns.
 *
 * Layer: sql.  One table per app: "$id" (BIGINT, the primary key),
 * "$revision" (BIGINT), then one column per record field in form order,
 * named by field code.  Layout-only fields (LABEL, SPACER, HR, GROUP),
 * REFERENCE_TABLE, SUBTABLE (its rows are a child table) and process-
 * management fields of apps without process management are omitted.
 * The declared types are the names driver/typeinfo.h understands; the
 * mapping is documented in docs/sql-reference.md.
 */
#ifndef KS_SCHEMA_H
#define KS_SCHEMA_H

#include <stddef.h>

struct kc_form;
struct kc_field;

struct ks_col {
  const char *name;        /* field code / column name (borrowed: form) */
  const char *label;       /* field label (borrowed: form) */
  int ftype;               /* enum kc_ftype */
  const char *calc_format; /* CALC: result format, else NULL */
  const struct kc_field *field;  /* definition (borrowed: form), NULL for
                                    $id/$revision */
  char decl[48];           /* declared SQL type */
};

struct ks_schema {
  struct ks_col *cols;     /* owned array */
  size_t ncols;
};

/* Builds the columns of an app table from its form (which must outlive
   the schema).  Returns 0, or non-zero when out of memory. */
int ks_schema_build(const struct kc_form *form, struct ks_schema *s);
void ks_schema_cleanup(struct ks_schema *s);
/* The columns of a subtable table: "$id" (row id), "$parent_id" (the
   record's $id), then the subtable's fields. */
int ks_schema_build_sub(const struct kc_field *sub, struct ks_schema *s);
/* The CREATE TABLE text for sqlite3_declare_vtab (sqlite3_free). */
char *ks_schema_sql(const struct ks_schema *s);
/* The declared type of field f as a column of its table, or NULL when
   the field is no column (layout, subtable, disabled process fields). */
const char *ks_schema_decl(const struct kc_field *f, char *buf, size_t n);
/* Column index of `code`, or -1. */
int ks_schema_find(const struct ks_schema *s, const char *code);

#endif
