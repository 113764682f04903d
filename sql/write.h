/*
 * write.h - INSERT, UPDATE and DELETE on app tables as Kintone writes.
 *
 * Layer: sql.  The virtual table's xUpdate hands each row to a writer,
 * which converts it to Kintone's record JSON and queues it; every
 * KC_BULK_RECORDS rows (2,000) and at the end of the statement (xSync)
 * the queue is applied with one atomic bulkRequest (kintone/kc_write.h).
 * A statement larger than one batch is applied batch by batch: when a
 * batch fails, the error says exactly which rows of the statement were
 * written before it and that none after it were.
 *
 * Values (SQL -> Kintone), per field type:
 *   text, link, selections     the text ("" clears)
 *   NUMBER                     the number as text
 *   DATE 'YYYY-MM-DD', TIME 'HH:MM[:SS]' -> "HH:MM",
 *   DATETIME 'YYYY-MM-DD HH:MM:SS' (UTC) -> "YYYY-MM-DDTHH:MM:SSZ"
 *   CHECK_BOX, MULTI_SELECT    a JSON array of option keys
 *   USER/ORGANIZATION/GROUP    a JSON array of codes
 * In INSERT a NULL leaves the field out, so Kintone applies its default.
 * "$id" is assigned by Kintone; "$revision" set in an UPDATE is sent as
 * the expected revision (GAIA_CO02 -> 40001 when it is not current).
 */
#ifndef KS_WRITE_H
#define KS_WRITE_H

#include <stddef.h>
#include <sqlite3.h>

struct ks_db;
struct ks_schema;

struct ks_writer {
  struct ks_db *kdb;
  long long app;
  const char *table;              /* for messages */
  const struct ks_schema *schema;
  int kind;                       /* KC_W_* of the queued rows, 0 none */
  char **items;                   /* queued JSON items (ku_malloc) */
  size_t n, cap;
  long long written;              /* rows of this statement applied */
};

void ks_writer_init(struct ks_writer *w, struct ks_db *kdb, long long app,
                    const char *table, const struct ks_schema *schema);
/* Queues one xUpdate call; flushes a full batch.  SQLITE_OK or an error
   with *errmsg (sqlite3_mprintf) set and the Kintone error parked. */
int ks_writer_row(struct ks_writer *w, int argc, sqlite3_value **argv,
                  char **errmsg);
/* Applies everything queued (xSync). */
int ks_writer_flush(struct ks_writer *w, char **errmsg);
/* Drops the queue and the statement's counters (xCommit/xRollback). */
void ks_writer_reset(struct ks_writer *w);

/* Shared with subwrite.c: */
struct ku_buf;
struct ks_col;
/* Appends {"value": ...} of column c from v; NULL or why it cannot.
   Date-times without a zone are read in the column's TimeZone (the
   earlier instant when the clock shows that time twice; a time the
   clock skips cannot be written). */
const char *ks_write_field_value(struct ku_buf *b, const struct ks_col *c,
                                 sqlite3_value *v);
/* The error kind of a value ks_write_field_value refused: 22007 for
   date and time columns, else 22018. */
int ks_write_value_kind(const struct ks_col *c);
/* 1 for field types Kintone maintains itself. */
int ks_write_read_only(int ftype);
/* Parks a write error and sets *errmsg; returns SQLITE_ERROR. */
int ks_write_fail(struct ks_db *kdb, char **errmsg, int kind,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
