// liboncrix: the shell start-up script — lines a shell runs before its first
// prompt.
//
// The boot ROM may end with a string, the script (docs/userland.md). Init
// copies it into a read-only memory object and gives a duplicate to each
// program whose manifest entry says {"script": true}, tagged SCRIPT; when
// the ROM has no script nobody gets anything. The text is UTF-8; lines end
// with \n (a \r before it is dropped) and blank lines are skipped.

import { ERR_OUT_OF_RANGE } from "../../abi/assembly/index";
import { Handle } from "./handles";
import { memobjSize, memobjRead } from "./memobj";

/** Largest script a program reads (the manifest checker allows 64 KiB). */
const SCRIPT_MAX: i32 = 1 << 16;

export class Script {
  /** Negative when the memory object could not be read. */
  error: i32 = 0;
  /** The non-blank lines, in order, without their line ends. */
  lines: Array<string> = [];
}

/** Split text into its non-blank lines (\n or \r\n endings). */
export function scriptLines(text: string): Array<string> {
  const out = new Array<string>();
  const parts = text.split("\n");
  for (let i = 0; i < parts.length; i++) {
    let line = parts[i];
    if (line.endsWith("\r")) line = line.substring(0, line.length - 1);
    if (line.trim().length > 0) out.push(line);
  }
  return out;
}

/** Read the script behind h (a memory object holding the text, nothing else). */
export function readScript(h: Handle): Script {
  const s = new Script();
  const size = memobjSize(h);
  if (size < 0 || size > SCRIPT_MAX) {
    s.error = size < 0 ? size : ERR_OUT_OF_RANGE;
    return s;
  }
  if (size == 0) return s;
  const buf = new ArrayBuffer(size);
  const p = changetype<usize>(buf);
  const r = memobjRead(h, 0, p, size);
  if (r < 0) {
    s.error = r;
    return s;
  }
  s.lines = scriptLines(String.UTF8.decodeUnsafe(p, size));
  return s;
}
