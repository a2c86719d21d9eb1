// init: the root task — reads the boot manifest and starts the system.
//
// The kernel starts init with a handle to itself (every right, tag SELF) and
// one handle per boot device and interrupt line. Init grants exactly what the
// boot ROM (the encoded manifest, device DEVICE_BASE + 1) lists, nothing more:
//
//   1. read the ROM word by word (DEV_READ) and decode all of it first; a bad
//      magic, version or a truncated ROM is logged (DEBUG_LOG) and init exits 1
//   2. create one channel per service (server end, client end), and mount
//      the filesystem services the manifest names (FD_MOUNT: the kernel's vfs
//      gets a client end)
//   3. copy the image list into a read-only memory object (the image table),
//      and the start-up script, when the ROM ends with one, into another
//   4. spawn every program in order as a child of itself, moving in the
//      handles its capabilities name, each with its tag (docs/userland.md)
//   5. wait for children to end and log "init: NAME exited with CODE"; when the
//      last session program (one granted {"spawn": true}: the shell) ends, init
//      ends with its code and the HAL stops the machine
//
// The script is an optional trailer: a ROM that ends after its programs (the
// format before the trailer existed, or a system without a script) boots as
// before and {"script": true} grants nothing. A damaged trailer is logged and
// ignored — the system still boots, without the script.
//
// Init keeps the client end of every service, so a service outlives its
// clients and connections could be handed out again later.

import {
  TAG_SELF, TAG_DEVICE_BASE, TAG_IRQ_BASE, TAG_SERVICE, TAG_CONSOLE, TAG_PEER, TAG_SYSTEM, TAG_IMAGES, TAG_SCRIPT,
  SIG_TERMINATED, WAIT_MANY_MAX, ERR_TIMED_OUT,
} from "../../abi/assembly/index";
import {
  Handle, startup, debugLog, errorName, processExit, processSpawn, processInfo, ProcessInfo, SpawnDesc,
  channelCreate, memobjCreate, memobjWrite, handleDuplicate, handleClose, devRead, objectWait, WaitSet, hex,
  ROM_MAGIC, ROM_VERSION, CAP_DEVICE, CAP_IRQ, CAP_SERVE, CAP_CONNECT, CAP_SPAWN, CAP_INSPECT, CAP_IMAGES,
  CAP_SCRIPT, CAP_STDIO, CAP_PREOPEN, CONSOLE_SERVICE, CLIENT_RIGHTS, IMAGES_RIGHTS, SYSTEM_RIGHTS, SCRIPT_RIGHTS,
  DEVICE_ROM, fdMount, fdPreopen, fdFromHandle,
} from "../lib/index";

/** The ROM is at most this many words (a sanity bound: real ones are a few hundred). */
const ROM_MAX_WORDS = 1 << 20;
/** How long to wait on one window of children when there are more than WAIT_MANY_MAX. */
const ROTATE_US = 50000;

function log(text: string): void {
  debugLog("init: " + text);
}

function die(text: string): void {
  log(text);
  processExit(1);
}

// ---- the ROM ----

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
function readRom(): StaticArray<u32> | null {
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
  for (let i = 0; i < count; i++) {
    const w = devRead(rom, i + 1); // register i + 1 holds word i
    if (w < 0) {
      log("bad boot ROM: word " + i.toString() + " of " + count.toString() + ": " + errorName(<i32>w));
      return null;
    }
    words[i] = <u32>w;
  }
  return words;
}

class Program {
  image: i32 = 0;
  priority: i32 = 0;
  quota: i32 = 0;
  name: string = "";
  args: Uint8Array = new Uint8Array(0);
  capKinds: Array<u32> = [];
  capArgs: Array<u32> = [];
}

/** Everything the ROM says, decoded before anything is started. */
class Manifest {
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

/** Decode the ROM; null (after logging why) when it is not a valid version-1 ROM. */
function decode(words: StaticArray<u32>): Manifest | null {
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
    m.programs.push(p);
  }
  if (r.truncated) {
    log("bad boot ROM: truncated at word " + r.at.toString() + " of " + words.length.toString());
    return null;
  }
  // The optional trailer: the start-up script, a string. Older ROMs end here.
  if (r.at < words.length) {
    const at = r.at;
    const script = r.bytes();
    if (r.truncated) log("bad boot ROM: the start-up script at word " + at.toString() + " is truncated; booting without it");
    else m.script = script;
  }
  return m;
}

// ---- granting ----

let self: Handle = 0;
/** Per service: the server end (0 once moved to its server) and the client end init keeps. */
const serverEnds = new Array<Handle>();
const clientEnds = new Array<Handle>();
let images: Handle = 0;
/** The start-up script's memory object (0: the ROM has none, or it could not be made). */
let script: Handle = 0;

/** Init's own handle with a tag (a device or IRQ), taken at most once: such handles are moved. */
function takeBootHandle(tag: i32): Handle {
  const s = startup();
  for (let i = 0; i < s.tags.length; i++) {
    if (s.tags[i] == tag && s.handles[i] > 0) {
      const h = s.handles[i];
      s.handles[i] = 0;
      return h;
    }
  }
  return 0;
}

/** Create the services' channels and the image table. */
function createObjects(m: Manifest): bool {
  for (let i = 0; i < m.services.length; i++) {
    const pair = channelCreate();
    if (pair.error < 0) {
      log("cannot create service " + m.services[i] + ": " + errorName(pair.error));
      return false;
    }
    serverEnds.push(pair.a);
    clientEnds.push(pair.b);
  }
  for (let i = 0; i < m.mountPaths.length; i++) {
    const path = m.mountPaths[i] < <u32>m.paths.length ? m.paths[m.mountPaths[i]] : "";
    const svc = <i32>m.mountServices[i];
    const h = svc < clientEnds.length ? handleDuplicate(clientEnds[svc], CLIENT_RIGHTS) : -1;
    const r = h < 0 ? h : fdMount(self, path, h);
    if (r < 0) log("cannot mount " + path + ": " + errorName(r));
  }
  const bytes = m.imageWords.length * 4;
  images = memobjCreate(bytes);
  if (images < 0) {
    log("cannot create the image table: " + errorName(images));
    return false;
  }
  const r = memobjWrite(images, 0, changetype<usize>(m.imageWords), bytes);
  if (r < 0) {
    log("cannot fill the image table: " + errorName(r));
    return false;
  }
  if (m.script.length > 0) createScript(m.script);
  return true;
}

/** The start-up script as a memory object; on failure the system boots without it (logged). */
function createScript(text: Uint8Array): void {
  const h = memobjCreate(text.length);
  if (h < 0) {
    log("cannot create the start-up script: " + errorName(h) + "; booting without it");
    return;
  }
  const r = memobjWrite(h, 0, text.dataStart, text.length);
  if (r < 0) {
    log("cannot fill the start-up script: " + errorName(r) + "; booting without it");
    handleClose(h);
    return;
  }
  script = h;
}

/** Fds init holds to give away: a stream per service (stdio), a directory per path (preopen); -1 until made. */
const streams = new Array<i32>();
const preopens = new Array<i32>();
/** The fd number the next preopen of the program being started gets. */
let nextPreopen = 3;

/** Init's fd in `cache` at index i, made by make() on first use. */
function cachedFd(cache: Array<i32>, i: i32, make: (i: i32) => i32): i32 {
  while (cache.length <= i) cache.push(-1);
  if (cache[i] < 0) cache[i] = make(i);
  return cache[i];
}

let manifest = new Manifest();

function makeStream(i: i32): i32 {
  const h = handleDuplicate(clientEnds[i], CLIENT_RIGHTS);
  return h < 0 ? h : fdFromHandle(h);
}

function makePreopen(i: i32): i32 {
  return fdPreopen(self, manifest.paths[i]);
}

/** Add one capability to d; returns an error text, or "" when granted. */
function grant(d: SpawnDesc, kind: u32, arg: u32, m: Manifest): string {
  const a = <i32>arg;
  switch (kind) {
    case CAP_DEVICE:
    case CAP_IRQ: {
      const tag = (kind == CAP_DEVICE ? TAG_DEVICE_BASE : TAG_IRQ_BASE) + a;
      const h = takeBootHandle(tag);
      if (h <= 0) return (kind == CAP_DEVICE ? "device " : "irq ") + a.toString() + " is missing or already given";
      d.give(h, tag);
      return "";
    }
    case CAP_SERVE: {
      if (a < 0 || a >= serverEnds.length || serverEnds[a] == 0) return "service " + a.toString() + " cannot be served twice";
      d.give(serverEnds[a], TAG_SERVICE);
      serverEnds[a] = 0;
      return "";
    }
    case CAP_CONNECT: {
      if (a < 0 || a >= clientEnds.length) return "no service " + a.toString();
      const h = handleDuplicate(clientEnds[a], CLIENT_RIGHTS);
      if (h < 0) return "connect: " + errorName(h);
      d.give(h, m.services[a] == CONSOLE_SERVICE ? TAG_CONSOLE : TAG_PEER);
      return "";
    }
    case CAP_SPAWN:
      d.selfRights = a;
      return "";
    case CAP_INSPECT: {
      const h = handleDuplicate(self, SYSTEM_RIGHTS);
      if (h < 0) return "inspect: " + errorName(h);
      d.give(h, TAG_SYSTEM);
      return "";
    }
    case CAP_IMAGES: {
      const h = handleDuplicate(images, IMAGES_RIGHTS);
      if (h < 0) return "images: " + errorName(h);
      d.give(h, TAG_IMAGES);
      return "";
    }
    case CAP_SCRIPT: {
      if (script <= 0) return ""; // no script in the ROM: nothing to give, and nothing wrong
      const h = handleDuplicate(script, SCRIPT_RIGHTS);
      if (h < 0) return "script: " + errorName(h);
      d.give(h, TAG_SCRIPT);
      return "";
    }
    case CAP_STDIO: {
      if (a < 0 || a >= clientEnds.length) return "no service " + a.toString();
      const fd = cachedFd(streams, a, makeStream);
      if (fd < 0) return "stdio: " + errorName(fd);
      for (let n = 0; n < 3; n++) d.giveFd(n, fd);
      return "";
    }
    case CAP_PREOPEN: {
      if (a < 0 || a >= m.paths.length) return "no path " + a.toString();
      const fd = cachedFd(preopens, a, makePreopen);
      if (fd < 0) return "preopen " + m.paths[a] + ": " + errorName(fd);
      d.giveFd(nextPreopen++, fd);
      return "";
    }
    default:
      return "unknown capability kind " + kind.toString();
  }
}

/** Start one program as init's child; returns its process handle or an error. */
function start(p: Program, m: Manifest): Handle {
  const d = new SpawnDesc();
  d.image = p.image;
  d.priority = p.priority;
  d.quotaPages = p.quota;
  d.name = p.name;
  d.args.str(p.name); // argument 0: the program's own name, then the manifest's arguments
  if (p.args.length > 0) d.args.byte(0).raw(p.args.dataStart, p.args.length);
  nextPreopen = 3;
  for (let i = 0; i < p.capKinds.length; i++) {
    const problem = grant(d, p.capKinds[i], p.capArgs[i], m);
    if (problem.length > 0) log(p.name + ": " + problem + " (not granted)");
  }
  const h = processSpawn(self, d);
  if (h < 0) {
    log("cannot start " + p.name + ": " + errorName(h));
    // The handles stayed with us. Moved ones (devices, server ends) are lost to
    // this boot; duplicates are simply closed.
    d.closeHandles();
  }
  return h;
}

// ---- waiting ----

/** Log how a child ended and forget it; returns its exit code (1 when it was killed, faulted or is unknown). */
function reap(h: Handle, name: string): i32 {
  const info = new ProcessInfo();
  const r = processInfo(h, info);
  log(name + " exited with " + (r == 0 ? info.exitCode.toString() : errorName(r)));
  handleClose(h);
  return r == 0 && info.exitCode >= 0 ? info.exitCode : 1;
}

/** Wait for children to end, forever. With more than WAIT_MANY_MAX children, windows of them take turns. */
function waitForChildren(children: Array<Handle>, names: Array<string>, sessions: Array<bool>): void {
  let sessionsLeft = 0;
  for (let i = 0; i < sessions.length; i++) if (sessions[i]) sessionsLeft++;
  const set = new WaitSet();
  let first = 0;
  while (children.length > 0) {
    if (first >= children.length) first = 0;
    set.clear();
    const n = min(children.length - first, WAIT_MANY_MAX);
    for (let i = 0; i < n; i++) set.add(children[first + i], SIG_TERMINATED);
    const all = n == children.length;
    const r = set.wait(all ? -1 : ROTATE_US);
    if (r == ERR_TIMED_OUT) {
      first += n;
      continue;
    }
    if (r < 0) die("wait: " + errorName(r));
    // Reap every child of this window that has ended, from the back so indexes stay valid.
    for (let i = n - 1; i >= 0; i--) {
      if (set.saw(i, SIG_TERMINATED)) {
        const code = reap(children[first + i], names[first + i]);
        const wasSession = sessions[first + i];
        children.splice(first + i, 1);
        names.splice(first + i, 1);
        sessions.splice(first + i, 1);
        // The session (the program that may start others: the shell) is what the
        // machine is for; when the last one ends, init ends, and the HAL stops.
        if (wasSession && --sessionsLeft == 0) {
          log("the session ended: the system stops");
          processExit(code);
        }
      }
    }
  }
  log("every program has ended");
  objectWait(self, SIG_TERMINATED); // init stays: waits for its own end, which never comes
}

export function _start(): void {
  self = startup().handle(TAG_SELF);
  if (self <= 0) die("no SELF handle");
  const words = readRom();
  if (words === null) {
    processExit(1);
    return;
  }
  const m = decode(words);
  if (m === null) {
    processExit(1);
    return;
  }
  manifest = m;
  if (!createObjects(m)) processExit(1);

  const children = new Array<Handle>();
  const names = new Array<string>();
  const sessions = new Array<bool>();
  for (let i = 0; i < m.programs.length; i++) {
    const p = m.programs[i];
    const h = start(p, m);
    if (h > 0) {
      children.push(h);
      names.push(p.name);
      sessions.push(p.capKinds.includes(CAP_SPAWN));
    }
  }
  handleClose(images); // the children hold their duplicates; init no longer needs it
  if (script > 0) handleClose(script);
  waitForChildren(children, names, sessions);
}
