// head: the first lines of each file (or of standard input): 10, or N with
// -n N. With several files each is introduced by "==> name <==".
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/** Copy the first `lines` lines of fd to standard output. 0, or -1 with errno set. */
static int head(int fd, long lines) {
  static char buf[65536];
  while (lines > 0) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) return 0;
    if (n < 0) return -1;
    ssize_t end = 0;
    while (end < n && lines > 0) if (buf[end++] == '\n') lines--;
    if (write(1, buf, (size_t)end) < 0) return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  long lines = 10;
  int i = 1;
  if (i < argc && strcmp(argv[i], "-n") == 0) {
    char *end = NULL;
    lines = i + 1 < argc ? strtol(argv[i + 1], &end, 10) : -1;
    if (end == NULL || *end != '\0' || lines < 0) {
      fprintf(stderr, "head: -n needs a number of lines (usage: head [-n N] [FILE...])\n");
      return 2;
    }
    i += 2;
  }
  if (i == argc) return head(0, lines) == 0 ? 0 : (perror("head"), 1);
  int status = 0, several = argc - i > 1;
  for (int first = i; i < argc; i++) {
    int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
    if (fd < 0) {
      fprintf(stderr, "head: %s: %s\n", argv[i], strerror(errno));
      status = 1;
      continue;
    }
    if (several) printf("%s==> %s <==\n", i > first ? "\n" : "", argv[i]);
    fflush(stdout);
    if (head(fd, lines) < 0) {
      fprintf(stderr, "head: %s: %s\n", argv[i], strerror(errno));
      status = 1;
    }
    if (fd > 0) close(fd);
  }
  return status;
}
