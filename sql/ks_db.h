/*
 * ks_db.h - the SQL engine of one ODBC connection.
 *
 * Layer: sql (uses kintone/).  Owns a private in-memory SQLite database
 * in which every visible Kintone app is a virtual table (module
 * "kintone", created on first use), plus the system tables in the
 * attached schema "sys" (sys.Apps, ...).  The driver prepares and steps
 * statements on ks_db_sqlite(); after a failure it asks
 * ks_db_error() whether Kintone caused it (SQLite flattens errors to
 * text, so the structured error is parked here).
 *
 *   struct ks_db *db;
 *   if(ks_db_open(&cfg, log, &db, &err)) fail(&err);
 *   rc = ks_db_prepare(db, "SELECT * FROM \"販売管理\"", -1, &st, NULL);
 */
#ifndef KS_DB_H
#define KS_DB_H

#include <stddef.h>
#include <sqlite3.h>

struct kc_config;
struct kc_err;
struct kc_app;
struct ku_log;
struct ks_db;

/*
 * Connects: creates the Kintone client, lists the visible apps (which
 * also checks the credentials) and opens the SQLite engine.
 */
int ks_db_open(const struct kc_config *cfg, struct ku_log *log,
               struct ks_db **out, struct kc_err *err);
void ks_db_close(struct ks_db *db);                 /* accepts NULL */
sqlite3 *ks_db_sqlite(struct ks_db *db);

/*
 * sqlite3_prepare_v2 that first creates the virtual table of every app
 * the statement names ("no such table: X" -> create X -> retry).
 */
int ks_db_prepare(struct ks_db *db, const char *sql, int nbytes,
                  sqlite3_stmt **st, const char **tail);
/* Creates the table `name` if it is an app not yet created.  Returns
   SQLITE_OK (also if it exists already or is no app: then *found = 0). */
int ks_db_ensure_table(struct ks_db *db, const char *name, int *found);

/* The Kintone error behind the last failure, or NULL. */
const struct kc_err *ks_db_error(const struct ks_db *db);
void ks_db_clear_error(struct ks_db *db);
/* Parks an error (used by the virtual tables). */
void ks_db_set_error(struct ks_db *db, const struct kc_err *err);

size_t ks_db_table_count(const struct ks_db *db);
/* Name of table i and its app (borrowed, valid until ks_db_close). */
const char *ks_db_table_name(const struct ks_db *db, size_t i);
const struct kc_app *ks_db_table_app(const struct ks_db *db, size_t i);

/* Starts a statement execution: scans cached by earlier executions are
   no longer reused (see scan_cache.h). */
void ks_db_statement_begin(struct ks_db *db);

/*
 * Query timeout for the statement about to run (SQL_ATTR_QUERY_TIMEOUT,
 * seconds; 0 = none): transfers are cut at the deadline and SQLite's own
 * work is interrupted after it.  ks_db_timed_out() tells an interrupt
 * by timeout from one by SQLCancel.
 */
void ks_db_set_timeout(struct ks_db *db, unsigned long seconds);
int ks_db_timed_out(const struct ks_db *db);

/* The flag SQLCancel sets to stop in-flight transfers. */
volatile int *ks_db_cancel_flag(struct ks_db *db);
/* Kintone requests sent so far by this connection. */
unsigned long ks_db_request_count(const struct ks_db *db);
/* Now on the wall clock of the connection's TimeZone (the zone DATETIME
   values are shown in): seconds since 1970-01-01 00:00:00 there.  db may
   be NULL: UTC. */
long long ks_db_local_now(const struct ks_db *db);

#endif
