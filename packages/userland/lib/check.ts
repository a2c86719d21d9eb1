// A compile-only entry that reaches every part of liboncrix.
//
// asc type-checks only the code a program actually reaches, so a library
// function no program calls yet could hide an error. build.mjs compiles this
// file with --noEmit before the programs; nothing here ever runs.

import {
  handleClose, handleDuplicate, handleRevoke, handleInfo, HandleInfo, handleList, typeName, rightsLetters,
  objectWait, WaitSet, notifyCreate, notifySignal, notifyWait, timerCreate, timerSet, sleep, yieldCpu,
  channelCreate, channelWrite, channelRead, channelCallRaw, Call, Received, txidOf,
  memobjCreate, memobjRead, memobjWrite, memobjSize,
  SpawnDesc, processSpawn, processExit, processKill, processGetChild, processInfo, ProcessInfo, processList,
  stateName, irqBind, irqAck, irqMask, devRead, devWrite,
  nullCall, debugLog, clockNs, clockUs, memGrow, memInfo, MemInfo, startupInfo,
  startup, tagName, Console, stdConsole, consoleInForeground, print, println, readBytes,
  loadImageTable, imageTable, spawnProgram, readScript, scriptLines, errorName, faultName, exitStatus, isFaultExit,
  Bytes, splitNul, padLeft, padRight, int, hex, fixed, micros, duration, parseDecimal, splitWords,
} from "./index";

export function check(): void {
  const h = handleDuplicate(1, 0);
  handleRevoke(h);
  handleInfo(h, new HandleInfo());
  handleList(new Array<HandleInfo>());
  typeName(0) + rightsLetters(0);
  const ws = new WaitSet();
  ws.add(h, 1);
  ws.wait(0);
  ws.saw(0, 1);
  ws.handle(0);
  ws.clear();
  objectWait(h, 1, 0);
  notifySignal(notifyCreate(), 1);
  notifyWait(h, 1, 0);
  timerSet(timerCreate(h, 0), 10);
  sleep(1);
  yieldCpu();
  const pair = channelCreate();
  const b = new Bytes().u32(0).byte(1).str("x").raw(0, 0);
  b.setU32(0, b.u32At(0));
  b.text(0);
  channelWrite(pair.a, b.ptr, b.length);
  channelRead(pair.b, b.ptr, b.length, 0, 0, new Received());
  channelCallRaw(pair.a, 0);
  const c = new Call().request(b.ptr, b.length).moving(0, 0).replyInto(b.ptr, 4).replyHandlesInto(0, 0).timeout(5);
  c.invoke(pair.a);
  c.replyBytes + c.replyHandles + <i32>txidOf(b.ptr, b.length);
  memobjRead(memobjCreate(4), 0, b.ptr, 4);
  memobjWrite(h, 0, b.ptr, 4);
  memobjSize(h);
  const d = new SpawnDesc().setArgs(["a"]);
  d.give(h, 1);
  d.tagAt(0) + d.handleAt(0);
  processSpawn(h, d);
  d.closeHandles();
  processKill(processGetChild(h, 1, 0));
  processInfo(h, new ProcessInfo());
  processList(h, new Array<ProcessInfo>());
  stateName(0);
  irqBind(h, h, 0);
  irqAck(h);
  irqMask(h, true);
  devWrite(h, 0, <i32>devRead(h, 0));
  nullCall();
  debugLog("x");
  clockNs() + clockUs();
  memGrow(0);
  memInfo(new MemInfo());
  startupInfo(0, 0);
  const s = startup();
  s.handle(0) + s.handlesWith(0).length + s.tagOf(0) + s.argc;
  s.arg(0) + tagName(0);
  const con = new Console(h);
  con.println("x");
  con.readBytes(1);
  con.onInterrupt(h, 0);
  stdConsole();
  consoleInForeground();
  print("x");
  println("x");
  readBytes(1);
  readScript(h).lines.length + readScript(h).error + scriptLines("a\r\n\nb").length;
  const t = loadImageTable(h);
  t.find("x") + t.nameOf(0).length;
  spawnProgram(h, imageTable(), "x", d);
  errorName(0) + faultName(0) + exitStatus(0);
  isFaultExit(0);
  splitNul(0, 0);
  padLeft("", 1) + padRight("", 1) + int(1) + hex(1) + fixed(1, 1) + micros(1) + duration(1);
  parseDecimal("1") + splitWords("a b").length;
  processExit(0);
}
