/*
 * ku_str.h - small string helpers: ASCII case folding, base64, URL
 * percent-encoding, trimming and comma lists.
 *
 * Layer: util.
 */
#ifndef KU_STR_H
#define KU_STR_H

#include <stddef.h>

#include "ku_buf.h"

/*
 * Numbers as text in the "C" locale, whatever LC_NUMERIC the host
 * application has set: after setlocale(LC_ALL, "") in a de_DE session
 * (isql does it) strtod stops at '.' and printf writes ','.  Kintone's
 * JSON, SQL and ODBC's character forms of numbers always use '.'.
 * ku_snprintf_c is snprintf for number formats ("%.15g").
 */
double ku_strtod(const char *s, char **end);
int ku_snprintf_c(char *buf, size_t cap, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* ASCII-only case-insensitive comparison (locale independent). */
int ku_strcasecmp(const char *a, const char *b);
int ku_strncasecmp(const char *a, const char *b, size_t n);

/* Appends the standard base64 (RFC 4648, padded) of data to out. */
int ku_base64_encode(struct ku_buf *out, const void *data, size_t len);
/* Decodes base64 (whitespace ignored) into out; KU_EINVAL on bad input. */
int ku_base64_decode(struct ku_buf *out, const char *s, size_t len);

/* Appends s percent-encoded for a URL query component (RFC 3986). */
int ku_url_encode(struct ku_buf *out, const char *s, size_t len);

/* Returns a pointer past leading blanks and sets *len excluding
   trailing blanks (space, tab, CR, LF). */
const char *ku_trim(const char *s, size_t *len);

/*
 * Splits a comma-separated list into trimmed, non-empty items.
 * *items is a ku_malloc'ed array of ku_malloc'ed strings; free with
 * ku_strlist_free.  An empty input gives zero items.
 */
int ku_split_list(const char *s, char ***items, size_t *count);
void ku_strlist_free(char **items, size_t count);

/* Parses a whole decimal integer (optional sign, no junk); 0 on success. */
int ku_parse_int64(const char *s, long long *out);

/* 1 if s[0..n) are all ASCII decimal digits (inline: date/time text is
   checked with it on every cell). */
static inline int ku_all_digits(const char *s, size_t n)
{
  size_t i;

  for(i = 0; i < n; i++)
    if(s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

/* The value of one hexadecimal digit (either case), or -1. */
static inline int ku_hex_digit(int c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if(c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

#endif
