/*
 * ku_log.c - leveled log with redaction.  See ku_log.h.
 */
#include "ku_log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>

#include "ku_buf.h"
#include "ku_str.h"

#define MAX_SECRETS 64

struct ku_log {
  FILE *fp;                 /* NULL when disabled */
  int own_fp;               /* fclose on free */
  int level;                /* messages above this level are dropped */
  char *secrets[MAX_SECRETS];  /* masked in every line */
  size_t nsecrets;
  pthread_mutex_t lock;     /* serialises writes */
};

struct ku_log *ku_log_new(const char *path, int level)
{
  struct ku_log *log = ku_calloc(1, sizeof(*log));

  if(!log)
    return NULL;
  pthread_mutex_init(&log->lock, NULL);
  if(level <= 0 || !path || !*path)
    return log;
  if(!strcmp(path, "-") || !ku_strcasecmp(path, "stderr"))
    log->fp = stderr;
  else {
    log->fp = fopen(path, "a");
    log->own_fp = 1;
  }
  if(log->fp)
    log->level = level > KU_LOG_TRACE ? KU_LOG_TRACE : level;
  return log;
}

void ku_log_free(struct ku_log *log)
{
  size_t i;

  if(!log)
    return;
  if(log->fp && log->own_fp)
    fclose(log->fp);
  for(i = 0; i < log->nsecrets; i++)
    ku_free(log->secrets[i]);
  pthread_mutex_destroy(&log->lock);
  ku_free(log);
}

int ku_log_enabled(const struct ku_log *log, int level)
{
  return log && log->fp && level <= log->level;
}

static int add_secret(struct ku_log *log, const char *s)
{
  size_t i;

  /* every non-empty secret is masked, even when that mangles a log line:
     a readable log is worth less than a leaked password */
  if(!s || !*s)
    return KU_OK;
  for(i = 0; i < log->nsecrets; i++)
    if(!strcmp(log->secrets[i], s))
      return KU_OK;
  if(log->nsecrets == MAX_SECRETS)
    return KU_ETOOBIG;
  log->secrets[log->nsecrets] = ku_strdup(s);
  if(!log->secrets[log->nsecrets])
    return KU_ENOMEM;
  log->nsecrets++;
  return KU_OK;
}

int ku_log_secret(struct ku_log *log, const char *secret)
{
  struct ku_buf b64;
  int rc;

  if(!log || !secret || !*secret)
    return KU_OK;
  rc = add_secret(log, secret);
  if(rc)
    return rc;
  /* also its base64 form, as it travels in auth headers */
  ku_buf_init(&b64, 4096);
  rc = ku_base64_encode(&b64, secret, strlen(secret));
  if(!rc)
    rc = add_secret(log, ku_buf_cstr(&b64));
  ku_buf_cleanup(&b64);
  return rc;
}

char *ku_log_redact(const struct ku_log *log, const char *in)
{
  struct ku_buf out;
  const char *p = in;

  ku_buf_init(&out, 1 << 24);
  while(*p) {
    size_t i, best = 0;
    for(i = 0; log && i < log->nsecrets; i++) {
      size_t n = strlen(log->secrets[i]);
      if(n > best && !strncmp(p, log->secrets[i], n))
        best = n;
    }
    if(best) {
      if(ku_buf_adds(&out, "****"))
        goto oom;
      p += best;
    }
    else {
      if(ku_buf_addc(&out, *p))
        goto oom;
      p++;
    }
  }
  return ku_buf_steal(&out);
oom:
  ku_buf_cleanup(&out);
  return NULL;
}

static const char *level_name(int level)
{
  static const char *names[] = {"off", "ERROR", "WARN", "INFO", "DEBUG",
                                "TRACE"};
  return (level >= 0 && level <= 5) ? names[level] : "?";
}

void ku_log_write(struct ku_log *log, int level, const char *comp,
                  const char *file, int line, const char *fmt, ...)
{
  struct ku_buf msg;
  va_list ap;
  char *clean;
  struct timeval tv;
  struct tm tm;
  const char *base;

  if(!ku_log_enabled(log, level))
    return;
  ku_buf_init(&msg, 1 << 20);
  va_start(ap, fmt);
  ku_buf_vprintf(&msg, fmt, ap);
  va_end(ap);
  clean = ku_log_redact(log, ku_buf_cstr(&msg));
  ku_buf_cleanup(&msg);
  gettimeofday(&tv, NULL);
  gmtime_r(&tv.tv_sec, &tm);
  base = strrchr(file, '/');
  base = base ? base + 1 : file;
  pthread_mutex_lock(&log->lock);
  fprintf(log->fp,
          "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %-5s [%s] %s (%s:%d)\n",
          tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
          tm.tm_min, tm.tm_sec, (long)(tv.tv_usec / 1000),
          level_name(level), comp, clean ? clean : "(out of memory)", base,
          line);
  fflush(log->fp);
  pthread_mutex_unlock(&log->lock);
  ku_free(clean);
}
