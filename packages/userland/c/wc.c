// wc: count lines, words and bytes of each file (or of standard input), as
// POSIX wc prints them: the counts asked for (-l lines, -w words, -c bytes;
// all three by default), then the name; a total line when there are several.
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct counts { unsigned long long lines, words, bytes; };

static int showLines, showWords, showBytes;

/** Count fd to its end. 0, or -1 with errno set. */
static int count(int fd, struct counts *c) {
  static unsigned char buf[65536];
  int inWord = 0;
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) return 0;
    if (n < 0) return -1;
    c->bytes += (unsigned long long)n;
    for (ssize_t i = 0; i < n; i++) {
      if (buf[i] == '\n') c->lines++;
      if (isspace(buf[i])) inWord = 0;
      else if (!inWord) { inWord = 1; c->words++; }
    }
  }
}

static void print(const struct counts *c, const char *name) {
  const char *sep = "";
  if (showLines) { printf("%s%7llu", sep, c->lines); sep = " "; }
  if (showWords) { printf("%s%7llu", sep, c->words); sep = " "; }
  if (showBytes) { printf("%s%7llu", sep, c->bytes); }
  if (name != NULL) printf(" %s", name);
  printf("\n");
}

int main(int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    for (const char *f = argv[i] + 1; *f; f++) {
      if (*f == 'l') showLines = 1;
      else if (*f == 'w') showWords = 1;
      else if (*f == 'c') showBytes = 1;
      else { fprintf(stderr, "wc: unknown option -%c (usage: wc [-lwc] [FILE...])\n", *f); return 2; }
    }
  }
  if (!showLines && !showWords && !showBytes) showLines = showWords = showBytes = 1;
  if (i == argc) {
    struct counts c = {0, 0, 0};
    if (count(0, &c) < 0) { perror("wc"); return 1; }
    print(&c, NULL);
    return 0;
  }
  struct counts total = {0, 0, 0};
  int status = 0, files = argc - i;
  for (; i < argc; i++) {
    struct counts c = {0, 0, 0};
    int fd = strcmp(argv[i], "-") == 0 ? 0 : open(argv[i], O_RDONLY);
    if (fd < 0 || count(fd, &c) < 0) {
      fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
      status = 1;
    } else {
      print(&c, argv[i]);
      total.lines += c.lines; total.words += c.words; total.bytes += c.bytes;
    }
    if (fd > 0) close(fd);
  }
  if (files > 1) print(&total, "total");
  return status;
}
