#!/usr/bin/env bash
# Installs everything ONCRIX needs on a fresh Debian machine, and nothing that
# is already there: the Debian packages whose tools scripts/check-tools.sh
# finds unusable (wabt's wasm2c 1.0.32; a gcc that links for each bare-metal
# architecture: gcc, compiler-rt's i386 builtins for -m32, the aarch64 and riscv64 cross
# compilers; each architecture's QEMU and riscv64's OpenSBI to boot the
# images; Chromium for the end-to-end tests), then the npm packages from the
# lock file, then the tool check once more so that a failed install is named
# here and not deep inside the build.
# Safe to run again; the README's commands start with it.
set -euo pipefail
cd "$(dirname "$0")/.."

# What is missing is decided by scripts/check-tools.sh, which tries each tool
# on real work (a 32-bit link against libgcc, a cross compile and link, OpenSBI
# booting, a headless Chromium page), not by whether a command exists.
mapfile -t missing < <(bash scripts/check-tools.sh --missing)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# npm packages: reinstall only when the lock file changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

bash scripts/check-tools.sh
