/*
 * lm-arpa: writes a sphinxbase language model (e.g. Debian's en-us.lm.bin) as ARPA text, so
 * scripts/build-speech.mjs can prune it. A build-time tool only.
 *
 *   lm-arpa <model> <out.arpa>
 *
 * Why not sphinx_lm_convert: Debian's en-us.lm.bin declares more bigrams in its header than its
 * trie holds (padding), and the library's ARPA writer asserts that the two agree, so the stock
 * converter aborts. The library gives no way to count the trie's n-grams, so each try runs in a
 * child process; when the writer's assertion fires there, the partly written file shows which
 * order's count was wrong (an order's section header is written only after its check passes),
 * and that count is lowered by one for the next try. Lowering from the header's value down
 * never asks the writer for more n-grams than the trie holds.
 */
#include <sphinxbase/err.h>
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_TRIES 256
#define ASSERT_EXIT 70

/*
 * Replaces the C library's: the sphinxbase writer's failed assertion calls this one (the
 * executable's definition wins symbol lookup). Only ever reached in a child.
 */
void __assert_fail(const char *expr, const char *file, unsigned int line, const char *fn) {
  (void)expr; (void)file; (void)line; (void)fn;
  fflush(NULL);
  _exit(ASSERT_EXIT);
}

/* Highest n-gram order whose section header made it into the file (1 if none did). */
static int last_section(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  char line[512];
  int order = 0;
  while (fgets(line, sizeof line, f)) {
    int n;
    if (line[0] == '\\' && sscanf(line, "\\%d-grams:", &n) == 1) order = n;
  }
  fclose(f);
  return order;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: lm-arpa <model> <out.arpa>\n"); return 2; }
  err_set_logfp(NULL);
  logmath_t *lmath = logmath_init(1.0001, 0, 0);
  ngram_model_t *lm = ngram_model_read(NULL, argv[1], NGRAM_AUTO, lmath);
  if (!lm) { fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }
  int orders = ngram_model_get_size(lm);
  /* The writer reads the model's own count array; this is the only handle on it. */
  uint32 *counts = (uint32 *)ngram_model_get_counts(lm);
  for (int t = 0; t < MAX_TRIES; t++) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 2; }
    if (pid == 0) _exit(ngram_model_write(lm, argv[2], NGRAM_ARPA) == 0 ? 0 : 3);
    int status;
    if (waitpid(pid, &status, 0) < 0) { perror("waitpid"); return 2; }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      for (int o = 0; o < orders; o++) printf("%s%u", o ? " " : "", counts[o]);
      printf("\n");
      return 0;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != ASSERT_EXIT) { fprintf(stderr, "writing ARPA failed\n"); return 3; }
    int bad = last_section(argv[2]) + 1; /* the order whose check failed */
    if (bad < 2 || bad > orders || counts[bad - 1] == 0) { fprintf(stderr, "cannot reconcile n-gram counts\n"); return 3; }
    counts[bad - 1]--;
  }
  fprintf(stderr, "n-gram counts still disagree after %d tries\n", MAX_TRIES);
  return 3;
}
