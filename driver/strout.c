/*
 * strout.c - writes strings into application buffers (A and W) and reads
 * application input strings.
 *
 * Layer: driver.  Internal strings are UTF-8.  ANSI output copies bytes;
 * W output encodes UTF-16 directly into the application's buffer without
 * a temporary copy.  Truncation keeps whole characters (no split UTF-8
 * sequence, no lone surrogate), NUL-terminates, reports the full length
 * and posts 01004 on the handle.
 *
 *   rc = kd_out_str_s(&dbc->hdr, wide, "Kintone", value, buflen, outlen,
 *                     1);
 */
#include "strout.h"

#include <string.h>

#include "diag.h"
#include "../util/ku_mem.h"
#include "../util/ku_utf.h"

/* Encodes UTF-8 as UTF-16, see strout.h. */
size_t kd_utf8_to_wbuf(const char *s, size_t len, SQLWCHAR *out,
                       size_t max, size_t *used)
{
  size_t i = 0, o = 0;

  while(i < len) {
    uint32_t cp;
    size_t n = ku_utf8_decode(s + i, len - i, &cp);
    if(!n) {
      n = 1;
      cp = 0xfffd;
    }
    if(cp >= 0x10000) {
      if(o + 2 > max)
        break;
      cp -= 0x10000;
      out[o++] = (SQLWCHAR)(0xd800 | (cp >> 10));
      out[o++] = (SQLWCHAR)(0xdc00 | (cp & 0x3ff));
    }
    else {
      if(o + 1 > max)
        break;
      out[o++] = (SQLWCHAR)cp;
    }
    i += n;
  }
  if(used)
    *used = i;
  return o;
}

/*
 * ANSI output: copies the largest whole-character prefix of s that fits
 * in cap - 1 bytes and a NUL.  *outlen = full byte length.  buf NULL:
 * length only, SQL_SUCCESS.  cap < 0: HY090.
 */
SQLRETURN kd_out_str_a(struct kd_hdr *h, const char *s, SQLLEN len,
                       SQLCHAR *buf, SQLLEN cap, SQLLEN *outlen)
{
  size_t n, put;

  if(!s)
    s = "";
  if(len == SQL_NTS || len < 0)
    len = (SQLLEN)strlen(s);
  n = (size_t)len;
  if(outlen)
    *outlen = (SQLLEN)n;
  if(!buf)
    return SQL_SUCCESS;
  if(cap < 0)
    return kd_diag_post(h, KD_E_BAD_BUFLEN, 0, NULL);
  if(cap == 0)
    return n ? kd_diag_post(h, KD_E_TRUNCATED, 0, NULL) : SQL_SUCCESS;
  put = n;
  if(put > (size_t)cap - 1)
    put = ku_utf8_prefix(s, n, (size_t)cap - 1);
  memcpy(buf, s, put);
  buf[put] = '\0';
  if(put < n)
    return kd_diag_post(h, KD_E_TRUNCATED, 0, NULL);
  return SQL_SUCCESS;
}

/*
 * W output: encodes s as UTF-16 into buf of cap units (w_bytes: cap
 * bytes, lengths reported in bytes).  Never splits a surrogate pair.
 */
SQLRETURN kd_out_str_w(struct kd_hdr *h, const char *s, SQLLEN len,
                       SQLWCHAR *buf, SQLLEN cap, SQLLEN *outlen,
                       int w_bytes)
{
  size_t n, units, room, put, used;

  if(!s)
    s = "";
  if(len == SQL_NTS || len < 0)
    len = (SQLLEN)strlen(s);
  n = (size_t)len;
  units = ku_utf8_utf16_units(s, n);
  if(outlen)
    *outlen = (SQLLEN)(w_bytes ? units * sizeof(SQLWCHAR) : units);
  if(!buf)
    return SQL_SUCCESS;
  if(cap < 0)
    return kd_diag_post(h, KD_E_BAD_BUFLEN, 0, NULL);
  room = w_bytes ? (size_t)cap / sizeof(SQLWCHAR) : (size_t)cap;
  if(room == 0)
    return units ? kd_diag_post(h, KD_E_TRUNCATED, 0, NULL) : SQL_SUCCESS;
  put = kd_utf8_to_wbuf(s, n, buf, room - 1, &used);
  buf[put] = 0;
  if(used < n)
    return kd_diag_post(h, KD_E_TRUNCATED, 0, NULL);
  return SQL_SUCCESS;
}

/* Narrows a length for an SQLSMALLINT output, saturating. */
static SQLSMALLINT to_small(SQLLEN v)
{
  return v > 32767 ? 32767 : (SQLSMALLINT)v;
}

/* Narrows a length for an SQLINTEGER output, saturating. */
static SQLINTEGER to_int(SQLLEN v)
{
  return v > 2147483647 ? 2147483647 : (SQLINTEGER)v;
}

/* A or W output with an SQLSMALLINT length (may be NULL). */
SQLRETURN kd_out_str_s(struct kd_hdr *h, int wide, const char *s,
                       SQLPOINTER buf, SQLLEN cap, SQLSMALLINT *outlen,
                       int w_bytes)
{
  SQLLEN full = 0;
  SQLRETURN rc;

  if(wide)
    rc = kd_out_str_w(h, s, SQL_NTS, (SQLWCHAR *)buf, cap, &full, w_bytes);
  else
    rc = kd_out_str_a(h, s, SQL_NTS, (SQLCHAR *)buf, cap, &full);
  if(outlen && rc != SQL_ERROR)
    *outlen = to_small(full);
  return rc;
}

/* A or W output with an SQLINTEGER length (may be NULL). */
SQLRETURN kd_out_str_i(struct kd_hdr *h, int wide, const char *s,
                       SQLPOINTER buf, SQLLEN cap, SQLINTEGER *outlen,
                       int w_bytes)
{
  SQLLEN full = 0;
  SQLRETURN rc;

  if(wide)
    rc = kd_out_str_w(h, s, SQL_NTS, (SQLWCHAR *)buf, cap, &full, w_bytes);
  else
    rc = kd_out_str_a(h, s, SQL_NTS, (SQLCHAR *)buf, cap, &full);
  if(outlen && rc != SQL_ERROR)
    *outlen = to_int(full);
  return rc;
}

/*
 * Application input -> new UTF-8 string.  A: bytes copied as-is (SQLCHAR
 * is UTF-8 by this driver's definition).  W: UTF-16 decoded; unpaired
 * surrogates post 22018.  Lengths: SQL_NTS or >= 0, else HY090.
 */
SQLRETURN kd_in_str(struct kd_hdr *h, int wide, const void *s, SQLLEN len,
                    char **out)
{
  *out = NULL;
  if(!s)
    return SQL_SUCCESS;
  if(len < 0 && len != SQL_NTS)
    return kd_diag_post(h, KD_E_BAD_BUFLEN, 0, NULL);
  if(!wide) {
    size_t n = len == SQL_NTS ? strlen(s) : (size_t)len;
    *out = ku_strndup(s, n);
    if(!*out)
      return kd_diag_post(h, KD_E_NOMEM, 0, NULL);
    return SQL_SUCCESS;
  }
  else {
    const uint16_t *w = s;
    size_t n = len == SQL_NTS ? ku_utf16_len(w) : (size_t)len;
    int rc = ku_utf16_to_utf8(w, n, out, NULL);
    if(rc == KU_EILSEQ) {
      *out = NULL;
      return kd_diag_post(h, KD_E_BAD_CAST, 0,
                          "Invalid UTF-16 in input string");
    }
    if(rc) {
      *out = NULL;
      return kd_diag_post(h, KD_E_NOMEM, 0, NULL);
    }
    return SQL_SUCCESS;
  }
}
