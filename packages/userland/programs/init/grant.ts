// What init hands a program: exactly the capabilities its manifest entry
// lists, every time it starts it — the first time and after each restart.
//
// So that a restarted program gets the same capabilities, init keeps the
// original of everything it grants and gives duplicates: the device and
// interrupt handles the kernel gave it at boot, the server end of each
// service's channel, the client ends, the image table, the start-up script,
// the stdio and preopen fds, and each program's kept memory. Keeping the
// server end is what keeps a service's name bound across a restart: its
// channel, with every client's handle and every request still queued on
// it, outlives the server process and is served by the next instance (the
// kernel fails at once the calls the dead one had taken: docs/kernel.md). A
// device, an interrupt line or a service still belongs to one program only —
// the first entry that asks; another is refused, as the manifest checker
// refuses it before boot.
//
// Kept memory ({"keep": PAGES}) is state that outlives the process: init
// creates each such memory object at the program's first start, charged to
// itself, and gives every instance a duplicate (TAG_KEEP), so what one
// instance wrote there the next finds again (ramfs keeps its files so). It
// goes only when init gives up on the program.

import {
  MEMOBJ_MAX_BYTES, PAGE_SIZE, ERR_OUT_OF_RANGE, TAG_DEVICE_BASE, TAG_IRQ_BASE, TAG_SERVICE, TAG_CONSOLE, TAG_PEER,
  TAG_SYSTEM, TAG_IMAGES, TAG_SCRIPT, TAG_KEEP,
} from "../../../abi/assembly/index";
import {
  Handle, startup, debugLog, errorName, SpawnDesc, channelCreate, memobjCreate, memobjWrite, handleDuplicate,
  handleClose, handleInfo, HandleInfo, CAP_DEVICE, CAP_IRQ, CAP_SERVE, CAP_CONNECT, CAP_SPAWN, CAP_INSPECT,
  CAP_IMAGES, CAP_SCRIPT, CAP_STDIO, CAP_PREOPEN, CONSOLE_SERVICE, CLIENT_RIGHTS, IMAGES_RIGHTS, SYSTEM_RIGHTS,
  SCRIPT_RIGHTS, fdMount, fdPreopen, fdFromHandle, CAP_KEEP, KEEP_RIGHTS,
} from "../../lib/index";
import { Manifest, Program } from "./rom";

function log(text: string): void {
  debugLog("init: " + text);
}

/** A duplicate of h with every right h has (a negative error when that fails). */
function sameAs(h: Handle): Handle {
  const info = new HandleInfo();
  const r = handleInfo(h, info);
  return r < 0 ? r : handleDuplicate(h, info.rights);
}

/** Everything init keeps in order to grant, and to grant again after a restart. */
export class Grants {
  self: Handle;
  m: Manifest;
  /** Per service: the server end and the client end init keeps, and the entry that serves it (-1: none yet). */
  serverEnds: Array<Handle> = [];
  clientEnds: Array<Handle> = [];
  servedBy: Array<i32> = [];
  /** Boot handles (devices, interrupt lines) by tag, and the entry each belongs to. */
  bootTags: Array<i32> = [];
  bootHandles: Array<Handle> = [];
  bootOwners: Array<i32> = [];
  images: Handle = 0;
  /** The start-up script's memory object (0: the ROM has none, or it could not be made). */
  script: Handle = 0;
  /** Fds init holds to give away: a stream per service (stdio), a directory per path (preopen); -1 until made. */
  streams: Array<i32> = [];
  preopens: Array<i32> = [];
  /** The fd number the next preopen of the program being started gets. */
  nextPreopen: i32 = 3;
  /** Kept memory: per entry, per {"keep"} capability in order, init's handle (0: not made yet, negative: could not be). */
  kept: Map<i32, Array<Handle>> = new Map();
  /** Which {"keep"} capability of the program being described comes next. */
  private nextKeep: i32 = 0;

  constructor(self: Handle, m: Manifest) {
    this.self = self;
    this.m = m;
    const s = startup();
    for (let i = 0; i < s.tags.length; i++) {
      const tag = s.tags[i];
      if (tag >= TAG_DEVICE_BASE && tag < TAG_IRQ_BASE + 0x100) {
        this.bootTags.push(tag);
        this.bootHandles.push(s.handles[i]);
        this.bootOwners.push(-1);
      }
    }
  }

  /** Create the services' channels, mount the filesystems, fill the image table and the script. */
  createObjects(): bool {
    const m = this.m;
    for (let i = 0; i < m.services.length; i++) {
      const pair = channelCreate();
      if (pair.error < 0) {
        log("cannot create service " + m.services[i] + ": " + errorName(pair.error));
        return false;
      }
      this.serverEnds.push(pair.a);
      this.clientEnds.push(pair.b);
      this.servedBy.push(-1);
    }
    for (let i = 0; i < m.mountPaths.length; i++) {
      const path = m.mountPaths[i] < <u32>m.paths.length ? m.paths[m.mountPaths[i]] : "";
      const svc = <i32>m.mountServices[i];
      const h = svc < this.clientEnds.length ? handleDuplicate(this.clientEnds[svc], CLIENT_RIGHTS) : -1;
      const r = h < 0 ? h : fdMount(this.self, path, h);
      if (r < 0) log("cannot mount " + path + ": " + errorName(r));
    }
    const bytes = m.imageWords.length * 4;
    this.images = memobjCreate(bytes);
    if (this.images < 0) {
      log("cannot create the image table: " + errorName(this.images));
      return false;
    }
    const r = memobjWrite(this.images, 0, changetype<usize>(m.imageWords), bytes);
    if (r < 0) {
      log("cannot fill the image table: " + errorName(r));
      return false;
    }
    if (m.script.length > 0) this.createScript(m.script);
    return true;
  }

  /** The start-up script as a memory object; on failure the system boots without it (logged). */
  private createScript(text: Uint8Array): void {
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
    this.script = h;
  }

  /**
   * The spawn description of program `entry` with every capability it lists
   * (problems are logged, and that capability is not granted). The caller
   * sets the generation and spawns.
   */
  describe(p: Program, entry: i32): SpawnDesc {
    const d = new SpawnDesc();
    d.image = p.image;
    d.priority = p.priority;
    d.quotaPages = p.quota;
    d.name = p.name;
    d.args.str(p.name); // argument 0: the program's own name, then the manifest's arguments
    if (p.args.length > 0) d.args.byte(0).raw(p.args.dataStart, p.args.length);
    this.nextPreopen = 3;
    this.nextKeep = 0;
    for (let i = 0; i < p.capKinds.length; i++) {
      const problem = this.grant(d, p.capKinds[i], p.capArgs[i], entry);
      if (problem.length > 0) log(p.name + ": " + problem + " (not granted)");
    }
    return d;
  }

  /** The services entry serves (its {"serve": …} capabilities). */
  servicesOf(entry: i32): Array<i32> {
    const out = new Array<i32>();
    for (let i = 0; i < this.servedBy.length; i++) if (this.servedBy[i] == entry) out.push(i);
    return out;
  }

  /** The program at entry has ended for good: its kept memory goes (nothing will read it again). */
  dropKept(entry: i32): void {
    if (!this.kept.has(entry)) return;
    const hs = this.kept.get(entry);
    for (let i = 0; i < hs.length; i++) if (hs[i] > 0) handleClose(hs[i]);
    this.kept.delete(entry);
  }

  /** Give up service i for good: its channel closes, so its clients see PEER_CLOSED instead of waiting. */
  closeService(i: i32): void {
    if (this.serverEnds[i] > 0) handleClose(this.serverEnds[i]);
    this.serverEnds[i] = 0;
  }

  /** A duplicate of the boot handle with this tag, which belongs to entry from now on; 0 when it is missing or another's. */
  private bootHandle(tag: i32, entry: i32): Handle {
    for (let i = 0; i < this.bootTags.length; i++) {
      if (this.bootTags[i] != tag) continue;
      if (this.bootOwners[i] >= 0 && this.bootOwners[i] != entry) return 0;
      const h = sameAs(this.bootHandles[i]);
      if (h <= 0) return 0;
      this.bootOwners[i] = entry;
      return h;
    }
    return 0;
  }

  /** Add one capability to d; returns an error text, or "" when granted. */
  private grant(d: SpawnDesc, kind: u32, arg: u32, entry: i32): string {
    const a = <i32>arg;
    const m = this.m;
    switch (kind) {
      case CAP_DEVICE:
      case CAP_IRQ: {
        const tag = (kind == CAP_DEVICE ? TAG_DEVICE_BASE : TAG_IRQ_BASE) + a;
        const h = this.bootHandle(tag, entry);
        if (h <= 0) return (kind == CAP_DEVICE ? "device " : "irq ") + a.toString() + " is missing or already given";
        d.give(h, tag);
        return "";
      }
      case CAP_SERVE: {
        if (a < 0 || a >= this.serverEnds.length || this.serverEnds[a] == 0) return "no service " + a.toString();
        if (this.servedBy[a] >= 0 && this.servedBy[a] != entry) return "service " + a.toString() + " cannot be served twice";
        const h = sameAs(this.serverEnds[a]);
        if (h < 0) return "serve: " + errorName(h);
        this.servedBy[a] = entry;
        d.give(h, TAG_SERVICE);
        return "";
      }
      case CAP_CONNECT: {
        if (a < 0 || a >= this.clientEnds.length) return "no service " + a.toString();
        const h = handleDuplicate(this.clientEnds[a], CLIENT_RIGHTS);
        if (h < 0) return "connect: " + errorName(h);
        d.give(h, m.services[a] == CONSOLE_SERVICE ? TAG_CONSOLE : TAG_PEER);
        return "";
      }
      case CAP_SPAWN:
        d.selfRights = a;
        return "";
      case CAP_INSPECT: {
        const h = handleDuplicate(this.self, SYSTEM_RIGHTS);
        if (h < 0) return "inspect: " + errorName(h);
        d.give(h, TAG_SYSTEM);
        return "";
      }
      case CAP_IMAGES: {
        const h = handleDuplicate(this.images, IMAGES_RIGHTS);
        if (h < 0) return "images: " + errorName(h);
        d.give(h, TAG_IMAGES);
        return "";
      }
      case CAP_SCRIPT: {
        if (this.script <= 0) return ""; // no script in the ROM: nothing to give, and nothing wrong
        const h = handleDuplicate(this.script, SCRIPT_RIGHTS);
        if (h < 0) return "script: " + errorName(h);
        d.give(h, TAG_SCRIPT);
        return "";
      }
      case CAP_STDIO: {
        if (a < 0 || a >= this.clientEnds.length) return "no service " + a.toString();
        const fd = this.cachedFd(this.streams, a, true);
        if (fd < 0) return "stdio: " + errorName(fd);
        for (let n = 0; n < 3; n++) d.giveFd(n, fd);
        return "";
      }
      case CAP_PREOPEN: {
        if (a < 0 || a >= m.paths.length) return "no path " + a.toString();
        const fd = this.cachedFd(this.preopens, a, false);
        if (fd < 0) return "preopen " + m.paths[a] + ": " + errorName(fd);
        d.giveFd(this.nextPreopen++, fd);
        return "";
      }
      case CAP_KEEP: {
        const h = this.keptMemory(entry, this.nextKeep++, a);
        if (h < 0) return "keep " + a.toString() + " pages: " + errorName(h) + "; what it keeps will not outlive it";
        const dup = handleDuplicate(h, KEEP_RIGHTS);
        if (dup < 0) return "keep: " + errorName(dup);
        d.give(dup, TAG_KEEP);
        return "";
      }
      default:
        return "unknown capability kind " + kind.toString();
    }
  }

  /** Init's handle to the i-th kept memory object of entry, made (pages long) the first time it is asked for. */
  private keptMemory(entry: i32, i: i32, pages: i32): Handle {
    if (!this.kept.has(entry)) this.kept.set(entry, new Array<Handle>());
    const hs = this.kept.get(entry);
    while (hs.length <= i) hs.push(0);
    if (hs[i] == 0) hs[i] = pages > 0 && pages <= MEMOBJ_MAX_BYTES / PAGE_SIZE ? memobjCreate(pages * PAGE_SIZE) : ERR_OUT_OF_RANGE;
    return hs[i];
  }

  /** Init's fd in `cache` at index i, made on first use: a stream on service i, or a preopen of path i. */
  private cachedFd(cache: Array<i32>, i: i32, stream: bool): i32 {
    while (cache.length <= i) cache.push(-1);
    if (cache[i] < 0) {
      if (stream) {
        const h = handleDuplicate(this.clientEnds[i], CLIENT_RIGHTS);
        cache[i] = h < 0 ? h : fdFromHandle(h);
      } else {
        cache[i] = fdPreopen(this.self, this.m.paths[i]);
      }
    }
    return cache[i];
  }
}
