/* wasibench: the WASI figures of `npm run bench`, one C program (clang +
 * wasi-libc) run both under `oncrix run` and under Node's own node:wasi, so
 * the two are the same code measured by the same clock (CLOCK_MONOTONIC,
 * which the kernel serves under ONCRIX).
 *
 *   wasibench fdstat N        N fd_fdstat_get calls on stdout: one WASI round trip each
 *   wasibench copywc SRC DST  copy SRC to DST in 64 KiB reads and writes, then count
 *                             DST's lines, words and bytes as wc does
 *
 * Each prints one line the benchmark reads. */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static char buf[65536];

static int copy(const char *from, const char *to) {
  int in = open(from, O_RDONLY);
  if (in < 0) {
    perror(from);
    return 1;
  }
  int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0) {
    perror(to);
    return 1;
  }
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0) {
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(out, buf + done, (size_t)(n - done));
      if (w <= 0) {
        perror(to);
        return 1;
      }
      done += w;
    }
  }
  close(in);
  return close(out) == 0 && n == 0 ? 0 : 1;
}

static int wc(const char *path, long *lines, long *words, long *bytes) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    perror(path);
    return 1;
  }
  int in_word = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    *bytes += n;
    for (ssize_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)buf[i];
      if (c == '\n') (*lines)++;
      if (isspace(c)) in_word = 0;
      else if (!in_word) {
        in_word = 1;
        (*words)++;
      }
    }
  }
  close(fd);
  return n == 0 ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "fdstat") == 0) {
    long n = atol(argv[2]);
    __wasi_fdstat_t st;
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
      if (__wasi_fd_fdstat_get(1, &st) != 0) return 1;
    }
    printf("fdstat: %.1f ns/op (%ld ops)\n", (now_ns() - t0) / (double)n, n);
    return 0;
  }
  if (argc == 4 && strcmp(argv[1], "copywc") == 0) {
    double t0 = now_ns();
    if (copy(argv[2], argv[3]) != 0) return 1;
    double t1 = now_ns();
    long lines = 0, words = 0, bytes = 0;
    if (wc(argv[3], &lines, &words, &bytes) != 0) return 1;
    double t2 = now_ns();
    printf("copywc: %.1f ms (copy %.1f ms, wc %.1f ms) %ld %ld %ld\n", (t2 - t0) / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6,
           lines, words, bytes);
    return 0;
  }
  fprintf(stderr, "usage: wasibench fdstat N | copywc SRC DST\n");
  return 2;
}
