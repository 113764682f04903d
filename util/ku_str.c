/*
 * ku_str.c - small string helpers.  See ku_str.h.
 */
#include "ku_str.h"

#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int lower(int c)
{
  return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int ku_strncasecmp(const char *a, const char *b, size_t n)
{
  size_t i;

  for(i = 0; i < n; i++) {
    int ca = lower((unsigned char)a[i]), cb = lower((unsigned char)b[i]);
    if(ca != cb)
      return ca - cb;
    if(!ca)
      break;
  }
  return 0;
}

/* The "C" locale (glibc returns its static one: nothing to free). */
static locale_t c_loc;
static pthread_once_t c_once = PTHREAD_ONCE_INIT;

static void c_init(void)
{
  c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

double ku_strtod(const char *s, char **end)
{
  locale_t old;
  double d;

  pthread_once(&c_once, c_init);
  if(!c_loc)
    return strtod(s, end);
  old = uselocale(c_loc);       /* this thread only */
  d = strtod(s, end);
  uselocale(old);
  return d;
}

int ku_snprintf_c(char *buf, size_t cap, const char *fmt, ...)
{
  locale_t old = (locale_t)0;
  va_list ap;
  int n;

  pthread_once(&c_once, c_init);
  if(c_loc)
    old = uselocale(c_loc);
  va_start(ap, fmt);
  n = vsnprintf(buf, cap, fmt, ap);
  va_end(ap);
  if(c_loc)
    uselocale(old);
  return n;
}

int ku_strcasecmp(const char *a, const char *b)
{
  return ku_strncasecmp(a, b, (size_t)-1);
}

static const char b64[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int ku_base64_encode(struct ku_buf *out, const void *data, size_t len)
{
  const unsigned char *p = data;
  size_t i;
  int rc = KU_OK;

  for(i = 0; i + 2 < len && !rc; i += 3) {
    char q[4];
    q[0] = b64[p[i] >> 2];
    q[1] = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
    q[2] = b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
    q[3] = b64[p[i + 2] & 63];
    rc = ku_buf_add(out, q, 4);
  }
  if(!rc && len - i == 1) {
    char q[4] = {b64[p[i] >> 2], b64[(p[i] & 3) << 4], '=', '='};
    rc = ku_buf_add(out, q, 4);
  }
  else if(!rc && len - i == 2) {
    char q[4] = {b64[p[i] >> 2], b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)],
                 b64[(p[i + 1] & 15) << 2], '='};
    rc = ku_buf_add(out, q, 4);
  }
  return rc;
}

static int b64val(int c)
{
  const char *p;

  if(!c)
    return -1;
  p = strchr(b64, c);
  return p ? (int)(p - b64) : -1;
}

int ku_base64_decode(struct ku_buf *out, const char *s, size_t len)
{
  unsigned acc = 0;
  int bits = 0, rc = KU_OK;
  size_t i, data = 0, pad = 0;

  for(i = 0; i < len && !rc; i++) {
    int c = (unsigned char)s[i], v;
    if(c == ' ' || c == '\t' || c == '\r' || c == '\n')
      continue;
    if(c == '=') {
      pad++;
      continue;
    }
    if(pad)
      return KU_EINVAL;         /* data after padding */
    v = b64val(c);
    if(v < 0)
      return KU_EINVAL;
    data++;
    acc = (acc << 6) | (unsigned)v;
    bits += 6;
    if(bits >= 8) {
      bits -= 8;
      rc = ku_buf_addc(out, (char)((acc >> bits) & 0xff));
    }
  }
  if(rc)
    return rc;
  /* a lone character in the last quantum, padding that does not complete
     a quantum, or non-zero spare bits: not base64 */
  if(data % 4 == 1 || pad > 2 || (pad && (data + pad) % 4) ||
     (bits && (acc & ((1u << bits) - 1))))
    return KU_EINVAL;
  return KU_OK;
}

int ku_url_encode(struct ku_buf *out, const char *s, size_t len)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t i;
  int rc = KU_OK;

  for(i = 0; i < len && !rc; i++) {
    unsigned char c = (unsigned char)s[i];
    if((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
       c == '~')
      rc = ku_buf_addc(out, (char)c);
    else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      rc = ku_buf_add(out, e, 3);
    }
  }
  return rc;
}

static int blank(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

const char *ku_trim(const char *s, size_t *len)
{
  size_t n = *len;

  while(n && blank(*s)) {
    s++;
    n--;
  }
  while(n && blank(s[n - 1]))
    n--;
  *len = n;
  return s;
}

void ku_strlist_free(char **items, size_t count)
{
  size_t i;

  if(!items)
    return;
  for(i = 0; i < count; i++)
    ku_free(items[i]);
  ku_free(items);
}

int ku_split_list(const char *s, char ***items, size_t *count)
{
  char **v = NULL;
  size_t n = 0, cap = 0;
  const char *p = s ? s : "";

  *items = NULL;
  *count = 0;
  while(*p) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    const char *t = ku_trim(p, &len);
    if(len) {
      if(n == cap) {
        size_t ncap = cap ? cap * 2 : 4;
        char **nv = ku_realloc(v, ncap * sizeof(*nv));
        if(!nv)
          goto oom;
        v = nv;
        cap = ncap;
      }
      v[n] = ku_strndup(t, len);
      if(!v[n])
        goto oom;
      n++;
    }
    if(!e)
      break;
    p = e + 1;
  }
  *items = v;
  *count = n;
  return KU_OK;
oom:
  ku_strlist_free(v, n);
  return KU_ENOMEM;
}

int ku_parse_int64(const char *s, long long *out)
{
  char *end;
  long long v;

  if(!s || !*s || !(*s == '-' || *s == '+' || (*s >= '0' && *s <= '9')))
    return KU_EINVAL;
  errno = 0;
  v = strtoll(s, &end, 10);
  if(errno || *end || end == s)
    return KU_EINVAL;
  *out = v;
  return KU_OK;
}
