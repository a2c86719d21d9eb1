// liboncrix: the image table, and starting a program by name.
//
// Init copies the boot ROM's image list into a read-only memory object
// (tag IMAGES): `count`, then per image `id` and `name` — a string as in the
// ROM, its byte length then its bytes padded to whole little-endian words.
// Programs never know image numbers; they look a name up here and spawn it.

import { TAG_IMAGES, TAG_CONSOLE, TAG_PEER, ERR_NOT_FOUND, ERR_OUT_OF_RANGE, ERR_BAD_HANDLE } from "../../abi/assembly/index";
import { Handle, handleDuplicate } from "./handles";
import { memobjSize, memobjRead } from "./memobj";
import { SpawnDesc, processSpawn, processInfo, ProcessInfo } from "./process";
import { startup } from "./startup";
import { CLIENT_RIGHTS } from "./protocol";

export class ImageTable {
  /** Negative when the table could not be read or is malformed. */
  error: i32 = 0;
  ids: Array<i32> = [];
  names: Array<string> = [];

  /** The image id of a program, or ERR_NOT_FOUND. */
  find(name: string): i32 {
    for (let i = 0; i < this.names.length; i++) if (this.names[i] == name) return this.ids[i];
    return ERR_NOT_FOUND;
  }

  /** The name of an image id ("" if unknown). */
  nameOf(id: i32): string {
    for (let i = 0; i < this.ids.length; i++) if (this.ids[i] == id) return this.names[i];
    return "";
  }
}

/** Read and parse the image table behind h. */
export function loadImageTable(h: Handle): ImageTable {
  const t = new ImageTable();
  const size = memobjSize(h);
  if (size < 4) {
    t.error = size < 0 ? size : ERR_OUT_OF_RANGE;
    return t;
  }
  const buf = new ArrayBuffer(size);
  const p = changetype<usize>(buf);
  const r = memobjRead(h, 0, p, size);
  if (r < 0) {
    t.error = r;
    return t;
  }
  const count = load<u32>(p);
  let at: u32 = 4;
  for (let i: u32 = 0; i < count; i++) {
    if (at + 8 > <u32>size) break;
    const id = load<i32>(p + at);
    const len = load<u32>(p + at + 4);
    at += 8;
    if (len > <u32>size - at) break;
    t.ids.push(id);
    t.names.push(String.UTF8.decodeUnsafe(p + at, len));
    at += (len + 3) & ~3;
  }
  if (<u32>t.ids.length != count) t.error = ERR_OUT_OF_RANGE;
  return t;
}

let cached: ImageTable | null = null;

/** The image table this process was started with (tag IMAGES), read once. */
export function imageTable(): ImageTable {
  let t = cached;
  if (t === null) {
    const h = startup().handle(TAG_IMAGES);
    if (h > 0) {
      t = loadImageTable(h);
    } else {
      t = new ImageTable();
      t.error = ERR_BAD_HANDLE;
    }
    cached = t;
  }
  return t;
}

/**
 * Start `program` (looked up in the table) as a child of the process behind
 * `parent`, with everything else from d. Returns the child's process handle,
 * ERR_NOT_FOUND for an unknown program, or the spawn's error.
 */
export function spawnProgram(parent: Handle, images: ImageTable, program: string, d: SpawnDesc): Handle {
  const id = images.find(program);
  if (id < 0) return id;
  d.image = id;
  if (d.name.length == 0) d.name = program;
  return processSpawn(parent, d);
}

/**
 * Start `program` as a child of `self` on the other end of a channel: `peer`
 * goes to it tagged PEER, with a copy of our console; it runs at our priority
 * with at most `quotaPages` of our quota. Returns its process handle or an
 * error (the handles given are closed then).
 */
export function spawnWithPeer(self: Handle, program: string, peer: Handle, quotaPages: i32): Handle {
  const me = new ProcessInfo();
  const r = processInfo(self, me);
  if (r < 0) return r;
  const d = new SpawnDesc();
  d.setArgs([program]);
  d.priority = me.priority;
  d.quotaPages = min(quotaPages, me.quotaPages);
  d.give(peer, TAG_PEER);
  const con = startup().handle(TAG_CONSOLE);
  if (con > 0) {
    const dup = handleDuplicate(con, CLIENT_RIGHTS);
    if (dup > 0) d.give(dup, TAG_CONSOLE);
  }
  const h = spawnProgram(self, imageTable(), program, d);
  if (h < 0) d.closeHandles();
  return h;
}
