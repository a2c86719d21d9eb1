// cat: copy each file (or standard input, for no file or "-") to standard
// output, in order. A file that cannot be read is reported and skipped; the
// exit status is then 1.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/** Copy everything readable from fd to standard output. 0, or -1 with errno set. */
static int copy(int fd) {
  static char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) return 0;
    if (n < 0) return -1;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(1, buf + off, (size_t)(n - off));
      if (w < 0) return -1;
      off += w;
    }
  }
}

int main(int argc, char **argv) {
  int status = 0;
  if (argc < 2) return copy(0) == 0 ? 0 : (perror("cat"), 1);
  for (int i = 1; i < argc; i++) {
    const char *path = argv[i];
    int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
    if (fd < 0 || copy(fd) < 0) {
      fprintf(stderr, "cat: %s: %s\n", path, strerror(errno));
      status = 1;
    }
    if (fd > 0) close(fd);
  }
  return status;
}
