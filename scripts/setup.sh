#!/usr/bin/env bash
# Installs everything ONCRIX needs on a fresh Debian machine, and nothing that
# is already there: Debian packages for the bare-metal path (wabt's wasm2c
# 1.0.32, gcc-multilib for -m32, QEMU to boot the image) and Chromium for the
# end-to-end tests when missing, then the npm packages from the lock file.
# Safe to run again; the README's commands start with it.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v wasm2c >/dev/null 2>&1 || missing+=(wabt)
if ! command -v gcc >/dev/null 2>&1 || ! printf 'int x;\n' | gcc -m32 -x c -c - -o /dev/null >/dev/null 2>&1; then
  missing+=(gcc-multilib)
fi
command -v qemu-system-i386 >/dev/null 2>&1 || missing+=(qemu-system-x86)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)

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
