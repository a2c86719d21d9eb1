// liboncrix: words for numbers — error codes, fault reasons, exit codes.
//
// Wrappers never throw; they return a negative ERR_* code. These functions
// turn such codes (and the exit codes the kernel records) into the short text
// a person reads in the shell or the trace.

import {
  ERR_OK, ERR_INVALID_ARGS, ERR_BAD_HANDLE, ERR_WRONG_TYPE, ERR_ACCESS_DENIED, ERR_FAULT, ERR_NO_MEMORY,
  ERR_SHOULD_WAIT, ERR_PEER_CLOSED, ERR_TIMED_OUT, ERR_OUT_OF_RANGE, ERR_BUFFER_TOO_SMALL, ERR_NOT_FOUND,
  ERR_BAD_SYSCALL, ERR_LIMIT, ERR_BAD_STATE, ERR_CANCELED, ERR_NOT_SUPPORTED,
  FAULT_TRAP, FAULT_STACK, FAULT_BAD_IMPORT, FAULT_BAD_MODULE, FAULT_OOM, FAULT_ABORT, FAULT_QUOTA, FAULT_INJECTED,
  EXIT_KILLED, EXIT_FAULT_BASE, ERR_BAD_FD, WASI_EACCES, WASI_EAGAIN, WASI_EBADF, WASI_EBUSY, WASI_EEXIST,
  WASI_EINVAL, WASI_EIO, WASI_EISDIR, WASI_ELOOP, WASI_EMFILE, WASI_ENAMETOOLONG, WASI_ENOENT, WASI_ENOMEM,
  WASI_ENOSPC, WASI_ENOTDIR, WASI_ENOTEMPTY, WASI_ENOTCAPABLE, WASI_EPERM, WASI_EPIPE, WASI_EXDEV, WASI_ENXIO,
} from "../../abi/assembly/index";

/** A WASI errno in the words C programs print for it (strerror). */
export function wasiErrorText(errno: i32): string {
  switch (errno) {
    case WASI_EACCES: return "Permission denied";
    case WASI_EAGAIN: return "Resource temporarily unavailable";
    case WASI_EBADF: return "Bad file descriptor";
    case WASI_EBUSY: return "Device or resource busy";
    case WASI_EEXIST: return "File exists";
    case WASI_EINVAL: return "Invalid argument";
    case WASI_EIO: return "I/O error";
    case WASI_EISDIR: return "Is a directory";
    case WASI_ELOOP: return "Symbolic link loop";
    case WASI_EMFILE: return "No file descriptors available";
    case WASI_ENAMETOOLONG: return "Filename too long";
    case WASI_ENOENT: return "No such file or directory";
    case WASI_ENOMEM: return "Out of memory";
    case WASI_ENOSPC: return "No space left on device";
    case WASI_ENOTDIR: return "Not a directory";
    case WASI_ENOTEMPTY: return "Directory not empty";
    case WASI_ENOTCAPABLE: return "Capabilities insufficient";
    case WASI_ENXIO: return "No such device or address";
    case WASI_EPERM: return "Operation not permitted";
    case WASI_EPIPE: return "Broken pipe";
    case WASI_EXDEV: return "Cross-device link";
    default: return "WASI error " + errno.toString();
  }
}

/** Short text for an ERR_* code. */
export function errorName(code: i32): string {
  switch (code) {
    case ERR_OK: return "ok";
    case ERR_INVALID_ARGS: return "invalid arguments";
    case ERR_BAD_HANDLE: return "bad handle";
    case ERR_WRONG_TYPE: return "wrong object type";
    case ERR_ACCESS_DENIED: return "access denied";
    case ERR_FAULT: return "bad address";
    case ERR_NO_MEMORY: return "out of memory quota";
    case ERR_SHOULD_WAIT: return "should wait";
    case ERR_PEER_CLOSED: return "peer closed";
    case ERR_TIMED_OUT: return "timed out";
    case ERR_OUT_OF_RANGE: return "out of range";
    case ERR_BUFFER_TOO_SMALL: return "buffer too small";
    case ERR_NOT_FOUND: return "not found";
    case ERR_BAD_SYSCALL: return "no such syscall";
    case ERR_LIMIT: return "limit reached";
    case ERR_BAD_STATE: return "bad state";
    case ERR_CANCELED: return "canceled";
    case ERR_BAD_FD: return "bad file descriptor";
    case ERR_NOT_SUPPORTED: return "not supported";
    default: return code < 0 ? "error " + code.toString() : "ok";
  }
}

/** Why a process faulted (FAULT_* reason), in words. */
export function faultName(reason: i32): string {
  switch (reason) {
    case FAULT_TRAP: return "trap";
    case FAULT_STACK: return "stack overflow";
    case FAULT_BAD_IMPORT: return "bad import";
    case FAULT_BAD_MODULE: return "bad module";
    case FAULT_OOM: return "out of host memory";
    case FAULT_ABORT: return "abort";
    case FAULT_QUOTA: return "out of memory: its memory quota is used up";
    case FAULT_INJECTED: return "injected fault";
    default: return "fault " + reason.toString();
  }
}

/** Is this exit code the kernel's record of a fault? */
export function isFaultExit(code: i32): bool {
  return code < EXIT_FAULT_BASE;
}

/**
 * How a process ended, in words: "" for exit 0, "exit N", "killed",
 * or "crashed (reason)" for a fault (code = EXIT_FAULT_BASE - reason).
 */
export function exitStatus(code: i32): string {
  if (code == 0) return "";
  if (code == EXIT_KILLED) return "killed";
  if (isFaultExit(code)) return "crashed (" + faultName(EXIT_FAULT_BASE - code) + ")";
  return "exit " + code.toString();
}
