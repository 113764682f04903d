/*
 * sqlstate.h - the driver's error kinds and their SQLSTATEs.
 *
 * Layer: driver.  The only place SQLSTATE strings live is sqlstate.c:
 * everything else names an error by its enum kd_err.  Each entry knows
 * its ODBC 3 SQLSTATE, its ODBC 2 SQLSTATE (when the environment asked
 * for SQL_OV_ODBC2), a default message, and whether it is a warning
 * (SQL_SUCCESS_WITH_INFO) or an error (SQL_ERROR).
 */
#ifndef KD_SQLSTATE_H
#define KD_SQLSTATE_H

enum kd_err {
  KD_E_GENERAL = 0,        /* HY000 general error */
  KD_E_TRUNCATED,          /* 01004 string data, right truncated (warn) */
  KD_E_OPTION_CHANGED,     /* 01S02 option value changed (warn) */
  KD_E_UNKNOWN_KEYWORD,    /* 01S00 invalid connection string attribute (warn) */
  KD_E_FRACTION_TRUNC,     /* 01S07 fractional truncation (warn) */
  KD_E_WARNING,            /* 01000 general warning (warn) */
  KD_E_RESTRICTED_TYPE,    /* 07006 restricted data type attribute violation */
  KD_E_BAD_COLUMN,         /* 07009 invalid descriptor index */
  KD_E_WRONG_PARAM_COUNT,  /* 07002 COUNT field incorrect */
  KD_E_CONNECT,            /* 08001 client unable to establish connection */
  KD_E_ALREADY_CONNECTED,  /* 08002 connection name in use */
  KD_E_NOT_CONNECTED,      /* 08003 connection not open */
  KD_E_LINK,               /* 08S01 communication link failure */
  KD_E_STRING_TRUNC,       /* 22001 string data, right truncation (error) */
  KD_E_INDICATOR_NEEDED,   /* 22002 indicator variable required */
  KD_E_NUMERIC_RANGE,      /* 22003 numeric value out of range */
  KD_E_DATETIME_FORMAT,    /* 22007 invalid datetime format */
  KD_E_DATETIME_OVERFLOW,  /* 22008 datetime field overflow */
  KD_E_BAD_CAST,           /* 22018 invalid character value for cast */
  KD_E_CONSTRAINT,         /* 23000 integrity constraint violation */
  KD_E_CURSOR_STATE,       /* 24000 invalid cursor state */
  KD_E_TXN_STATE,          /* 25000 invalid transaction state */
  KD_E_AUTH,               /* 28000 invalid authorization specification */
  KD_E_CONFLICT,           /* 40001 serialization failure (revision) */
  KD_E_UNKNOWN_OUTCOME,    /* 40003 statement completion unknown */
  KD_E_SYNTAX,             /* 42000 syntax error or access violation */
  KD_E_NO_TABLE,           /* 42S02 base table or view not found */
  KD_E_NO_COLUMN,          /* 42S22 column not found */
  KD_E_NOMEM,              /* HY001 memory allocation error */
  KD_E_BAD_DATA_TYPE,      /* HY003 invalid application buffer type */
  KD_E_BAD_SQL_TYPE,       /* HY004 invalid SQL data type */
  KD_E_CANCELLED,          /* HY008 operation canceled */
  KD_E_NULL_POINTER,       /* HY009 invalid use of null pointer */
  KD_E_SEQUENCE,           /* HY010 function sequence error */
  KD_E_ATTR_NOW,           /* HY011 attribute cannot be set now */
  KD_E_BAD_TXN_OP,         /* HY012 invalid transaction operation code */
  KD_E_NO_DATA_BOUND,      /* HY019 non-character data sent in pieces */
  KD_E_BAD_ATTR_VALUE,     /* HY024 invalid attribute value */
  KD_E_BAD_BUFLEN,         /* HY090 invalid string or buffer length */
  KD_E_BAD_DESC_FIELD,     /* HY091 invalid descriptor field identifier */
  KD_E_BAD_ATTR,           /* HY092 invalid attribute/option identifier */
  KD_E_BAD_INFO_TYPE,      /* HY096 information type out of range */
  KD_E_BAD_FETCH_TYPE,     /* HY106 fetch type out of range */
  KD_E_BAD_ROW,            /* HY107 row value out of range */
  KD_E_BAD_CURSOR_POS,     /* HY109 invalid cursor position */
  KD_E_BAD_COMPLETION,     /* HY110 invalid driver completion */
  KD_E_NOT_CAPABLE,        /* HYC00 optional feature not implemented */
  KD_E_TIMEOUT,            /* HYT00 timeout expired */
  KD_E_CONN_TIMEOUT,       /* HYT01 connection timeout expired */
  KD_E_NO_DSN,             /* IM002 data source name not found */
  KD_E_DIALOG,             /* IM008 dialog failed (prompting unsupported) */
  KD_E__COUNT
};

/* ODBC 3 SQLSTATE of `e` (5 chars + NUL). */
const char *kd_sqlstate(enum kd_err e, int odbc2);
/* Default message text of `e`. */
const char *kd_err_text(enum kd_err e);
/* 1 if `e` is a warning (SQL_SUCCESS_WITH_INFO), 0 if an error. */
int kd_err_is_warning(enum kd_err e);
/* The driver error for a Kintone client error kind (enum kc_err_kind). */
enum kd_err kd_err_from_kc(int kc_kind);

#endif
