/*
 * handles.h - the ODBC handle structures and the entry-point protocol.
 *
 * Layer: driver.  Every handle starts with struct kd_hdr (base-first
 * layout), so any handle can be treated as a kd_hdr for diagnostics.
 * Freed handles get their magic overwritten so a stale handle is
 * answered with SQL_INVALID_HANDLE instead of a crash.
 *
 * Each exported function follows one shape:
 *
 *   SQLRETURN SQL_API SQLFoo(SQLHSTMT h, ...)
 *   {
 *     struct kd_stmt *s;
 *     SQLRETURN rc = kd_enter(h, KD_H_STMT, (struct kd_hdr **)&s);
 *     if(rc != SQL_SUCCESS)
 *       return rc;                 (invalid handle)
 *     rc = kd_stmt_foo(s, ...);    (all logic lives in internals)
 *     return kd_leave(&s->hdr, rc);
 *   }
 *
 * kd_enter locks the owning connection's mutex (statements and
 * descriptors share their connection's lock), clears the handle's
 * diagnostics and logs the call; kd_leave records the return code and
 * unlocks.  Internals never call exported SQL* functions.
 */
#ifndef KD_HANDLES_H
#define KD_HANDLES_H

#include <pthread.h>
#include <sql.h>
#include <sqlext.h>
#include <sqlite3.h>

#include "diag.h"
#include "../kintone/kc_config.h"

/* Marks an exported ODBC entry point. */
#define KD_EXPORT_API __attribute__((visibility("default")))

#define KD_MAGIC_ENV  0x4b454e56u   /* "KENV" */
#define KD_MAGIC_DBC  0x4b444243u   /* "KDBC" */
#define KD_MAGIC_STMT 0x4b53544du   /* "KSTM" */
#define KD_MAGIC_DESC 0x4b444553u   /* "KDES" */
#define KD_MAGIC_DEAD 0xdeadbeefu

enum kd_htype {
  KD_H_ENV = SQL_HANDLE_ENV,
  KD_H_DBC = SQL_HANDLE_DBC,
  KD_H_STMT = SQL_HANDLE_STMT,
  KD_H_DESC = SQL_HANDLE_DESC
};

struct ks_db;
struct ku_log;
struct kd_stmt;

struct kd_hdr {
  unsigned magic;          /* KD_MAGIC_* while alive */
  int type;                /* enum kd_htype */
  struct kd_hdr *parent;   /* env for dbc, dbc for stmt/desc, NULL env */
  struct kd_diag diag;     /* diagnostics of the last call */
  pthread_mutex_t *lock;   /* connection lock (NULL for env) */
};

struct kd_env {
  struct kd_hdr hdr;
  SQLINTEGER odbc_version;   /* SQL_OV_ODBC2/3/3_80 */
  SQLINTEGER pooling;        /* SQL_ATTR_CONNECTION_POOLING (stored) */
  SQLINTEGER cp_match;       /* SQL_ATTR_CP_MATCH (stored) */
  SQLINTEGER output_nts;     /* always SQL_TRUE */
  pthread_mutex_t lock;      /* guards the env's own fields */
  int ndbc;                  /* live connections (SQLFreeHandle HY010) */
};

struct kd_dbc {
  struct kd_hdr hdr;
  struct kd_env *env;
  pthread_mutex_t lock;      /* serialises every call on this connection */
  struct kc_config cfg;      /* settings of the open connection */
  char *dsn;                 /* DSN name used, or NULL */
  struct ks_db *db;          /* SQL engine; NULL when not connected */
  struct ku_log *log;        /* connection log (never NULL once allocated) */
  struct kd_stmt *stmts;     /* statements of this connection (list) */
  int wide;                  /* connected through a W function */
  SQLUINTEGER autocommit;    /* SQL_ATTR_AUTOCOMMIT */
  SQLUINTEGER access_mode;   /* SQL_ATTR_ACCESS_MODE */
  SQLUINTEGER login_timeout; /* SQL_ATTR_LOGIN_TIMEOUT, seconds */
  SQLUINTEGER conn_timeout;  /* SQL_ATTR_CONNECTION_TIMEOUT, seconds */
  SQLUINTEGER txn_isolation; /* SQL_ATTR_TXN_ISOLATION */
  SQLUINTEGER metadata_id;   /* SQL_ATTR_METADATA_ID */
  SQLULEN quiet_mode;        /* SQL_ATTR_QUIET_MODE (stored) */
  char *current_catalog;     /* SQL_ATTR_CURRENT_CATALOG (stored) */
};

/* One record of a descriptor (1-based; record 0 is the bookmark). */
struct kd_desc_rec {
  SQLSMALLINT concise_type;  /* C type (ARD/APD) or SQL type (IRD/IPD) */
  SQLSMALLINT type;          /* verbose type (SQL_DATETIME for dates) */
  SQLSMALLINT datetime_sub;  /* SQL_CODE_DATE etc. */
  SQLPOINTER data_ptr;       /* application buffer (ARD/APD) */
  SQLLEN octet_length;       /* buffer length in bytes (ARD/APD) */
  SQLLEN *octet_length_ptr;  /* length output/input (ARD/APD) */
  SQLLEN *indicator_ptr;     /* indicator output/input (ARD/APD) */
  SQLULEN length;            /* column size in characters (IRD/IPD) */
  SQLSMALLINT precision;
  SQLSMALLINT scale;
  SQLSMALLINT nullable;      /* IRD */
  SQLSMALLINT param_type;    /* IPD: SQL_PARAM_INPUT... */
  SQLSMALLINT unnamed;       /* IRD/IPD */
  SQLLEN display_size;       /* IRD */
  SQLLEN octet_len_ird;      /* IRD: SQL_DESC_OCTET_LENGTH */
  int is_unsigned;           /* IRD */
  char *name;                /* IRD/IPD: column name (UTF-8, owned) */
  char *base_column;         /* IRD (owned, may be NULL) */
  char *table;               /* IRD: table name (owned, may be NULL) */
  char *type_name;           /* IRD: data-source type name (owned) */
};

enum kd_desc_kind { KD_ARD = 0, KD_APD, KD_IRD, KD_IPD };

struct kd_desc {
  struct kd_hdr hdr;
  int kind;                  /* enum kd_desc_kind */
  int user_allocated;        /* SQL_DESC_ALLOC_USER */
  struct kd_stmt *stmt;      /* owning statement (implicit descriptors) */
  struct kd_dbc *dbc;
  SQLSMALLINT count;         /* SQL_DESC_COUNT */
  SQLSMALLINT cap;           /* records allocated (excluding 0) */
  struct kd_desc_rec *recs;  /* recs[0..cap] */
  SQLULEN array_size;        /* SQL_DESC_ARRAY_SIZE */
  SQLUSMALLINT *array_status_ptr;
  SQLULEN *rows_processed_ptr;
  SQLLEN *bind_offset_ptr;
  SQLULEN bind_type;         /* SQL_BIND_BY_COLUMN or row size */
};

enum kd_stmt_state {
  KD_S_ALLOCATED = 0,        /* nothing prepared */
  KD_S_PREPARED,             /* prepared, not executed */
  KD_S_EXECUTED,             /* executed, no result set (DML) */
  KD_S_CURSOR                /* result set open */
};

struct kd_stmt {
  struct kd_hdr hdr;
  struct kd_dbc *dbc;
  struct kd_stmt *next;      /* in dbc->stmts */
  int state;                 /* enum kd_stmt_state */
  sqlite3_stmt *st;          /* prepared statement, NULL when none */
  char *sql;                 /* text as prepared (UTF-8, owned) */
  int ncols;                 /* result columns */
  const SQLSMALLINT *forced_types;  /* catalog results: SQL type per column */
  int have_row;              /* st holds a fetched-but-unread row */
  int at_end;                /* SQLITE_DONE seen */
  int first_pending;         /* the prefetched first row not yet returned */
  SQLLEN row_number;         /* 1-based number of the current row */
  SQLLEN row_count;          /* SQLRowCount */
  int getdata_col;           /* column of the last SQLGetData, 0 none */
  SQLLEN getdata_off;        /* bytes of that column already returned */
  int getdata_done;          /* that column was fully returned */
  struct kd_desc ard_i, apd_i, ird, ipd;   /* implicit descriptors */
  struct kd_desc *ard, *apd; /* current ARD/APD (implicit or user) */
  volatile int cancel;       /* set by SQLCancel from another thread */
  SQLULEN max_rows;          /* SQL_ATTR_MAX_ROWS */
  SQLULEN max_length;        /* SQL_ATTR_MAX_LENGTH */
  SQLULEN query_timeout;     /* SQL_ATTR_QUERY_TIMEOUT */
  SQLULEN cursor_type;       /* SQL_ATTR_CURSOR_TYPE */
  SQLULEN concurrency;       /* SQL_ATTR_CONCURRENCY */
  SQLULEN scrollable;        /* SQL_ATTR_CURSOR_SCROLLABLE */
  SQLULEN sensitivity;       /* SQL_ATTR_CURSOR_SENSITIVITY */
  SQLULEN noscan;            /* SQL_ATTR_NOSCAN */
  SQLULEN retrieve_data;     /* SQL_ATTR_RETRIEVE_DATA */
  SQLULEN use_bookmarks;     /* SQL_ATTR_USE_BOOKMARKS */
  SQLULEN async;             /* SQL_ATTR_ASYNC_ENABLE */
  SQLULEN metadata_id;       /* SQL_ATTR_METADATA_ID */
  SQLULEN keyset_size;       /* SQL_ATTR_KEYSET_SIZE */
  SQLULEN simulate_cursor;   /* SQL_ATTR_SIMULATE_CURSOR */
  SQLULEN rowset_size_odbc2; /* SQL_ROWSET_SIZE (ODBC 2) */
  SQLULEN *rows_fetched_odbc2;  /* SQLExtendedFetch pcrow */
};

/* Validates h as `type`, locks, clears diagnostics.  SQL_INVALID_HANDLE
   if h is NULL or not a live handle of that type. */
SQLRETURN kd_enter(SQLHANDLE h, int type, struct kd_hdr **out);
/* Stores rc as the diag return code, unlocks, returns rc. */
SQLRETURN kd_leave(struct kd_hdr *h, SQLRETURN rc);

/* As kd_enter without clearing diagnostics (SQLGetDiagRec/Field);
   release with kd_unpeek. */
SQLRETURN kd_peek(SQLHANDLE h, int type, struct kd_hdr **out);
void kd_unpeek(struct kd_hdr *h);

/* The environment's ODBC version for a handle of any type. */
SQLINTEGER kd_odbc_version(const struct kd_hdr *h);

#endif
