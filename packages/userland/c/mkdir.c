// mkdir: make each directory; with -p also the missing parents, and an
// existing directory is no error.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/** Make path and, for -p, each missing parent first. 0, or -1 with errno set. */
static int makeAll(char *path) {
  for (char *slash = path + 1; (slash = strchr(slash, '/')) != NULL; slash++) {
    *slash = '\0';
    int r = mkdir(path, 0777);
    *slash = '/';
    if (r < 0 && errno != EEXIST) return -1;
  }
  if (mkdir(path, 0777) < 0 && errno != EEXIST) return -1;
  return 0;
}

int main(int argc, char **argv) {
  int parents = 0, i = 1, status = 0;
  if (i < argc && strcmp(argv[i], "-p") == 0) { parents = 1; i++; }
  if (i == argc) { fprintf(stderr, "usage: mkdir [-p] DIR...\n"); return 2; }
  for (; i < argc; i++) {
    if ((parents ? makeAll(argv[i]) : mkdir(argv[i], 0777)) < 0) {
      fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
      status = 1;
    }
  }
  return status;
}
