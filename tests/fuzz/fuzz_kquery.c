/*
 * fuzz_kquery.c - libFuzzer target for sql/kquery.c (with sql/plan.c).
 *
 * Invariants (STYLE.md section 8):
 *   - values quoted with kq_quote() into a query `code op "lit" and ...`
 *     re-tokenize: quotes balance, the query holds exactly one string
 *     literal per accepted value, and each literal decodes back to its
 *     value byte for byte; a rejected value leaves the query untouched;
 *   - kq_render_cols() on a random or plan-shaped template over columns
 *     of every kq_kind, with random values (integer, real, text, blob,
 *     NULL), never crashes; in its output user text only ever appears
 *     inside well-formed literals (quotes balance, escapes valid);
 *   - a plan-shaped template survives ks_plan_encode/decode unchanged.
 */
#include "fuzz_util.h"

#include <sqlite3.h>

#include "sql/kquery.h"
#include "sql/plan.h"

static const char *const codes[] = {
  "$id", "deal_name", "amount", "\xe4\xbc\x9a\xe7\xa4\xbe", "f_1"
};
static const char *const ops[] = {"=", "!=", "<", "<=", ">", ">=", "like"};

/* Checks the quoted-literal query: returns the number of literals and
   compares each decoded literal with vals[i]. */
static void check_literals(const char *q, char **vals, size_t *lens,
                           size_t nvals)
{
  size_t nlit = 0;
  const char *p = q;
  char *dec = malloc(strlen(q) + 1);

  FZ_ASSERT(dec);
  while(*p) {
    size_t d = 0;
    if(*p != '"') {
      FZ_ASSERT(*p != '\\');      /* no escape outside a literal */
      p++;
      continue;
    }
    p++;
    while(*p && *p != '"') {
      if(*p == '\\') {
        p++;
        FZ_ASSERT(*p == '"' || *p == '\\' || *p == 't' || *p == 'n');
        dec[d++] = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p;
      }
      else {
        FZ_ASSERT((unsigned char)*p >= 0x20 || *p == '\t' || *p == '\n');
        dec[d++] = *p;
      }
      p++;
    }
    FZ_ASSERT(*p == '"');         /* quotes balance */
    p++;
    FZ_ASSERT(nlit < nvals);
    FZ_ASSERT(d == lens[nlit] && !memcmp(dec, vals[nlit], d));
    nlit++;
  }
  FZ_ASSERT(nlit == nvals);
  free(dec);
}

/*
 * Output of kq_render_cols: whatever the terms are, user text may only
 * sit inside well-formed string literals.  Outside literals only field
 * codes, keywords, operators, numbers, parentheses and commas occur.
 */
static void check_rendered(const char *s)
{
  const char *p = s;

  if(getenv("FZ_VERBOSE"))
    fprintf(stderr, "rendered [%s]\n", s);
  while(*p) {
    if(*p == '"') {
      p++;
      while(*p && *p != '"') {
        if(*p == '\\') {
          p++;
          FZ_ASSERT(*p == '"' || *p == '\\' || *p == 't' || *p == 'n');
        }
        else
          FZ_ASSERT((unsigned char)*p >= 0x20 || *p == '\t' ||
                    *p == '\n');
        p++;
      }
      FZ_ASSERT(*p == '"');       /* quotes balance */
      p++;
      continue;
    }
    FZ_ASSERT(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789_$ ()<>=!,.:+-", *p));
    p++;
  }
}

/* Columns of every kind (the codes of kq_render_cols templates). */
static const char *const choice_opts[] = {
  "A", "B", "\xe5\x8f\x97\xe6\xb3\xa8"
};
static const struct kq_col cols[] = {
  {"$id", KQ_ID, NULL, 0},
  {"num", KQ_NUMBER, NULL, 0},
  {"txt", KQ_TEXT, NULL, 0},
  {"d", KQ_DATE, NULL, 0},
  {"dt", KQ_DATETIME, NULL, 0},
  {"tm", KQ_TIME, NULL, 0},
  {"ch", KQ_CHOICE, choice_opts, 3},
  {"cha", KQ_CHOICE, NULL, 0},
  {"usr", KQ_USER, NULL, 0},
  {"lt", KQ_LONGTEXT, NULL, 0}
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static const struct kq_col *lookup(void *ctx, const char *code, size_t len)
{
  size_t i;

  (void)ctx;
  for(i = 0; i < NCOLS; i++)
    if(strlen(cols[i].code) == len && !strncmp(cols[i].code, code, len))
      return &cols[i];
  return NULL;
}

/* SQL function kq(tmpl, args...): runs kq_render inside SQLite so that
   it gets real sqlite3_value arguments. */
static void kq_func(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  const char *tmpl = (const char *)sqlite3_value_text(argv[0]);
  sqlite3_str *out = sqlite3_str_new(NULL);
  int never = 0, rc;
  char *s;

  sqlite3_str_appendall(out, "");
  rc = kq_render_cols(tmpl ? tmpl : "", argv + 1, argc - 1, lookup, NULL,
                      out, &never);
  FZ_ASSERT(rc == SQLITE_OK || rc == SQLITE_ERROR);
  s = sqlite3_str_finish(out);
  if(rc == SQLITE_OK && s)
    check_rendered(s);
  if(never)
    FZ_ASSERT(!s || !*s);
  sqlite3_free(s);
  sqlite3_result_int(ctx, rc);
}

static sqlite3 *db;

static void bind_value(sqlite3_stmt *st, int i, struct fz_in *in)
{
  size_t len;
  char *s;

  switch(fz_byte(in) % 6) {
  case 0:
    sqlite3_bind_int64(st, i, fz_i64(in));
    break;
  case 1: {
    long long bits = fz_i64(in);
    double d;
    memcpy(&d, &bits, sizeof(d));
    sqlite3_bind_double(st, i, d);
    break;
  }
  case 2:
    sqlite3_bind_double(st, i, (double)(signed char)fz_byte(in) / 4.0);
    break;
  case 3:
    s = fz_str(in, 40, &len);
    sqlite3_bind_text(st, i, s, (int)len, SQLITE_TRANSIENT);
    free(s);
    break;
  case 4:
    s = fz_str(in, 16, &len);
    sqlite3_bind_blob(st, i, s, (int)len, SQLITE_TRANSIENT);
    free(s);
    break;
  default:
    sqlite3_bind_null(st, i);
  }
}

static void render(const char *tmpl, int nargs, struct fz_in *in)
{
  char sql[512];
  sqlite3_stmt *st;
  int i, n;

  n = snprintf(sql, sizeof(sql), "SELECT kq(?1");
  for(i = 0; i < nargs; i++)
    n += snprintf(sql + n, sizeof(sql) - (size_t)n, ",?%d", i + 2);
  snprintf(sql + n, sizeof(sql) - (size_t)n, ")");
  FZ_ASSERT(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
  sqlite3_bind_text(st, 1, tmpl, -1, SQLITE_TRANSIENT);
  for(i = 0; i < nargs; i++)
    bind_value(st, i + 2, in);
  FZ_ASSERT(sqlite3_step(st) == SQLITE_ROW);
  sqlite3_finalize(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fz_in in = {data, size};
  unsigned mode;

  if(!db) {
    FZ_ASSERT(sqlite3_open(":memory:", &db) == SQLITE_OK);
    sqlite3_create_function(db, "kq", -1, SQLITE_UTF8, NULL, kq_func, NULL,
                            NULL);
  }
  mode = fz_byte(&in) % 3;
  if(mode == 0) {                    /* quoting */
    char *vals[8];
    size_t lens[8], nvals = 0, i, n = 1 + fz_byte(&in) % 8;
    sqlite3_str *q = sqlite3_str_new(NULL);
    char *text;
    for(i = 0; i < n; i++) {
      size_t len;
      char *v = fz_str(&in, 200, &len);
      int before = sqlite3_str_length(q);
      sqlite3_str_appendf(q, "%s%s %s ", i ? " and " : "",
                          codes[fz_byte(&in) % 5], ops[fz_byte(&in) % 7]);
      before = sqlite3_str_length(q);
      if(kq_quote(q, v, len)) {
        FZ_ASSERT(sqlite3_str_length(q) == before);
        sqlite3_str_appendall(q, "0");
        free(v);
        continue;
      }
      vals[nvals] = v;
      lens[nvals++] = len;
    }
    text = sqlite3_str_finish(q);
    FZ_ASSERT(text);
    check_literals(text, vals, lens, nvals);
    sqlite3_free(text);
    for(i = 0; i < nvals; i++)
      free(vals[i]);
  }
  else if(mode == 1) {               /* random template */
    char *t = fz_str(&in, 200, NULL);
    render(t, fz_byte(&in) % 6, &in);
    free(t);
  }
  else {                             /* plan-shaped template */
    struct ks_plan p, p2;
    char *enc, *enc2;
    int nterms = 1 + fz_byte(&in) % 6, nargs = fz_byte(&in) % 6, i;
    static const char *const tops[] = {"=", "<", "<=", ">", ">=", "!=",
                                       "in", "isnull"};
    size_t used = 0;
    memset(&p, 0, sizeof(p));
    for(i = 0; i < nterms; i++) {
      unsigned op = fz_byte(&in) % 8;
      const char *code = cols[fz_byte(&in) % NCOLS].code;
      if(op == 7)
        used += (size_t)snprintf(p.cond + used, sizeof(p.cond) - used,
                                 "%s%s isnull", i ? " and " : "", code);
      else
        used += (size_t)snprintf(p.cond + used, sizeof(p.cond) - used,
                                 "%s%s %s ?%d", i ? " and " : "", code,
                                 tops[op], (int)(fz_byte(&in) % 8));
    }
    snprintf(p.order, sizeof(p.order), "%s",
             fz_byte(&in) & 1 ? "asc" : "desc");
    p.all_fields = fz_byte(&in) & 1;
    p.cols = p.all_fields ? 0 : (unsigned long long)fz_i64(&in);
    p.limit_arg = (int)(fz_byte(&in) % 40);
    p.offset_arg = (int)(fz_byte(&in) % 40);
    p.count_only = fz_byte(&in) & 1;
    enc = ks_plan_encode(&p);
    FZ_ASSERT(enc);
    FZ_ASSERT(ks_plan_decode(enc, &p2) == 0);
    FZ_ASSERT(!strcmp(p.cond, p2.cond) && !strcmp(p.order, p2.order));
    FZ_ASSERT(p.all_fields == p2.all_fields && p.cols == p2.cols);
    FZ_ASSERT(p.limit_arg == p2.limit_arg &&
              p.offset_arg == p2.offset_arg &&
              p.count_only == p2.count_only);
    enc2 = ks_plan_encode(&p2);
    FZ_ASSERT(enc2 && !strcmp(enc, enc2));
    render(p2.cond, nargs, &in);
    sqlite3_free(enc);
    sqlite3_free(enc2);
  }
  return 0;
}
