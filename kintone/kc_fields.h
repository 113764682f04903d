/*
 * kc_fields.h - form field metadata of an app (app/form/fields.json).
 *
 * Layer: kintone.
 */
#ifndef KC_FIELDS_H
#define KC_FIELDS_H

#include <stddef.h>

#include "kc_error.h"

struct kc_client;

enum kc_ftype {
  KC_F_UNKNOWN = 0,
  KC_F_ID,               /* $id (__ID__) */
  KC_F_REVISION,         /* $revision (__REVISION__) */
  KC_F_RECORD_NUMBER,
  KC_F_CREATOR,
  KC_F_CREATED_TIME,
  KC_F_MODIFIER,
  KC_F_UPDATED_TIME,
  KC_F_SINGLE_LINE_TEXT,
  KC_F_MULTI_LINE_TEXT,
  KC_F_RICH_TEXT,
  KC_F_LINK,
  KC_F_NUMBER,
  KC_F_CALC,
  KC_F_RADIO_BUTTON,
  KC_F_DROP_DOWN,
  KC_F_CHECK_BOX,
  KC_F_MULTI_SELECT,
  KC_F_DATE,
  KC_F_TIME,
  KC_F_DATETIME,
  KC_F_USER_SELECT,
  KC_F_ORGANIZATION_SELECT,
  KC_F_GROUP_SELECT,
  KC_F_FILE,
  KC_F_SUBTABLE,
  KC_F_CATEGORY,
  KC_F_STATUS,
  KC_F_STATUS_ASSIGNEE,
  KC_F_GROUP,
  KC_F_REFERENCE_TABLE,
  KC_F_LABEL,
  KC_F_SPACER,
  KC_F_HR
};

struct kc_field {
  char *code;              /* field code (owned) */
  char *label;             /* label (owned) */
  int type;                /* enum kc_ftype */
  char *type_name;         /* Kintone's type name as sent (owned) */
  int required;
  int unique;
  int enabled;             /* STATUS/CATEGORY/ASSIGNEE: process mgmt on */
  long max_length;         /* SINGLE_LINE_TEXT/LINK maxLength, 0 unset */
  char *format;            /* CALC format (NUMBER, DATE...), owned or NULL */
  int is_lookup;           /* has a lookup definition */
  char **options;          /* selection fields: option keys (owned) */
  size_t noptions;
  struct kc_field *sub;    /* SUBTABLE: inner fields */
  size_t nsub;
};

struct kc_form {
  long long app;
  struct kc_field *fields; /* in the order fields.json lists them */
  size_t n;
  char *revision;          /* settings revision (owned) */
};

int kc_ftype_from_name(const char *name);
const char *kc_ftype_name(int type);

/* Fetches and parses the fields of `app`. */
int kc_form_get(struct kc_client *c, long long app, struct kc_form **out,
                struct kc_err *err);
/*
 * The forms of n apps, their requests sent together (up to MaxConcurrency
 * in flight): out[i] for apps[i].  On a failure, the first in order is
 * the error and the forms before it are still set (the caller frees
 * every non-NULL out[i]).
 */
int kc_form_get_many(struct kc_client *c, const long long *apps, size_t n,
                     struct kc_form **out, struct kc_err *err);
void kc_form_free(struct kc_form *f);     /* accepts NULL */

#endif
