// liboncrix: the service side of the vfs protocol (docs/vfs.md).
//
// A filesystem service receives requests from the kernel's vfs on a channel:
// a VfsRequest header, then the path bytes. It answers with a VfsReply
// header and what the operation returns (a Filestat, a link target). File
// bytes do not travel in messages: while the caller waits, the service moves
// them with grantCopy, straight between its own memory and the caller's
// buffers, at most the count the request granted — or, for a READ, name
// them in the reply (`Reply.segment`) for the kernel to copy as it takes the
// reply, which saves the service a syscall per read. `Request` reads a request
// in place; `Reply` builds the answer in a buffer of its own.

import {
  SYS_FD_GRANT_COPY, VFS_REQUEST_TXID, VFS_REQUEST_OP, VFS_REQUEST_FILE, VFS_REQUEST_FLAGS, VFS_REQUEST_OFFSET,
  VFS_REQUEST_VALUE, VFS_REQUEST_COUNT, VFS_REQUEST_PATH_LEN, VFS_REQUEST_PATH2_LEN, VFS_REQUEST_TIME, VFS_REQUEST_SIZE,
  VFS_REPLY_SIZE, VFS_REPLY_TXID, VFS_REPLY_ERRNO, VFS_REPLY_VALUE, VFS_REPLY_FILETYPE, VFS_REPLY_FILE_SIZE,
  WASI_FILESTAT_SIZE, WASI_FILESTAT_DEV, WASI_FILESTAT_INO, WASI_FILESTAT_FILETYPE, WASI_FILESTAT_NLINK,
  WASI_FILESTAT_BYTES, WASI_FILESTAT_ATIM, WASI_FILESTAT_MTIM, WASI_FILESTAT_CTIM, MSG_MAX_BYTES,
  VFS_SEGMENT_SIZE, VFS_SEGMENT_BUF, VFS_SEGMENT_LEN,
} from "../../abi/assembly/index";
import { syscall } from "./sys";
import { Handle } from "./handles";

/**
 * Copy len bytes between this service's memory at buf and the buffers of the
 * caller whose request txid is pending on endpoint h, starting offset bytes
 * into the grant (into the caller for READ and READDIR, out of it for WRITE).
 * Returns the bytes copied or an error.
 */
export function grantCopy(h: Handle, txid: u32, offset: u32, buf: usize, len: i32): i32 {
  return syscall(SYS_FD_GRANT_COPY, h, <i32>txid, <i32>offset, <i32>buf, len, 0);
}

/** A received request, read in place (the message buffer stays the caller's). */
export class Request {
  at: usize = 0;
  length: i32 = 0;

  /** Point at a message of len bytes; false when it is too short to be a request or its paths overrun it. */
  parse(at: usize, len: i32): bool {
    this.at = at;
    this.length = len;
    if (len < VFS_REQUEST_SIZE) return false;
    return <u64>VFS_REQUEST_SIZE + <u64>this.pathLen + <u64>this.path2Len <= <u64>len;
  }

  get txid(): u32 { return load<u32>(this.at + VFS_REQUEST_TXID); }
  get op(): u32 { return load<u32>(this.at + VFS_REQUEST_OP); }
  get file(): u32 { return load<u32>(this.at + VFS_REQUEST_FILE); }
  get flags(): u32 { return load<u32>(this.at + VFS_REQUEST_FLAGS); }
  get offset(): u64 { return load<u64>(this.at + VFS_REQUEST_OFFSET); }
  get value(): u64 { return load<u64>(this.at + VFS_REQUEST_VALUE); }
  get count(): u32 { return load<u32>(this.at + VFS_REQUEST_COUNT); }
  /** The kernel's clock as it sent the request (ns): the time of what the request changes. */
  get time(): u64 { return load<u64>(this.at + VFS_REQUEST_TIME); }
  get pathLen(): u32 { return load<u32>(this.at + VFS_REQUEST_PATH_LEN); }
  get path2Len(): u32 { return load<u32>(this.at + VFS_REQUEST_PATH2_LEN); }
  get pathPtr(): usize { return this.at + VFS_REQUEST_SIZE; }
  get path2Ptr(): usize { return this.pathPtr + this.pathLen; }

  /** The first path as a string (UTF-8). */
  path(): string {
    return String.UTF8.decodeUnsafe(this.pathPtr, this.pathLen);
  }

  /** The second path (RENAME and LINK: the new path; SYMLINK: the target). */
  path2(): string {
    return String.UTF8.decodeUnsafe(this.path2Ptr, this.path2Len);
  }
}

/** What a service answers: the header, then optional bytes (a Filestat, a link target). */
export class Reply {
  buf: ArrayBuffer = new ArrayBuffer(MSG_MAX_BYTES);
  length: i32 = VFS_REPLY_SIZE;

  get ptr(): usize { return changetype<usize>(this.buf); }

  /** Start the reply to txid with errno (0: success), clearing the rest of the header. */
  begin(txid: u32, errno: u32): Reply {
    memory.fill(this.ptr, 0, VFS_REPLY_SIZE);
    store<u32>(this.ptr + VFS_REPLY_TXID, txid);
    store<u32>(this.ptr + VFS_REPLY_ERRNO, errno);
    this.length = VFS_REPLY_SIZE;
    return this;
  }

  value(v: u32): Reply { store<u32>(this.ptr + VFS_REPLY_VALUE, v); return this; }
  filetype(t: u32): Reply { store<u32>(this.ptr + VFS_REPLY_FILETYPE, t); return this; }
  fileSize(n: u64): Reply { store<u64>(this.ptr + VFS_REPLY_FILE_SIZE, n); return this; }

  /** Append a WASI Filestat. */
  filestat(dev: u64, ino: u64, filetype: u8, nlink: u64, size: u64, atim: u64, mtim: u64, ctim: u64): Reply {
    const p = this.ptr + <usize>this.length;
    memory.fill(p, 0, WASI_FILESTAT_SIZE);
    store<u64>(p + WASI_FILESTAT_DEV, dev);
    store<u64>(p + WASI_FILESTAT_INO, ino);
    store<u8>(p + WASI_FILESTAT_FILETYPE, filetype);
    store<u64>(p + WASI_FILESTAT_NLINK, nlink);
    store<u64>(p + WASI_FILESTAT_BYTES, size);
    store<u64>(p + WASI_FILESTAT_ATIM, atim);
    store<u64>(p + WASI_FILESTAT_MTIM, mtim);
    store<u64>(p + WASI_FILESTAT_CTIM, ctim);
    this.length += WASI_FILESTAT_SIZE;
    return this;
  }

  /** Room left for VfsSegment records. */
  get segmentsLeft(): i32 { return (MSG_MAX_BYTES - this.length) / VFS_SEGMENT_SIZE; }

  /** Append a VfsSegment (READ): len bytes of this process's memory at buf, for the kernel to copy into the caller. */
  segment(buf: usize, len: u32): Reply {
    const p = this.ptr + <usize>this.length;
    store<u32>(p + VFS_SEGMENT_BUF, <u32>buf);
    store<u32>(p + VFS_SEGMENT_LEN, len);
    this.length += VFS_SEGMENT_SIZE;
    return this;
  }

  /** Append bytes (a link target), cut to what fits in one message. */
  bytes(src: usize, len: i32): Reply {
    const n = min(len, MSG_MAX_BYTES - this.length);
    memory.copy(this.ptr + <usize>this.length, src, n);
    this.length += n;
    return this;
  }

  /** Append a string as UTF-8. */
  text(s: string): Reply {
    const utf8 = String.UTF8.encode(s);
    return this.bytes(changetype<usize>(utf8), utf8.byteLength);
  }
}
