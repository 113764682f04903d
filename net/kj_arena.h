/*
 * kj_arena.h - JSON parsed into an arena: the yajl_val tree of a page of
 * records, built by an incremental parser of its own (the hot path of
 * every scan; it accepts exactly what yajl does, see kj_arena.c) and
 * allocated from a few large chunks instead of one malloc per value.
 *
 * Layer: net.  The tree has yajl's own layout (struct yajl_val_s), so
 * the kj_get/kj_text/... helpers read it as they read a yajl_tree; it is
 * released all at once with kj_arena_free, never with yajl_tree_free.
 *
 *   struct kj_arena *a;
 *   yajl_val root = kj_parse_arena(text, len, &a, err, sizeof(err));
 *   ...
 *   kj_arena_free(a);
 *
 * Text that arrives in pieces (an HTTP body) is parsed as it comes, so
 * the body is never held whole:
 *
 *   struct kj_stream *s = kj_stream_new(pool);
 *   kj_stream_drop(s, "type", 4);          (optional)
 *   while(more) kj_stream_feed(s, piece, n);
 *   root = kj_stream_finish(s, &a, err, sizeof(err));
 *   kj_stream_free(s);
 *
 * A pool keeps the chunks of freed arenas (up to a byte cap) for the
 * next ones: fresh memory costs a page fault per 4 KB, which at tens of
 * megabytes per second of records is most of the parse.  Arenas hold a
 * reference on their pool, so the pool's owner may release it while
 * pages still live.  The pool is thread-safe.
 */
#ifndef KJ_ARENA_H
#define KJ_ARENA_H

#include <stddef.h>
#include <yajl/yajl_tree.h>

struct kj_arena;
struct kj_pool;
struct kj_stream;

/* A chunk cache holding at most max_bytes of free chunks; NULL on OOM. */
struct kj_pool *kj_pool_new(size_t max_bytes);
/* Drops the creator's reference; the pool goes with its last arena. */
void kj_pool_release(struct kj_pool *p);            /* accepts NULL */
/* Bytes of free chunks the pool holds now. */
size_t kj_pool_bytes(struct kj_pool *p);

/* Parses len bytes of JSON; NULL with err filled on failure (out of
   memory, invalid JSON, nesting deeper than 64). */
yajl_val kj_parse_arena(const char *text, size_t len, struct kj_arena **out,
                        char *err, size_t errlen);
void kj_arena_free(struct kj_arena *a);            /* accepts NULL */
/* Bytes held by the arena (for memory accounting). */
size_t kj_arena_bytes(const struct kj_arena *a);

/* An incremental parse whose arena draws on pool (may be NULL). */
struct kj_stream *kj_stream_new(struct kj_pool *pool);
/*
 * Leaves out object members named `key` whose value is a string, at
 * nesting depth >= min_depth (the root container is depth 1).  Records
 * answers repeat each field's "type" in every record; readers that know
 * the schema drop them (at depth 4) and keep a third less.
 */
void kj_stream_drop(struct kj_stream *s, const char *key, int min_depth);
/* 0, or -1 when the text is already known to be bad (see finish). */
int kj_stream_feed(struct kj_stream *s, const char *data, size_t len);
/* Ends the text: the tree (its arena in *out), or NULL with err. */
yajl_val kj_stream_finish(struct kj_stream *s, struct kj_arena **out,
                          char *err, size_t errlen);
void kj_stream_free(struct kj_stream *s);          /* accepts NULL */

#endif
