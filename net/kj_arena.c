/*
 * kj_arena.c - JSON parsed into an arena.  See kj_arena.h.
 */
#include "kj_arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "../util/ku_buf.h"
#include "../util/ku_mem.h"

#define CHUNK (64 * 1024)
#define MAX_DEPTH 64

struct chunk {
  struct chunk *next;
  size_t used, size;
  /* data follows, 16-byte aligned */
};

struct kj_arena {
  struct chunk *head;
  size_t bytes;
};

static void *arena_alloc(struct kj_arena *a, size_t n)
{
  struct chunk *c = a->head;
  size_t hdr = (sizeof(struct chunk) + 15) & ~(size_t)15;

  n = (n + 15) & ~(size_t)15;
  if(!c || c->used + n > c->size) {
    size_t size = n > CHUNK ? n : CHUNK;
    c = ku_malloc(hdr + size);
    if(!c)
      return NULL;
    c->next = a->head;
    c->used = 0;
    c->size = size;
    a->head = c;
    a->bytes += hdr + size;
  }
  c->used += n;
  return (char *)c + hdr + c->used - n;
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
    ku_free(c);
    c = n;
  }
  ku_free(a);
}

size_t kj_arena_bytes(const struct kj_arena *a)
{
  return a ? a->bytes : 0;
}

/* One open container while parsing. */
struct frame {
  yajl_val v;
  struct ku_buf keys;       /* const char * pointers (objects) */
  struct ku_buf vals;       /* yajl_val pointers */
};

struct pctx {
  struct kj_arena *a;
  struct frame st[MAX_DEPTH];
  int depth;                /* frames in use */
  int inited;               /* frames whose buffers were initialised */
  const char *key;          /* pending object key */
  yajl_val root;
  int fail;                 /* 1 out of memory, 2 too deep */
};

static yajl_val node(struct pctx *p, yajl_type t)
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

static int add(struct pctx *p, yajl_val v)
{
  struct frame *f;

  if(!v)
    return 0;
  if(!p->depth) {
    p->root = v;
    return 1;
  }
  f = &p->st[p->depth - 1];
  if(f->v->type == yajl_t_object &&
     ku_buf_add(&f->keys, &p->key, sizeof(p->key))) {
    p->fail = 1;
    return 0;
  }
  if(ku_buf_add(&f->vals, &v, sizeof(v))) {
    p->fail = 1;
    return 0;
  }
  return 1;
}

static int push(struct pctx *p, yajl_type t)
{
  yajl_val v = node(p, t);
  struct frame *f;

  if(!add(p, v))
    return 0;
  if(p->depth == MAX_DEPTH) {
    p->fail = 2;
    return 0;
  }
  f = &p->st[p->depth];
  if(p->depth == p->inited) {
    ku_buf_init(&f->keys, (size_t)1 << 30);
    ku_buf_init(&f->vals, (size_t)1 << 30);
    p->inited++;
  }
  ku_buf_reset(&f->keys);
  ku_buf_reset(&f->vals);
  f->v = v;
  p->depth++;
  return 1;
}

static int pop(struct pctx *p)
{
  struct frame *f = &p->st[--p->depth];
  size_t n = f->vals.len / sizeof(yajl_val);
  yajl_val *vals = arena_alloc(p->a, n ? f->vals.len : 1);

  if(!vals) {
    p->fail = 1;
    return 0;
  }
  if(n)
    memcpy(vals, f->vals.ptr, f->vals.len);
  if(f->v->type == yajl_t_object) {
    const char **keys = arena_alloc(p->a, n ? f->keys.len : 1);
    if(!keys) {
      p->fail = 1;
      return 0;
    }
    if(n)
      memcpy(keys, f->keys.ptr, f->keys.len);
    f->v->u.object.keys = keys;
    f->v->u.object.values = vals;
    f->v->u.object.len = n;
  }
  else {
    f->v->u.array.values = vals;
    f->v->u.array.len = n;
  }
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
  struct pctx *p = ctx;
  yajl_val v = node(p, yajl_t_number);
  char *end;

  if(!v)
    return 0;
  v->u.number.r = arena_strndup(p->a, s, n);
  if(!v->u.number.r) {
    p->fail = 1;
    return 0;
  }
  v->u.number.i = strtoll(v->u.number.r, &end, 10);
  if(!*end)
    v->u.number.flags |= YAJL_NUMBER_INT_VALID;
  v->u.number.d = strtod(v->u.number.r, &end);
  if(!*end)
    v->u.number.flags |= YAJL_NUMBER_DOUBLE_VALID;
  return add(p, v);
}

static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
  struct pctx *p = ctx;
  yajl_val v = node(p, yajl_t_string);

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
  struct pctx *p = ctx;

  p->key = arena_strndup(p->a, (const char *)s, n);
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

yajl_val kj_parse_arena(const char *text, size_t len, struct kj_arena **out,
                        char *err, size_t errlen)
{
  struct pctx *p;
  yajl_handle h;
  yajl_status st;
  yajl_val root = NULL;
  int i;

  *out = NULL;
  p = ku_calloc(1, sizeof(*p));
  if(p)
    p->a = ku_calloc(1, sizeof(*p->a));
  if(!p || !p->a) {
    if(p)
      ku_free(p);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  /* yajl's own small allocations use its default allocator: yajl does
     not survive a failing allocator (it dereferences the NULL), so the
     injected failures of tests stay in our code, which checks them */
  h = yajl_alloc(&callbacks, NULL, p);
  if(!h) {
    ku_free(p->a);
    ku_free(p);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  st = yajl_parse(h, (const unsigned char *)text, len);
  if(st == yajl_status_ok)
    st = yajl_complete_parse(h);
  if(st != yajl_status_ok || p->fail || !p->root) {
    if(p->fail == 1)
      snprintf(err, errlen, "out of memory");
    else if(p->fail == 2)
      snprintf(err, errlen, "invalid JSON: nested too deeply");
    else {
      unsigned char *m = yajl_get_error(h, 0, NULL, 0);
      snprintf(err, errlen, "invalid JSON: %s at byte %zu",
               m ? (const char *)m : "parse error",
               yajl_get_bytes_consumed(h));
      if(m)
        yajl_free_error(h, m);
    }
    kj_arena_free(p->a);
  }
  else {
    root = p->root;
    *out = p->a;
  }
  yajl_free(h);
  for(i = 0; i < p->inited; i++) {
    ku_buf_cleanup(&p->st[i].keys);
    ku_buf_cleanup(&p->st[i].vals);
  }
  ku_free(p);
  return root;
}
