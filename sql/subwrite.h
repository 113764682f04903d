/*
 * subwrite.h - INSERT, UPDATE and DELETE on subtable tables.
 *
 * Layer: sql.  Kintone stores a subtable inside its record, so a row
 * change is a change of the record: at the end of the statement the
 * writer reads the current table of every record it touched (with its
 * revision), applies the statement's row changes in order - keeping the
 * ids of the rows it does not delete - and writes each record back with
 * PUT in atomic bulk requests, with the revision it read, so a record
 * changed in between makes the statement fail with 40001 instead of
 * losing that change.
 */
#ifndef KS_SUBWRITE_H
#define KS_SUBWRITE_H

#include <stddef.h>
#include <sqlite3.h>

struct ks_db;
struct ks_schema;

struct ks_subop {
  int kind;                  /* KC_W_ADD / KC_W_UPDATE / KC_W_DELETE */
  long long parent;          /* the record's $id */
  long long row;             /* the row id (update, delete) */
  char *values;              /* ADD/UPDATE: ",\"code\":{\"value\":...}"... */
};

struct ks_subwriter {
  struct ks_db *kdb;
  long long app;
  const char *table;         /* for messages */
  const char *sub_code;      /* the SUBTABLE field */
  const struct ks_schema *schema;
  struct ks_subop *ops;
  size_t n, cap;
  long long *seen_row, *seen_parent;   /* rows read by this statement */
  size_t nseen, capseen;
};

void ks_subwriter_init(struct ks_subwriter *w, struct ks_db *kdb,
                       long long app, const char *table,
                       const char *sub_code, const struct ks_schema *schema);
/* Remembers that row `row` belongs to record `parent` (DELETE gets only
   the row id). */
void ks_subwriter_seen(struct ks_subwriter *w, long long row,
                       long long parent);
int ks_subwriter_row(struct ks_subwriter *w, int argc, sqlite3_value **argv,
                     char **errmsg);
int ks_subwriter_flush(struct ks_subwriter *w, char **errmsg);
void ks_subwriter_reset(struct ks_subwriter *w);

#endif
