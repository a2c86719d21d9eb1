// The bytes of a vfs message as the trace keeps them (the first
// LOG_MAX_BYTES of the payload): a request's VfsRequest header and paths, a
// reply's VfsReply header (and how many VfsSegment records its full length
// holds), every offset from packages/abi. vfs.ts makes
// sentences of them; describe.ts labels the arrow of a request with its
// operation.

import { TRACE, VFS_OP, offsetOf, sizeOf, spec, type TraceEvent } from '@oncrix/abi';

const REQ = sizeOf('VfsRequest');
const REP = sizeOf('VfsReply');
const OPS: ReadonlySet<number> = new Set(Object.values(VFS_OP));

/** A vfs request as decoded from a kernel MSG_SEND's payload (path: what the trace kept of it). */
export interface VfsRequest {
  txid: number;
  op: number;
  file: number;
  flags: number;
  offset: bigint;
  count: number;
  path: string;
  path2: string;
  /** The path (or path2) was longer than the trace keeps. */
  cut: boolean;
}

export interface VfsReply {
  txid: number;
  errno: number;
  value: number;
  filetype: number;
  /** Bytes of the whole reply past its header (the MSG_SEND's length, not what the trace kept of it). */
  tailBytes: number;
}

const decoder = new TextDecoder();

function view(ev: TraceEvent): DataView {
  return new DataView(ev.data.buffer, ev.data.byteOffset, ev.data.byteLength);
}

/** The vfs request a MSG_SEND carries, if it is one the kernel sent (null otherwise). */
export function vfsRequestOf(ev: TraceEvent): VfsRequest | null {
  if (ev.kind !== TRACE.MSG_SEND || ev.pid !== 0 || ev.data.length < REQ) return null;
  const v = view(ev);
  const f = (name: keyof (typeof spec.Layouts)['VfsRequest']['fields']): number => v.getUint32(offsetOf('VfsRequest', name), true);
  const op = f('op');
  if (!OPS.has(op)) return null;
  const pathLen = f('pathLen');
  const path2Len = f('path2Len');
  const kept = ev.data.subarray(REQ);
  const path = decoder.decode(kept.subarray(0, pathLen));
  const path2 = decoder.decode(kept.subarray(pathLen, pathLen + path2Len));
  return {
    txid: f('txid'), op, file: f('file'), flags: f('flags'), offset: v.getBigUint64(offsetOf('VfsRequest', 'offset'), true),
    count: f('count'), path, path2, cut: kept.length < pathLen + path2Len,
  };
}

/** The VfsReply header a service's MSG_SEND carries (null when it is too short to be one). */
export function replyHeader(ev: TraceEvent): VfsReply | null {
  if (ev.kind !== TRACE.MSG_SEND || ev.data.length < REP) return null;
  const v = view(ev);
  const f = (name: keyof (typeof spec.Layouts)['VfsReply']['fields']): number => v.getUint32(offsetOf('VfsReply', name), true);
  const length = ev.args[2] ?? 0;
  return { txid: f('txid'), errno: f('errno'), value: f('value'), filetype: f('filetype'), tailBytes: Math.max(0, length - REP) };
}

/** A short label for a request's arrow: "OPEN tmp/a.txt", "READ file 3". */
export function requestLabel(r: VfsRequest): string {
  const op = Object.entries(spec.VfsOp).find(([, c]) => c.value === r.op)?.[0] ?? String(r.op);
  const what = r.path !== '' ? (r.path.length > 24 ? `${r.path.slice(0, 23)}…` : r.path) : `file ${r.file}`;
  return `${op} ${what}`;
}
