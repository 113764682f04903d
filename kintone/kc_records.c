/*
 * kc_records.c - reading records.  See kc_records.h.
 */
#include "kc_records.h"

#include <string.h>

#include "kc_client.h"
#include "../net/kj_json.h"
#include "../util/ku_log.h"

int kc_records_get(struct kc_client *c, long long app,
                   const char *const *fields, size_t nfields,
                   const char *query, int total_count, struct kc_page *page,
                   struct kc_err *err)
{
  struct kc_params p;
  yajl_val root, recs;
  size_t i;
  int rc;

  memset(page, 0, sizeof(*page));
  page->total_count = -1;
  kc_params_init(&p);
  kc_params_addf(&p, "app", "%lld", app);
  for(i = 0; i < nfields; i++)
    kc_params_add_at(&p, "fields", i, fields[i]);
  if(query && *query)
    kc_params_add(&p, "query", query);
  if(total_count)
    kc_params_add(&p, "totalCount", "true");
  KLOG(kc_client_log(c), KU_LOG_INFO, "kintone",
       "records app=%lld query=[%s] fields=%zu", app, query ? query : "",
       nfields);
  rc = kc_client_get(c, "records", &p, &root, err);
  kc_params_cleanup(&p);
  if(rc)
    return rc;
  recs = kj_get(root, "records");
  if(!recs || !YAJL_IS_ARRAY(recs)) {
    yajl_tree_free(root);
    return kc_err_set(err, KC_EK_PROTOCOL, 0,
                      "unexpected records.json response: no records array");
  }
  page->root = root;
  page->records = recs;
  page->count = recs->u.array.len;
  if(total_count)
    page->total_count = kj_int(kj_get(root, "totalCount"), -1);
  return KC_OK;
}

yajl_val kc_page_record(const struct kc_page *page, size_t i)
{
  return i < page->count ? page->records->u.array.values[i] : NULL;
}

void kc_page_free(struct kc_page *page)
{
  if(page->root)
    yajl_tree_free(page->root);
  memset(page, 0, sizeof(*page));
  page->total_count = -1;
}
