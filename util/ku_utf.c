/*
 * ku_utf.c - UTF-8 <-> UTF-16 conversion.  See ku_utf.h.
 */
#include "ku_utf.h"

size_t ku_utf16_len(const uint16_t *s)
{
  size_t n = 0;

  while(s[n])
    n++;
  return n;
}

size_t ku_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
  const unsigned char *s = (const unsigned char *)str;
  uint32_t c;
  size_t n, i;

  if(!len)
    return 0;
  if(s[0] < 0x80) {
    *cp = s[0];
    return 1;
  }
  if((s[0] & 0xe0) == 0xc0) {
    n = 2;
    c = s[0] & 0x1f;
  }
  else if((s[0] & 0xf0) == 0xe0) {
    n = 3;
    c = s[0] & 0x0f;
  }
  else if((s[0] & 0xf8) == 0xf0) {
    n = 4;
    c = s[0] & 0x07;
  }
  else
    return 0;
  if(len < n)
    return 0;
  for(i = 1; i < n; i++) {
    if((s[i] & 0xc0) != 0x80)
      return 0;
    c = (c << 6) | (s[i] & 0x3f);
  }
  /* reject overlong forms, surrogates and out-of-range values */
  if((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
     (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
     (c >= 0xd800 && c <= 0xdfff))
    return 0;
  *cp = c;
  return n;
}

size_t ku_utf8_utf16_units(const char *s, size_t len)
{
  size_t i = 0, units = 0;

  while(i < len) {
    uint32_t cp;
    size_t n = ku_utf8_decode(s + i, len - i, &cp);
    if(!n) {
      n = 1;
      cp = 0xfffd;
    }
    units += cp >= 0x10000 ? 2 : 1;
    i += n;
  }
  return units;
}

size_t ku_utf8_prefix(const char *s, size_t len, size_t max)
{
  size_t i = 0;

  while(i < len) {
    uint32_t cp;
    size_t n = ku_utf8_decode(s + i, len - i, &cp);
    if(!n)
      n = 1;
    if(i + n > max)
      break;
    i += n;
  }
  return i;
}

int ku_utf8_to_utf16(const char *s, size_t len, uint16_t **out,
                     size_t *outlen)
{
  size_t i = 0, o = 0;
  uint16_t *w;

  /* worst case: one unit per byte */
  w = ku_malloc((len + 1) * sizeof(uint16_t));
  if(!w)
    return KU_ENOMEM;
  while(i < len) {
    uint32_t cp;
    size_t n = ku_utf8_decode(s + i, len - i, &cp);
    if(!n) {
      ku_free(w);
      return KU_EILSEQ;
    }
    if(cp >= 0x10000) {
      cp -= 0x10000;
      w[o++] = (uint16_t)(0xd800 | (cp >> 10));
      w[o++] = (uint16_t)(0xdc00 | (cp & 0x3ff));
    }
    else
      w[o++] = (uint16_t)cp;
    i += n;
  }
  w[o] = 0;
  *out = w;
  if(outlen)
    *outlen = o;
  return KU_OK;
}

size_t ku_utf8_encode(uint32_t cp, char out[4])
{
  unsigned char *u = (unsigned char *)out;

  if(cp < 0x80) {
    u[0] = (unsigned char)cp;
    return 1;
  }
  if(cp < 0x800) {
    u[0] = (unsigned char)(0xc0 | (cp >> 6));
    u[1] = (unsigned char)(0x80 | (cp & 0x3f));
    return 2;
  }
  if(cp < 0x10000) {
    u[0] = (unsigned char)(0xe0 | (cp >> 12));
    u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
    u[2] = (unsigned char)(0x80 | (cp & 0x3f));
    return 3;
  }
  u[0] = (unsigned char)(0xf0 | (cp >> 18));
  u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
  u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
  u[3] = (unsigned char)(0x80 | (cp & 0x3f));
  return 4;
}

int ku_utf16_to_utf8(const uint16_t *s, size_t len, char **out,
                     size_t *outlen)
{
  size_t i, o = 0;
  unsigned char *u;

  u = ku_malloc(len * 3 + 1);
  if(!u)
    return KU_ENOMEM;
  for(i = 0; i < len; i++) {
    uint32_t c = s[i];
    if(c >= 0xd800 && c <= 0xdbff) {
      if(i + 1 >= len || s[i + 1] < 0xdc00 || s[i + 1] > 0xdfff)
        goto bad;
      c = 0x10000 + ((c - 0xd800) << 10) + (s[i + 1] - 0xdc00);
      i++;
    }
    else if(c >= 0xdc00 && c <= 0xdfff)
      goto bad;
    o += ku_utf8_encode(c, (char *)u + o);
  }
  u[o] = '\0';
  *out = (char *)u;
  if(outlen)
    *outlen = o;
  return KU_OK;
bad:
  ku_free(u);
  return KU_EILSEQ;
}
