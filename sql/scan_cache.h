/*
 * scan_cache.h - complete scans of a table kept for the rest of one
 * statement.
 *
 * Layer: sql.  SQLite cannot build automatic indexes on virtual tables,
 * so the inner side of a join is scanned once per outer row.  A scan
 * that ran to its end is kept (as the record pages Kintone returned) and
 * an identical scan later in the same statement replays it instead of
 * asking Kintone again.  The driver starts a new generation for each
 * execution (ks_db_statement_begin), so every statement sees current
 * data.  Scans larger than KS_SCAN_MAX_RECORDS are not kept, so memory
 * stays bounded.
 */
#ifndef KS_SCAN_CACHE_H
#define KS_SCAN_CACHE_H

#include <stddef.h>

#include "../kintone/kc_records.h"

#define KS_SCAN_MAX_RECORDS 20000     /* per scan */
#define KS_SCAN_MAX_BYTES ((size_t)16 << 20)   /* per scan */
#define KS_CACHE_MAX_BYTES ((size_t)48 << 20)  /* all scans of a generation */

struct ks_db;

struct ks_scan {
  char *key;                 /* table + plan + arguments (sqlite3_malloc) */
  struct kc_page *pages;     /* owned pages, in scan order */
  size_t npages, cap;
  size_t nrecords;
  size_t bytes;              /* memory held by the pages */
  unsigned long gen;         /* statement generation it belongs to */
  int refs;                  /* cursors using it */
  int published;             /* complete and findable */
  struct ks_scan *next;      /* in the db's list */
};

/* A new, unpublished scan for `key` (copied); NULL when out of memory. */
struct ks_scan *ks_scan_new(const char *key);
/* Moves *page into the scan; 1 (page untouched) if over the cap. */
int ks_scan_add_page(struct ks_scan *s, struct kc_page *page);
/* Frees an unpublished scan (pages included). */
void ks_scan_free(struct ks_scan *s);

/* Publishes a complete scan; the caller keeps its reference. */
void ks_cache_publish(struct ks_db *db, struct ks_scan *s);
/* A published scan of the current generation for key (ref taken). */
struct ks_scan *ks_cache_find(struct ks_db *db, const char *key);
/* Drops a reference taken by find/publish. */
void ks_cache_release(struct ks_db *db, struct ks_scan *s);
/* New generation: frees every unreferenced scan. */
void ks_cache_new_generation(struct ks_db *db);
/* Frees everything (connection close). */
void ks_cache_clear(struct ks_db *db);

#endif
