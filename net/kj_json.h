/*
 * kj_json.h - JSON helpers over yajl: parse to a tree, look up members,
 * and write JSON text safely.
 *
 * Layer: net.
 *
 *   yajl_val root;
 *   if(kj_parse(text, len, &root, err, sizeof(err))) fail(err);
 *   const char *code = kj_str(kj_get(root, "code"));
 *   yajl_tree_free(root);
 */
#ifndef KJ_JSON_H
#define KJ_JSON_H

#include <stddef.h>
#include <yajl/yajl_tree.h>

#include "../util/ku_buf.h"

/*
 * Parses len bytes (text[len] must be NUL) into a tree (yajl_tree_free).
 * On failure returns non-zero and writes a one-line reason into err.
 */
int kj_parse(const char *text, size_t len, yajl_val *out, char *err,
             size_t errlen);

/* Member `key` of an object, or NULL (also when v is not an object). */
yajl_val kj_get(yajl_val v, const char *key);
/* The string of a JSON string, or NULL. */
const char *kj_str(yajl_val v);
/* A string or number rendered as text (Kintone sends numbers as strings);
   NULL for other kinds. */
const char *kj_text(yajl_val v);
/* Parses a string/number member as an integer; `def` when absent/bad. */
long long kj_int(yajl_val v, long long def);
/* 1 for true, 0 for false, def otherwise (also "true"/"false" strings). */
int kj_bool(yajl_val v, int def);
/* Array length (0 when not an array) and element i. */
size_t kj_len(yajl_val v);
yajl_val kj_at(yajl_val v, size_t i);

/* Appends the JSON text of v (any kind, recursively). */
int kj_write_value(struct ku_buf *b, yajl_val v);

/* Length of the run at s (at most len bytes) that a JSON string literal
   holds as it is: up to the first '"', '\\' or control character. */
size_t kj_plain_run(const char *s, size_t len);

/* Appends s (len bytes of UTF-8) as a JSON string literal with quotes. */
int kj_write_string(struct ku_buf *b, const char *s, size_t len);

#endif
