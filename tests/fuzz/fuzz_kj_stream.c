/*
 * fuzz_kj_stream.c - libFuzzer target for net/kj_arena.c's incremental
 * parser, differential against yajl_tree (kj_parse): the same text fed
 * to kj_stream in up to three pieces, split where the input says, with
 * a chunk pool shared by all runs and (when the input says) the "type"
 * members of depth >= 4 dropped, as kc_records does.
 *
 * Input: byte 0 = flags (bit 0: drop "type"), bytes 1-2 = split points
 * (in 255ths of the text), then the JSON text up to its first NUL
 * (yajl_tree reads NUL-terminated text).  Texts yajl_tree cannot stand
 * for (escaped NULs, comments) are skipped, and so are texts with an
 * escaped surrogate: kj_stream writes U+FFFD for one without its other
 * half where yajl writes '?' and drops the next character
 * (tests/unit/check_json.c checks kj_stream's answers for those).
 * yajl also takes a value followed by an unterminated string as the
 * value; kj_stream refuses that (unterminated_tail).
 *
 * Invariants: kj_stream yields a tree exactly when yajl_tree does (or
 * fails only for nesting deeper than 64); the trees are equal member
 * for member, numbers by text and validity flags, except the dropped
 * members; errors are one non-empty line; nothing leaks (ASan), and
 * the pool never holds more than its cap.
 */
#include "fuzz_util.h"

#include <yajl/yajl_tree.h>

#include "net/kj_arena.h"
#include "net/kj_json.h"

#define POOL_CAP (1u << 20)

static struct kj_pool *pool;

/* Whether the text has a \uD800-\uDFFF escape (or looks like one). */
static int has_surrogate_escape(const char *t)
{
  const char *u;

  for(u = strstr(t, "\\u"); u; u = strstr(u + 1, "\\u"))
    if((u[2] == 'd' || u[2] == 'D') && u[3] && strchr("89abcdefABCDEF", u[3]))
      return 1;
  return 0;
}

/*
 * yajl takes a whole value followed by a string that never ends ("{} \"x")
 * as the value alone: its lexer asks for more text and the end of the
 * parse does not check.  kj_stream refuses it; this is that case: the
 * error is text after the value at a '"' that no other '"' closes.
 */
static int unterminated_tail(const char *text, size_t len, const char *err)
{
  const char *at = strstr(err, "text after the end of the value at byte ");
  size_t pos, i;

  if(!at)
    return 0;
  pos = (size_t)strtoul(at + strlen("text after the end of the value at "
                                    "byte "), NULL, 10);
  if(pos >= len || text[pos] != '"')
    return 0;
  for(i = pos + 1; i < len; i++) {
    if(text[i] == '\\')
      i++;
    else if(text[i] == '"')
      return 0;
  }
  return 1;
}

static int depth_of(yajl_val v)
{
  size_t i, n;
  int d = 0, m;

  if(!v || (!YAJL_IS_OBJECT(v) && !YAJL_IS_ARRAY(v)))
    return 0;
  n = YAJL_IS_OBJECT(v) ? v->u.object.len : v->u.array.len;
  for(i = 0; i < n; i++) {
    m = depth_of(YAJL_IS_OBJECT(v) ? v->u.object.values[i]
                                   : v->u.array.values[i]);
    if(m > d)
      d = m;
  }
  return d + 1;
}

/* a is yajl_tree's, b kj_stream's; depth = containers down to here */
static void same(yajl_val a, yajl_val b, int drop, int depth)
{
  size_t i, j;

  FZ_ASSERT(a && b && a->type == b->type);
  switch(a->type) {
  case yajl_t_string:
    FZ_ASSERT(!strcmp(a->u.string, b->u.string));
    break;
  case yajl_t_number:
    FZ_ASSERT(!strcmp(a->u.number.r, b->u.number.r));
    FZ_ASSERT(a->u.number.flags == b->u.number.flags);
    if(a->u.number.flags & YAJL_NUMBER_INT_VALID)
      FZ_ASSERT(a->u.number.i == b->u.number.i);
    break;
  case yajl_t_object:
    for(i = j = 0; i < a->u.object.len; i++) {
      if(drop && depth + 1 >= 4 && !strcmp(a->u.object.keys[i], "type") &&
         YAJL_IS_STRING(a->u.object.values[i]))
        continue;               /* dropped by kj_stream_drop */
      FZ_ASSERT(j < b->u.object.len);
      FZ_ASSERT(!strcmp(a->u.object.keys[i], b->u.object.keys[j]));
      same(a->u.object.values[i], b->u.object.values[j], drop, depth + 1);
      j++;
    }
    FZ_ASSERT(j == b->u.object.len);
    break;
  case yajl_t_array:
    FZ_ASSERT(a->u.array.len == b->u.array.len);
    for(i = 0; i < a->u.array.len; i++)
      same(a->u.array.values[i], b->u.array.values[i], drop, depth + 1);
    break;
  default:
    break;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text, err[256], serr[256];
  size_t len, cut1, cut2;
  yajl_val ref = NULL, got;
  struct kj_arena *a = NULL;
  struct kj_stream *s;
  int drop, rc;

  if(size < 3 || size > 1 << 16)
    return 0;
  if(!pool)
    FZ_ASSERT((pool = kj_pool_new(POOL_CAP)) != NULL);
  drop = data[0] & 1;
  len = strnlen((const char *)data + 3, size - 3);
  text = malloc(len + 1);
  FZ_ASSERT(text);
  memcpy(text, data + 3, len);
  text[len] = '\0';
  /* yajl_tree keeps keys and strings as C strings: text with an escaped
     NUL (\u0000) cannot be compared member for member; and it allows
     comments, which Kintone never sends and kj_stream refuses */
  if(strstr(text, "\\u0000") || strstr(text, "//") || strstr(text, "/*") ||
     has_surrogate_escape(text)) {
    free(text);
    return 0;
  }
  cut1 = len * data[1] / 255;
  cut2 = len * data[2] / 255;
  if(cut2 < cut1) {
    size_t t = cut1;
    cut1 = cut2;
    cut2 = t;
  }
  rc = kj_parse(text, len, &ref, err, sizeof(err));
  s = kj_stream_new(pool);
  FZ_ASSERT(s);
  if(drop)
    kj_stream_drop(s, "type", 4);
  kj_stream_feed(s, text, cut1);
  kj_stream_feed(s, text + cut1, cut2 - cut1);
  kj_stream_feed(s, text + cut2, len - cut2);
  serr[0] = '\0';
  got = kj_stream_finish(s, &a, serr, sizeof(serr));
  kj_stream_free(s);
  if(rc) {
    FZ_ASSERT(!got && serr[0] && !strchr(serr, '\n'));
  }
  else if(!got) {
    FZ_ASSERT(serr[0] && !strchr(serr, '\n'));
    FZ_ASSERT((strstr(serr, "nested too deeply") && depth_of(ref) > 64) ||
              unterminated_tail(text, len, serr));
  }
  else
    same(ref, got, drop, 0);
  kj_arena_free(a);
  FZ_ASSERT(kj_pool_bytes(pool) <= POOL_CAP);
  yajl_tree_free(ref);
  free(text);
  return 0;
}
