// The TypeScript view of the ONCRIX ABI: the tables of spec.ts flattened to
// plain numbers (`SYS.CHANNEL_WRITE === 9`), plus the trace-record decoder
// that hosts, tests and the playground share.

import * as spec from './spec.js';

export * as spec from './spec.js';
export { TRACE_ARGS, TRACE_DATA_BYTES } from './spec.js';
import { values } from './tables.js';
export { values, nameOf } from './tables.js';

export const SYS = values(spec.Sys);
export const ERR = values(spec.Err);
export const KERNEL = values(spec.Kernel);
export const OBJ = values(spec.ObjType);
export const RIGHTS = values(spec.Rights);
export const SIGNAL = values(spec.Signal);
export const PROC_STATE = values(spec.ProcState);
export const EXIT = values(spec.Exit);
export const FAULT = values(spec.Fault);
export const TAG = values(spec.Tag);
export const LIMITS = values(spec.Limits);
export const TRACE = values(spec.TraceKind);
export const CLOSE_REASON = values(spec.CloseReason);
export const RUN_REASON = values(spec.RunReason);
export const STAT = values(spec.Stat);
export const LIMIT = values(spec.Limit);
export const WASI = values(spec.Wasi);
export const WASI_ERRNO = values(spec.WasiErrno);
export const WASI_FILETYPE = values(spec.WasiFiletype);
export const WASI_FLAGS = values(spec.WasiFlags);
export const WASI_RIGHTS = values(spec.WasiRights);
export const VFS_OP = values(spec.VfsOp);
export const VFS = values(spec.Vfs);
export const HOST_OP = values(spec.HostOp);
export const FILES_OP = values(spec.FilesOp);
export const FILES_JOB = values(spec.FilesJob);
export const LOADER_OP = values(spec.LoaderOp);
export { WasiFunctions } from './posix.js';

/** Byte offset of a field of a layout: `offsetOf('CallArgs', 'rdCap')`. */
export function offsetOf<L extends keyof typeof spec.Layouts>(
  layout: L,
  field: keyof (typeof spec.Layouts)[L]['fields'],
): number {
  const fields = spec.Layouts[layout].fields as Readonly<Record<string, spec.Field>>;
  const f = fields[field as string];
  if (f === undefined) throw new Error(`no field ${String(field)} in ${layout}`);
  return f.offset;
}

/** Size in bytes of a layout. */
export function sizeOf(layout: keyof typeof spec.Layouts): number {
  return spec.Layouts[layout].size;
}

export * from './trace.js';
export type { KernelExports } from './exports.js';
export type { KernelImports } from './imports.js';
