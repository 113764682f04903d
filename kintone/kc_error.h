/*
 * kc_error.h - errors of the Kintone client layer.
 *
 * Layer: kintone.  Functions return an enum kc_rc and describe a failure
 * in a struct kc_err, which the sql layer parks in its connection context
 * and the driver maps to a SQLSTATE (driver/sqlstate.c) by `kind`.
 */
#ifndef KC_ERROR_H
#define KC_ERROR_H

#include <stddef.h>

enum kc_rc {
  KC_OK = 0,
  KC_ENOMEM,
  KC_ECONFIG,      /* invalid connection settings */
  KC_ENET,         /* transport failure */
  KC_EAPI,         /* Kintone answered with an error */
  KC_EPROTO,       /* malformed or unexpected response */
  KC_ECANCEL       /* cancelled by the application */
};

/* What kind of failure, independent of how it was detected. */
enum kc_err_kind {
  KC_EK_NONE = 0,
  KC_EK_NOMEM,         /* HY001 */
  KC_EK_CONFIG,        /* HY000/08001: a connection property is wrong */
  KC_EK_CONNECT,       /* 08001: DNS, TCP, TLS at connect */
  KC_EK_LINK,          /* 08S01: connection lost during a request */
  KC_EK_TIMEOUT,       /* HYT00 */
  KC_EK_AUTH,          /* 28000: credentials rejected */
  KC_EK_PERMISSION,    /* 42000: no privilege */
  KC_EK_NOT_FOUND,     /* 42S02: app (or record) does not exist */
  KC_EK_BAD_QUERY,     /* 42000: Kintone rejected the query */
  KC_EK_INVALID,       /* HY000: Kintone rejected the input */
  KC_EK_CONFLICT,      /* 40001: revision conflict */
  KC_EK_THROTTLED,     /* HY000: concurrency/cursor limits after retries */
  KC_EK_PROTOCOL,      /* 08S01: bad JSON or unexpected response */
  KC_EK_SERVER,        /* HY000: 5xx */
  KC_EK_CANCELLED,     /* HY008 */
  KC_EK_UNKNOWN_OUTCOME, /* 40003: a write whose outcome is unknown */
  KC_EK_CONSTRAINT,    /* 23000: required/unique violated */
  KC_EK_STRING_TRUNC,  /* 22001: text longer than the field allows */
  KC_EK_NUMERIC_RANGE, /* 22003: number out of the field's range */
  KC_EK_DATETIME,      /* 22007: not a valid date/time */
  KC_EK_BAD_VALUE,     /* 22018: not a number / not an option */
  KC_EK_UNSUPPORTED    /* HYC00: a feature the driver does not offer */
};

struct kc_err {
  int kind;            /* enum kc_err_kind */
  long http_status;    /* HTTP status, 0 if none */
  long native;         /* curl code for transport errors, else status */
  char code[40];       /* Kintone error code ("CB_WA01"), "" if none */
  char id[64];         /* Kintone error id, "" if none */
  char message[1024];  /* human-readable, secrets never included */
};

void kc_err_clear(struct kc_err *err);
/* Sets kind/native and formats message; returns the matching kc_rc. */
int kc_err_set(struct kc_err *err, int kind, long native, const char *fmt,
               ...) __attribute__((format(printf, 4, 5)));
/* The error of a request stopped by SQLCancel (KC_EK_CANCELLED). */
int kc_err_cancelled(struct kc_err *err);
/* Maps a kind to the kc_rc a function should return with it. */
int kc_err_rc(int kind);

#endif
