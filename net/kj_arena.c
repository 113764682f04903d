/*
 * kj_arena.c - JSON parsed into an arena.  See kj_arena.h.
 */
#include "kj_arena.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/ku_mem.h"
#include "../util/ku_str.h"
#include "../util/ku_utf.h"

#define CHUNK (64 * 1024)
#define MAX_DEPTH 64
#define ALIGN 8
#define KEYS 256                /* interned keys per parse (power of 2) */
#define PRED_DEPTH 10           /* key prediction: nesting depths */
#define PRED_MEMBERS 64         /* key prediction: members per object */

struct chunk {
  struct chunk *next;
  size_t used, size;
  /* data follows, ALIGN-aligned */
};

#define HDR ((sizeof(struct chunk) + ALIGN - 1) & ~(size_t)(ALIGN - 1))

struct kj_pool {
  pthread_mutex_t mu;
  struct chunk *free;           /* chunks of CHUNK bytes */
  size_t bytes, max;
  int refs;                     /* the owner's + one per arena */
};

struct kj_arena {
  struct chunk *head;
  size_t bytes;
  struct kj_pool *pool;         /* referenced, or NULL */
};

/* ---- pool ---------------------------------------------------------------- */

struct kj_pool *kj_pool_new(size_t max_bytes)
{
  struct kj_pool *p = ku_calloc(1, sizeof(*p));

  if(!p)
    return NULL;
  if(pthread_mutex_init(&p->mu, NULL)) {
    ku_free(p);
    return NULL;
  }
  p->max = max_bytes;
  p->refs = 1;
  return p;
}

/* Drops one reference; the last one frees the pool and its chunks. */
static void pool_unref(struct kj_pool *p)
{
  struct chunk *c;
  int left;

  pthread_mutex_lock(&p->mu);
  left = --p->refs;
  pthread_mutex_unlock(&p->mu);
  if(left)
    return;
  while((c = p->free)) {
    p->free = c->next;
    ku_free(c);
  }
  pthread_mutex_destroy(&p->mu);
  ku_free(p);
}

void kj_pool_release(struct kj_pool *p)
{
  if(p)
    pool_unref(p);
}

size_t kj_pool_bytes(struct kj_pool *p)
{
  size_t n;

  if(!p)
    return 0;
  pthread_mutex_lock(&p->mu);
  n = p->bytes;
  pthread_mutex_unlock(&p->mu);
  return n;
}

static struct chunk *pool_take(struct kj_pool *p)
{
  struct chunk *c;

  pthread_mutex_lock(&p->mu);
  c = p->free;
  if(c) {
    p->free = c->next;
    p->bytes -= HDR + CHUNK;
  }
  pthread_mutex_unlock(&p->mu);
  return c;
}

/* Keeps c if there is room; 0 when the caller must free it. */
static int pool_give(struct kj_pool *p, struct chunk *c)
{
  int kept = 0;

  pthread_mutex_lock(&p->mu);
  if(p->bytes + HDR + CHUNK <= p->max) {
    c->next = p->free;
    p->free = c;
    p->bytes += HDR + CHUNK;
    kept = 1;
  }
  pthread_mutex_unlock(&p->mu);
  return kept;
}

/* ---- arena --------------------------------------------------------------- */

static struct kj_arena *arena_new(struct kj_pool *pool)
{
  struct kj_arena *a = ku_calloc(1, sizeof(*a));

  if(a && pool) {
    pthread_mutex_lock(&pool->mu);
    pool->refs++;
    pthread_mutex_unlock(&pool->mu);
    a->pool = pool;
  }
  return a;
}

/* A new chunk for an allocation of n bytes (rounded); NULL on OOM. */
static void *arena_grow(struct kj_arena *a, size_t n)
{
  size_t size = n > CHUNK ? n : CHUNK;
  struct chunk *c = NULL;

  if(size == CHUNK && a->pool)
    c = pool_take(a->pool);
  if(!c) {
    c = ku_malloc(HDR + size);
    if(!c)
      return NULL;
    ku_mem_populate(c, HDR + size);   /* filled right away */
    c->size = size;
  }
  c->next = a->head;
  c->used = n;
  a->head = c;
  a->bytes += HDR + size;
  return (char *)c + HDR;
}

static inline void *arena_alloc(struct kj_arena *a, size_t n)
{
  struct chunk *c = a->head;

  n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  if(!c || c->used + n > c->size)
    return arena_grow(a, n);
  c->used += n;
  return (char *)c + HDR + c->used - n;
}

/* memcpy and memcmp for the short strings and keys that make up most of
   a page, without the library call: two overlapping word moves */
static inline void copy_short(char *d, const char *s, size_t n)
{
  uint64_t a, b;
  uint32_t x, y;

  if(n >= 8 && n <= 16) {
    memcpy(&a, s, 8);
    memcpy(&b, s + n - 8, 8);
    memcpy(d, &a, 8);
    memcpy(d + n - 8, &b, 8);
  }
  else if(n >= 4 && n < 8) {
    memcpy(&x, s, 4);
    memcpy(&y, s + n - 4, 4);
    memcpy(d, &x, 4);
    memcpy(d + n - 4, &y, 4);
  }
  else if(n < 4)
    while(n--)
      *d++ = *s++;
  else
    memcpy(d, s, n);
}

static inline int same_short(const char *a, const unsigned char *b,
                             size_t n)
{
  uint64_t a1, a2, b1, b2;
  uint32_t x1, x2, y1, y2;

  if(n >= 8 && n <= 16) {
    memcpy(&a1, a, 8);
    memcpy(&a2, a + n - 8, 8);
    memcpy(&b1, b, 8);
    memcpy(&b2, b + n - 8, 8);
    return ((a1 ^ b1) | (a2 ^ b2)) == 0;
  }
  if(n >= 4 && n < 8) {
    memcpy(&x1, a, 4);
    memcpy(&x2, a + n - 4, 4);
    memcpy(&y1, b, 4);
    memcpy(&y2, b + n - 4, 4);
    return ((x1 ^ y1) | (x2 ^ y2)) == 0;
  }
  if(n < 4) {
    while(n--)
      if((unsigned char)*a++ != *b++)
        return 0;
    return 1;
  }
  return !memcmp(a, b, n);
}

static char *arena_strndup(struct kj_arena *a, const char *s, size_t n)
{
  char *d = arena_alloc(a, n + 1);

  if(!d)
    return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

void kj_arena_free(struct kj_arena *a)
{
  struct chunk *c;

  if(!a)
    return;
  c = a->head;
  while(c) {
    struct chunk *n = c->next;
    if(!a->pool || c->size != CHUNK || !pool_give(a->pool, c))
      ku_free(c);
    c = n;
  }
  if(a->pool)
    pool_unref(a->pool);
  ku_free(a);
}

size_t kj_arena_bytes(const struct kj_arena *a)
{
  return a ? a->bytes : 0;
}
/* ---- parse --------------------------------------------------------------- */

/*
 * Record pages are nearly all the JSON the driver reads (tens of
 * megabytes a second), so they are not run through a general tokenizer
 * and a callback per token: this parser is a byte-level state machine
 * that builds the tree itself and resumes wherever a piece of the body
 * ends.  Plain string bytes are skipped eight at a time and copied
 * straight from the input when the string ends in the same piece and
 * has no escapes; a token cut by the end of a piece, or a string with
 * escapes, is gathered in a token buffer.
 *
 * The grammar is RFC 8259 with yajl's choices, so that a text is
 * accepted when kj_parse (yajl_tree) accepts it and gives the same tree:
 * whitespace also takes \v and \f; UTF-8 in strings is checked by lead
 * and continuation bytes as yajl does; \u0000 becomes a NUL byte.  The
 * deliberate differences, on malformed input only: an escaped surrogate
 * without its other half becomes U+FFFD (yajl writes '?' and drops the
 * character after it); a value followed by a string that never ends is
 * refused (yajl takes the value: its lexer waits for more text and its
 * end of parse does not look); comments are refused (yajl_tree allows
 * them).  tests/unit/check_json.c and the fuzz_kj_stream target compare
 * the two.
 */

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* 1 for the bytes a string may hold as they are: not '"', '\\', a control
   character or a byte >= 0x80 (UTF-8, checked apart). */
static const unsigned char plain_tab[256] = {
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
  1,1,0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
  1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,0,1,1,1,
  1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0
};

/* The length of the run of plain bytes at c (up to end).  On
   little-endian machines with GCC's builtins it takes eight bytes a
   step and finds the first special byte from the word's mask: the
   borrows of the subtractions only reach bytes above one that matches,
   so the lowest set bit is exact. */
static inline size_t plain_run(const unsigned char *c,
                               const unsigned char *end)
{
  const unsigned char *s = c;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  while(end - c >= 8) {
    uint64_t v, q, b, m;
    memcpy(&v, c, 8);
    q = v ^ (ONES * '"');
    b = v ^ (ONES * '\\');
    m = (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((v - ONES * 0x20) & ~v) |
         v) & HIGHS;
    if(m)
      return (size_t)(c - s) + (size_t)(__builtin_ctzll(m) >> 3);
    c += 8;
  }
#endif
  while(c < end && plain_tab[*c])
    c++;
  return (size_t)(c - s);
}

/*
 * One open container while parsing.  The members of all open containers
 * sit on one stack (keys and values side by side); a frame remembers
 * where its own begin, and its end copies them into the arena.
 */
struct frame {
  yajl_val v;
  size_t base;              /* first member on the stack */
  size_t keyno;             /* keys seen (dropped members included) */
};

/* An interned key: object keys repeat in every record. */
struct key {
  const char *s;            /* in the arena; NULL = empty slot */
  size_t len;
  uint32_t hash;
  int plain;                /* only bytes a string holds unescaped */
};

enum lex_state {
  L_VALUE,                  /* the root, after ':', after ',' in an array */
  L_VALUE_OR_CLOSE,         /* after '[' */
  L_KEY_OR_CLOSE,           /* after '{' */
  L_KEY,                    /* after ',' in an object */
  L_COLON,                  /* after a key */
  L_NEXT,                   /* after a member or element: ',' or close */
  L_DONE                    /* after the root: whitespace only */
};

enum lex_tok { T_NONE, T_STR, T_NUM, T_LIT };

struct kj_stream {
  struct kj_arena *a;
  struct frame st[MAX_DEPTH];
  int depth;                /* frames in use */
  const char **kstack;      /* member keys (NULL in arrays) */
  yajl_val *vstack;         /* member values */
  size_t top, cap;          /* stack use and size */
  const char *key;          /* pending object key */
  yajl_val root;
  int fail;                 /* 1 out of memory, 2 too deep */
  const char *bad;          /* why the text is not JSON, or NULL */
  size_t bad_at;            /* where (bytes from the start) */
  size_t fed;               /* bytes given before the current piece */
  /* lexer */
  int state;                /* enum lex_state */
  int tok;                  /* enum lex_tok: a token cut by a piece end */
  int tok_key;              /* the string being read is an object key */
  char *tb;                 /* the token's bytes so far (strings decoded) */
  size_t tlen, tcap;
  int esc;                  /* 0, 1 after '\', 2-5 reading \u digits */
  unsigned uval;            /* \u digits so far */
  unsigned hi;              /* a high surrogate waiting for its pair */
  int u8;                   /* UTF-8 continuation bytes still due */
  /* keys */
  struct key keys[KEYS];
  int nkeys;
  /* the key last seen at member i of an object at depth d: records
     repeat their keys in the same order, so this is nearly always it */
  const struct key *seen[PRED_DEPTH][PRED_MEMBERS];
  const char *drop;         /* interned key to drop, or NULL */
  int drop_depth;
};

static uint32_t hash_of(const unsigned char *s, size_t n)
{
  uint32_t h = 2166136261u;
  size_t i;

  for(i = 0; i < n; i++)
    h = (h ^ s[i]) * 16777619u;
  return h;
}

/* The interned entry of key s[0..n), or NULL when the table is full or
   out of memory (*oom set). */
static const struct key *intern_key(struct kj_stream *p,
                                    const unsigned char *s, size_t n,
                                    int *oom)
{
  uint32_t h = hash_of(s, n);
  size_t i = h & (KEYS - 1);
  int probes;

  for(probes = 0; probes < 8; probes++, i = (i + 1) & (KEYS - 1)) {
    struct key *k = &p->keys[i];
    if(!k->s) {
      if(p->nkeys >= KEYS / 2)
        return NULL;            /* table full enough: stop interning */
      k->s = arena_strndup(p->a, (const char *)s, n);
      if(!k->s) {
        *oom = 1;
        return NULL;
      }
      k->len = n;
      k->hash = h;
      k->plain = plain_run(s, s + n) == n;
      p->nkeys++;
      return k;
    }
    if(k->hash == h && k->len == n && !memcmp(k->s, s, n))
      return k;
  }
  return NULL;
}

/* The arena copy of key s[0..n), shared by every occurrence. */
static const char *intern(struct kj_stream *p, const unsigned char *s,
                          size_t n)
{
  const struct key *k;
  const struct key **slot = NULL;
  int oom = 0;

  if(p->depth > 0 && p->depth <= PRED_DEPTH) {
    size_t m = p->st[p->depth - 1].keyno++;
    if(m < PRED_MEMBERS) {
      slot = &p->seen[p->depth - 1][m];
      k = *slot;
      if(k && k->len == n && same_short(k->s, s, n))
        return k->s;
    }
  }
  k = intern_key(p, s, n, &oom);
  if(k) {
    if(slot)
      *slot = k;
    return k->s;
  }
  return oom ? NULL : arena_strndup(p->a, (const char *)s, n);
}

/* A node with `extra` bytes after it (for its text). */
static yajl_val node(struct kj_stream *p, yajl_type t, size_t extra)
{
  yajl_val v = arena_alloc(p->a, sizeof(*v) + extra);

  if(!v) {
    p->fail = 1;
    return NULL;
  }
  memset(v, 0, sizeof(*v));
  v->type = t;
  return v;
}

static int grow_stack(struct kj_stream *p)
{
  size_t ncap = p->cap ? p->cap * 2 : 256;
  const char **k = ku_realloc(p->kstack, ncap * sizeof(*k));
  yajl_val *v;

  if(!k)
    return 0;
  p->kstack = k;
  v = ku_realloc(p->vstack, ncap * sizeof(*v));
  if(!v)
    return 0;
  p->vstack = v;
  p->cap = ncap;
  return 1;
}

static inline int add(struct kj_stream *p, yajl_val v)
{
  if(!v)
    return 0;
  if(!p->depth) {
    p->root = v;
    return 1;
  }
  if(p->top == p->cap && !grow_stack(p)) {
    p->fail = 1;
    return 0;
  }
  p->kstack[p->top] = p->key;
  p->vstack[p->top++] = v;
  return 1;
}

static int push(struct kj_stream *p, yajl_type t)
{
  yajl_val v;

  if(p->depth == MAX_DEPTH) {
    p->fail = 2;
    return 0;
  }
  v = node(p, t, 0);
  if(!add(p, v))
    return 0;
  p->st[p->depth].v = v;
  p->st[p->depth].base = p->top;
  p->st[p->depth].keyno = 0;
  p->depth++;
  return 1;
}

static int pop(struct kj_stream *p)
{
  struct frame *f = &p->st[--p->depth];
  size_t n = p->top - f->base;
  int obj = f->v->type == yajl_t_object;
  /* values, then (objects) keys, in one block */
  yajl_val *vals = arena_alloc(p->a, n ? n * (sizeof(*vals) +
                                              (obj ? sizeof(char *) : 0))
                                       : 1);

  if(!vals) {
    p->fail = 1;
    return 0;
  }
  if(n == 1)
    vals[0] = p->vstack[f->base];
  else if(n)
    memcpy(vals, p->vstack + f->base, n * sizeof(*vals));
  if(obj) {
    const char **keys = (const char **)(vals + n);
    if(n == 1)
      keys[0] = p->kstack[f->base];
    else if(n)
      memcpy(keys, p->kstack + f->base, n * sizeof(*keys));
    f->v->u.object.keys = keys;
    f->v->u.object.values = vals;
    f->v->u.object.len = n;
  }
  else {
    f->v->u.array.values = vals;
    f->v->u.array.len = n;
  }
  p->top = f->base;
  return 1;
}

static int put_number(struct kj_stream *p, const char *s, size_t n)
{
  yajl_val v = node(p, yajl_t_number, n + 1);
  char *end, *r;

  if(!v)
    return 0;
  r = (char *)(v + 1);
  memcpy(r, s, n);
  r[n] = '\0';
  v->u.number.r = r;
  /* as yajl_tree: valid only when the whole text converts in range */
  errno = 0;
  v->u.number.i = strtoll(r, &end, 10);
  if(!*end && !errno)
    v->u.number.flags |= YAJL_NUMBER_INT_VALID;
  errno = 0;
  v->u.number.d = ku_strtod(r, &end);
  if(!*end && !errno)
    v->u.number.flags |= YAJL_NUMBER_DOUBLE_VALID;
  return add(p, v);
}

static int put_string(struct kj_stream *p, const char *s, size_t n)
{
  yajl_val v;
  char *d;

  if(p->drop && p->key == p->drop && p->depth >= p->drop_depth &&
     p->st[p->depth - 1].v->type == yajl_t_object)
    return 1;                   /* a dropped member */
  v = arena_alloc(p->a, sizeof(*v) + n + 1);
  if(!v) {
    p->fail = 1;
    return 0;
  }
  d = (char *)(v + 1);
  copy_short(d, s, n);
  d[n] = '\0';
  v->type = yajl_t_string;
  v->u.string = d;
  return add(p, v);
}

/* ---- lexer --------------------------------------------------------------- */

static int lex_fail(struct kj_stream *p, size_t at, const char *why)
{
  if(!p->bad) {
    p->bad = why;
    p->bad_at = at;
  }
  return -1;
}

static int tb_add(struct kj_stream *p, const void *s, size_t n)
{
  if(!n)
    return 1;
  if(p->tlen + n > p->tcap) {
    size_t ncap = p->tcap ? p->tcap * 2 : 256;
    char *t;
    while(ncap < p->tlen + n)
      ncap *= 2;
    t = ku_realloc(p->tb, ncap);
    if(!t) {
      p->fail = 1;
      return 0;
    }
    p->tb = t;
    p->tcap = ncap;
  }
  memcpy(p->tb + p->tlen, s, n);
  p->tlen += n;
  return 1;
}

/* Appends code point cp as UTF-8 (cp < 0x110000). */
static int tb_utf8(struct kj_stream *p, unsigned cp)
{
  char u[4];

  return tb_add(p, u, ku_utf8_encode(cp, u));
}

#define REPLACEMENT 0xFFFDu

/* The code point of a finished \u escape, pairing surrogates. */
static int put_escaped(struct kj_stream *p, unsigned cp)
{
  if(p->hi) {
    unsigned hi = p->hi;
    p->hi = 0;
    if(cp >= 0xDC00 && cp <= 0xDFFF)
      return tb_utf8(p, 0x10000 + ((hi - 0xD800) << 10) + (cp - 0xDC00));
    if(!tb_utf8(p, REPLACEMENT))
      return 0;
  }
  if(cp >= 0xD800 && cp <= 0xDBFF) {
    p->hi = cp;
    return 1;
  }
  return tb_utf8(p, cp >= 0xDC00 && cp <= 0xDFFF ? REPLACEMENT : cp);
}

/*
 * Reads string bytes from *pp (just after the opening quote, or the
 * start of a piece when the string began in an earlier one) up to the
 * closing quote.  1: the string is whole, *pp is past the quote and
 * *s and *n give its text (in the input when nothing was gathered, else the
 * token buffer); 0: the piece ended first (state kept); -1: error.
 */
static int lex_string(struct kj_stream *p, const unsigned char **pp,
                      const unsigned char *end, size_t off,
                      const char **s, size_t *n)
{
  const unsigned char *c = *pp, *run = c, *start = *pp;
  int gathered = p->tok == T_STR;
  unsigned char ch;
  int d;

  for(;;) {
    if(!p->esc && !p->u8 && !p->hi)
      c += plain_run(c, end);
    if(c == end) {
      if(!tb_add(p, run, (size_t)(c - run)))
        return -1;
      p->tok = T_STR;
      *pp = c;
      return 0;
    }
    ch = *c;
    if(p->u8) {
      if((ch & 0xC0) != 0x80)
        return lex_fail(p, off + (size_t)(c - start),
                        "invalid UTF-8 in a string");
      p->u8--;
      c++;
      continue;
    }
    if(p->esc == 1) {
      static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
      const char *e = ch ? strchr(from, ch) : NULL;
      if(ch == 'u') {
        p->esc = 2;
        p->uval = 0;
        run = ++c;
        continue;
      }
      if(!e)
        return lex_fail(p, off + (size_t)(c - start),
                        "invalid escape in a string");
      if(p->hi) {               /* a high surrogate alone */
        p->hi = 0;
        if(!tb_utf8(p, REPLACEMENT))
          return -1;
      }
      if(!tb_add(p, &to[e - from], 1))
        return -1;
      p->esc = 0;
      run = ++c;
      continue;
    }
    if(p->esc) {                /* \u digits */
      if((d = ku_hex_digit(ch)) < 0)
        return lex_fail(p, off + (size_t)(c - start),
                        "invalid \\u escape in a string");
      p->uval = p->uval * 16 + (unsigned)d;
      run = ++c;
      if(++p->esc == 6) {
        p->esc = 0;
        if(!put_escaped(p, p->uval))
          return -1;
      }
      continue;
    }
    if(ch == '\\') {
      if(!tb_add(p, run, (size_t)(c - run)))
        return -1;
      gathered = 1;
      p->esc = 1;
      run = ++c;
      continue;
    }
    if(p->hi) {                 /* a high surrogate alone */
      p->hi = 0;
      if(!tb_utf8(p, REPLACEMENT))
        return -1;
      continue;
    }
    if(ch == '"') {
      if(!gathered) {
        *s = (const char *)run;
        *n = (size_t)(c - run);
      }
      else {
        if(!tb_add(p, run, (size_t)(c - run)))
          return -1;
        *s = p->tb ? p->tb : "";       /* NULL while nothing was added */
        *n = p->tlen;
      }
      *pp = c + 1;
      return 1;
    }
    if(ch < 0x20)
      return lex_fail(p, off + (size_t)(c - start),
                      "control character in a string");
    /* a lead byte, as yajl checks them */
    if((ch >> 5) == 0x6)
      p->u8 = 1;
    else if((ch >> 4) == 0xE)
      p->u8 = 2;
    else if((ch >> 3) == 0x1E)
      p->u8 = 3;
    else
      return lex_fail(p, off + (size_t)(c - start),
                      "invalid UTF-8 in a string");
    c++;
  }
}

static int num_char(unsigned char c)
{
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ||
         c == 'e' || c == 'E';
}

static int lit_char(unsigned char c)
{
  return c >= 'a' && c <= 'z';
}

/* The end of the run of number (T_NUM) or literal (T_LIT) characters
   at c, or end. */
static const unsigned char *scalar_end(int tok, const unsigned char *c,
                                       const unsigned char *end)
{
  if(tok == T_NUM)
    while(c < end && num_char(*c))
      c++;
  else
    while(c < end && lit_char(*c))
      c++;
  return c;
}

static int digit(char c)
{
  return c >= '0' && c <= '9';
}

/* Whether s[0..n) is a JSON number. */
static int number_ok(const char *s, size_t n)
{
  size_t i = 0;

  if(i < n && s[i] == '-')
    i++;
  if(i == n)
    return 0;
  if(s[i] == '0')
    i++;
  else if(s[i] >= '1' && s[i] <= '9')
    while(i < n && digit(s[i]))
      i++;
  else
    return 0;
  if(i < n && s[i] == '.') {
    if(++i == n || !digit(s[i]))
      return 0;
    while(i < n && digit(s[i]))
      i++;
  }
  if(i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if(i < n && (s[i] == '+' || s[i] == '-'))
      i++;
    if(i == n || !digit(s[i]))
      return 0;
    while(i < n && digit(s[i]))
      i++;
  }
  return i == n;
}

/* After a whole value: where the parse goes next. */
static void after_value(struct kj_stream *p)
{
  p->state = p->depth ? L_NEXT : L_DONE;
}

/* A finished string token: a key or a value. */
static inline int end_string(struct kj_stream *p, const char *s,
                             size_t n)
{
  if(p->tok_key) {
    p->key = intern(p, (const unsigned char *)s, n);
    if(!p->key) {
      p->fail = 1;
      return -1;
    }
    p->state = L_COLON;
  }
  else {
    if(!put_string(p, s, n))
      return -1;
    after_value(p);
  }
  p->tok = T_NONE;
  p->tlen = 0;
  return 0;
}

/* A finished number or literal token s[0..n) that began at `at`. */
static int end_scalar(struct kj_stream *p, int tok, const char *s, size_t n,
                      size_t at)
{
  int ok;

  p->tok = T_NONE;
  p->tlen = 0;
  if(tok == T_NUM) {
    if(!number_ok(s, n))
      return lex_fail(p, at, "invalid number");
    ok = put_number(p, s, n);
  }
  else if(n == 4 && !memcmp(s, "true", 4))
    ok = add(p, node(p, yajl_t_true, 0));
  else if(n == 5 && !memcmp(s, "false", 5))
    ok = add(p, node(p, yajl_t_false, 0));
  else if(n == 4 && !memcmp(s, "null", 4))
    ok = add(p, node(p, yajl_t_null, 0));
  else
    return lex_fail(p, at, "invalid literal");
  if(!ok)
    return -1;
  after_value(p);
  return 0;
}

/* Parses one piece; 0, or -1 when the text is bad or memory ran out. */
static int lex(struct kj_stream *p, const unsigned char *c,
               const unsigned char *end)
{
  const unsigned char *base = c, *t;
  const char *s;
  size_t n;
  int r, tok;

#define AT(x) (p->fed + (size_t)((x) - base))
  if(p->tok == T_STR) {
    r = lex_string(p, &c, end, AT(c), &s, &n);
    if(r <= 0)
      return r;
    if(end_string(p, s, n))
      return -1;
  }
  else if(p->tok) {             /* a number or literal cut by the piece */
    t = scalar_end(p->tok, c, end);
    if(!tb_add(p, c, (size_t)(t - c)))
      return -1;
    if(t == end)
      return 0;
    /* the token began tlen - (t - c) bytes before this piece */
    if(end_scalar(p, p->tok, p->tb, p->tlen,
                  p->fed - (p->tlen - (size_t)(t - c))))
      return -1;
    c = t;
  }
  while(c < end) {
    unsigned char ch = *c;
    switch(ch) {
    case ' ': case '\t': case '\n': case '\r': case '\v': case '\f':
      c++;
      continue;
    case '"':
      if(p->state == L_KEY_OR_CLOSE || p->state == L_KEY)
        p->tok_key = 1;
      else if(p->state == L_VALUE || p->state == L_VALUE_OR_CLOSE)
        p->tok_key = 0;
      else
        break;
      c++;
      if(p->tok_key && p->depth <= PRED_DEPTH) {
        /* the key this member had in the last object at this depth,
           compared in place: records repeat their keys in order */
        struct frame *f = &p->st[p->depth - 1];
        const struct key *k = f->keyno < PRED_MEMBERS
                                ? p->seen[p->depth - 1][f->keyno] : NULL;
        if(k && k->plain && (size_t)(end - c) > k->len &&
           c[k->len] == '"' && same_short(k->s, c, k->len)) {
          f->keyno++;
          p->key = k->s;
          p->state = L_COLON;
          c += k->len + 1;
          goto after_key;
        }
      }
      n = plain_run(c, end);
      if(c + n < end && c[n] == '"') {  /* whole and plain: no copy */
        s = (const char *)c;
        c += n + 1;
      }
      else {
        r = lex_string(p, &c, end, AT(c), &s, &n);
        if(r <= 0)
          return r;
      }
      if(end_string(p, s, n))
        return -1;
    after_key:
      /* what nearly always comes next: ':' after a key, ',' after a
         member (and the space a pretty printer puts after them) */
      if(p->state == L_COLON) {
        while(c < end && (*c == ' ' || *c == '\n'))
          c++;
        if(c < end && *c == ':') {
          p->state = L_VALUE;
          c++;
          if(c < end && *c == ' ')
            c++;
        }
      }
      else if(p->state == L_NEXT) {
        while(c < end && (*c == ' ' || *c == '\n'))
          c++;
        if(c < end && *c == ',') {
          p->state = p->st[p->depth - 1].v->type == yajl_t_object ? L_KEY
                                                                  : L_VALUE;
          c++;
          if(c < end && *c == ' ')
            c++;
        }
      }
      continue;
    case '{':
    case '[':
      if(p->state != L_VALUE && p->state != L_VALUE_OR_CLOSE)
        break;
      if(!push(p, ch == '{' ? yajl_t_object : yajl_t_array))
        return -1;
      p->state = ch == '{' ? L_KEY_OR_CLOSE : L_VALUE_OR_CLOSE;
      c++;
      continue;
    case '}':
    case ']':
      if(ch == '}' ? !(p->state == L_KEY_OR_CLOSE ||
                       (p->state == L_NEXT &&
                        p->st[p->depth - 1].v->type == yajl_t_object))
                   : !(p->state == L_VALUE_OR_CLOSE ||
                       (p->state == L_NEXT &&
                        p->st[p->depth - 1].v->type == yajl_t_array)))
        break;
      if(!pop(p))
        return -1;
      after_value(p);
      c++;
      continue;
    case ':':
      if(p->state != L_COLON)
        break;
      p->state = L_VALUE;
      c++;
      continue;
    case ',':
      if(p->state != L_NEXT)
        break;
      p->state = p->st[p->depth - 1].v->type == yajl_t_object ? L_KEY
                                                              : L_VALUE;
      c++;
      continue;
    default:
      if(p->state != L_VALUE && p->state != L_VALUE_OR_CLOSE)
        break;
      if(num_char(ch) && ch != '+' && ch != '.' && ch != 'e' && ch != 'E')
        tok = T_NUM;
      else if(ch == 't' || ch == 'f' || ch == 'n')
        tok = T_LIT;
      else
        break;
      t = scalar_end(tok, c, end);
      if(t == end) {            /* may go on in the next piece */
        if(!tb_add(p, c, (size_t)(t - c)))
          return -1;
        p->tok = tok;
        return 0;
      }
      if(end_scalar(p, tok, (const char *)c, (size_t)(t - c), AT(c)))
        return -1;
      c = t;
      continue;
    }
    /* a character the state does not allow */
    return lex_fail(p, AT(c), p->state == L_DONE
                                  ? "text after the end of the value"
                                  : "unexpected character");
  }
  return 0;
#undef AT
}

struct kj_stream *kj_stream_new(struct kj_pool *pool)
{
  struct kj_stream *p = ku_calloc(1, sizeof(*p));

  if(!p)
    return NULL;
  p->a = arena_new(pool);
  if(!p->a) {
    ku_free(p);
    return NULL;
  }
  p->state = L_VALUE;
  return p;
}

void kj_stream_drop(struct kj_stream *s, const char *key, int min_depth)
{
  const char *k = intern(s, (const unsigned char *)key, strlen(key));

  if(k) {
    s->drop = k;
    s->drop_depth = min_depth;
  }
}

int kj_stream_feed(struct kj_stream *s, const char *data, size_t len)
{
  if(s->bad || s->fail)
    return -1;
  if(lex(s, (const unsigned char *)data, (const unsigned char *)data + len))
    return -1;
  s->fed += len;
  return 0;
}

yajl_val kj_stream_finish(struct kj_stream *s, struct kj_arena **out,
                          char *err, size_t errlen)
{
  yajl_val root = NULL;

  *out = NULL;
  if(!s->bad && !s->fail) {
    if(s->tok == T_NUM || s->tok == T_LIT)
      end_scalar(s, s->tok, s->tb, s->tlen, s->fed - s->tlen);
    if(!s->bad && !s->fail && s->state != L_DONE)
      lex_fail(s, s->fed, s->tok == T_STR ? "unterminated string"
                                          : "premature end of text");
  }
  if(s->fail == 1)
    snprintf(err, errlen, "out of memory");
  else if(s->fail == 2)
    snprintf(err, errlen, "invalid JSON: nested too deeply");
  else if(s->bad)
    snprintf(err, errlen, "invalid JSON: %s at byte %zu", s->bad, s->bad_at);
  else {
    root = s->root;
    *out = s->a;
    s->a = NULL;
  }
  return root;
}

void kj_stream_free(struct kj_stream *s)
{
  if(!s)
    return;
  kj_arena_free(s->a);
  ku_free(s->kstack);
  ku_free(s->vstack);
  ku_free(s->tb);
  ku_free(s);
}

yajl_val kj_parse_arena(const char *text, size_t len, struct kj_arena **out,
                        char *err, size_t errlen)
{
  struct kj_stream *s = kj_stream_new(NULL);
  yajl_val root;

  *out = NULL;
  if(!s) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  kj_stream_feed(s, text, len);
  root = kj_stream_finish(s, out, err, errlen);
  kj_stream_free(s);
  return root;
}
