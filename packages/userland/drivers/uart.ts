// uart: the console driver — a user process that owns the 16550 UART.
//
// It holds exactly three capabilities from init: the UART's register window
// (DEVICE_BASE + 0), its interrupt line (IRQ_BASE + 0) and the server end of
// the console channel (SERVICE) — and, when its manifest entry asks for one,
// a heartbeat channel (HEARTBEAT), whose pings it echoes from the same loop.
// Everything is one event loop over OBJECT_WAIT_MANY on these objects:
//
//   notification bit 0 <- the UART interrupt (IRQ_BIND): drain the receiver
//                         (RBR while LSR bit 0) into the input buffer, then
//                         IRQ_ACK to unmask the line again
//   service endpoint    <- client requests (docs/userland.md, "The console
//                         service"): WRITE goes to THR byte by byte with
//                         "\n" -> "\r\n", 16 bytes (the transmit FIFO) for
//                         each "transmitter empty" seen in LSR; READ waits in a FIFO until input is
//                         there; INTERRUPT registers a notification bit
//
// The same channel speaks the vfs protocol (docs/vfs.md) for the kernel's
// vfs, which forwards the reads and writes of fds on the console (a C
// program's stdin and stdout): OPEN and STAT of the console itself (the empty
// path: it is mounted at /dev/console), WRITE and READ with the bytes moved by
// grant, FSTAT, CLOSE. A vfs READ waits in the same FIFO as a console READ.
//
// The terminal's size report, ESC [ 8 ; ROWS ; COLS t (what xterm answers to
// CSI 18 t; the playground's terminal sends it by itself whenever it is
// resized), is not input either: the driver keeps the size and answers SIZE
// with it, so programs (ps) can format to the terminal's width. A serial
// line that never reports leaves it unknown (0 × 0). To tell the report
// from typed keys, the driver holds an ESC and what follows it while they
// could still begin one; any other byte lets them through at once.
//
// Ctrl-C (0x03), once a client registered INTERRUPT, is not input: the driver
// sets that bit, drops the typed-ahead input (as a terminal does on an
// interrupt) and answers every pending READ with zero bytes, so a reader
// blocked in its call wakes up and can look at its notification.
//
// The driver may be a restarted instance (init restarts it by its policy):
// the channel, and the requests queued on it, are the ones its last instance
// served. So setting up leaves both FIFOs alone — bytes a client's write was
// acknowledged for may still be in the transmit FIFO, and typed bytes in the
// receive FIFO — and an acknowledged WRITE is answered only after its last
// byte went to the transmitter.

import {
  TAG_DEVICE_BASE, TAG_IRQ_BASE, TAG_SERVICE, MSG_MAX_BYTES, MSG_MAX_HANDLES, NOTIFY_BITS,
  SIG_READABLE, SIG_PEER_CLOSED, ERR_SHOULD_WAIT, ERR_PEER_CLOSED, VFS_REQUEST_SIZE,
  VFS_OPEN, VFS_CLOSE, VFS_READ, VFS_WRITE, VFS_STAT, VFS_FSTAT, VFS_SYNC, WASI_FILETYPE_CHARACTER_DEVICE,
  WASI_ENOENT, WASI_ENOSYS, WASI_EINVAL,
} from "../../abi/assembly/index";
import {
  Handle, startup, debugLog, errorName, processExit, notifyCreate, notifyWait, notifySignal, irqBind, irqAck,
  heartbeatHandle, answerHeartbeats,
  devRead, devWrite, channelRead, channelWrite, handleClose, Received, WaitSet, txidOf, DEVICE_UART,
  CONSOLE_WRITE, CONSOLE_READ, CONSOLE_INTERRUPT, CONSOLE_SIZE, CONSOLE_HEADER,
} from "../lib/index";
import { Request, Reply, grantCopy } from "../lib/vfs";

// 16550 registers (docs/userland.md, "Boot devices").
const RBR = 0; // receive buffer (read)
const THR = 0; // transmit holding (write)
const IER = 1; // interrupt enable
const FCR = 2; // FIFO control (write)
const LCR = 3; // line control
const MCR = 4; // modem control
const LSR = 5; // line status
const LSR_DATA_READY = 0x01;
const LSR_THR_EMPTY = 0x20;
const IER_RX = 0x01; // interrupt on received data
const FCR_ENABLE = 0x01; // FIFOs on, neither cleared (a restart keeps what a last instance left there), trigger at 1 byte
const LCR_8N1 = 0x03; // 8 data bits, no parity, 1 stop bit (and DLAB off)
const MCR_DTR_RTS_OUT2 = 0x0b; // OUT2 routes the UART interrupt to the PC's interrupt controller

const IRQ_BIT = 0; // the notification bit the interrupt sets
const CTRL_C: u8 = 0x03;
// Typed-ahead bytes kept; more are dropped (Ctrl-C still acts). Room for a pasted
// line longer than any command can be (STARTUP_MAX_ARGS), so the shell sees
// all of it and can say what is wrong.
const INPUT_SIZE = 16384;
const MAX_PENDING = 32; // READ calls waiting at once; more are answered at once with 0 bytes
const RX_BURST = 256; // bytes taken per interrupt before giving others a turn
const TX_SPIN = 100000; // LSR polls while waiting for the transmitter
const TX_FIFO = 16; // a 16550A's transmit FIFO: bytes that fit once LSR says it is empty

let dev: Handle = 0;
let irq: Handle = 0;
let svc: Handle = 0;
let notify: Handle = 0;

/** Input not yet read: a ring buffer, in static memory (part of the module's data, never a heap allocation). */
const input = memory.data(INPUT_SIZE);
let inHead = 0;
let inCount = 0;

/** READ calls waiting for input, oldest first (console READs and vfs READs alike). */
const pendingTxid = new Array<u32>();
const pendingMax = new Array<i32>();
const pendingVfs = new Array<bool>();

/** The open-file id of the console in vfs replies. */
const CONSOLE_FILE: u32 = 1;
const vfsReq = new Request();
const vfsReply = new Reply();
/** Output taken from a vfs WRITE grant before it goes to the transmitter. */
const staging = new ArrayBuffer(MSG_MAX_BYTES);

/** Where Ctrl-C goes once a client asked (0: deliver it as input). */
let intrNotify: Handle = 0;
let intrBit = 0;

const msg = new ArrayBuffer(MSG_MAX_BYTES);
const msgHandles = new StaticArray<u32>(MSG_MAX_HANDLES);
const reply = new ArrayBuffer(MSG_MAX_BYTES);
const got = new Received();

function fail(what: string, err: i32): void {
  debugLog("uart: " + what + ": " + errorName(err));
  processExit(1);
}

// ---- output ----

/** Bytes the transmit FIFO still takes since LSR last said it was empty. */
let txRoom = 0;

/** Send one byte once the transmitter has room: LSR is asked once per FIFO-full, not per byte. */
function putByte(b: u8): void {
  if (txRoom == 0) {
    for (let i = 0; i < TX_SPIN; i++) {
      const lsr = devRead(dev, LSR);
      if (lsr < 0 || (lsr & LSR_THR_EMPTY) != 0) break;
    }
    txRoom = TX_FIFO;
  }
  devWrite(dev, THR, b);
  txRoom--;
}

/** Send bytes, turning "\n" into "\r\n". */
function output(src: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    const b = load<u8>(src + i);
    if (b == 10) putByte(13);
    putByte(b);
  }
}

// ---- input ----

/** Answer a READ call: [txid][count][bytes] for the console protocol; bytes by grant for a vfs READ. */
function answerRead(txid: u32, maxBytes: i32, vfs: bool): void {
  const r = changetype<usize>(reply);
  const n = min(min(maxBytes, inCount), MSG_MAX_BYTES - CONSOLE_HEADER);
  for (let i = 0; i < n; i++) {
    store<u8>(r + CONSOLE_HEADER + i, load<u8>(input + <usize>((inHead + i) % INPUT_SIZE)));
  }
  inHead = (inHead + n) % INPUT_SIZE;
  inCount -= n;
  if (vfs) {
    // The caller may have gone meanwhile: then the grant fails and so does the reply, harmlessly.
    const copied = n > 0 ? grantCopy(svc, txid, 0, r + CONSOLE_HEADER, n) : 0;
    vfsReply.begin(txid, 0).value(copied > 0 ? <u32>copied : 0);
    channelWrite(svc, vfsReply.ptr, vfsReply.length);
    return;
  }
  store<u32>(r, txid);
  store<u32>(r + 4, <u32>n);
  channelWrite(svc, r, CONSOLE_HEADER + n);
}

/** Give buffered input to waiting readers, oldest first. */
function serveReaders(): void {
  while (inCount > 0 && pendingTxid.length > 0) {
    const txid = pendingTxid.shift();
    const maxBytes = pendingMax.shift();
    answerRead(txid, maxBytes, pendingVfs.shift());
  }
}

/** Ctrl-C: signal the registered bit, drop typed-ahead input, wake every reader with 0 bytes. */
function interrupt(): void {
  notifySignal(intrNotify, 1 << intrBit);
  inHead = 0;
  inCount = 0;
  while (pendingTxid.length > 0) {
    const txid = pendingTxid.shift();
    pendingMax.shift();
    answerRead(txid, 0, pendingVfs.shift());
  }
}

/** The terminal's size as it last reported it (0: never). */
let termCols: u32 = 0;
let termRows: u32 = 0;
/** Bytes of a possible size report held back from input: ESC [ 8 ; digits ; digits. */
const held = memory.data(16);
let heldLen = 0;
/** The numbers of the report being read, and which (0: rows, 1: columns). */
let reportNum: u32 = 0;
let reportRows: u32 = 0;
let reportField = 0;

/** Give the held bytes to input after all: they were not a size report. */
function releaseHeld(): void {
  const n = heldLen;
  heldLen = 0;
  for (let i = 0; i < n; i++) keep(load<u8>(held + <usize>i));
}

/** One more byte of a possible size report; returns false when it cannot be one (the caller releases). */
function sizeReport(b: u8): bool {
  const at = heldLen;
  let ok = false;
  if (at == 0) ok = b == 0x1b;
  else if (at == 1) ok = b == 0x5b; // [
  else if (at == 2) ok = b == 0x38; // 8
  else if (at == 3) ok = b == 0x3b; // ;
  else if (at < 15 && b >= 0x30 && b <= 0x39) {
    reportNum = reportNum * 10 + <u32>(b - 0x30);
    ok = reportNum < 100000;
  } else if (at < 15 && b == 0x3b && reportField == 0 && load<u8>(held + <usize>(at - 1)) != 0x3b) {
    reportRows = reportNum;
    reportNum = 0;
    reportField = 1;
    ok = true;
  } else if (b == 0x74 && reportField == 1 && load<u8>(held + <usize>(at - 1)) != 0x3b) { // t: the report is whole
    termRows = reportRows;
    termCols = reportNum;
    heldLen = 0;
    return true;
  }
  if (!ok) return false;
  if (at == 0) {
    reportNum = 0;
    reportRows = 0;
    reportField = 0;
  }
  store<u8>(held + <usize>at, b);
  heldLen = at + 1;
  return true;
}

function received(b: u8): void {
  if (b == CTRL_C && intrNotify > 0) {
    releaseHeld();
    interrupt();
    return;
  }
  if (sizeReport(b)) return;
  if (heldLen > 0) {
    releaseHeld();
    if (sizeReport(b)) return; // an ESC after a held ESC: perhaps the start of a report
  }
  keep(b);
}

/** Keep one byte of input for the readers. */
function keep(b: u8): void {
  if (inCount == INPUT_SIZE) return; // full: drop
  store<u8>(input + <usize>((inHead + inCount) % INPUT_SIZE), b);
  inCount++;
}

/** Take every byte the receiver holds (at most RX_BURST). */
function drainReceiver(): void {
  for (let i = 0; i < RX_BURST; i++) {
    const lsr = devRead(dev, LSR);
    if (lsr < 0 || (lsr & LSR_DATA_READY) == 0) return;
    const b = devRead(dev, RBR);
    if (b < 0) return;
    received(<u8>b);
  }
}

/** The interrupt bit was seen: take it, drain the UART, unmask the line, feed readers. */
function onInterruptLine(): void {
  notifyWait(notify, 1 << IRQ_BIT, 0); // clear the bit (0: do not wait)
  drainReceiver();
  irqAck(irq);
  drainReceiver(); // a byte that came between the drain and the ack
  serveReaders();
}

// ---- requests ----

/** Close handles a request carried that we do not keep. */
function dropHandles(from: i32): void {
  for (let i = from; i < got.handles && i < MSG_MAX_HANDLES; i++) handleClose(<i32>msgHandles[i]);
}

/** Reply [txid][value] to a call (one-way requests, txid 0, get none). */
function answer(txid: u32, value: u32): void {
  if (txid == 0) return;
  const r = changetype<usize>(reply);
  store<u32>(r, txid);
  store<u32>(r + 4, value);
  channelWrite(svc, r, CONSOLE_HEADER);
}

function handleRequest(len: i32): void {
  const m = changetype<usize>(msg);
  const txid = txidOf(m, len);
  const op: u32 = len >= CONSOLE_HEADER ? load<u32>(m + 4) : 0;
  if (op == CONSOLE_WRITE) {
    dropHandles(0);
    output(m + CONSOLE_HEADER, len - CONSOLE_HEADER);
    answer(txid, <u32>(len - CONSOLE_HEADER));
  } else if (op == CONSOLE_READ && len >= CONSOLE_HEADER + 4) {
    dropHandles(0);
    if (txid == 0) return; // a READ nobody waits for
    if (pendingTxid.length >= MAX_PENDING) {
      answer(txid, 0);
      return;
    }
    waitForInput(txid, load<u32>(m + CONSOLE_HEADER), false);
  } else if (op == CONSOLE_INTERRUPT && len >= CONSOLE_HEADER + 4 && got.handles >= 1) {
    const bit = <i32>load<u32>(m + CONSOLE_HEADER);
    const h = <i32>msgHandles[0];
    dropHandles(1);
    if (bit < 0 || bit >= NOTIFY_BITS || h <= 0) {
      if (h > 0) handleClose(h);
    } else {
      if (intrNotify > 0) handleClose(intrNotify); // the last client to ask gets Ctrl-C
      intrNotify = h;
      intrBit = bit;
    }
    answer(txid, 0);
  } else if (op == CONSOLE_SIZE) {
    dropHandles(0);
    if (txid == 0) return;
    const r = changetype<usize>(reply);
    store<u32>(r, txid);
    store<u32>(r + 4, termCols);
    store<u32>(r + 8, termRows);
    channelWrite(svc, r, CONSOLE_HEADER + 4);
  } else if (op >= <u32>VFS_OPEN && len >= VFS_REQUEST_SIZE && vfsReq.parse(m, len)) {
    dropHandles(0);
    handleVfs();
  } else {
    dropHandles(0);
    answer(txid, 0); // unknown request: an empty answer, so a caller is not left waiting
  }
}

/** Queue a READ until input is there. */
function waitForInput(txid: u32, maxBytes: u32, vfs: bool): void {
  pendingTxid.push(txid);
  pendingMax.push(<i32>min<u32>(maxBytes, <u32>(MSG_MAX_BYTES - CONSOLE_HEADER)));
  pendingVfs.push(vfs);
  serveReaders();
}

/** A vfs request from the kernel: the console as one character device. */
function handleVfs(): void {
  const op = vfsReq.op;
  const txid = vfsReq.txid;
  if (op == VFS_CLOSE || txid == 0) return; // nothing to forget: every open names the one console
  if (op == VFS_READ) {
    if (pendingTxid.length >= MAX_PENDING) {
      vfsReply.begin(txid, 0).value(0);
    } else {
      waitForInput(txid, vfsReq.count, true);
      return;
    }
  } else if (op == VFS_WRITE) {
    // Copy the granted bytes in chunks, sending each to the transmitter.
    const buf = changetype<usize>(staging);
    let done: u32 = 0;
    while (done < vfsReq.count) {
      const n = grantCopy(svc, txid, done, buf, <i32>min<u32>(vfsReq.count - done, <u32>MSG_MAX_BYTES));
      if (n <= 0) break;
      output(buf, n);
      done += <u32>n;
    }
    vfsReply.begin(txid, 0).value(done);
  } else if (op == VFS_OPEN || op == VFS_STAT || op == VFS_FSTAT) {
    if (op != VFS_FSTAT && vfsReq.pathLen != 0) {
      vfsReply.begin(txid, WASI_ENOENT);
    } else {
      vfsReply.begin(txid, 0).value(CONSOLE_FILE).filetype(WASI_FILETYPE_CHARACTER_DEVICE)
        .filestat(0, 1, <u8>WASI_FILETYPE_CHARACTER_DEVICE, 1, 0, 0, 0, 0);
    }
  } else if (op == VFS_SYNC) {
    vfsReply.begin(txid, 0);
  } else {
    vfsReply.begin(txid, op <= <u32>VFS_SYNC ? WASI_EINVAL : WASI_ENOSYS);
  }
  channelWrite(svc, vfsReply.ptr, vfsReply.length);
}

/** Serve every queued request. Returns false when every client is gone. */
function serveRequests(): bool {
  const m = changetype<usize>(msg);
  const hs = changetype<usize>(msgHandles);
  while (true) {
    const n = channelRead(svc, m, MSG_MAX_BYTES, hs, MSG_MAX_HANDLES, got);
    if (n == ERR_SHOULD_WAIT) return true;
    if (n == ERR_PEER_CLOSED) return false;
    if (n < 0) {
      debugLog("uart: read: " + errorName(n));
      return true;
    }
    handleRequest(n);
  }
  return true;
}

// ---- start ----

function setup(): void {
  const s = startup();
  dev = s.handle(TAG_DEVICE_BASE + DEVICE_UART);
  irq = s.handle(TAG_IRQ_BASE + DEVICE_UART);
  svc = s.handle(TAG_SERVICE);
  if (dev <= 0 || irq <= 0 || svc <= 0) {
    debugLog("uart: needs the uart device, its irq and a service channel");
    processExit(1);
  }
  notify = notifyCreate();
  if (notify < 0) fail("notification", notify);
  devWrite(dev, IER, 0); // quiet while we set up
  devWrite(dev, FCR, FCR_ENABLE);
  devWrite(dev, LCR, LCR_8N1);
  devWrite(dev, MCR, MCR_DTR_RTS_OUT2);
  const r = irqBind(irq, notify, IRQ_BIT);
  if (r < 0) fail("irq bind", r);
  devWrite(dev, IER, IER_RX);
  drainReceiver(); // bytes that arrived before we listened
}

export function _start(): void {
  setup();
  const events = new WaitSet();
  const LINE = events.add(notify, 1 << IRQ_BIT);
  const REQUESTS = events.add(svc, SIG_READABLE | SIG_PEER_CLOSED);
  const beat = heartbeatHandle();
  const BEAT = beat > 0 ? events.add(beat, SIG_READABLE) : -1;
  while (true) {
    const r = events.wait();
    if (r < 0) fail("wait", r);
    if (events.saw(BEAT, SIG_READABLE)) answerHeartbeats(beat);
    if (events.saw(LINE, 1 << IRQ_BIT)) onInterruptLine();
    if (events.saw(REQUESTS, SIG_READABLE | SIG_PEER_CLOSED) && !serveRequests()) {
      debugLog("uart: every console client is gone");
      return;
    }
  }
}
