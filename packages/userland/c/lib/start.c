// Start-up code linked into ONCRIX's own C programs (not into other WASI
// programs, which start at "/"): begin in the directory named by PWD, which
// the shell sets to its working directory, so `cd` reaches the programs it
// runs. wasi-libc keeps the working directory itself (chdir resolves it
// against the preopens); ONCRIX's kernel has no per-process working
// directory, only directory fds.
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void oncrix_start_in_pwd(void) {
  const char *pwd = getenv("PWD");
  if (pwd != NULL && pwd[0] == '/') (void)chdir(pwd);
}
