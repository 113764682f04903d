/*
 * fuzz_util.h - helpers shared by the libFuzzer targets in tests/fuzz/.
 *
 * Layer: tests.  A target defines LLVMFuzzerTestOneInput(); under clang
 * it links -fsanitize=fuzzer (scripts/fuzz.sh), under gcc it links
 * replay_main.c, which feeds it the files of its seed corpus
 * (`make check`).  Invariant violations call FZ_ASSERT, which prints the
 * condition and aborts, so both libFuzzer and the replay report them.
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_ASSERT(cond)                                                   \
  do {                                                                    \
    if(!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,         \
              __LINE__, #cond);                                           \
      abort();                                                            \
    }                                                                     \
  } while(0)

/* A cursor over the fuzz input. */
struct fz_in {
  const uint8_t *p;
  size_t n;
};

static inline unsigned fz_byte(struct fz_in *in)
{
  unsigned b;

  if(!in->n)
    return 0;
  b = in->p[0];
  in->p++;
  in->n--;
  return b;
}

static inline long long fz_i64(struct fz_in *in)
{
  unsigned long long v = 0;
  int i;

  for(i = 0; i < 8; i++)
    v = (v << 8) | fz_byte(in);
  return (long long)v;
}

/* Takes up to `max` bytes (length from one byte) as a NUL-terminated
   heap string; *len gets the byte count (which may include NULs). */
static inline char *fz_str(struct fz_in *in, size_t max, size_t *len)
{
  size_t n = fz_byte(in);
  char *s;

  if(n > max)
    n = max;
  if(n > in->n)
    n = in->n;
  s = malloc(n + 1);
  if(!s)
    abort();
  memcpy(s, in->p, n);
  s[n] = '\0';
  in->p += n;
  in->n -= n;
  if(len)
    *len = n;
  return s;
}

#endif
