// cp: copy a file to a new name, or files into a directory (cp SRC... DIR).
// The copy is made by reading and writing, so it works across filesystems.
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/** Copy file src to dst (created or truncated). 0, or -1 with the failure reported. */
static int copyFile(const char *src, const char *dst) {
  static char buf[65536];
  int in = open(src, O_RDONLY);
  if (in < 0) { fprintf(stderr, "cp: %s: %s\n", src, strerror(errno)); return -1; }
  struct stat st;
  if (fstat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "cp: %s: is a directory\n", src);
    close(in);
    return -1;
  }
  int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  if (out < 0) { fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno)); close(in); return -1; }
  int status = 0;
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) { fprintf(stderr, "cp: %s: %s\n", src, strerror(errno)); status = -1; break; }
    ssize_t off = 0;
    while (off < n) {
      ssize_t w = write(out, buf + off, (size_t)(n - off));
      if (w < 0) break;
      off += w;
    }
    if (off < n) { fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno)); status = -1; break; }
  }
  close(in);
  if (close(out) < 0 && status == 0) { fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno)); status = -1; }
  return status;
}

static int isDir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: cp SRC DST, or cp SRC... DIR\n"); return 2; }
  const char *target = argv[argc - 1];
  if (!isDir(target)) {
    if (argc > 3) { fprintf(stderr, "cp: %s: not a directory\n", target); return 1; }
    return copyFile(argv[1], target) == 0 ? 0 : 1;
  }
  int status = 0;
  for (int i = 1; i < argc - 1; i++) {
    char name[4096], dst[4096];
    snprintf(name, sizeof name, "%s", argv[i]);
    snprintf(dst, sizeof dst, "%s/%s", target, basename(name));
    if (copyFile(argv[i], dst) < 0) status = 1;
  }
  return status;
}
