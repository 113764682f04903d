/*
 * ku_log.h - leveled, component-tagged log with secret redaction.
 *
 * Layer: util.  A connection owns one struct ku_log (LogFile/LogLevel
 * connection properties, or the KINTONE_ODBC_LOG / KINTONE_ODBC_LOGLEVEL
 * environment variables).  Every secret the connection knows (passwords,
 * tokens, keystore passwords) is registered with ku_log_secret() before
 * anything is logged; each line is scrubbed of every registered secret
 * (and of its base64 form) before it is written.
 *
 *   KLOG(log, KU_LOG_DEBUG, "http", "GET %s -> %ld", url, status);
 */
#ifndef KU_LOG_H
#define KU_LOG_H

#include <stddef.h>

enum ku_log_level {
  KU_LOG_OFF = 0,
  KU_LOG_ERROR = 1,
  KU_LOG_WARN = 2,
  KU_LOG_INFO = 3,    /* statements and Kintone requests */
  KU_LOG_DEBUG = 4,   /* planner decisions, HTTP details */
  KU_LOG_TRACE = 5    /* everything, including ODBC calls */
};

struct ku_log;

/* Opens a log appending to `path` ("-"/"stderr" for stderr); level 0 or a
   NULL/empty path gives a disabled log.  Never fails for a bad path: the
   log is then disabled.  NULL only when out of memory. */
struct ku_log *ku_log_new(const char *path, int level);
void ku_log_free(struct ku_log *log);                   /* accepts NULL */
int ku_log_enabled(const struct ku_log *log, int level);
/* Registers a secret to be masked as "****" (copied; empty ignored). */
int ku_log_secret(struct ku_log *log, const char *secret);
void ku_log_write(struct ku_log *log, int level, const char *comp,
                  const char *file, int line, const char *fmt, ...)
  __attribute__((format(printf, 6, 7)));
/* Copies `in` to a new string with every registered secret masked. */
char *ku_log_redact(const struct ku_log *log, const char *in);

#define KLOG(log, level, comp, ...)                                     \
  do {                                                                  \
    if(ku_log_enabled((log), (level)))                                  \
      ku_log_write((log), (level), (comp), __FILE__, __LINE__,          \
                   __VA_ARGS__);                                        \
  } while(0)

#endif
