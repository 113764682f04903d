/*
 * ku_buf.h - capped growable byte buffer (after curl's dynbuf).
 *
 * Layer: util.  Every buffer that holds data coming from a server has a
 * cap so that a hostile or broken peer cannot make us grow without bound.
 * The content is always NUL-terminated (the NUL is not counted in len).
 *
 *   struct ku_buf b;
 *   ku_buf_init(&b, 1 << 20);
 *   if(ku_buf_printf(&b, "app=%d", 7))
 *     goto out;
 *   use(ku_buf_cstr(&b), b.len);
 *   ku_buf_cleanup(&b);
 */
#ifndef KU_BUF_H
#define KU_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "ku_mem.h"

struct ku_buf {
  char *ptr;      /* owned storage, NULL until the first add */
  size_t len;     /* bytes used, excluding the trailing NUL */
  size_t cap;     /* bytes allocated */
  size_t max;     /* hard cap on len; KU_ETOOBIG beyond it */
};

void ku_buf_init(struct ku_buf *b, size_t max);
void ku_buf_cleanup(struct ku_buf *b);        /* frees; back to empty */
void ku_buf_reset(struct ku_buf *b);          /* len = 0, keeps storage */
int ku_buf_add(struct ku_buf *b, const void *data, size_t len);
/* Room for `total` bytes in all (and the NUL) in one allocation, when
   the size is known ahead (a body's Content-Length) instead of doubling
   up to it; KU_ETOOBIG beyond max. */
int ku_buf_reserve(struct ku_buf *b, size_t total);
int ku_buf_addc(struct ku_buf *b, char c);
int ku_buf_adds(struct ku_buf *b, const char *s);
int ku_buf_printf(struct ku_buf *b, const char *fmt, ...)
  __attribute__((format(printf, 2, 3)));
int ku_buf_vprintf(struct ku_buf *b, const char *fmt, va_list ap);
/* Always a valid string ("" when empty); borrowed until the next add. */
const char *ku_buf_cstr(const struct ku_buf *b);
/* Hands the storage to the caller (ku_free it); the buffer is reset. */
char *ku_buf_steal(struct ku_buf *b);

#endif
