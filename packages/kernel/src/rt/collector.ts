// The kernel's garbage collector: an incremental tri-colour mark and sweep
// whose every step is paid for by what it does, so that no kernel entry
// collects more than a fixed budget for each kilobyte it allocates.
//
// AssemblyScript's own incremental collector charges a marking step only for
// the objects it newly reaches. An object whose references were all reached
// already costs nothing, so when many objects point at the same few (40,000
// handles in flight naming one notification, each beside its siblings) one
// allocation scanned every live object at once: 35,757 objects, 1.2 ms, in
// one HANDLE_DUPLICATE. Here a step costs one for the object it scans plus one
// for every reference it examines, null or not, and the budget per interrupt
// is fixed, so an entry's collecting is bounded by the bytes it allocates
// (which the ABI's limits bound). The objects one step scans are bounded by
// the largest single object the kernel keeps; docs/kernel.md says which.
//
// The design (Dijkstra's incremental update):
// - every managed object is a cell on exactly one of five circular lists:
//   white (not yet reached this cycle; every object between cycles), grey
//   (reached, its references not yet scanned), black (scanned), pinned, and
//   the garbage of the last cycle being swept;
// - a cycle starts when the bytes allocated pass a threshold: the roots (the
//   globals and the pinned cells) are shaded grey; each marking step scans one
//   grey cell and shades the white cells it names; an object with no
//   references is black as soon as it is reached;
// - a store of a white object into a black one (`__link`, which the compiler
//   emits for every managed store) shades the stored object, so a black cell
//   never names a white one; new cells are white, so they live only if they
//   are reached;
// - when no grey cell is left, the roots are shaded again (globals are stored
//   without a barrier); if nothing new turned grey, the shadow stack is
//   scanned and what it reaches is marked in the same step, and the white
//   list is the garbage: the lists are swapped, white and black trade
//   colours, and each sweeping step frees one garbage cell;
// - memory comes from the runtime's TLSF allocator (`~lib/rt/tlsf`), and
//   cells keep the object header the compiler expects (block info, two words
//   of collector information, the runtime type id and size). Static objects
//   (below __heap_base) are cells too, but sweeping only unlinks them.

import { BLOCK, BLOCK_OVERHEAD, OBJECT_OVERHEAD, OBJECT_MAXSIZE, TOTAL_OVERHEAD } from '~lib/rt/common';
import { TypeinfoFlags } from '~lib/shared/typeinfo';

/** An object's header as the collector sees it: its list link (colour in the low two bits), the previous cell, type and size. */
@unmanaged class Cell extends BLOCK {
  link: usize;
  prev: Cell;
  rtId: u32;
  rtSize: u32;
}

const GREY: i32 = 2;
const PINNED: i32 = 3;
const COLOUR: usize = 3;

/** Work units per interrupt, and how many bytes may be allocated between interrupts while a cycle runs. */
const BUDGET: isize = 2048;
const GRANULARITY: usize = 1024;
/** Freeing one cell costs this much (TLSF's free merges neighbours). */
const SWEEP_COST: isize = 10;

const IDLE: i32 = 0;
const MARK: i32 = 1;
const SWEEP: i32 = 2;

// @ts-ignore: decorator
@lazy let white: i32 = 0;
// @ts-ignore: decorator
@lazy let state: i32 = IDLE;
/** Bytes of heap cells alive or not yet swept, and the total at which the next interrupt comes. */
// @ts-ignore: decorator
@lazy let total: usize = 0;
// @ts-ignore: decorator
@lazy let threshold: usize = ((<usize>memory.size() << 16) - __heap_base) >> 1;
/** References examined since the counter was last reset (a step's cost). */
// @ts-ignore: decorator
@lazy let examined: isize = 0;
/** Work done since gcEntryBegin() — cells scanned, references examined, cells freed — and the most one kernel entry has done. */
// @ts-ignore: decorator
@lazy let entryWork: isize = 0;
// @ts-ignore: decorator
@lazy let entryWorkMax: isize = 0;

/** An empty list: its head cell (static memory, one block per list: each memory.data() call site is its own) links to itself. */
function emptyList(at: usize): Cell {
  const head = changetype<Cell>(at);
  head.link = changetype<usize>(head);
  head.prev = head;
  return head;
}

// @ts-ignore: decorator
@lazy let whites: Cell = emptyList(memory.data(offsetof<Cell>()));
// @ts-ignore: decorator
@lazy let greys: Cell = emptyList(memory.data(offsetof<Cell>()));
// @ts-ignore: decorator
@lazy let blacks: Cell = emptyList(memory.data(offsetof<Cell>()));
// @ts-ignore: decorator
@lazy let pins: Cell = emptyList(memory.data(offsetof<Cell>()));
// @ts-ignore: decorator
@lazy let garbage: Cell = emptyList(memory.data(offsetof<Cell>()));

function nextOf(c: Cell): Cell {
  return changetype<Cell>(c.link & ~COLOUR);
}

function colourOf(c: Cell): i32 {
  return <i32>(c.link & COLOUR);
}

/** White: not reached in this cycle (a static cell that was never linked counts as white). */
function isWhite(c: Cell): bool {
  return c.link == 0 || colourOf(c) == white;
}

function unlink(c: Cell): void {
  if (c.link == 0) return; // a static cell not on any list
  const next = nextOf(c);
  const prev = c.prev;
  next.prev = prev;
  prev.link = changetype<usize>(next) | (prev.link & COLOUR);
}

/** Put c at the end of `list` with `colour`. */
function append(list: Cell, c: Cell, colour: i32): void {
  const last = list.prev;
  c.link = changetype<usize>(list) | <usize>colour;
  c.prev = last;
  last.link = changetype<usize>(c) | (last.link & COLOUR);
  list.prev = c;
}

function cellOf(ptr: usize): Cell {
  return changetype<Cell>(ptr - TOTAL_OVERHEAD);
}

function hasNoReferences(c: Cell): bool {
  const id = c.rtId;
  return id <= idof<string>() || (__typeinfo(id) & TypeinfoFlags.POINTERFREE) != 0;
}

/** A white cell was reached: grey, or black at once when it holds no references. */
function shade(c: Cell): void {
  unlink(c);
  if (hasNoReferences(c)) append(blacks, c, white ^ 1);
  else append(greys, c, GREY);
}

/** Scan c: it becomes black and the white cells it names turn grey. */
function scan(c: Cell): void {
  entryWork++;
  unlink(c);
  append(blacks, c, white ^ 1);
  __visit_members(changetype<usize>(c) + TOTAL_OVERHEAD, 0);
}

/** Shade what the globals and the pinned cells name. */
function shadeRoots(): void {
  __visit_globals(0);
  for (let c = nextOf(pins); c != pins; c = nextOf(c)) {
    examined++;
    entryWork++;
    __visit_members(changetype<usize>(c) + TOTAL_OVERHEAD, 0);
  }
}

/** Shade what the shadow stack names (the live locals of the functions running now). */
function shadeStack(): void {
  for (let p = __stack_pointer; p < __heap_base; p += sizeof<usize>()) __visit(load<usize>(p), 0);
}

function release(c: Cell): void {
  entryWork++;
  if (changetype<usize>(c) < __heap_base) {
    c.link = 0; // static data: never freed, may be linked again
    c.prev = changetype<Cell>(0);
    return;
  }
  total -= BLOCK_OVERHEAD + (c.mmInfo & ~3);
  __free(changetype<usize>(c) + BLOCK_OVERHEAD);
}

/** The end of marking: the white cells are garbage, and black is the new white. */
function flip(): void {
  const swept = garbage;
  garbage = whites;
  whites = blacks;
  blacks = swept;
  white ^= 1;
  state = SWEEP;
}

/** One step of the current phase; returns its cost in work units. */
function step(): isize {
  examined = 0;
  if (state == IDLE) {
    state = MARK;
    shadeRoots();
    return 1 + examined;
  }
  if (state == MARK) {
    const c = nextOf(greys);
    if (c != greys) {
      scan(c);
      return 1 + examined;
    }
    shadeRoots();
    if (nextOf(greys) != greys) return 1 + examined;
    // Nothing left but what the running functions' locals reach: mark it now, before the stack can change.
    shadeStack();
    for (let g = nextOf(greys); g != greys; g = nextOf(greys)) scan(g);
    flip();
    return 1 + examined;
  }
  const c = nextOf(garbage);
  if (c != garbage) {
    unlink(c);
    release(c);
    return SWEEP_COST;
  }
  state = IDLE;
  return 0;
}

/** Collect for one budget, while allocating; set when to come back. */
function interrupt(): void {
  let budget = BUDGET;
  do {
    budget -= step();
    if (state == IDLE) {
      threshold = total * 2 + GRANULARITY; // wait until the heap has doubled
      break;
    }
  } while (budget > 0);
  if (state != IDLE) {
    // Behind by more than a granule (a large allocation): come back at the next allocation.
    const behind = <isize>total - <isize>threshold >= <isize>GRANULARITY;
    threshold = behind ? total : total + GRANULARITY;
  }
  if (entryWork > entryWorkMax) entryWorkMax = entryWork;
}

// The runtime interface the compiler calls.

// @ts-ignore: decorator
@global @unsafe
export function __new(size: usize, id: i32): usize {
  assert(size < OBJECT_MAXSIZE, 'allocation too large');
  if (total >= threshold) interrupt();
  const c = changetype<Cell>(__alloc(OBJECT_OVERHEAD + size) - BLOCK_OVERHEAD);
  c.rtId = id;
  c.rtSize = <u32>size;
  append(whites, c, white);
  total += BLOCK_OVERHEAD + (c.mmInfo & ~3);
  const ptr = changetype<usize>(c) + TOTAL_OVERHEAD;
  memory.fill(ptr, 0, size); // a step may scan it before it is initialized
  return ptr;
}

// @ts-ignore: decorator
@global @unsafe
export function __renew(oldPtr: usize, size: usize): usize {
  const old = cellOf(oldPtr);
  if (size <= (old.mmInfo & ~3) - OBJECT_OVERHEAD) {
    old.rtSize = <u32>size;
    return oldPtr;
  }
  // A new cell: the old one may still be named by the shadow stack, so it is left to the collector.
  const ptr = __new(size, old.rtId);
  memory.copy(ptr, oldPtr, min(size, <usize>old.rtSize));
  return ptr;
}

// @ts-ignore: decorator
@global @unsafe
export function __link(parentPtr: usize, childPtr: usize, expectMultiple: bool): void {
  if (childPtr == 0 || state != MARK) return; // only marking has black cells
  const child = cellOf(childPtr);
  if (!isWhite(child)) return;
  const parent = cellOf(parentPtr);
  if (parent.link == 0) return; // a static cell not reached yet: it will be scanned when it is
  const colour = colourOf(parent);
  if (colour == (white ^ 1) || colour == PINNED) shade(child);
}

// @ts-ignore: decorator
@global @unsafe
export function __visit(ptr: usize, cookie: i32): void {
  examined++;
  entryWork++;
  if (ptr == 0) return;
  const c = cellOf(ptr);
  if (isWhite(c)) shade(c);
}

// @ts-ignore: decorator
@global @unsafe
export function __pin(ptr: usize): usize {
  if (ptr == 0) return ptr;
  const c = cellOf(ptr);
  assert(c.link == 0 || colourOf(c) != PINNED, 'object already pinned');
  unlink(c);
  append(pins, c, PINNED);
  return ptr;
}

// @ts-ignore: decorator
@global @unsafe
export function __unpin(ptr: usize): void {
  if (ptr == 0) return;
  const c = cellOf(ptr);
  assert(c.link != 0 && colourOf(c) == PINNED, 'object not pinned');
  unlink(c);
  // While marking it may be named only by the stack: grey, so it is scanned.
  if (state == MARK) append(greys, c, GREY);
  else append(whites, c, white);
}

// @ts-ignore: decorator
@global @unsafe
export function __collect(): void {
  while (state != IDLE) step();
  step();
  while (state != IDLE) step();
  threshold = total * 2 + GRANULARITY;
}

/** A kernel entry begins: count the collector's work in it from zero. */
export function gcEntryBegin(): void {
  entryWork = 0;
}

/** The most work (cells scanned, references examined, cells freed) the collector has done inside one kernel entry since boot. */
export function gcEntryWorkMax(): i32 {
  return <i32>min<isize>(entryWorkMax, i32.MAX_VALUE);
}
