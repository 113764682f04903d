/*
 * sqlstate.c - the table of driver error kinds: SQLSTATEs and texts.
 *
 * Layer: driver.  The only file that spells SQLSTATE strings.  Every
 * enum kd_err has one row holding its ODBC 3 SQLSTATE, the ODBC 2 state
 * an application that set SQL_ATTR_ODBC_VERSION=SQL_OV_ODBC2 gets
 * instead (ODBC 3.8 "SQLSTATE Mappings": HYxxx -> S1xxx, 42Sxx -> S00xx,
 * 42000 -> 37000, 22018 -> 22005, 22007 -> 22008, HY019 -> 22003,
 * 07009 -> S1002, HY024 -> S1009, HYT01 -> S1T00), the default English
 * message and whether it is a warning.
 *
 *   const char *st = kd_sqlstate(KD_E_NO_TABLE, 0);    "42S02"
 *   const char *st2 = kd_sqlstate(KD_E_NO_TABLE, 1);   "S0002"
 */
#include "sqlstate.h"

#include "../kintone/kc_error.h"

struct state_row {
  const char *odbc3;       /* ODBC 3 SQLSTATE */
  const char *odbc2;       /* ODBC 2 SQLSTATE */
  const char *text;        /* default message */
  int warning;             /* 1: SQL_SUCCESS_WITH_INFO */
};

static const struct state_row rows[KD_E__COUNT] = {
  [KD_E_GENERAL] = {"HY000", "S1000", "General error", 0},
  [KD_E_TRUNCATED] = {"01004", "01004", "String data, right truncated", 1},
  [KD_E_OPTION_CHANGED] = {"01S02", "01S02", "Option value changed", 1},
  [KD_E_UNKNOWN_KEYWORD] = {"01S00", "01S00",
                            "Invalid connection string attribute", 1},
  [KD_E_FRACTION_TRUNC] = {"01S07", "01S07", "Fractional truncation", 1},
  [KD_E_WARNING] = {"01000", "01000", "General warning", 1},
  [KD_E_RESTRICTED_TYPE] = {"07006", "07006",
                            "Restricted data type attribute violation", 0},
  [KD_E_BAD_COLUMN] = {"07009", "S1002", "Invalid descriptor index", 0},
  [KD_E_WRONG_PARAM_COUNT] = {"07002", "07001", "COUNT field incorrect", 0},
  [KD_E_CONNECT] = {"08001", "08001",
                    "Client unable to establish connection", 0},
  [KD_E_ALREADY_CONNECTED] = {"08002", "08002", "Connection name in use", 0},
  [KD_E_NOT_CONNECTED] = {"08003", "08003", "Connection not open", 0},
  [KD_E_LINK] = {"08S01", "08S01", "Communication link failure", 0},
  [KD_E_STRING_TRUNC] = {"22001", "22001",
                         "String data, right truncation", 0},
  [KD_E_INDICATOR_NEEDED] = {"22002", "22002",
                             "Indicator variable required but not "
                             "supplied", 0},
  [KD_E_NUMERIC_RANGE] = {"22003", "22003", "Numeric value out of range",
                          0},
  [KD_E_DATETIME_FORMAT] = {"22007", "22008", "Invalid datetime format", 0},
  [KD_E_DATETIME_OVERFLOW] = {"22008", "22008", "Datetime field overflow",
                              0},
  [KD_E_BAD_CAST] = {"22018", "22005",
                     "Invalid character value for cast specification", 0},
  [KD_E_CONSTRAINT] = {"23000", "23000",
                       "Integrity constraint violation", 0},
  [KD_E_CURSOR_STATE] = {"24000", "24000", "Invalid cursor state", 0},
  [KD_E_TXN_STATE] = {"25000", "25000", "Invalid transaction state", 0},
  [KD_E_AUTH] = {"28000", "28000", "Invalid authorization specification",
                 0},
  [KD_E_CONFLICT] = {"40001", "40001", "Serialization failure", 0},
  [KD_E_UNKNOWN_OUTCOME] = {"40003", "40003",
                            "Statement completion unknown", 0},
  [KD_E_SYNTAX] = {"42000", "37000", "Syntax error or access violation", 0},
  [KD_E_NO_TABLE] = {"42S02", "S0002", "Base table or view not found", 0},
  [KD_E_NO_COLUMN] = {"42S22", "S0022", "Column not found", 0},
  [KD_E_NOMEM] = {"HY001", "S1001", "Memory allocation error", 0},
  [KD_E_BAD_DATA_TYPE] = {"HY003", "S1003",
                          "Invalid application buffer type", 0},
  [KD_E_BAD_SQL_TYPE] = {"HY004", "S1004", "Invalid SQL data type", 0},
  [KD_E_CANCELLED] = {"HY008", "S1008", "Operation canceled", 0},
  [KD_E_NULL_POINTER] = {"HY009", "S1009", "Invalid use of null pointer",
                         0},
  [KD_E_SEQUENCE] = {"HY010", "S1010", "Function sequence error", 0},
  [KD_E_ATTR_NOW] = {"HY011", "S1011", "Attribute cannot be set now", 0},
  [KD_E_BAD_TXN_OP] = {"HY012", "S1012",
                       "Invalid transaction operation code", 0},
  [KD_E_NO_DATA_BOUND] = {"HY019", "22003",
                          "Non-character and non-binary data sent in "
                          "pieces", 0},
  [KD_E_BAD_ATTR_VALUE] = {"HY024", "S1009", "Invalid attribute value", 0},
  [KD_E_BAD_BUFLEN] = {"HY090", "S1090", "Invalid string or buffer length",
                       0},
  [KD_E_BAD_DESC_FIELD] = {"HY091", "S1091",
                           "Invalid descriptor field identifier", 0},
  [KD_E_BAD_ATTR] = {"HY092", "S1092",
                     "Invalid attribute/option identifier", 0},
  [KD_E_BAD_INFO_TYPE] = {"HY096", "S1096", "Information type out of range",
                          0},
  [KD_E_BAD_FETCH_TYPE] = {"HY106", "S1106", "Fetch type out of range", 0},
  [KD_E_BAD_ROW] = {"HY107", "S1107", "Row value out of range", 0},
  [KD_E_BAD_CURSOR_POS] = {"HY109", "S1109", "Invalid cursor position", 0},
  [KD_E_BAD_COMPLETION] = {"HY110", "S1110", "Invalid driver completion",
                           0},
  [KD_E_NOT_CAPABLE] = {"HYC00", "S1C00",
                        "Optional feature not implemented", 0},
  [KD_E_TIMEOUT] = {"HYT00", "S1T00", "Timeout expired", 0},
  [KD_E_CONN_TIMEOUT] = {"HYT01", "S1T00", "Connection timeout expired", 0},
  [KD_E_NO_DSN] = {"IM002", "IM002",
                   "Data source name not found and no default driver "
                   "specified", 0},
  [KD_E_DIALOG] = {"IM008", "IM008", "Dialog failed", 0}
};

/* The row of e; out-of-range kinds fall back to the general error. */
static const struct state_row *row_of(enum kd_err e)
{
  if((int)e < 0 || e >= KD_E__COUNT || !rows[e].odbc3)
    return &rows[KD_E_GENERAL];
  return &rows[e];
}

/* ODBC 3 (or with odbc2 set, ODBC 2) SQLSTATE of e; static string. */
const char *kd_sqlstate(enum kd_err e, int odbc2)
{
  const struct state_row *r = row_of(e);

  return odbc2 ? r->odbc2 : r->odbc3;
}

/* Default English text of e; static string. */
const char *kd_err_text(enum kd_err e)
{
  return row_of(e)->text;
}

/* 1 for the 01xxx warning kinds, 0 for errors. */
int kd_err_is_warning(enum kd_err e)
{
  return row_of(e)->warning;
}

/*
 * Maps enum kc_err_kind to a driver error.  KC_EK_CONFIG becomes HY000,
 * not 08001: kc_config_validate() reports it before any network traffic,
 * and 08001 would tell tools (and users) to look at the network when the
 * fix is a wrong connection property; the message names the property.
 * THROTTLED and SERVER are HY000 as Kintone may succeed on a later try
 * and no SQLSTATE class describes "server busy" better.
 */
enum kd_err kd_err_from_kc(int kc_kind)
{
  switch(kc_kind) {
  case KC_EK_NOMEM:
    return KD_E_NOMEM;
  case KC_EK_CONNECT:
    return KD_E_CONNECT;
  case KC_EK_LINK:
  case KC_EK_PROTOCOL:
    return KD_E_LINK;
  case KC_EK_TIMEOUT:
    return KD_E_TIMEOUT;
  case KC_EK_AUTH:
    return KD_E_AUTH;
  case KC_EK_PERMISSION:
  case KC_EK_BAD_QUERY:
    return KD_E_SYNTAX;
  case KC_EK_NOT_FOUND:
    return KD_E_NO_TABLE;
  case KC_EK_CONFLICT:
    return KD_E_CONFLICT;
  case KC_EK_CANCELLED:
    return KD_E_CANCELLED;
  case KC_EK_UNKNOWN_OUTCOME:
    return KD_E_UNKNOWN_OUTCOME;
  case KC_EK_CONSTRAINT:
    return KD_E_CONSTRAINT;
  case KC_EK_STRING_TRUNC:
    return KD_E_STRING_TRUNC;
  case KC_EK_NUMERIC_RANGE:
    return KD_E_NUMERIC_RANGE;
  case KC_EK_DATETIME:
    return KD_E_DATETIME_FORMAT;
  case KC_EK_BAD_VALUE:
    return KD_E_BAD_CAST;
  case KC_EK_UNSUPPORTED:
    return KD_E_NOT_CAPABLE;
  case KC_EK_CONFIG:
  case KC_EK_INVALID:
  case KC_EK_THROTTLED:
  case KC_EK_SERVER:
  default:
    return KD_E_GENERAL;
  }
}
