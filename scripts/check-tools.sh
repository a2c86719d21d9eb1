#!/usr/bin/env bash
# Proves that every tool the test command needs is really usable, not merely
# present: each check does the smallest piece of the real work (link 32-bit
# freestanding code that needs 64-bit division helpers, cross-compile and link
# freestanding aarch64 and riscv64 code, start each QEMU, boot OpenSBI, start
# Chromium headless, ...). A presence test once passed while the image link
# failed: `gcc -m32 -c` works without a 32-bit runtime library, linking does not.
#
#   bash scripts/check-tools.sh            check, print one line per tool, exit 1 naming
#                                           the Debian package of each failure
#   bash scripts/check-tools.sh --missing  print only the Debian packages whose check
#                                           fails (what scripts/setup.sh installs)
#   bash scripts/check-tools.sh [--quiet] PACKAGE...
#                                           check only the tools of these packages
#                                           (the image builder asks for wabt and the compiler
#                                           of each architecture it builds, e.g. wabt libclang-rt-14-dev)
set -uo pipefail

mode=check
if [ "${1:-}" = --missing ] || [ "${1:-}" = --quiet ]; then mode=$1; shift; fi
only=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Each check: the Debian packages it needs (space-separated), a description,
# and a function that succeeds only when the tool does the job.

check_wasm2c() {
  command -v wasm2c >/dev/null && [ "$(wasm2c --version 2>/dev/null)" = "1.0.32" ] && [ -f /usr/include/wasm-rt.h ]
}

# 64-bit division and popcount on i386 are library calls (__udivdi3, __udivmoddi4,
# __popcountsi2). Debian 12's gcc-multilib (the 32-bit libgcc) conflicts with
# gcc-aarch64-linux-gnu, so the image links them from compiler-rt's i386
# builtins (libclang-rt-14-dev), found through clang as the build finds it.
check_i386_runtime() {
  local rt
  rt=$(clang --target=i386-linux-gnu --rtlib=compiler-rt -print-libgcc-file-name 2>/dev/null) && [ -f "$rt" ] || return 1
  cat >"$work/div.c" <<'EOF'
unsigned long long divide(unsigned long long a, unsigned long long b) { return a / b + a % b; }
int bits(unsigned x) { return __builtin_popcount(x); }
void _start(void) { volatile unsigned long long r = divide(10, 3) + (unsigned long long)bits(7); (void)r; for (;;) {} }
EOF
  gcc -m32 -ffreestanding -nostdlib -static -O2 -o "$work/div" "$work/div.c" "$rt" >/dev/null 2>&1
}

# x86_64 long mode: the host compiler, 64-bit, no red zone, linked without any C library.
check_gcc_x86_64() {
  cat >"$work/x64.c" <<'EOF'
static volatile double d = 2.0;
void _start(void) { volatile unsigned long long r = (unsigned long long)(d * 21.0) / 3; (void)r; for (;;) {} }
EOF
  gcc -m64 -mno-red-zone -ffreestanding -nostdlib -static -O2 -o "$work/x64" "$work/x64.c" -lgcc >/dev/null 2>&1
}

# A cross compiler must compile, assemble and link freestanding code with its own
# libgcc, with the flags the image uses (FP on: WebAssembly needs IEEE doubles).
cross_link() { # compiler, flags...
  local cc=$1
  shift
  cat >"$work/cross.c" <<'EOF'
static volatile double d = 2.0;
unsigned long long divide(unsigned long long a, unsigned long long b) { return a / b + a % b; }
void _start(void) { volatile unsigned long long r = divide((unsigned long long)(d * 21.0), 3); (void)r; for (;;) {} }
EOF
  command -v "$cc" >/dev/null && "$cc" "$@" -ffreestanding -nostdlib -static -O2 -o "$work/cross" "$work/cross.c" -lgcc >/dev/null 2>&1
}

check_gcc_aarch64() { cross_link aarch64-linux-gnu-gcc -mcpu=cortex-a53 -mno-outline-atomics; }
check_gcc_riscv64() { cross_link riscv64-linux-gnu-gcc -march=rv64gc -mabi=lp64d -mcmodel=medany; }

check_qemu_i386() {
  qemu-system-i386 --version >/dev/null 2>&1 && qemu-system-x86_64 --version >/dev/null 2>&1
}

check_qemu_aarch64() {
  qemu-system-aarch64 --version >/dev/null 2>&1 && qemu-system-aarch64 -M virt -cpu help 2>/dev/null | grep -q cortex-a53
}

check_qemu_riscv64() {
  qemu-system-riscv64 --version >/dev/null 2>&1
}

# `-bios default` must find OpenSBI: boot it without a kernel and wait (at most 10 s)
# for its banner on the serial port, then stop QEMU.
check_opensbi() {
  command -v qemu-system-riscv64 >/dev/null || return 1
  qemu-system-riscv64 -M virt -bios default -display none -serial stdio -monitor none -no-reboot \
    </dev/null >"$work/opensbi.out" 2>&1 &
  local pid=$! found=1
  for _ in $(seq 100); do
    if grep -q OpenSBI "$work/opensbi.out"; then found=0; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return $found
}

check_chromium() {
  command -v chromium >/dev/null || return 1
  timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$work/chromium" \
    --dump-dom 'data:text/html,<p>oncrix-ok</p>' 2>/dev/null | grep -q oncrix-ok
}

# C programs for the POSIX front door: clang's wasm32-wasi target links against
# Debian's wasi-libc with lld and the wasm32 compiler runtime (libclang_rt.builtins).
check_wasi_clang() {
  cat >"$work/hello.c" <<'EOF2'
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) { long long x = argc; printf("%lld %zu\n", x * 3 / 2, strlen(argv[0])); return 0; }
EOF2
  clang --target=wasm32-wasi --sysroot=/usr -O2 -o "$work/hello.wasm" "$work/hello.c" >/dev/null 2>&1
}

# The kernel fuzzer (scripts/fuzz.mjs): clang must link a libFuzzer target with AddressSanitizer
# (compiler-rt's fuzzer and asan runtimes, in libclang-rt-14-dev) and the result must run.
check_libfuzzer() {
  cat >"$work/fuzz.c" <<'EOF2'
#include <stddef.h>
#include <stdint.h>
#include <string.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { char b[4]; if (n >= 4) memcpy(b, d, 4); return 0; }
EOF2
  clang -fsanitize=fuzzer,address -O1 -o "$work/fuzz" "$work/fuzz.c" >/dev/null 2>&1 && "$work/fuzz" -runs=16 >/dev/null 2>&1
}

checks=(
  "wabt|wasm2c 1.0.32 and wasm-rt.h|check_wasm2c"
  "clang libclang-rt-14-dev|gcc -m32 links freestanding code with compiler-rt's builtins (i386)|check_i386_runtime"
  "gcc|gcc -m64 -mno-red-zone links freestanding code (x86_64)|check_gcc_x86_64"
  "gcc-aarch64-linux-gnu|aarch64-linux-gnu-gcc compiles and links freestanding code (aarch64)|check_gcc_aarch64"
  "gcc-riscv64-linux-gnu|riscv64-linux-gnu-gcc compiles and links freestanding code (riscv64)|check_gcc_riscv64"
  "qemu-system-x86|qemu-system-i386 and qemu-system-x86_64|check_qemu_i386"
  "qemu-system-arm|qemu-system-aarch64 with the virt machine's cortex-a53|check_qemu_aarch64"
  "qemu-system-misc|qemu-system-riscv64|check_qemu_riscv64"
  "opensbi|qemu-system-riscv64 -bios default boots OpenSBI|check_opensbi"
  "chromium|Chromium starts headless and renders a page|check_chromium"
  "clang lld wasi-libc libclang-rt-14-dev-wasm32|clang builds C programs for wasm32-wasi against wasi-libc|check_wasi_clang"
  "clang libclang-rt-14-dev|clang links and runs a libFuzzer target with AddressSanitizer (the kernel fuzzer)|check_libfuzzer"
)

known=" $(for e in "${checks[@]}"; do printf '%s ' "${e%%|*}"; done)"
# Does the check's package list name one of the packages asked for?
wanted() {
  [ ${#only[@]} -eq 0 ] && return 0
  local p
  for p in $1; do [[ " ${only[*]} " == *" $p "* ]] && return 0; done
  return 1
}
for name in "${only[@]}"; do
  [[ "$known" == *" $name "* ]] || { echo "tools: no check for '$name' (known:$known)" >&2; exit 2; }
done

failed=()
for entry in "${checks[@]}"; do
  IFS='|' read -r package what fn <<<"$entry"
  wanted "$package" || continue
  if "$fn"; then
    [ "$mode" = check ] && echo "tools: ok       $what"
  else
    failed+=("$package")
    [ "$mode" != --missing ] && echo "tools: MISSING  $what — install with: apt-get install -y $package" >&2
  fi
done

if [ "$mode" = --missing ]; then
  # shellcheck disable=SC2068 # one package per line: a check may name several
  printf '%s\n' ${failed[@]} | sort -u | grep -v '^$'
  exit 0
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "tools: not usable: ${failed[*]} (bash scripts/setup.sh installs them)" >&2
  exit 1
fi
