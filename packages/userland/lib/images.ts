// liboncrix: the image table, and starting a program by name.
//
// Init copies the boot ROM's image list into a read-only memory object
// (tag IMAGES): `count`, then per image `id` and `name` — a string as in the
// ROM, its byte length then its bytes padded to whole little-endian words.
// Programs never know image numbers; they look a name up here and spawn it.

import { TAG_IMAGES, ERR_NOT_FOUND, ERR_OUT_OF_RANGE, ERR_BAD_HANDLE } from "../../abi/assembly/index";
import { Handle } from "./handles";
import { memobjSize, memobjRead } from "./memobj";
import { SpawnDesc, processSpawn } from "./process";
import { startup } from "./startup";

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
