// init's boot ROM: read it from the ROM device (in blocks of registers, one
// syscall each) and decode all of it before anything is started (docs/userland.md, "The boot ROM").
//
// A bad magic, version or a truncated ROM is logged and init stops: it grants
// nothing it has not fully understood. The start-up script is an optional
// trailer: a ROM that ends after its programs boots without it, and a damaged
// trailer is logged and ignored.

import { TAG_DEVICE_BASE, DEV_BLOCK_MAX } from "../../../abi/assembly/index";
import {
  startup, debugLog, errorName, devRead, devReadBlock, hex, ROM_MAGIC, ROM_VERSION, DEVICE_ROM, POLICY_RESTART, POLICY_CRITICAL,
} from "../../lib/index";

/** The ROM is at most this many words (a sanity bound: real ones are a few hundred). */
const ROM_MAX_WORDS = 1 << 20;

function log(text: string): void {
  debugLog("init: " + text);
}

/** A cursor over the ROM's words; reading past the end marks it truncated. */
class Rom {
  words: StaticArray<u32>;
  at: i32 = 0;
  truncated: bool = false;

  constructor(words: StaticArray<u32>) {
    this.words = words;
  }

  u32(): u32 {
    if (this.at >= this.words.length) {
      this.truncated = true;
      return 0;
    }
    return this.words[this.at++];
  }

  /** A string: its byte length, then its bytes padded to whole words. */
  bytes(): Uint8Array {
    const len = this.u32();
    const words = <i32>((len + 3) / 4);
    if (len > <u32>(this.words.length * 4) || this.at + words > this.words.length) {
      this.truncated = true;
      return new Uint8Array(0);
    }
    const out = new Uint8Array(<i32>len);
    memory.copy(out.dataStart, changetype<usize>(this.words) + <usize>(this.at * 4), len);
    this.at += words;
    return out;
  }

  text(): string {
    const b = this.bytes();
    return String.UTF8.decodeUnsafe(b.dataStart, b.length);
  }
}

/** Read every word of the ROM device; null (after logging why) if it is missing or absurd. */
export function readRom(): StaticArray<u32> | null {
  const rom = startup().handle(TAG_DEVICE_BASE + DEVICE_ROM);
  if (rom <= 0) {
    log("no boot ROM device (DEVICE_BASE + " + DEVICE_ROM.toString() + ")");
    return null;
  }
  const size = devRead(rom, 0);
  if (size < 0 || size > ROM_MAX_WORDS) {
    log("bad boot ROM: cannot read its size (" + (size < 0 ? errorName(<i32>size) : size.toString()) + ")");
    return null;
  }
  const count = <i32>size;
  const words = new StaticArray<u32>(count);
  // Register i + 1 holds word i; a block of them per syscall (a few hundred words: one or two syscalls).
  for (let at = 0; at < count; at += DEV_BLOCK_MAX) {
    const n = min<i32>(DEV_BLOCK_MAX, count - at);
    const r = devReadBlock(rom, at + 1, n, changetype<usize>(words) + <usize>(at * 4));
    if (r != n) {
      log("bad boot ROM: words " + at.toString() + ".." + (at + n - 1).toString() + " of " + count.toString() + ": " + (r < 0 ? errorName(r) : "short read"));
      return null;
    }
  }
  return words;
}

/** What init does when a program ends (the manifest's "supervise"), times in microseconds. */
export class Policy {
  restart: bool = false;
  critical: bool = false;
  backoffUs: f64 = 0;
  maxBackoffUs: f64 = 0;
  limit: i32 = 0;
  windowUs: f64 = 0;
  /** Heartbeat: ping every everyUs, answer due within deadlineUs (0: no heartbeat). */
  everyUs: f64 = 0;
  deadlineUs: f64 = 0;
}

export class Program {
  image: i32 = 0;
  priority: i32 = 0;
  quota: i32 = 0;
  name: string = "";
  args: Uint8Array = new Uint8Array(0);
  capKinds: Array<u32> = [];
  capArgs: Array<u32> = [];
  policy: Policy = new Policy();
}

/** Everything the ROM says, decoded before anything is started. */
export class Manifest {
  services: Array<string> = [];
  /** Absolute paths the mounts and preopens name; mounts as (path index, service index). */
  paths: Array<string> = [];
  mountPaths: Array<u32> = [];
  mountServices: Array<u32> = [];
  /** The image list's words as in the ROM (count, then id + string per image): the image table verbatim. */
  imageWords: StaticArray<u32> = new StaticArray<u32>(0);
  programs: Array<Program> = [];
  /** The start-up script's bytes (empty when the ROM has no trailer). */
  script: Uint8Array = new Uint8Array(0);
}

/** A time in the ROM (milliseconds) in microseconds. */
function ms(r: Rom): f64 {
  return <f64>r.u32() * 1000;
}

function readPolicy(r: Rom): Policy {
  const p = new Policy();
  const word = r.u32();
  p.restart = (word & 0xff) == POLICY_RESTART;
  p.critical = (word & POLICY_CRITICAL) != 0;
  p.backoffUs = ms(r);
  p.maxBackoffUs = ms(r);
  p.limit = <i32>r.u32();
  p.windowUs = ms(r);
  p.everyUs = ms(r);
  p.deadlineUs = ms(r);
  return p;
}

/** Decode the ROM; null (after logging why) when it is not a valid ROM of this version. */
export function decode(words: StaticArray<u32>): Manifest | null {
  const r = new Rom(words);
  const magic = r.u32();
  if (magic != ROM_MAGIC) {
    log("bad boot ROM: magic " + hex(magic) + ", expected " + hex(ROM_MAGIC));
    return null;
  }
  const version = r.u32();
  if (version != ROM_VERSION) {
    log("bad boot ROM: version " + version.toString() + ", expected " + ROM_VERSION.toString());
    return null;
  }
  const m = new Manifest();
  const numServices = r.u32();
  for (let i: u32 = 0; i < numServices && !r.truncated; i++) m.services.push(r.text());
  const numPaths = r.u32();
  for (let i: u32 = 0; i < numPaths && !r.truncated; i++) m.paths.push(r.text());
  const numMounts = r.u32();
  for (let i: u32 = 0; i < numMounts && !r.truncated; i++) {
    m.mountPaths.push(r.u32());
    m.mountServices.push(r.u32());
  }

  const imagesStart = r.at;
  const numImages = r.u32();
  for (let i: u32 = 0; i < numImages && !r.truncated; i++) {
    r.u32(); // id
    r.bytes(); // name
  }
  if (!r.truncated) m.imageWords = StaticArray.slice<u32>(words, imagesStart, r.at);

  const numPrograms = r.u32();
  for (let i: u32 = 0; i < numPrograms && !r.truncated; i++) {
    const p = new Program();
    p.image = <i32>r.u32();
    p.priority = <i32>r.u32();
    p.quota = <i32>r.u32();
    p.name = r.text();
    p.args = r.bytes();
    const numCaps = r.u32();
    for (let j: u32 = 0; j < numCaps && !r.truncated; j++) {
      p.capKinds.push(r.u32());
      p.capArgs.push(r.u32());
    }
    p.policy = readPolicy(r);
    m.programs.push(p);
  }
  if (r.truncated) {
    log("bad boot ROM: truncated at word " + r.at.toString() + " of " + words.length.toString());
    return null;
  }
  // The optional trailer: the start-up script, a string. ROMs without one end here.
  if (r.at < words.length) {
    const at = r.at;
    const script = r.bytes();
    if (r.truncated) log("bad boot ROM: the start-up script at word " + at.toString() + " is truncated; booting without it");
    else m.script = script;
  }
  return m;
}
