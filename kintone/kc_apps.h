/*
 * kc_apps.h - the apps a connection can see.
 *
 * Layer: kintone.  With AppId set, exactly those apps (one app.json
 * request each, which also proves that the credentials can read them);
 * otherwise every app apps.json lists (paged by 100), restricted to the
 * guest space when GuestSpaceId is set.
 */
#ifndef KC_APPS_H
#define KC_APPS_H

#include <stddef.h>

#include "kc_error.h"

struct kc_client;

struct kc_app {
  long long id;           /* app id */
  char *code;             /* app code, "" when unset (owned) */
  char *name;             /* app name (owned) */
  char *description;      /* app description, HTML, "" when none (owned) */
  long long space_id;     /* 0 when not in a space */
};

int kc_apps_list(struct kc_client *c, struct kc_app **apps, size_t *n,
                 struct kc_err *err);
void kc_apps_free(struct kc_app *apps, size_t n);

#endif
