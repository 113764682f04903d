/*
 * conn.c - connecting and disconnecting, connection attributes.
 * See conn.h.
 */
#include "conn.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "connstr.h"
#include "desc.h"
#include "exec.h"
#include "strout.h"
#include "../kintone/kc_error.h"
#include "../sql/ks_db.h"
#include "../util/ku_log.h"
#include "../util/ku_mem.h"

/* Opens the connection log: LogFile/LogLevel, else the environment. */
static struct ku_log *open_log(const struct kc_config *cfg)
{
  const char *path = cfg->log_file;
  int level = cfg->log_level;
  const char *env;

  if(!path || !*path) {
    path = getenv("KINTONE_ODBC_LOG");
    env = getenv("KINTONE_ODBC_LOGLEVEL");
    if(path && !level)
      level = env ? atoi(env) : KU_LOG_INFO;
  }
  else if(!level)
    level = KU_LOG_INFO;
  return ku_log_new(path, level);
}

SQLRETURN kd_dbc_connect(struct kd_dbc *dbc, const char *connstr,
                         struct ku_buf *out)
{
  struct kd_connstr cs;
  struct kc_config cfg;
  struct kc_err err;
  struct ku_buf unknown;
  struct ku_log *log;
  struct ks_db *db = NULL;
  char perr[256];
  int rc;
  SQLRETURN ret = SQL_SUCCESS;

  if(dbc->db)
    return kd_diag_post(&dbc->hdr, KD_E_ALREADY_CONNECTED, 0, NULL);
  rc = kd_connstr_parse(connstr, -1, &cs, perr, sizeof(perr));
  if(rc == KD_CS_ENOMEM)
    return kd_diag_post(&dbc->hdr, KD_E_NOMEM, 0, NULL);
  if(rc)
    return kd_diag_post(&dbc->hdr, KD_E_CONNECT, 0,
                        "invalid connection string: %s", perr);
  ku_buf_init(&unknown, 4096);
  rc = kd_config_build(&cs, kd_dsn_lookup_odbcini, &cfg, &unknown, &err);
  if(!rc && dbc->login_timeout > 0)
    cfg.connect_timeout_s = (long)dbc->login_timeout;
  if(!rc)
    rc = kc_config_validate(&cfg, &err);
  if(rc) {
    int no_dsn = err.kind == KC_EK_CONFIG && kd_connstr_get(&cs, "DSN") &&
                 strstr(err.message, "data source name");
    kd_connstr_free(&cs);
    ku_buf_cleanup(&unknown);
    kc_config_cleanup(&cfg);
    if(no_dsn)
      return kd_diag_post(&dbc->hdr, KD_E_NO_DSN, 0, "%s", err.message);
    if(err.kind == KC_EK_NOMEM)
      return kd_diag_post(&dbc->hdr, KD_E_NOMEM, 0, NULL);
    return kd_diag_post(&dbc->hdr, KD_E_CONNECT, 0, "%s", err.message);
  }
  log = open_log(&cfg);
  if(!log) {
    kd_connstr_free(&cs);
    ku_buf_cleanup(&unknown);
    kc_config_cleanup(&cfg);
    return kd_diag_post(&dbc->hdr, KD_E_NOMEM, 0, NULL);
  }
  KLOG(log, KU_LOG_INFO, "conn", "connecting to %s (auth %d, %zu app ids)",
       cfg.url, cfg.auth_scheme, cfg.n_app_ids);
  rc = ks_db_open(&cfg, log, &db, &err);
  if(!rc && kd_catalog_register(ks_db_sqlite(db)) != SQLITE_OK) {
    ks_db_close(db);
    db = NULL;
    rc = kc_err_set(&err, KC_EK_NOMEM, 0, "out of memory");
  }
  if(rc) {
    KLOG(log, KU_LOG_ERROR, "conn", "connect failed: %s", err.message);
    /* a config error found while connecting is a connect failure; a
       guest-space app named without GuestSpaceId (GAIA_IL23) too */
    if(err.kind == KC_EK_CONFIG && err.code[0])
      ret = kd_diag_post(&dbc->hdr, KD_E_CONNECT, err.native,
                         "%s (code=%s, id=%s)", err.message, err.code,
                         err.id);
    else if(err.kind == KC_EK_CONFIG)
      ret = kd_diag_post(&dbc->hdr, KD_E_CONNECT, 0, "%s", err.message);
    else
      ret = kd_diag_post_kc(&dbc->hdr, &err);
    ku_log_free(log);
    kd_connstr_free(&cs);
    ku_buf_cleanup(&unknown);
    kc_config_cleanup(&cfg);
    return ret;
  }
  /* everything that can fail happens before the connection is kept, so
     a failed connect leaves the handle unconnected and freeable */
  ku_free(dbc->dsn);
  dbc->dsn = NULL;
  if((kd_connstr_get(&cs, "DSN") &&
      !(dbc->dsn = ku_strdup(kd_connstr_get(&cs, "DSN")))) ||
     (out && kd_connstr_write(&cs, out, 0))) {
    ks_db_close(db);
    ku_log_free(log);
    kd_connstr_free(&cs);
    ku_buf_cleanup(&unknown);
    kc_config_cleanup(&cfg);
    return kd_diag_post(&dbc->hdr, KD_E_NOMEM, 0, NULL);
  }
  dbc->db = db;
  dbc->log = log;
  dbc->cfg = cfg;             /* ownership moves to dbc */
  if(unknown.len && ret == SQL_SUCCESS)
    ret = kd_diag_post(&dbc->hdr, KD_E_UNKNOWN_KEYWORD, 0,
                       "unknown connection attributes ignored: %s",
                       ku_buf_cstr(&unknown));
  KLOG(log, KU_LOG_INFO, "conn", "connected: %zu tables",
       ks_db_table_count(db));
  kd_connstr_free(&cs);
  ku_buf_cleanup(&unknown);
  return ret;
}

SQLRETURN kd_dbc_disconnect(struct kd_dbc *dbc)
{
  if(!dbc->db)
    return kd_diag_post(&dbc->hdr, KD_E_NOT_CONNECTED, 0, NULL);
  /* applications (pyodbc) disconnect with statements still allocated */
  while(dbc->stmts)
    kd_stmt_free(dbc->stmts);
  kd_desc_free_all(dbc);
  ks_db_close(dbc->db);
  dbc->db = NULL;
  KLOG(dbc->log, KU_LOG_INFO, "conn", "disconnected");
  ku_log_free(dbc->log);
  dbc->log = NULL;
  kc_config_cleanup(&dbc->cfg);
  ku_free(dbc->dsn);
  dbc->dsn = NULL;
  return SQL_SUCCESS;
}

SQLRETURN kd_dbc_set_attr(struct kd_dbc *dbc, SQLINTEGER attr,
                          SQLPOINTER val, SQLINTEGER len, int wide)
{
  SQLULEN v = (SQLULEN)(uintptr_t)val;

  switch(attr) {
  case SQL_ATTR_AUTOCOMMIT:
    if(v != SQL_AUTOCOMMIT_ON && v != SQL_AUTOCOMMIT_OFF)
      return kd_diag_post(&dbc->hdr, KD_E_BAD_ATTR_VALUE, 0, NULL);
    dbc->autocommit = (SQLUINTEGER)v;
    return SQL_SUCCESS;
  case SQL_ATTR_ACCESS_MODE:
    dbc->access_mode = (SQLUINTEGER)v;
    return SQL_SUCCESS;
  case SQL_ATTR_LOGIN_TIMEOUT:
    dbc->login_timeout = (SQLUINTEGER)v;
    return SQL_SUCCESS;
  case SQL_ATTR_CONNECTION_TIMEOUT:
    dbc->conn_timeout = (SQLUINTEGER)v;
    return SQL_SUCCESS;
  case SQL_ATTR_TXN_ISOLATION:
    dbc->txn_isolation = (SQLUINTEGER)v;
    return SQL_SUCCESS;
  case SQL_ATTR_METADATA_ID:
    dbc->metadata_id = (SQLUINTEGER)v;
    return SQL_SUCCESS;
  case SQL_ATTR_QUIET_MODE:
    dbc->quiet_mode = v;
    return SQL_SUCCESS;
  case SQL_ATTR_CURRENT_CATALOG: {
    char *s = NULL;
    SQLRETURN r = kd_in_str(&dbc->hdr, wide, val, len, &s);
    if(!SQL_SUCCEEDED(r))
      return r;
    ku_free(dbc->current_catalog);
    dbc->current_catalog = s;
    return SQL_SUCCESS;
  }
  case SQL_ATTR_ODBC_CURSORS:
  case SQL_ATTR_TRACE:
  case SQL_ATTR_TRACEFILE:
  case SQL_ATTR_TRANSLATE_LIB:
  case SQL_ATTR_TRANSLATE_OPTION:
  case SQL_ATTR_PACKET_SIZE:
    /* driver-manager business or meaningless over HTTPS: accepted */
    return SQL_SUCCESS;
  default:
    return kd_diag_post(&dbc->hdr, KD_E_BAD_ATTR, 0,
                        "connection attribute %d is not supported",
                        (int)attr);
  }
}

SQLRETURN kd_dbc_get_attr(struct kd_dbc *dbc, SQLINTEGER attr,
                          SQLPOINTER val, SQLINTEGER buflen,
                          SQLINTEGER *outlen, int wide)
{
  SQLUINTEGER u;

  switch(attr) {
  case SQL_ATTR_AUTOCOMMIT:
    u = dbc->autocommit;
    break;
  case SQL_ATTR_ACCESS_MODE:
    u = dbc->access_mode;
    break;
  case SQL_ATTR_LOGIN_TIMEOUT:
    u = dbc->login_timeout;
    break;
  case SQL_ATTR_CONNECTION_TIMEOUT:
    u = dbc->conn_timeout;
    break;
  case SQL_ATTR_TXN_ISOLATION:
    u = dbc->txn_isolation;
    break;
  case SQL_ATTR_METADATA_ID:
    u = dbc->metadata_id;
    break;
  case SQL_ATTR_CONNECTION_DEAD:
    u = dbc->db ? SQL_CD_FALSE : SQL_CD_TRUE;
    break;
  case SQL_ATTR_QUIET_MODE:
    if(val)
      *(SQLULEN *)val = dbc->quiet_mode;
    if(outlen)
      *outlen = sizeof(SQLULEN);
    return SQL_SUCCESS;
  case SQL_ATTR_CURRENT_CATALOG:
    return kd_out_str_i(&dbc->hdr, wide,
                        dbc->current_catalog ? dbc->current_catalog : "",
                        val, buflen, outlen, 1);
  default:
    return kd_diag_post(&dbc->hdr, KD_E_BAD_ATTR, 0,
                        "connection attribute %d is not supported",
                        (int)attr);
  }
  if(val)
    *(SQLUINTEGER *)val = u;
  if(outlen)
    *outlen = sizeof(SQLUINTEGER);
  return SQL_SUCCESS;
}
