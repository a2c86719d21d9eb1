// liboncrix: the startup block — what a process was started with.
//
// STARTUP_INFO gives the handles a process was born with, each tagged with
// what it is for (TAG_CONSOLE, TAG_SELF, TAG_DEVICE_BASE + i …), and its
// arguments, NUL-separated, the first being its own name. A program asks by
// tag, never by handle number: `startup().handle(TAG_CONSOLE)`.

import {
  STARTUP_HEADER_SIZE, STARTUP_HEADER_NUM_HANDLES, STARTUP_HEADER_ARGS_LEN, STARTUP_HANDLE_SIZE,
  STARTUP_HANDLE_HANDLE, STARTUP_HANDLE_TAG, TAG_SELF, TAG_CONSOLE, TAG_SERVICE, TAG_PEER, TAG_MEMORY,
  TAG_SYSTEM, TAG_IMAGES, TAG_SCRIPT, TAG_DEVICE_BASE, TAG_IRQ_BASE,
} from "../../abi/assembly/index";
import { Handle } from "./handles";
import { startupInfo } from "./system";
import { splitNul } from "./bytes";

export class Startup {
  /** Negative if STARTUP_INFO failed (then everything below is empty). */
  error: i32 = 0;
  handles: Array<Handle> = [];
  tags: Array<i32> = [];
  args: Array<string> = [];

  /** The first handle with this tag, or 0. */
  handle(tag: i32): Handle {
    for (let i = 0; i < this.tags.length; i++) if (this.tags[i] == tag) return this.handles[i];
    return 0;
  }

  /** Every handle with this tag. */
  handlesWith(tag: i32): Array<Handle> {
    const out = new Array<Handle>();
    for (let i = 0; i < this.tags.length; i++) if (this.tags[i] == tag) out.push(this.handles[i]);
    return out;
  }

  /** The tag a startup handle came with, or 0 if it did not come at startup. */
  tagOf(h: Handle): i32 {
    for (let i = 0; i < this.handles.length; i++) if (this.handles[i] == h) return this.tags[i];
    return 0;
  }

  /** Argument i ("" when absent); argument 0 is the program's name. */
  arg(i: i32): string {
    return i >= 0 && i < this.args.length ? this.args[i] : "";
  }

  get argc(): i32 {
    return this.args.length;
  }
}

/** Ask the kernel for the block and parse it. */
function readStartup(): Startup {
  const s = new Startup();
  const size = startupInfo(0, 0); // with no room, the kernel only reports the size
  if (size < STARTUP_HEADER_SIZE) {
    s.error = size < 0 ? size : 0;
    return s;
  }
  const buf = new ArrayBuffer(size);
  const p = changetype<usize>(buf);
  const r = startupInfo(p, size);
  if (r < 0 || r > size) {
    s.error = r < 0 ? r : 0;
    return s;
  }
  const n = load<i32>(p + STARTUP_HEADER_NUM_HANDLES);
  const argsLen = load<i32>(p + STARTUP_HEADER_ARGS_LEN);
  let at = p + STARTUP_HEADER_SIZE;
  for (let i = 0; i < n; i++) {
    s.handles.push(load<i32>(at + STARTUP_HANDLE_HANDLE));
    s.tags.push(load<i32>(at + STARTUP_HANDLE_TAG));
    at += STARTUP_HANDLE_SIZE;
  }
  s.args = splitNul(at, argsLen);
  return s;
}

let cached: Startup | null = null;

/** This process's startup block (read once, then cached). */
export function startup(): Startup {
  let s = cached;
  if (s === null) {
    s = readStartup();
    cached = s;
  }
  return s;
}

/** A startup tag in words: "console", "device 0", "irq 0" … ("" for 0). */
export function tagName(tag: i32): string {
  switch (tag) {
    case 0: return "";
    case TAG_SELF: return "self";
    case TAG_CONSOLE: return "console";
    case TAG_SERVICE: return "service";
    case TAG_PEER: return "peer";
    case TAG_MEMORY: return "memory";
    case TAG_SYSTEM: return "system";
    case TAG_IMAGES: return "images";
    case TAG_SCRIPT: return "script";
  }
  if (tag >= TAG_IRQ_BASE) return "irq " + (tag - TAG_IRQ_BASE).toString();
  if (tag >= TAG_DEVICE_BASE) return "device " + (tag - TAG_DEVICE_BASE).toString();
  return "tag " + tag.toString();
}
