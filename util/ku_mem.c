/*
 * ku_mem.c - allocation wrappers with an optional injected failure.
 * See ku_mem.h.
 */
#include "ku_mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Allocations left before injected failures start; -1 = never. */
static long fail_after = -1;
/* Allocations seen since the last ku_mem_fail_after() call. */
static long alloc_count = 0;

/*
 * Tests of whole connections (tests/oom/oom_driver.c) arm the injection
 * through the environment: KINTONE_ODBC_FAIL_ALLOC_AFTER=N.
 */
static void arm_from_env(void)
{
  static int armed;
  const char *e;

  if(__atomic_exchange_n(&armed, 1, __ATOMIC_RELAXED))
    return;
  e = getenv("KINTONE_ODBC_FAIL_ALLOC_AFTER");
  if(e && *e)
    __atomic_store_n(&fail_after, atol(e), __ATOMIC_RELAXED);
}

static int should_fail(void)
{
  long left;

  arm_from_env();
  __atomic_add_fetch(&alloc_count, 1, __ATOMIC_RELAXED);
  left = __atomic_load_n(&fail_after, __ATOMIC_RELAXED);
  if(left < 0)
    return 0;
  if(left == 0)
    return 1;
  __atomic_sub_fetch(&fail_after, 1, __ATOMIC_RELAXED);
  return 0;
}

long ku_mem_fail_after(long n)
{
  long seen = __atomic_exchange_n(&alloc_count, 0, __ATOMIC_RELAXED);

  __atomic_store_n(&fail_after, n, __ATOMIC_RELAXED);
  return seen;
}

void *ku_malloc(size_t n)
{
  if(should_fail())
    return NULL;
  return malloc(n ? n : 1);
}

void *ku_calloc(size_t n, size_t size)
{
  if(should_fail())
    return NULL;
  return calloc(n ? n : 1, size ? size : 1);
}

void *ku_realloc(void *p, size_t n)
{
  if(should_fail())
    return NULL;
  return realloc(p, n ? n : 1);
}

void ku_free(void *p)
{
  free(p);
}

char *ku_strndup(const char *s, size_t n)
{
  char *d;

  if(!s)
    return NULL;
  d = ku_malloc(n + 1);
  if(!d)
    return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *ku_strdup(const char *s)
{
  return s ? ku_strndup(s, strlen(s)) : NULL;
}

void ku_mem_populate(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
  static uintptr_t pg;
  uintptr_t a, e;

  if(!pg) {
    long v = sysconf(_SC_PAGESIZE);
    pg = v > 0 ? (uintptr_t)v : 4096;
  }
  a = ((uintptr_t)p + pg - 1) & ~(pg - 1);
  e = ((uintptr_t)p + n) & ~(pg - 1);
  if(e > a)
    (void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
  (void)p;
  (void)n;
#endif
}
