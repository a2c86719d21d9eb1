// rm: remove files; -r also directories with everything in them; -f no
// complaint (and no failure) for names that do not exist.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int recursive, force;

/** Remove path (a whole tree with -r). 0, or -1 with errno set and the failing path reported. */
static int removePath(const char *path) {
  struct stat st;
  if (lstat(path, &st) < 0) {
    if (force && errno == ENOENT) return 0;
    fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) {
    if (unlink(path) == 0) return 0;
    fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
    return -1;
  }
  if (!recursive) {
    fprintf(stderr, "rm: %s: is a directory (use -r)\n", path);
    return -1;
  }
  DIR *d = opendir(path);
  if (d == NULL) {
    fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
    return -1;
  }
  int status = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char child[4096];
    snprintf(child, sizeof child, "%s/%s", path, e->d_name);
    if (removePath(child) < 0) status = -1;
  }
  closedir(d);
  if (status == 0 && rmdir(path) < 0) {
    fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
    return -1;
  }
  return status;
}

int main(int argc, char **argv) {
  int i = 1, status = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    for (const char *f = argv[i] + 1; *f; f++) {
      if (*f == 'r' || *f == 'R') recursive = 1;
      else if (*f == 'f') force = 1;
      else { fprintf(stderr, "rm: unknown option -%c (usage: rm [-rf] PATH...)\n", *f); return 2; }
    }
  }
  if (i == argc && !force) { fprintf(stderr, "usage: rm [-rf] PATH...\n"); return 2; }
  for (; i < argc; i++) if (removePath(argv[i]) < 0) status = 1;
  return status;
}
