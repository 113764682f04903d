/*
 * scan_cache.c - complete scans kept for one statement.  See
 * scan_cache.h.
 */
#include "scan_cache.h"

#include <string.h>
#include <sqlite3.h>

#include "ks_int.h"

struct ks_scan *ks_scan_new(const char *key)
{
  struct ks_scan *s = sqlite3_malloc(sizeof(*s));

  if(!s)
    return NULL;
  memset(s, 0, sizeof(*s));
  s->key = sqlite3_mprintf("%s", key);
  if(!s->key) {
    sqlite3_free(s);
    return NULL;
  }
  return s;
}

int ks_scan_add_page(struct ks_scan *s, struct kc_page *page)
{
  if(s->nrecords + page->count > KS_SCAN_MAX_RECORDS ||
     s->bytes + page->bytes > KS_SCAN_MAX_BYTES)
    return 1;
  if(s->npages == s->cap) {
    size_t ncap = s->cap ? s->cap * 2 : 8;
    struct kc_page *p = sqlite3_realloc64(s->pages, ncap * sizeof(*p));
    if(!p)
      return 1;
    s->pages = p;
    s->cap = ncap;
  }
  s->pages[s->npages++] = *page;
  s->nrecords += page->count;
  s->bytes += page->bytes;
  memset(page, 0, sizeof(*page));
  page->total_count = -1;
  return 0;
}

void ks_scan_free(struct ks_scan *s)
{
  size_t i;

  if(!s)
    return;
  for(i = 0; i < s->npages; i++)
    kc_page_free(&s->pages[i]);
  sqlite3_free(s->pages);
  sqlite3_free(s->key);
  sqlite3_free(s);
}

static size_t cached_bytes(struct ks_db *db)
{
  size_t n = 0;
  struct ks_scan *s;

  for(s = db->scans; s; s = s->next)
    if(s->gen == db->gen)
      n += s->bytes;
  return n;
}

void ks_cache_publish(struct ks_db *db, struct ks_scan *s)
{
  /* over the budget: stay private, freed when the cursor releases it */
  if(cached_bytes(db) + s->bytes > KS_CACHE_MAX_BYTES)
    return;
  s->gen = db->gen;
  s->published = 1;
  s->next = db->scans;
  db->scans = s;
}

struct ks_scan *ks_cache_find(struct ks_db *db, const char *key)
{
  struct ks_scan *s;

  for(s = db->scans; s; s = s->next) {
    if(s->gen == db->gen && !strcmp(s->key, key)) {
      s->refs++;
      return s;
    }
  }
  return NULL;
}

/* Frees unreferenced scans of older generations. */
static void sweep(struct ks_db *db, int all)
{
  struct ks_scan **pp = &db->scans;

  while(*pp) {
    struct ks_scan *s = *pp;
    if(s->refs == 0 && (all || s->gen != db->gen)) {
      *pp = s->next;
      ks_scan_free(s);
    }
    else
      pp = &s->next;
  }
}

void ks_cache_release(struct ks_db *db, struct ks_scan *s)
{
  if(!s)
    return;
  if(s->refs > 0)
    s->refs--;
  if(!s->published) {
    if(s->refs == 0)
      ks_scan_free(s);
    return;
  }
  sweep(db, 0);
}

void ks_cache_new_generation(struct ks_db *db)
{
  db->gen++;
  sweep(db, 0);
}

void ks_cache_clear(struct ks_db *db)
{
  sweep(db, 1);
}
