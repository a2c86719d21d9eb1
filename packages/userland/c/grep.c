#define _GNU_SOURCE /* strcasestr */
// grep: print the lines that match a basic regular expression (POSIX
// regcomp; -E extended, -F a fixed string), from each file or standard
// input. -i ignores case, -v selects lines that do not match, -n numbers
// them, -c counts them. Exit status 0 when a line was selected, 1 when none
// was, 2 on an error, as POSIX says.
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int ignoreCase, invert, numbers, countOnly, fixed, extended;
static regex_t re;
static const char *pattern;

static int matches(const char *line) {
  int hit;
  if (fixed) hit = (ignoreCase ? strcasestr(line, pattern) : strstr(line, pattern)) != NULL;
  else hit = regexec(&re, line, 0, NULL, 0) == 0;
  return hit != invert;
}

/** Search one stream; returns how many lines were selected. */
static long search(FILE *f, const char *name) {
  char *line = NULL;
  size_t cap = 0;
  long n = 0, lineNo = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, f)) >= 0) {
    lineNo++;
    if (len > 0 && line[len - 1] == '\n') line[len - 1] = '\0';
    if (!matches(line)) continue;
    n++;
    if (countOnly) continue;
    if (name != NULL) printf("%s:", name);
    if (numbers) printf("%ld:", lineNo);
    puts(line);
  }
  free(line);
  if (countOnly) {
    if (name != NULL) printf("%s:", name);
    printf("%ld\n", n);
  }
  return n;
}

int main(int argc, char **argv) {
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    for (const char *f = argv[i] + 1; *f; f++) {
      if (*f == 'i') ignoreCase = 1;
      else if (*f == 'v') invert = 1;
      else if (*f == 'n') numbers = 1;
      else if (*f == 'c') countOnly = 1;
      else if (*f == 'F') fixed = 1;
      else if (*f == 'E') extended = 1;
      else { fprintf(stderr, "grep: unknown option -%c (usage: grep [-ivncFE] PATTERN [FILE...])\n", *f); return 2; }
    }
  }
  if (i == argc) { fprintf(stderr, "usage: grep [-ivncFE] PATTERN [FILE...]\n"); return 2; }
  pattern = argv[i++];
  if (!fixed) {
    int flags = REG_NOSUB | (extended ? REG_EXTENDED : 0) | (ignoreCase ? REG_ICASE : 0);
    int err = regcomp(&re, pattern, flags);
    if (err != 0) {
      char msg[256];
      regerror(err, &re, msg, sizeof msg);
      fprintf(stderr, "grep: %s: %s\n", pattern, msg);
      return 2;
    }
  }
  long selected = 0;
  int status = 0;
  if (i == argc) selected = search(stdin, NULL);
  for (int several = argc - i > 1; i < argc; i++) {
    FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
    if (f == NULL) {
      fprintf(stderr, "grep: %s: %s\n", argv[i], strerror(errno));
      status = 2;
      continue;
    }
    selected += search(f, several ? argv[i] : NULL);
    if (f != stdin) fclose(f);
  }
  if (status != 0) return status;
  return selected > 0 ? 0 : 1;
}
