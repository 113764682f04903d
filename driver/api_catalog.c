/*
 * api_catalog.c - catalog entry points: SQLTables(W), SQLColumns(W),
 * SQLGetTypeInfo(W), SQLPrimaryKeys(W).
 *
 * Layer: driver (thin entry points; logic in catalog.c).
 */
#include "catalog.h"
#include "handles.h"
#include "strout.h"
#include "../util/ku_mem.h"

/* Converts up to four name arguments; NULL stays NULL. */
static SQLRETURN names_in(struct kd_stmt *s, int wide, const void *const *a,
                          const SQLSMALLINT *len, int n, char **out)
{
  int i;

  for(i = 0; i < n; i++)
    out[i] = NULL;
  for(i = 0; i < n; i++) {
    SQLRETURN r = kd_in_str(&s->hdr, wide, a[i], len[i], &out[i]);
    if(!SQL_SUCCEEDED(r))
      return r;
  }
  return SQL_SUCCESS;
}

static void names_free(char **v, int n)
{
  int i;

  for(i = 0; i < n; i++)
    ku_free(v[i]);
}

static SQLRETURN tables(SQLHSTMT h, int wide, const void *c, SQLSMALLINT cl,
                        const void *sc, SQLSMALLINT sl, const void *t,
                        SQLSMALLINT tl, const void *ty, SQLSMALLINT yl)
{
  struct kd_hdr *hdr;
  const void *a[4] = {c, sc, t, ty};
  SQLSMALLINT l[4] = {cl, sl, tl, yl};
  char *v[4];
  SQLRETURN rc = kd_enter(h, KD_H_STMT, &hdr);

  if(rc)
    return rc;
  rc = names_in((struct kd_stmt *)hdr, wide, a, l, 4, v);
  if(SQL_SUCCEEDED(rc))
    rc = kd_catalog_tables((struct kd_stmt *)hdr, v[0], v[1], v[2], v[3]);
  names_free(v, 4);
  return kd_leave(hdr, rc);
}

SQLRETURN SQL_API KD_EXPORT_API SQLTables(SQLHSTMT h, SQLCHAR *c,
                                          SQLSMALLINT cl, SQLCHAR *s,
                                          SQLSMALLINT sl, SQLCHAR *t,
                                          SQLSMALLINT tl, SQLCHAR *ty,
                                          SQLSMALLINT yl)
{
  return tables(h, 0, c, cl, s, sl, t, tl, ty, yl);
}

SQLRETURN SQL_API KD_EXPORT_API SQLTablesW(SQLHSTMT h, SQLWCHAR *c,
                                           SQLSMALLINT cl, SQLWCHAR *s,
                                           SQLSMALLINT sl, SQLWCHAR *t,
                                           SQLSMALLINT tl, SQLWCHAR *ty,
                                           SQLSMALLINT yl)
{
  return tables(h, 1, c, cl, s, sl, t, tl, ty, yl);
}

static SQLRETURN columns(SQLHSTMT h, int wide, const void *c, SQLSMALLINT cl,
                         const void *sc, SQLSMALLINT sl, const void *t,
                         SQLSMALLINT tl, const void *co, SQLSMALLINT ol)
{
  struct kd_hdr *hdr;
  const void *a[4] = {c, sc, t, co};
  SQLSMALLINT l[4] = {cl, sl, tl, ol};
  char *v[4];
  SQLRETURN rc = kd_enter(h, KD_H_STMT, &hdr);

  if(rc)
    return rc;
  rc = names_in((struct kd_stmt *)hdr, wide, a, l, 4, v);
  if(SQL_SUCCEEDED(rc))
    rc = kd_catalog_columns((struct kd_stmt *)hdr, v[0], v[1], v[2], v[3]);
  names_free(v, 4);
  return kd_leave(hdr, rc);
}

SQLRETURN SQL_API KD_EXPORT_API SQLColumns(SQLHSTMT h, SQLCHAR *c,
                                           SQLSMALLINT cl, SQLCHAR *s,
                                           SQLSMALLINT sl, SQLCHAR *t,
                                           SQLSMALLINT tl, SQLCHAR *co,
                                           SQLSMALLINT ol)
{
  return columns(h, 0, c, cl, s, sl, t, tl, co, ol);
}

SQLRETURN SQL_API KD_EXPORT_API SQLColumnsW(SQLHSTMT h, SQLWCHAR *c,
                                            SQLSMALLINT cl, SQLWCHAR *s,
                                            SQLSMALLINT sl, SQLWCHAR *t,
                                            SQLSMALLINT tl, SQLWCHAR *co,
                                            SQLSMALLINT ol)
{
  return columns(h, 1, c, cl, s, sl, t, tl, co, ol);
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetTypeInfo(SQLHSTMT h, SQLSMALLINT type)
{
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_STMT, &hdr);

  if(rc)
    return rc;
  return kd_leave(hdr, kd_catalog_type_info((struct kd_stmt *)hdr, type));
}

SQLRETURN SQL_API KD_EXPORT_API SQLGetTypeInfoW(SQLHSTMT h,
                                                SQLSMALLINT type)
{
  return SQLGetTypeInfo(h, type);
}

static SQLRETURN primary_keys(SQLHSTMT h, int wide, const void *c,
                              SQLSMALLINT cl, const void *sc, SQLSMALLINT sl,
                              const void *t, SQLSMALLINT tl)
{
  struct kd_hdr *hdr;
  const void *a[3] = {c, sc, t};
  SQLSMALLINT l[3] = {cl, sl, tl};
  char *v[3];
  SQLRETURN rc = kd_enter(h, KD_H_STMT, &hdr);

  if(rc)
    return rc;
  rc = names_in((struct kd_stmt *)hdr, wide, a, l, 3, v);
  if(SQL_SUCCEEDED(rc))
    rc = kd_catalog_primary_keys((struct kd_stmt *)hdr, v[0], v[1], v[2]);
  names_free(v, 3);
  return kd_leave(hdr, rc);
}

SQLRETURN SQL_API KD_EXPORT_API SQLPrimaryKeys(SQLHSTMT h, SQLCHAR *c,
                                               SQLSMALLINT cl, SQLCHAR *s,
                                               SQLSMALLINT sl, SQLCHAR *t,
                                               SQLSMALLINT tl)
{
  return primary_keys(h, 0, c, cl, s, sl, t, tl);
}

SQLRETURN SQL_API KD_EXPORT_API SQLPrimaryKeysW(SQLHSTMT h, SQLWCHAR *c,
                                                SQLSMALLINT cl, SQLWCHAR *s,
                                                SQLSMALLINT sl, SQLWCHAR *t,
                                                SQLSMALLINT tl)
{
  return primary_keys(h, 1, c, cl, s, sl, t, tl);
}
