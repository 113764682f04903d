/*
 * kj_arena.h - JSON parsed into an arena: the yajl_val tree of a page of
 * records, built with yajl's streaming parser and allocated from a few
 * large chunks instead of one malloc per value.
 *
 * Layer: net.  The tree has yajl's own layout (struct yajl_val_s), so
 * the kj_get/kj_text/... helpers read it as they read a yajl_tree; it is
 * released all at once with kj_arena_free, never with yajl_tree_free.
 *
 *   struct kj_arena *a;
 *   yajl_val root = kj_parse_arena(text, len, &a, err, sizeof(err));
 *   ...
 *   kj_arena_free(a);
 */
#ifndef KJ_ARENA_H
#define KJ_ARENA_H

#include <stddef.h>
#include <yajl/yajl_tree.h>

struct kj_arena;

/* Parses len bytes of JSON; NULL with err filled on failure (out of
   memory, invalid JSON, nesting deeper than 64). */
yajl_val kj_parse_arena(const char *text, size_t len, struct kj_arena **out,
                        char *err, size_t errlen);
void kj_arena_free(struct kj_arena *a);            /* accepts NULL */
/* Bytes held by the arena (for memory accounting). */
size_t kj_arena_bytes(const struct kj_arena *a);

#endif
