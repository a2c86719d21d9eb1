// mv: rename a file or directory, or move several into a directory
// (mv SRC... DIR). A rename within one filesystem only.
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int isDir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: mv SRC DST, or mv SRC... DIR\n"); return 2; }
  const char *target = argv[argc - 1];
  if (!isDir(target)) {
    if (argc > 3) { fprintf(stderr, "mv: %s: not a directory\n", target); return 1; }
    if (rename(argv[1], target) == 0) return 0;
    fprintf(stderr, "mv: %s -> %s: %s\n", argv[1], target, strerror(errno));
    return 1;
  }
  int status = 0;
  for (int i = 1; i < argc - 1; i++) {
    char name[4096], dst[4096];
    snprintf(name, sizeof name, "%s", argv[i]);
    snprintf(dst, sizeof dst, "%s/%s", target, basename(name));
    if (rename(argv[i], dst) < 0) {
      fprintf(stderr, "mv: %s -> %s: %s\n", argv[i], dst, strerror(errno));
      status = 1;
    }
  }
  return status;
}
