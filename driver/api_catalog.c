/*
 * api_catalog.c - catalog entry points: SQLTables(W), SQLColumns(W),
 * SQLGetTypeInfo(W), SQLPrimaryKeys(W), SQLStatistics(W),
 * SQLSpecialColumns(W), SQLForeignKeys(W), SQLProcedures(W),
 * SQLProcedureColumns(W), SQLTablePrivileges(W), SQLColumnPrivileges(W).
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
  struct kd_hdr *hdr;
  SQLRETURN rc = kd_enter(h, KD_H_STMT, &hdr);

  /* not SQLGetTypeInfo(): never call an exported function internally */
  if(rc)
    return rc;
  return kd_leave(hdr, kd_catalog_type_info((struct kd_stmt *)hdr, type));
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

/* The kinds of catalog call that take only name arguments below. */
enum cat_call {
  CAT_STATISTICS, CAT_SPECIAL, CAT_FOREIGN_KEYS, CAT_PROCEDURES,
  CAT_PROCEDURE_COLUMNS, CAT_TABLE_PRIVILEGES, CAT_COLUMN_PRIVILEGES
};

/*
 * Shared body of the catalog calls below: converts n name arguments
 * (a[i] with lengths l[i]) and dispatches; `x` and `y` carry the
 * non-string arguments (SQLStatistics unique, SQLSpecialColumns id).
 */
static SQLRETURN cat_call(SQLHSTMT h, int wide, enum cat_call what,
                          const void *const *a, const SQLSMALLINT *l, int n,
                          SQLUSMALLINT x)
{
  struct kd_hdr *hdr;
  struct kd_stmt *s;
  char *v[6];
  SQLRETURN rc = kd_enter(h, KD_H_STMT, &hdr);

  if(rc)
    return rc;
  s = (struct kd_stmt *)hdr;
  rc = names_in(s, wide, a, l, n, v);
  if(SQL_SUCCEEDED(rc)) {
    switch(what) {
    case CAT_STATISTICS:
      rc = kd_catalog_statistics(s, v[0], v[1], v[2], x);
      break;
    case CAT_SPECIAL:
      rc = kd_catalog_special_columns(s, x, v[0], v[1], v[2]);
      break;
    case CAT_FOREIGN_KEYS:
      rc = kd_catalog_foreign_keys(s, v[0], v[1], v[2], v[3], v[4], v[5]);
      break;
    case CAT_PROCEDURES:
      rc = kd_catalog_procedures(s);
      break;
    case CAT_PROCEDURE_COLUMNS:
      rc = kd_catalog_procedure_columns(s);
      break;
    case CAT_TABLE_PRIVILEGES:
      rc = kd_catalog_privileges(s, 0);
      break;
    case CAT_COLUMN_PRIVILEGES:
      rc = kd_catalog_privileges(s, 1);
      break;
    }
  }
  names_free(v, n);
  return kd_leave(hdr, rc);
}

static SQLRETURN statistics(SQLHSTMT h, int wide, const void *c,
                            SQLSMALLINT cl, const void *sc, SQLSMALLINT sl,
                            const void *t, SQLSMALLINT tl,
                            SQLUSMALLINT unique)
{
  const void *a[3] = {c, sc, t};
  SQLSMALLINT l[3] = {cl, sl, tl};

  return cat_call(h, wide, CAT_STATISTICS, a, l, 3, unique);
}

SQLRETURN SQL_API KD_EXPORT_API SQLStatistics(SQLHSTMT h, SQLCHAR *c,
                                              SQLSMALLINT cl, SQLCHAR *s,
                                              SQLSMALLINT sl, SQLCHAR *t,
                                              SQLSMALLINT tl,
                                              SQLUSMALLINT unique,
                                              SQLUSMALLINT reserved)
{
  (void)reserved;
  return statistics(h, 0, c, cl, s, sl, t, tl, unique);
}

SQLRETURN SQL_API KD_EXPORT_API SQLStatisticsW(SQLHSTMT h, SQLWCHAR *c,
                                               SQLSMALLINT cl, SQLWCHAR *s,
                                               SQLSMALLINT sl, SQLWCHAR *t,
                                               SQLSMALLINT tl,
                                               SQLUSMALLINT unique,
                                               SQLUSMALLINT reserved)
{
  (void)reserved;
  return statistics(h, 1, c, cl, s, sl, t, tl, unique);
}

static SQLRETURN special_columns(SQLHSTMT h, int wide, SQLUSMALLINT id,
                                 const void *c, SQLSMALLINT cl,
                                 const void *sc, SQLSMALLINT sl,
                                 const void *t, SQLSMALLINT tl)
{
  const void *a[3] = {c, sc, t};
  SQLSMALLINT l[3] = {cl, sl, tl};

  return cat_call(h, wide, CAT_SPECIAL, a, l, 3, id);
}

SQLRETURN SQL_API KD_EXPORT_API SQLSpecialColumns(
  SQLHSTMT h, SQLUSMALLINT id, SQLCHAR *c, SQLSMALLINT cl, SQLCHAR *s,
  SQLSMALLINT sl, SQLCHAR *t, SQLSMALLINT tl, SQLUSMALLINT scope,
  SQLUSMALLINT nullable)
{
  (void)scope;
  (void)nullable;
  return special_columns(h, 0, id, c, cl, s, sl, t, tl);
}

SQLRETURN SQL_API KD_EXPORT_API SQLSpecialColumnsW(
  SQLHSTMT h, SQLUSMALLINT id, SQLWCHAR *c, SQLSMALLINT cl, SQLWCHAR *s,
  SQLSMALLINT sl, SQLWCHAR *t, SQLSMALLINT tl, SQLUSMALLINT scope,
  SQLUSMALLINT nullable)
{
  (void)scope;
  (void)nullable;
  return special_columns(h, 1, id, c, cl, s, sl, t, tl);
}

static SQLRETURN foreign_keys(SQLHSTMT h, int wide, const void *pc,
                              SQLSMALLINT pcl, const void *ps,
                              SQLSMALLINT psl, const void *pt,
                              SQLSMALLINT ptl, const void *fc,
                              SQLSMALLINT fcl, const void *fs,
                              SQLSMALLINT fsl, const void *ft,
                              SQLSMALLINT ftl)
{
  const void *a[6] = {pc, ps, pt, fc, fs, ft};
  SQLSMALLINT l[6] = {pcl, psl, ptl, fcl, fsl, ftl};

  return cat_call(h, wide, CAT_FOREIGN_KEYS, a, l, 6, 0);
}

SQLRETURN SQL_API KD_EXPORT_API SQLForeignKeys(
  SQLHSTMT h, SQLCHAR *pc, SQLSMALLINT pcl, SQLCHAR *ps, SQLSMALLINT psl,
  SQLCHAR *pt, SQLSMALLINT ptl, SQLCHAR *fc, SQLSMALLINT fcl, SQLCHAR *fs,
  SQLSMALLINT fsl, SQLCHAR *ft, SQLSMALLINT ftl)
{
  return foreign_keys(h, 0, pc, pcl, ps, psl, pt, ptl, fc, fcl, fs, fsl, ft,
                      ftl);
}

SQLRETURN SQL_API KD_EXPORT_API SQLForeignKeysW(
  SQLHSTMT h, SQLWCHAR *pc, SQLSMALLINT pcl, SQLWCHAR *ps, SQLSMALLINT psl,
  SQLWCHAR *pt, SQLSMALLINT ptl, SQLWCHAR *fc, SQLSMALLINT fcl,
  SQLWCHAR *fs, SQLSMALLINT fsl, SQLWCHAR *ft, SQLSMALLINT ftl)
{
  return foreign_keys(h, 1, pc, pcl, ps, psl, pt, ptl, fc, fcl, fs, fsl, ft,
                      ftl);
}

static SQLRETURN procedures(SQLHSTMT h, int wide, const void *c,
                            SQLSMALLINT cl, const void *s, SQLSMALLINT sl,
                            const void *p, SQLSMALLINT pl)
{
  const void *a[3] = {c, s, p};
  SQLSMALLINT l[3] = {cl, sl, pl};

  return cat_call(h, wide, CAT_PROCEDURES, a, l, 3, 0);
}

SQLRETURN SQL_API KD_EXPORT_API SQLProcedures(SQLHSTMT h, SQLCHAR *c,
                                              SQLSMALLINT cl, SQLCHAR *s,
                                              SQLSMALLINT sl, SQLCHAR *p,
                                              SQLSMALLINT pl)
{
  return procedures(h, 0, c, cl, s, sl, p, pl);
}

SQLRETURN SQL_API KD_EXPORT_API SQLProceduresW(SQLHSTMT h, SQLWCHAR *c,
                                               SQLSMALLINT cl, SQLWCHAR *s,
                                               SQLSMALLINT sl, SQLWCHAR *p,
                                               SQLSMALLINT pl)
{
  return procedures(h, 1, c, cl, s, sl, p, pl);
}

static SQLRETURN procedure_columns(SQLHSTMT h, int wide, const void *c,
                                   SQLSMALLINT cl, const void *s,
                                   SQLSMALLINT sl, const void *p,
                                   SQLSMALLINT pl, const void *co,
                                   SQLSMALLINT ol)
{
  const void *a[4] = {c, s, p, co};
  SQLSMALLINT l[4] = {cl, sl, pl, ol};

  return cat_call(h, wide, CAT_PROCEDURE_COLUMNS, a, l, 4, 0);
}

SQLRETURN SQL_API KD_EXPORT_API SQLProcedureColumns(
  SQLHSTMT h, SQLCHAR *c, SQLSMALLINT cl, SQLCHAR *s, SQLSMALLINT sl,
  SQLCHAR *p, SQLSMALLINT pl, SQLCHAR *co, SQLSMALLINT ol)
{
  return procedure_columns(h, 0, c, cl, s, sl, p, pl, co, ol);
}

SQLRETURN SQL_API KD_EXPORT_API SQLProcedureColumnsW(
  SQLHSTMT h, SQLWCHAR *c, SQLSMALLINT cl, SQLWCHAR *s, SQLSMALLINT sl,
  SQLWCHAR *p, SQLSMALLINT pl, SQLWCHAR *co, SQLSMALLINT ol)
{
  return procedure_columns(h, 1, c, cl, s, sl, p, pl, co, ol);
}

static SQLRETURN table_privileges(SQLHSTMT h, int wide, const void *c,
                                  SQLSMALLINT cl, const void *s,
                                  SQLSMALLINT sl, const void *t,
                                  SQLSMALLINT tl)
{
  const void *a[3] = {c, s, t};
  SQLSMALLINT l[3] = {cl, sl, tl};

  return cat_call(h, wide, CAT_TABLE_PRIVILEGES, a, l, 3, 0);
}

SQLRETURN SQL_API KD_EXPORT_API SQLTablePrivileges(SQLHSTMT h, SQLCHAR *c,
                                                   SQLSMALLINT cl,
                                                   SQLCHAR *s,
                                                   SQLSMALLINT sl,
                                                   SQLCHAR *t,
                                                   SQLSMALLINT tl)
{
  return table_privileges(h, 0, c, cl, s, sl, t, tl);
}

SQLRETURN SQL_API KD_EXPORT_API SQLTablePrivilegesW(SQLHSTMT h, SQLWCHAR *c,
                                                    SQLSMALLINT cl,
                                                    SQLWCHAR *s,
                                                    SQLSMALLINT sl,
                                                    SQLWCHAR *t,
                                                    SQLSMALLINT tl)
{
  return table_privileges(h, 1, c, cl, s, sl, t, tl);
}

static SQLRETURN column_privileges(SQLHSTMT h, int wide, const void *c,
                                   SQLSMALLINT cl, const void *s,
                                   SQLSMALLINT sl, const void *t,
                                   SQLSMALLINT tl, const void *co,
                                   SQLSMALLINT ol)
{
  const void *a[4] = {c, s, t, co};
  SQLSMALLINT l[4] = {cl, sl, tl, ol};

  return cat_call(h, wide, CAT_COLUMN_PRIVILEGES, a, l, 4, 0);
}

SQLRETURN SQL_API KD_EXPORT_API SQLColumnPrivileges(
  SQLHSTMT h, SQLCHAR *c, SQLSMALLINT cl, SQLCHAR *s, SQLSMALLINT sl,
  SQLCHAR *t, SQLSMALLINT tl, SQLCHAR *co, SQLSMALLINT ol)
{
  return column_privileges(h, 0, c, cl, s, sl, t, tl, co, ol);
}

SQLRETURN SQL_API KD_EXPORT_API SQLColumnPrivilegesW(
  SQLHSTMT h, SQLWCHAR *c, SQLSMALLINT cl, SQLWCHAR *s, SQLSMALLINT sl,
  SQLWCHAR *t, SQLSMALLINT tl, SQLWCHAR *co, SQLSMALLINT ol)
{
  return column_privileges(h, 1, c, cl, s, sl, t, tl, co, ol);
}
