/*
 * plan.c - the pure planner behind xBestIndex.  See plan.h.
 */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kintone operator text and KS_OP_* bit of a SQLite constraint op. */
static const char *op_text(unsigned char op, unsigned *bit)
{
  switch(op) {
  case SQLITE_INDEX_CONSTRAINT_EQ:
    *bit = KS_OP_EQ;
    return "=";
  case SQLITE_INDEX_CONSTRAINT_NE:
    *bit = KS_OP_NE;
    return "!=";
  case SQLITE_INDEX_CONSTRAINT_GT:
    *bit = KS_OP_GT;
    return ">";
  case SQLITE_INDEX_CONSTRAINT_GE:
    *bit = KS_OP_GE;
    return ">=";
  case SQLITE_INDEX_CONSTRAINT_LT:
    *bit = KS_OP_LT;
    return "<";
  case SQLITE_INDEX_CONSTRAINT_LE:
    *bit = KS_OP_LE;
    return "<=";
  case SQLITE_INDEX_CONSTRAINT_ISNULL:
    *bit = KS_OP_ISNULL;
    return "isnull";
  default:
    *bit = 0;
    return NULL;
  }
}

/* Appends " and "-joined text to dst; 1 if it does not fit. */
static int append_term(char *dst, size_t cap, const char *code,
                       const char *op, int arg)
{
  size_t used = strlen(dst);
  int n;

  if(arg)
    n = snprintf(dst + used, cap - used, "%s%s %s ?%d", used ? " and " : "",
                 code, op, arg);
  else
    n = snprintf(dst + used, cap - used, "%s%s %s", used ? " and " : "",
                 code, op);
  if(n < 0 || (size_t)n >= cap - used) {
    dst[used] = '\0';
    return 1;
  }
  return 0;
}

static const struct ks_colcap id_only = {"$id", KS_OP_EQ | KS_OP_RANGE, 1,
                                         1};

int ks_plan_best_caps(sqlite3_index_info *info, int ncols,
                      const struct ks_colcap *caps, int use_vtab_in,
                      int rows_are_records)
{
  struct ks_plan p;
  int i, argc = 0, all_omitted = 1, key_eq = 0, key_range = 0;
  int n_eq = 0, n_range = 0, in_list = 0;
  int limit_idx = -1, offset_idx = -1;
  char *s;
  double rows, lo = -1e18, hi = 1e18, records;

  memset(&p, 0, sizeof(p));
  for(i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    const struct ks_colcap *cap;
    const char *op;
    unsigned bit;
    int is_in = 0, arg;
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
    op = op_text(c->op, &bit);
    cap = NULL;
    if(c->iColumn >= 0 && c->iColumn < ncols)
      cap = caps ? &caps[c->iColumn] : (c->iColumn == 0 ? &id_only : NULL);
    if(cap && c->op == SQLITE_INDEX_CONSTRAINT_EQ && use_vtab_in &&
       sqlite3_vtab_in(info, i, -1)) {
      is_in = 1;
      bit = KS_OP_IN;
      op = "in";
    }
    if(!op || !cap || !(cap->ops & bit) || argc >= KS_PLAN_MAX_ARGS - 2) {
      all_omitted = 0;
      continue;
    }
    arg = 0;
    if(bit != KS_OP_ISNULL)
      arg = argc + 1;
    if(append_term(p.cond, sizeof(p.cond), cap->code, op, arg)) {
      all_omitted = 0;
      continue;
    }
    if(arg) {
      argc++;
      info->aConstraintUsage[i].argvIndex = argc;
      if(is_in)
        sqlite3_vtab_in(info, i, 1);
    }
    info->aConstraintUsage[i].omit = cap->exact ? 1 : 0;
    if(!cap->exact)
      all_omitted = 0;
    if(cap->orderable && (bit == KS_OP_EQ || bit == KS_OP_IN)) {
      key_eq = 1;
      in_list |= bit == KS_OP_IN;
    }
    else if(cap->orderable && (bit & KS_OP_RANGE)) {
      sqlite3_value *rv = NULL;
      key_range = 1;
      /* a literal bound tells how many records the range holds */
      if(use_vtab_in && sqlite3_vtab_rhs_value(info, i, &rv) == SQLITE_OK &&
         rv && (sqlite3_value_numeric_type(rv) == SQLITE_INTEGER ||
                sqlite3_value_numeric_type(rv) == SQLITE_FLOAT)) {
        double d = sqlite3_value_double(rv);
        if(bit & (KS_OP_GT | KS_OP_GE))
          lo = d > lo ? d : lo;
        else
          hi = d < hi ? d : hi;
      }
    }
    else if(bit == KS_OP_EQ || bit == KS_OP_IN)
      n_eq++;
    else
      n_range++;
  }
  /* ORDER BY: only $id, which Kintone orders exactly as SQLite would */
  if(info->nOrderBy == 1 && info->aOrderBy[0].iColumn >= 0 &&
     info->aOrderBy[0].iColumn < ncols &&
     (caps ? caps[info->aOrderBy[0].iColumn].orderable
           : info->aOrderBy[0].iColumn == 0)) {
    snprintf(p.order, sizeof(p.order), "%s",
             info->aOrderBy[0].desc ? "desc" : "asc");
    info->orderByConsumed = 1;
  }
  if(!rows_are_records)
    all_omitted = 0;         /* rows are not records: no LIMIT, no count */
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
  /*
   * Estimates: an app of KS_PLAN_RECORDS records, KS_PLAN_ROWS_PER_RECORD
   * rows per record in subtables; a request costs KS_PLAN_REQUEST_COST,
   * a row 1.  Every scan makes at least one request, so SQLite prefers
   * probing few records over scanning many.
   */
  records = KS_PLAN_RECORDS;
  if(key_eq) {
    records = in_list ? 5 : 1;
    if(rows_are_records && !in_list)
      info->idxFlags |= SQLITE_INDEX_SCAN_UNIQUE;
  }
  else if(key_range)
    records = (lo > -1e18 && hi < 1e18)
                ? (hi - lo > 1 ? hi - lo : 1)
                : KS_PLAN_RECORDS / 3;
  if(records > KS_PLAN_RECORDS)
    records = KS_PLAN_RECORDS;
  for(i = 0; i < n_eq; i++)
    records /= 10;
  for(i = 0; i < n_range; i++)
    records /= 3;
  if(records < 1)
    records = 1;
  rows = rows_are_records ? records : records * KS_PLAN_ROWS_PER_RECORD;
  info->estimatedRows = (sqlite3_int64)rows;
  info->estimatedCost = KS_PLAN_REQUEST_COST *
                          (1.0 + (double)(long long)(records / 500)) + rows;
  return SQLITE_OK;
}

int ks_plan_best(sqlite3_index_info *info, int ncols)
{
  return ks_plan_best_caps(info, ncols, NULL, 0, 1);
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
