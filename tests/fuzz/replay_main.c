/*
 * replay_main.c - runs a libFuzzer target without libFuzzer: every file
 * named on the command line (directories are walked one level) is fed
 * to LLVMFuzzerTestOneInput once.  Built with gcc by `make check`
 * (tests/fuzz/replay_<target>), so each seed corpus and every crash
 * input added to it stays a regression test (SQLite test/fuzzcheck.c).
 *
 *   replay_connstr tests/fuzz/corpus/connstr
 *
 * Without arguments it replays $srcdir/tests/fuzz/corpus/<name> where
 * <name> is the program name after "replay_".
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_util.h"

static int replay_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  uint8_t *buf;
  long n;

  if(!f) {
    perror(path);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc(n > 0 ? (size_t)n : 1);
  if(!buf || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
    fprintf(stderr, "%s: read error\n", path);
    fclose(f);
    free(buf);
    return 1;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(buf, (size_t)n);
  free(buf);
  return 0;
}

static int cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays a file or every regular file in a directory; counts inputs. */
static int replay_path(const char *path, long *count)
{
  struct stat st;
  DIR *d;
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, i;
  int rc = 0;

  if(stat(path, &st)) {
    perror(path);
    return 1;
  }
  if(!S_ISDIR(st.st_mode)) {
    (*count)++;
    return replay_file(path);
  }
  d = opendir(path);
  if(!d) {
    perror(path);
    return 1;
  }
  while((e = readdir(d)) != NULL) {
    char *full;
    if(e->d_name[0] == '.')
      continue;
    full = malloc(strlen(path) + strlen(e->d_name) + 2);
    if(!full)
      abort();
    sprintf(full, "%s/%s", path, e->d_name);
    names = realloc(names, (n + 1) * sizeof(*names));
    if(!names)
      abort();
    names[n++] = full;
  }
  closedir(d);
  if(n)
    qsort(names, n, sizeof(*names), cmp);  /* deterministic order */
  for(i = 0; i < n; i++) {
    if(!stat(names[i], &st) && S_ISREG(st.st_mode)) {
      (*count)++;
      rc |= replay_file(names[i]);
    }
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv)
{
  long count = 0;
  int i, rc = 0;

  if(argc < 2) {
    const char *srcdir = getenv("srcdir");
    const char *prog = strrchr(argv[0], '/');
    const char *name;
    char path[4096];
    prog = prog ? prog + 1 : argv[0];
    name = strncmp(prog, "replay_", 7) ? prog : prog + 7;
    snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/%s",
             srcdir ? srcdir : ".", name);
    rc = replay_path(path, &count);
  }
  for(i = 1; i < argc; i++)
    rc |= replay_path(argv[i], &count);
  printf("%s: replayed %ld inputs\n", argv[0], count);
  return rc || !count;
}
