/*
 * ku_mem.h - allocation wrappers for every layer of kintone-odbc.
 *
 * Layer: util (the bottom; depends on nothing of ours).
 *
 * All project code allocates through these functions so that tests can
 * inject allocation failures (ku_mem_fail_after) and prove that every
 * failure path returns an error and leaks nothing.  yajl is handed the
 * same hooks by net/kj_json.c.
 *
 *   char *p = ku_malloc(n);
 *   if(!p)
 *     return KU_ENOMEM;
 *   ...
 *   ku_free(p);
 */
#ifndef KU_MEM_H
#define KU_MEM_H

#include <stddef.h>

/* Result codes shared by the util layer. */
enum ku_rc {
  KU_OK = 0,
  KU_ENOMEM,      /* allocation failed */
  KU_ETOOBIG,     /* a capped buffer would exceed its cap */
  KU_EILSEQ,      /* invalid UTF-8 or UTF-16 input */
  KU_EINVAL       /* invalid argument */
};

void *ku_malloc(size_t n);
void *ku_calloc(size_t n, size_t size);
void *ku_realloc(void *p, size_t n);
void ku_free(void *p);                        /* accepts NULL */
char *ku_strdup(const char *s);              /* NULL in, NULL out */
char *ku_strndup(const char *s, size_t n);   /* copies n bytes + NUL */

/*
 * Maps in the whole pages of [p, p + n) now, in one system call
 * (Linux 5.14+ MADV_POPULATE_WRITE; elsewhere nothing), for a large
 * block about to be filled: touching fresh pages one by one costs a
 * fault each, about 12 us per 4 KB page on a virtual machine (12 ms for
 * 4 MB, against under 1 ms in one call).  The contents are unchanged;
 * failure is ignored.
 */
void ku_mem_populate(void *p, size_t n);

/*
 * Fault injection for tests: after `n` further successful allocations
 * every allocation fails until ku_mem_fail_after(-1) switches it off.
 * Returns the number of allocations made since the previous call.
 */
long ku_mem_fail_after(long n);

#endif
