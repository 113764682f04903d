/*
 * kj_json.c - JSON helpers over yajl.  See kj_json.h.
 */
#include "kj_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kj_parse(const char *text, size_t len, yajl_val *out, char *err,
             size_t errlen)
{
  char ebuf[256];

  (void)len;
  ebuf[0] = '\0';
  *out = yajl_tree_parse(text, ebuf, sizeof(ebuf));
  if(*out)
    return 0;
  /* yajl's message spans lines; keep the first */
  ebuf[strcspn(ebuf, "\r\n")] = '\0';
  snprintf(err, errlen, "invalid JSON: %s",
           ebuf[0] ? ebuf : "out of memory");
  return 1;
}

yajl_val kj_get(yajl_val v, const char *key)
{
  size_t i;

  if(!v || !YAJL_IS_OBJECT(v))
    return NULL;
  for(i = 0; i < v->u.object.len; i++)
    if(!strcmp(v->u.object.keys[i], key))
      return v->u.object.values[i];
  return NULL;
}

const char *kj_str(yajl_val v)
{
  return (v && YAJL_IS_STRING(v)) ? v->u.string : NULL;
}

const char *kj_text(yajl_val v)
{
  if(!v)
    return NULL;
  if(YAJL_IS_STRING(v))
    return v->u.string;
  if(YAJL_IS_NUMBER(v))
    return v->u.number.r;
  return NULL;
}

long long kj_int(yajl_val v, long long def)
{
  const char *t = kj_text(v);
  char *end;
  long long n;

  if(!t || !*t)
    return def;
  n = strtoll(t, &end, 10);
  return *end ? def : n;
}

int kj_bool(yajl_val v, int def)
{
  if(!v)
    return def;
  if(YAJL_IS_TRUE(v))
    return 1;
  if(YAJL_IS_FALSE(v))
    return 0;
  if(YAJL_IS_STRING(v)) {
    if(!strcmp(v->u.string, "true"))
      return 1;
    if(!strcmp(v->u.string, "false"))
      return 0;
  }
  return def;
}

size_t kj_len(yajl_val v)
{
  return (v && YAJL_IS_ARRAY(v)) ? v->u.array.len : 0;
}

yajl_val kj_at(yajl_val v, size_t i)
{
  return i < kj_len(v) ? v->u.array.values[i] : NULL;
}

int kj_write_value(struct ku_buf *b, yajl_val v)
{
  size_t i;
  int rc = 0;

  if(!v || YAJL_IS_NULL(v))
    return ku_buf_adds(b, "null");
  if(YAJL_IS_TRUE(v))
    return ku_buf_adds(b, "true");
  if(YAJL_IS_FALSE(v))
    return ku_buf_adds(b, "false");
  if(YAJL_IS_STRING(v))
    return kj_write_string(b, v->u.string, strlen(v->u.string));
  if(YAJL_IS_NUMBER(v))
    return ku_buf_adds(b, v->u.number.r);
  if(YAJL_IS_ARRAY(v)) {
    rc = ku_buf_addc(b, '[');
    for(i = 0; i < v->u.array.len && !rc; i++) {
      if(i)
        rc = ku_buf_addc(b, ',');
      if(!rc)
        rc = kj_write_value(b, v->u.array.values[i]);
    }
    return rc ? rc : ku_buf_addc(b, ']');
  }
  rc = ku_buf_addc(b, '{');
  for(i = 0; i < v->u.object.len && !rc; i++) {
    if(i)
      rc = ku_buf_addc(b, ',');
    if(!rc)
      rc = kj_write_string(b, v->u.object.keys[i],
                           strlen(v->u.object.keys[i]));
    if(!rc)
      rc = ku_buf_addc(b, ':');
    if(!rc)
      rc = kj_write_value(b, v->u.object.values[i]);
  }
  return rc ? rc : ku_buf_addc(b, '}');
}

size_t kj_plain_run(const char *s, size_t len)
{
  size_t n;

  for(n = 0; n < len; n++) {
    unsigned char c = (unsigned char)s[n];
    if(c < 0x20 || c == '"' || c == '\\')
      break;
  }
  return n;
}

int kj_write_string(struct ku_buf *b, const char *s, size_t len)
{
  size_t i = 0, run;
  int rc = ku_buf_addc(b, '"');

  while(i < len && !rc) {
    /* the longest run that needs no escape goes in at once */
    run = i + kj_plain_run(s + i, len - i);
    if(run > i) {
      rc = ku_buf_add(b, s + i, run - i);
      i = run;
      continue;
    }
    switch((unsigned char)s[i]) {
    case '"':
      rc = ku_buf_adds(b, "\\\"");
      break;
    case '\\':
      rc = ku_buf_adds(b, "\\\\");
      break;
    case '\n':
      rc = ku_buf_adds(b, "\\n");
      break;
    case '\r':
      rc = ku_buf_adds(b, "\\r");
      break;
    case '\t':
      rc = ku_buf_adds(b, "\\t");
      break;
    default:
      rc = ku_buf_printf(b, "\\u%04x", (unsigned char)s[i]);
    }
    i++;
  }
  if(!rc)
    rc = ku_buf_addc(b, '"');
  return rc;
}
