// touch: make each file if it does not exist, and set its access and
// modification times to now.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int status = 0;
  if (argc < 2) { fprintf(stderr, "usage: touch FILE...\n"); return 2; }
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_WRONLY | O_CREAT, 0666);
    if (fd < 0 || futimens(fd, NULL) < 0) {
      fprintf(stderr, "touch: %s: %s\n", argv[i], strerror(errno));
      status = 1;
    }
    if (fd >= 0) close(fd);
  }
  return status;
}
