// ls: list directories (sorted by name) and name files. -a shows names that
// start with a dot, -l one line per entry with type, size and name, -1 one
// name per line (the default when output is not a terminal, as here always).
// With several arguments each directory gets a "name:" heading.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int showAll, longForm;

static char typeChar(mode_t mode) {
  if (S_ISDIR(mode)) return 'd';
  if (S_ISLNK(mode)) return 'l';
  if (S_ISCHR(mode)) return 'c';
  if (S_ISBLK(mode)) return 'b';
  if (S_ISFIFO(mode)) return 'p';
  if (S_ISSOCK(mode)) return 's';
  return '-';
}

/** One entry: its name, or for -l its type, link count, size and name. */
static void show(const char *dir, const char *name) {
  if (!longForm) { puts(name); return; }
  char path[4096];
  if (dir != NULL) snprintf(path, sizeof path, "%s/%s", dir, name);
  else snprintf(path, sizeof path, "%s", name);
  struct stat st;
  if (lstat(path, &st) < 0) { printf("?          ? %s\n", name); return; }
  printf("%c %3llu %10llu %s\n", typeChar(st.st_mode), (unsigned long long)st.st_nlink,
         (unsigned long long)st.st_size, name);
}

static int byName(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/** List a directory's entries in name order. 0, or -1 with errno set. */
static int listDir(const char *path) {
  DIR *d = opendir(path);
  if (d == NULL) return -1;
  size_t n = 0, cap = 64;
  char **names = malloc(cap * sizeof *names);
  struct dirent *e;
  errno = 0;
  while (names != NULL && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' && !showAll) continue;
    if (n == cap) names = realloc(names, (cap *= 2) * sizeof *names);
    if (names != NULL) names[n++] = strdup(e->d_name);
  }
  int err = names == NULL ? ENOMEM : errno;
  closedir(d);
  if (err != 0) { errno = err; return -1; }
  qsort(names, n, sizeof *names, byName);
  for (size_t i = 0; i < n; i++) { show(path, names[i]); free(names[i]); }
  free(names);
  return 0;
}

int main(int argc, char **argv) {
  int i = 1, status = 0;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    for (const char *f = argv[i] + 1; *f; f++) {
      if (*f == 'a') showAll = 1;
      else if (*f == 'l') longForm = 1;
      else if (*f == '1') continue;
      else { fprintf(stderr, "ls: unknown option -%c (usage: ls [-al1] [PATH...])\n", *f); return 2; }
    }
  }
  if (i == argc) return listDir(".") == 0 ? 0 : (fprintf(stderr, "ls: .: %s\n", strerror(errno)), 1);
  int several = argc - i > 1;
  for (int first = i; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) < 0) {
      fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    if (!S_ISDIR(st.st_mode)) { show(NULL, argv[i]); continue; }
    if (several) printf("%s%s:\n", i > first ? "\n" : "", argv[i]);
    if (listDir(argv[i]) < 0) {
      fprintf(stderr, "ls: %s: %s\n", argv[i], strerror(errno));
      status = 1;
    }
  }
  return status;
}
