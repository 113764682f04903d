/*
 * kc_error.c - error records of the Kintone client layer.  See kc_error.h.
 */
#include "kc_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void kc_err_clear(struct kc_err *err)
{
  if(err)
    memset(err, 0, sizeof(*err));
}

int kc_err_rc(int kind)
{
  switch(kind) {
  case KC_EK_NONE:
    return KC_OK;
  case KC_EK_NOMEM:
    return KC_ENOMEM;
  case KC_EK_CONFIG:
    return KC_ECONFIG;
  case KC_EK_CONNECT:
  case KC_EK_LINK:
  case KC_EK_TIMEOUT:
    return KC_ENET;
  case KC_EK_PROTOCOL:
    return KC_EPROTO;
  case KC_EK_CANCELLED:
    return KC_ECANCEL;
  default:
    return KC_EAPI;
  }
}

int kc_err_set(struct kc_err *err, int kind, long native, const char *fmt,
               ...)
{
  va_list ap;

  if(!err)
    return kc_err_rc(kind);
  kc_err_clear(err);
  err->kind = kind;
  err->native = native;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof(err->message), fmt, ap);
  va_end(ap);
  return kc_err_rc(kind);
}

int kc_err_cancelled(struct kc_err *err)
{
  return kc_err_set(err, KC_EK_CANCELLED, 0,
                    "cancelled by the application (SQLCancel)");
}
