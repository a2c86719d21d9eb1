// env: print the environment, one NAME=VALUE per line; with -i start from
// an empty one; NAME=VALUE arguments are added (or replace) before printing.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

int main(int argc, char **argv) {
  int i = 1;
  if (i < argc && strcmp(argv[i], "-i") == 0) {
    i++;
    static char *empty[] = {NULL};
    environ = empty;
  }
  for (; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    if (eq == NULL || eq == argv[i]) {
      fprintf(stderr, "env: %s: running a program is not supported here; arguments must be NAME=VALUE\n", argv[i]);
      return 125;
    }
    if (putenv(argv[i]) != 0) { perror("env"); return 125; }
  }
  for (char **e = environ; *e != NULL; e++) puts(*e);
  return 0;
}
