/*
 * plan.c - the pure planner behind xBestIndex.  See plan.h.
 */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *op_text(unsigned char op)
{
  switch(op) {
  case SQLITE_INDEX_CONSTRAINT_EQ:
    return "=";
  case SQLITE_INDEX_CONSTRAINT_GT:
    return ">";
  case SQLITE_INDEX_CONSTRAINT_GE:
    return ">=";
  case SQLITE_INDEX_CONSTRAINT_LT:
    return "<";
  case SQLITE_INDEX_CONSTRAINT_LE:
    return "<=";
  default:
    return NULL;
  }
}

static void append(char *dst, size_t cap, const char *fmt, const char *a,
                   int n)
{
  size_t used = strlen(dst);

  if(used < cap)
    snprintf(dst + used, cap - used, fmt, a, n);
}

int ks_plan_best(sqlite3_index_info *info, int ncols)
{
  struct ks_plan p;
  int i, argc = 0, all_omitted = 1, id_eq = 0, id_range = 0;
  int limit_idx = -1, offset_idx = -1;
  char *s;
  double rows = 100000.0;

  memset(&p, 0, sizeof(p));
  (void)ncols;
  for(i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    const char *op;
    if(c->op == SQLITE_INDEX_CONSTRAINT_LIMIT) {
      limit_idx = i;
      continue;
    }
    if(c->op == SQLITE_INDEX_CONSTRAINT_OFFSET) {
      offset_idx = i;
      continue;
    }
    if(!c->usable) {
      /* a term SQLite may re-offer usable in another plan: not omitted
         here, so LIMIT cannot be consumed by this plan */
      all_omitted = 0;
      continue;
    }
    op = op_text(c->op);
    if(c->iColumn != 0 || !op || argc >= KS_PLAN_MAX_ARGS - 2) {
      all_omitted = 0;
      continue;
    }
    argc++;
    info->aConstraintUsage[i].argvIndex = argc;
    info->aConstraintUsage[i].omit = 1;
    append(p.cond, sizeof(p.cond), p.cond[0] ? " and $id %s ?%d"
                                              : "$id %s ?%d", op, argc);
    if(c->op == SQLITE_INDEX_CONSTRAINT_EQ)
      id_eq = 1;
    else
      id_range = 1;
  }
  /* ORDER BY: only $id, which Kintone orders exactly as SQLite would */
  if(info->nOrderBy == 1 && info->aOrderBy[0].iColumn == 0) {
    snprintf(p.order, sizeof(p.order), "%s",
             info->aOrderBy[0].desc ? "desc" : "asc");
    info->orderByConsumed = 1;
  }
  if(all_omitted && (info->nOrderBy == 0 || info->orderByConsumed)) {
    if(limit_idx >= 0 && argc < KS_PLAN_MAX_ARGS) {
      info->aConstraintUsage[limit_idx].argvIndex = ++argc;
      info->aConstraintUsage[limit_idx].omit = 1;
      p.limit_arg = argc;
    }
    if(offset_idx >= 0 && p.limit_arg && argc < KS_PLAN_MAX_ARGS) {
      info->aConstraintUsage[offset_idx].argvIndex = ++argc;
      info->aConstraintUsage[offset_idx].omit = 1;
      p.offset_arg = argc;
    }
  }
  /* the columns SQLite will read become Kintone `fields` */
  if(info->colUsed & (1ULL << 63))
    p.all_fields = 1;
  else
    p.cols = (unsigned long long)info->colUsed;
  if(!p.all_fields && !p.cols && all_omitted)
    p.count_only = 1;
  s = ks_plan_encode(&p);
  if(!s)
    return SQLITE_NOMEM;
  info->idxStr = s;
  info->needToFreeIdxStr = 1;
  info->idxNum = argc;
  if(id_eq) {
    rows = 1;
    info->idxFlags |= SQLITE_INDEX_SCAN_UNIQUE;
  }
  else if(id_range)
    rows = 25000;
  info->estimatedRows = (sqlite3_int64)rows;
  /* each Kintone request costs far more than local work */
  info->estimatedCost = 10.0 + rows * 10.0;
  return SQLITE_OK;
}

char *ks_plan_encode(const struct ks_plan *p)
{
  sqlite3_str *s = sqlite3_str_new(NULL);
  int i, first = 1;

  sqlite3_str_appendf(s, "Q:%s|O:%s|F:", p->cond, p->order);
  if(p->all_fields)
    sqlite3_str_appendall(s, "*");
  else {
    for(i = 0; i < 64; i++) {
      if(p->cols & (1ULL << i)) {
        sqlite3_str_appendf(s, "%s%d", first ? "" : ",", i);
        first = 0;
      }
    }
  }
  sqlite3_str_appendf(s, "|L:%d|S:%d", p->limit_arg, p->offset_arg);
  if(p->count_only)
    sqlite3_str_appendall(s, "|C");
  return sqlite3_str_finish(s);
}

/* Copies the text of field `tag` ("Q:") up to the next '|' into dst. */
static int field(const char *s, const char *tag, char *dst, size_t cap)
{
  const char *p = s, *e;
  size_t n = strlen(tag);

  while(p) {
    if(!strncmp(p, tag, n)) {
      p += n;
      e = strchr(p, '|');
      if(!e)
        e = p + strlen(p);
      if((size_t)(e - p) >= cap)
        return 1;
      memcpy(dst, p, (size_t)(e - p));
      dst[e - p] = '\0';
      return 0;
    }
    p = strchr(p, '|');
    if(p)
      p++;
  }
  return 1;
}

int ks_plan_decode(const char *s, struct ks_plan *p)
{
  char buf[1024], *q, *end;

  memset(p, 0, sizeof(*p));
  if(!s)
    return 1;
  /* fields never contain '|': plan.c emits none inside them */
  if(field(s, "Q:", p->cond, sizeof(p->cond)) ||
     field(s, "O:", p->order, sizeof(p->order)) ||
     field(s, "F:", buf, sizeof(buf)))
    return 1;
  if(!strcmp(buf, "*"))
    p->all_fields = 1;
  else {
    for(q = buf; *q;) {
      long c = strtol(q, &end, 10);
      if(end == q || c < 0 || c > 63)
        return 1;
      p->cols |= 1ULL << c;
      q = *end == ',' ? end + 1 : end;
    }
  }
  if(field(s, "L:", buf, sizeof(buf)))
    return 1;
  p->limit_arg = atoi(buf);
  if(field(s, "S:", buf, sizeof(buf)))
    return 1;
  p->offset_arg = atoi(buf);
  p->count_only = strstr(s, "|C|") != NULL ||
                 (strlen(s) >= 2 && !strcmp(s + strlen(s) - 2, "|C"));
  return 0;
}
