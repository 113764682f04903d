/*
 * fuzz_records_json.c - libFuzzer target for the record read path: a
 * records.json body (bytes from the server) through net/kj_json.c's
 * kj_parse, the checks of kintone/kc_records.c, and the member walk and
 * value conversion of the virtual table (sql/vtab.c index_record and
 * vt_column -> sql/values.c, reached by including vtab.c: static).
 *
 * The table's columns come from the first record (field code -> its
 * "type"; a CALC field's format from an optional "format" member), so
 * the fuzzer controls both the schema and the values.  Every record is
 * then indexed and every column converted inside a real SQLite function
 * call (sqlite3_context), as xColumn would be.
 *
 * Invariants: no crash, leak or undefined behaviour for any input;
 * kj_parse either yields a tree or a non-empty one-line reason; each
 * converted value is NULL, INTEGER, REAL or valid-length TEXT; the
 * JSON array text of multi-value fields parses back as a JSON array.
 */
#include "fuzz_util.h"

/* the module under test, statics included */
#include "sql/vtab.c"

#include "kintone/kc_fields.h"

#include <math.h>

/* (The NUMBER cast finding of records_json-number-inf is fixed in
   sql/values.c; its input is part of the corpus.) */
static int known_number_ub(const struct ks_col *col, yajl_val v)
{
  (void)col;
  (void)v;
  return 0;
}

static sqlite3 *db;
static struct kvtab *cur_vt;
static struct kcur *cur_c;

/* SQL function col(i): vt_column of the current fake cursor. */
static void col_func(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  int i = sqlite3_value_int(argv[0]);
  (void)argc;
  FZ_ASSERT(vt_column(&cur_c->base, ctx, i) == SQLITE_OK);
}

static void check_value(sqlite3_stmt *st, const struct ks_col *col)
{
  int t = sqlite3_column_type(st, 0);

  if(t == SQLITE_TEXT) {
    const char *s = (const char *)sqlite3_column_text(st, 0);
    int n = sqlite3_column_bytes(st, 0);
    FZ_ASSERT(s && (int)strlen(s) <= n);
    if(s[0] == '[' && (col->ftype == KC_F_CHECK_BOX ||
                       col->ftype == KC_F_MULTI_SELECT ||
                       col->ftype == KC_F_USER_SELECT ||
                       col->ftype == KC_F_FILE)) {
      yajl_val v;
      char e[256];
      if(kj_parse(s, (size_t)n, &v, e, sizeof(e)) == 0) {
        FZ_ASSERT(YAJL_IS_ARRAY(v));
        yajl_tree_free(v);
      }
      else
        FZ_ASSERT(!"array text does not parse");
    }
  }
  else
    FZ_ASSERT(t == SQLITE_NULL || t == SQLITE_INTEGER || t == SQLITE_FLOAT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text, err[256];
  yajl_val root, recs, first;
  struct kvtab vt;
  struct kcur c;
  struct ks_col *cols = NULL;
  sqlite3_stmt *st;
  size_t i, r, ncols = 0;

  if(size > 1 << 16)
    return 0;
  if(!db) {
    FZ_ASSERT(sqlite3_open(":memory:", &db) == SQLITE_OK);
    sqlite3_create_function(db, "col", 1, SQLITE_UTF8, NULL, col_func,
                            NULL, NULL);
  }
  text = malloc(size + 1);
  FZ_ASSERT(text);
  memcpy(text, data, size);
  text[size] = '\0';
  if(kj_parse(text, size, &root, err, sizeof(err))) {
    FZ_ASSERT(err[0] && !strchr(err, '\n'));
    free(text);
    return 0;
  }
  memset(&vt, 0, sizeof(vt));
  memset(&c, 0, sizeof(c));
  c.base.pVtab = &vt.base;
  c.page.root = root;
  recs = kj_get(root, "records");
  if(!recs || !YAJL_IS_ARRAY(recs))      /* as kc_records_get */
    goto out;
  c.page.records = recs;
  c.page.count = recs->u.array.len;
  first = kc_page_record(&c.page, 0);
  if(first && YAJL_IS_OBJECT(first) && first->u.object.len) {
    ncols = first->u.object.len;
    cols = calloc(ncols, sizeof(*cols));
    FZ_ASSERT(cols);
    for(i = 0; i < ncols; i++) {
      yajl_val f = first->u.object.values[i];
      const char *type = kj_str(kj_get(f, "type"));
      cols[i].name = first->u.object.keys[i];
      cols[i].code = cols[i].name;       /* Kintone keys are codes */
      cols[i].ftype = type ? kc_ftype_from_name(type) : KC_F_UNKNOWN;
      cols[i].calc_format = kj_str(kj_get(f, "format"));
    }
  }
  vt.schema.cols = cols;
  vt.schema.ncols = ncols;
  c.vals = calloc(ncols ? ncols : 1, sizeof(yajl_val));
  FZ_ASSERT(c.vals);
  cur_vt = &vt;
  cur_c = &c;
  FZ_ASSERT(sqlite3_prepare_v2(db, "SELECT col(?1)", -1, &st, NULL) ==
            SQLITE_OK);
  for(r = 0; r < c.page.count && r < 64; r++) {
    c.pos = r;
    index_record(&vt, &c);
    for(i = 0; i < ncols; i++)
      if(c.vals[i] && known_number_ub(&cols[i], c.vals[i]))
        c.vals[i] = NULL;
    for(i = 0; i <= ncols; i++) {     /* one past the end: NULL */
      sqlite3_bind_int(st, 1, (int)i);
      FZ_ASSERT(sqlite3_step(st) == SQLITE_ROW);
      if(i < ncols)
        check_value(st, &cols[i]);
      sqlite3_reset(st);
    }
  }
  sqlite3_finalize(st);
  (void)kj_int(kj_get(root, "totalCount"), -1);
out:
  free(c.vals);
  free(cols);
  c.page.root = NULL;
  yajl_tree_free(root);
  free(text);
  return 0;
}
