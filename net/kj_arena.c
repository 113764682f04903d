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
#include <yajl/yajl_parse.h>

#include "../util/ku_mem.h"

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

static void *arena_alloc(struct kj_arena *a, size_t n)
{
  struct chunk *c = a->head;

  n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  if(!c || c->used + n > c->size) {
    size_t size = n > CHUNK ? n : CHUNK;
    c = NULL;
    if(size == CHUNK && a->pool)
      c = pool_take(a->pool);
    if(!c) {
      c = ku_malloc(HDR + size);
      if(!c)
        return NULL;
      c->size = size;
    }
    c->next = a->head;
    c->used = 0;
    a->head = c;
    a->bytes += HDR + size;
  }
  c->used += n;
  return (char *)c + HDR + c->used - n;
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
};

struct kj_stream {
  yajl_handle h;
  struct kj_arena *a;
  struct frame st[MAX_DEPTH];
  int depth;                /* frames in use */
  const char **kstack;      /* member keys (NULL in arrays) */
  yajl_val *vstack;         /* member values */
  size_t top, cap;          /* stack use and size */
  const char *key;          /* pending object key */
  yajl_val root;
  int fail;                 /* 1 out of memory, 2 too deep */
  int bad;                  /* yajl refused the text */
  size_t fed;               /* bytes given before the current piece */
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
      if(k && k->len == n && !memcmp(k->s, s, n))
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

static yajl_val node(struct kj_stream *p, yajl_type t)
{
  yajl_val v = arena_alloc(p->a, sizeof(*v));

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

static int add(struct kj_stream *p, yajl_val v)
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
  yajl_val v = node(p, t);

  if(!add(p, v))
    return 0;
  if(p->depth == MAX_DEPTH) {
    p->fail = 2;
    return 0;
  }
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
  yajl_val *vals = arena_alloc(p->a, n ? n * sizeof(*vals) : 1);

  if(!vals) {
    p->fail = 1;
    return 0;
  }
  if(n)
    memcpy(vals, p->vstack + f->base, n * sizeof(*vals));
  if(f->v->type == yajl_t_object) {
    const char **keys = arena_alloc(p->a, n ? n * sizeof(*keys) : 1);
    if(!keys) {
      p->fail = 1;
      return 0;
    }
    if(n)
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

static int cb_null(void *ctx)
{
  return add(ctx, node(ctx, yajl_t_null));
}

static int cb_bool(void *ctx, int b)
{
  return add(ctx, node(ctx, b ? yajl_t_true : yajl_t_false));
}

static int cb_number(void *ctx, const char *s, size_t n)
{
  struct kj_stream *p = ctx;
  yajl_val v = node(p, yajl_t_number);
  char *end;

  if(!v)
    return 0;
  v->u.number.r = arena_strndup(p->a, s, n);
  if(!v->u.number.r) {
    p->fail = 1;
    return 0;
  }
  /* as yajl_tree: valid only when the whole text converts in range */
  errno = 0;
  v->u.number.i = strtoll(v->u.number.r, &end, 10);
  if(!*end && !errno)
    v->u.number.flags |= YAJL_NUMBER_INT_VALID;
  errno = 0;
  v->u.number.d = strtod(v->u.number.r, &end);
  if(!*end && !errno)
    v->u.number.flags |= YAJL_NUMBER_DOUBLE_VALID;
  return add(p, v);
}

static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
  struct kj_stream *p = ctx;
  yajl_val v;

  if(p->drop && p->key == p->drop && p->depth >= p->drop_depth &&
     p->st[p->depth - 1].v->type == yajl_t_object)
    return 1;                   /* a dropped member */
  v = node(p, yajl_t_string);
  if(!v)
    return 0;
  v->u.string = arena_strndup(p->a, (const char *)s, n);
  if(!v->u.string) {
    p->fail = 1;
    return 0;
  }
  return add(p, v);
}

static int cb_start_map(void *ctx)
{
  return push(ctx, yajl_t_object);
}

static int cb_key(void *ctx, const unsigned char *s, size_t n)
{
  struct kj_stream *p = ctx;

  p->key = intern(p, s, n);
  if(!p->key) {
    p->fail = 1;
    return 0;
  }
  return 1;
}

static int cb_end(void *ctx)
{
  return pop(ctx);
}

static int cb_start_array(void *ctx)
{
  return push(ctx, yajl_t_array);
}

static const yajl_callbacks callbacks = {
  cb_null, cb_bool, NULL, NULL, cb_number, cb_string, cb_start_map, cb_key,
  cb_end, cb_start_array, cb_end
};

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
  /* yajl's own small allocations use its default allocator: yajl does
     not survive a failing allocator (it dereferences the NULL), so the
     injected failures of tests stay in our code, which checks them */
  p->h = yajl_alloc(&callbacks, NULL, p);
  if(!p->h) {
    kj_arena_free(p->a);
    ku_free(p);
    return NULL;
  }
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
  if(yajl_parse(s->h, (const unsigned char *)data, len) != yajl_status_ok) {
    s->bad = 1;
    return -1;
  }
  s->fed += len;
  return 0;
}

yajl_val kj_stream_finish(struct kj_stream *s, struct kj_arena **out,
                          char *err, size_t errlen)
{
  yajl_val root = NULL;

  *out = NULL;
  if(!s->bad && !s->fail &&
     yajl_complete_parse(s->h) != yajl_status_ok)
    s->bad = 1;
  if(s->fail == 1)
    snprintf(err, errlen, "out of memory");
  else if(s->fail == 2)
    snprintf(err, errlen, "invalid JSON: nested too deeply");
  else if(s->bad || !s->root) {
    unsigned char *m = s->bad ? yajl_get_error(s->h, 0, NULL, 0) : NULL;
    const char *t = m ? (const char *)m : "parse error";
    /* yajl's message ends in a newline; the offset counts every piece */
    snprintf(err, errlen, "invalid JSON: %.*s at byte %zu",
             (int)strcspn(t, "\r\n"), t,
             s->fed + yajl_get_bytes_consumed(s->h));
    if(m)
      yajl_free_error(s->h, m);
  }
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
  yajl_free(s->h);
  kj_arena_free(s->a);
  ku_free(s->kstack);
  ku_free(s->vstack);
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
