/*
 * ks_int.h - internals shared by the sql layer's files (not for driver/).
 */
#ifndef KS_INT_H
#define KS_INT_H

#include <sqlite3.h>

#include "fetch.h"
#include "ks_db.h"
#include "../kintone/kc_apps.h"
#include "../kintone/kc_client.h"
#include "../kintone/kc_error.h"
#include "../kintone/kc_fields.h"

struct ku_log;
struct ku_tz;
struct ks_scan;
struct ks_schema_opts;

struct ks_table {
  struct kc_app *app;       /* borrowed from ks_db.apps */
  char *name;               /* SQL table name (owned) */
  struct kc_form *form;     /* loaded with the table (owned; apps only) */
  int created;              /* virtual table exists */
  int parent;               /* subtables: index of the app table; else -1 */
  const struct kc_field *sub;  /* subtables: the SUBTABLE field (borrowed
                                  from the parent's form) */
  struct ks_hint hint;      /* apps: read with the form (fetch.h) */
};

struct ks_db {
  sqlite3 *db;
  struct kc_client *client;
  struct ku_log *log;        /* borrowed */
  struct kc_app *apps;       /* visible apps (owned) */
  size_t napps;
  struct ks_table *tables;   /* one per app, same order (owned) */
  struct kc_err err;         /* parked Kintone error */
  int has_err;
  volatile int cancel;       /* SQLCancel */
  struct ks_table **subs;    /* subtable tables, found as forms load */
  size_t nsubs, capsubs;
  struct ks_scan *scans;     /* scan cache (scan_cache.h) */
  unsigned long gen;         /* statement generation */
  struct ku_tz *tz;          /* TimeZone (owned); NULL = UTC */
  int internal_ddl;          /* the engine's own CREATE VIRTUAL TABLE is
                                running: the authorizer lets it pass */
};

/* Registers the "kintone" module (vtab.c). */
int ks_vtab_register(struct ks_db *kdb);
/* Registers the "kintone_sys" module and creates sys.* (meta_vtab.c). */
int ks_meta_register(struct ks_db *kdb);
/* Loads the form of app table t if needed, registering its subtables
   (parks errors).  probe: a statement is about to read the table: its
   $id range is read with the form (IdRangeProbe, fetch.h) when request
   slots are free for it. */
int ks_table_load(struct ks_db *kdb, struct ks_table *t, int probe);
/* Loads every app's form (sys.Tables, catalog calls over all tables). */
int ks_db_load_all(struct ks_db *kdb);
/* How this connection names and types columns (UseDisplayNames,
   TimeZone), for ks_schema_build. */
void ks_db_schema_opts(const struct ks_db *kdb, struct ks_schema_opts *o);
/* The TimeZone of date-time values, NULL for UTC (borrowed). */
const struct ku_tz *ks_db_tz(const struct ks_db *kdb);

#endif
