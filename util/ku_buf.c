/*
 * ku_buf.c - capped growable byte buffer.  See ku_buf.h.
 */
#include "ku_buf.h"

#include <stdio.h>
#include <string.h>

void ku_buf_init(struct ku_buf *b, size_t max)
{
  b->ptr = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max;
}

void ku_buf_cleanup(struct ku_buf *b)
{
  ku_free(b->ptr);
  b->ptr = NULL;
  b->len = 0;
  b->cap = 0;
}

void ku_buf_reset(struct ku_buf *b)
{
  b->len = 0;
  if(b->ptr)
    b->ptr[0] = '\0';
}

#define POPULATE_MIN (64 * 1024)

/* Reallocates b to ncap bytes. */
static int resize(struct ku_buf *b, size_t ncap)
{
  char *p = ku_realloc(b->ptr, ncap);

  if(!p)
    return KU_ENOMEM;
  /* a large buffer (a response body) is filled right after: its new
     pages are mapped in at once, not faulted in one by one */
  if(ncap >= POPULATE_MIN)
    ku_mem_populate(p + b->len, ncap - b->len);
  b->ptr = p;
  b->cap = ncap;
  return KU_OK;
}

/* Makes room for `extra` more bytes plus the NUL. */
static int grow(struct ku_buf *b, size_t extra)
{
  size_t need, ncap;

  if(extra > b->max || b->len > b->max - extra)
    return KU_ETOOBIG;
  need = b->len + extra + 1;
  if(need <= b->cap)
    return KU_OK;
  ncap = b->cap ? b->cap : 64;
  while(ncap < need)
    ncap *= 2;
  if(b->max < (size_t)-1 && ncap > b->max + 1)
    ncap = b->max + 1;
  return resize(b, ncap);
}

int ku_buf_reserve(struct ku_buf *b, size_t total)
{
  if(total > b->max || total == (size_t)-1)
    return KU_ETOOBIG;
  if(total + 1 <= b->cap)
    return KU_OK;
  return resize(b, total + 1);
}

int ku_buf_add(struct ku_buf *b, const void *data, size_t len)
{
  int rc = grow(b, len);

  if(rc)
    return rc;
  if(len)
    memcpy(b->ptr + b->len, data, len);
  b->len += len;
  b->ptr[b->len] = '\0';
  return KU_OK;
}

int ku_buf_addc(struct ku_buf *b, char c)
{
  return ku_buf_add(b, &c, 1);
}

int ku_buf_adds(struct ku_buf *b, const char *s)
{
  return ku_buf_add(b, s, strlen(s));
}

int ku_buf_vprintf(struct ku_buf *b, const char *fmt, va_list ap)
{
  va_list cp;
  int n, rc;

  va_copy(cp, ap);
  n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  if(n < 0)
    return KU_EINVAL;
  rc = grow(b, (size_t)n);
  if(rc)
    return rc;
  vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return KU_OK;
}

int ku_buf_printf(struct ku_buf *b, const char *fmt, ...)
{
  va_list ap;
  int rc;

  va_start(ap, fmt);
  rc = ku_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}

const char *ku_buf_cstr(const struct ku_buf *b)
{
  return b->ptr ? b->ptr : "";
}

char *ku_buf_steal(struct ku_buf *b)
{
  char *p = b->ptr;

  if(!p)
    p = ku_strdup("");
  b->ptr = NULL;
  b->len = 0;
  b->cap = 0;
  return p;
}
