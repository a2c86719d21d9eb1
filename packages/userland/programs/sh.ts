// sh: the shell — edits a line, runs programs by name, reports how they ended.
//
// Capabilities (manifest): the console (CONSOLE), a handle to itself that may
// spawn, inspect and kill its children (SELF), init's INSPECT-only handle
// (SYSTEM) and the image table (IMAGES). Every program it runs is its own
// child and gets, as duplicates and nothing more:
//
//   CONSOLE  the console client end           print and read
//   IMAGES   the image table, read-only       ping finds pong
//   SYSTEM   init, INSPECT only               ps lists every process
//   PEER     sh itself, INSPECT|MANAGE        kill PID: PROCESS_GET_CHILD then
//            (and TRANSFER, to be moved)      PROCESS_KILL reach sh's descendants
//   SELF     itself, through selfRights       ping starts pong as its child
//            (SPAWN_RIGHTS)
//
// A background job's console handle lacks READ (BACKGROUND_CONSOLE_RIGHTS):
// it may print but not read the terminal, as in Unix, and so a program can
// tell that it runs in the background (consoleInForeground).
//
// Exit status: a foreground program that ends other than with exit 0 is
// reported ("crash: crashed (trap)"); the word `$?` expands to the exit code
// of the last foreground command, as in POSIX shells (`echo $?`): the code
// the program exited with, the kernel's own for a kill (EXIT_KILLED) or a
// fault (EXIT_FAULT_BASE - reason), 127 for no such program and 126 for one
// that could not be started.
//
// Children run one priority level below the shell, so a runaway program
// (spin) never makes the prompt sluggish. Their memory quota is 16 pages;
// `leak` gets 8, so the quota visibly stops it within a few steps.
//
// Ctrl-C: at start sh registers a notification bit with the console
// (INTERRUPT). At the prompt, a Ctrl-C cancels the line (the console answers
// the pending READ with zero bytes and sh finds the bit); while a foreground
// program runs, sh waits (OBJECT_WAIT_MANY) for the child's TERMINATED or
// that bit, and on the bit kills the child. A child may register its own
// interrupt (a nested sh), so sh registers again whenever it gets the
// terminal back. A trailing `&` runs a program in the background instead.
//
// Start-up script: when init gave sh a SCRIPT handle (manifest
// {"script": true} and a ROM that carries a script), sh runs each non-blank
// line before its first prompt exactly as if it had been typed — the prompt
// and the line are echoed, then it runs (and goes into the history). A
// Ctrl-C that kills a script's program, or is pressed between two lines,
// stops the rest of the script. Then sh reads the keyboard as usual. No
// handle, or an empty script: nothing changes.

import {
  TAG_SELF, TAG_SYSTEM, TAG_IMAGES, TAG_CONSOLE, TAG_PEER, TAG_SCRIPT, SIG_TERMINATED, STARTUP_MAX_ARGS,
} from "../../abi/assembly/index";
import {
  Handle, Console, stdConsole, startup, imageTable, ImageTable, spawnProgram, SpawnDesc, processInfo,
  ProcessInfo, processKill, processExit, handleDuplicate, handleClose, notifyCreate, notifyWait, objectWait,
  WaitSet, debugLog, errorName, exitStatus, splitWords, parseDecimal, padLeft, readScript,
  CLIENT_RIGHTS, BACKGROUND_CONSOLE_RIGHTS, IMAGES_RIGHTS, SYSTEM_RIGHTS, SPAWN_RIGHTS, JOB_CONTROL_RIGHTS, fdIsOpen,
} from "../lib/index";
import { LineEditor, KEY_NONE, KEY_DONE, KEY_CANCEL } from "./sh/editor";

const PROMPT = "$ ";
const INTR_BIT = 0;
const CHILD_QUOTA = 16;
const LEAK_QUOTA = 8;
const READ_CHUNK = 64;
/** $? for a command that names no program, and for one that could not be started (as POSIX shells). */
const STATUS_NOT_FOUND = 127;
const STATUS_NOT_STARTED = 126;

let con = new Console(0); // replaced by the real console first thing in _start
let self: Handle = 0;
let system: Handle = 0;
let imagesHandle: Handle = 0;
let images: ImageTable = new ImageTable();
let intr: Handle = 0;
let ownQuota = CHILD_QUOTA;
/** Set when Ctrl-C killed the last foreground program (stops a start-up script). */
let interrupted = false;
let childPriority = 0;
/** Exit code of the last foreground command: what `$?` expands to. */
let lastStatus = 0;

const editor = new LineEditor();
const inbuf = new Uint8Array(READ_CHUNK);
let inLen = 0;
let inAt = 0;

class Job {
  pid: i32 = 0;
  name: string = "";
  h: Handle = 0;
}
const jobs = new Array<Job>();

function say(text: string): void {
  con.println(text);
}

// ---- Ctrl-C ----

/** Ask the console to signal our bit on Ctrl-C (again: a child may have taken it). */
function claimInterrupt(): void {
  if (intr > 0) con.onInterrupt(intr, INTR_BIT);
}

/** Was Ctrl-C pressed since we last looked? Takes the bit. */
function takeInterrupt(): bool {
  return intr > 0 && notifyWait(intr, 1 << INTR_BIT, 0) > 0;
}

// ---- reading a line ----

/** Next input byte, waiting for the console; -1 when Ctrl-C interrupted the wait. */
function nextByte(): i32 {
  while (inAt >= inLen) {
    if (takeInterrupt()) return -1;
    const n = con.read(inbuf.dataStart, READ_CHUNK);
    if (n < 0) {
      debugLog("sh: console read: " + errorName(n));
      processExit(1);
    }
    inLen = n;
    inAt = 0;
    if (n == 0 && takeInterrupt()) return -1; // the console woke us for Ctrl-C
  }
  return inbuf[inAt++];
}

/** Show the prompt and edit a line; null when Ctrl-C cancelled it. */
function readLine(): string | null {
  con.print(PROMPT);
  editor.start();
  while (true) {
    const b = nextByte();
    if (b < 0) {
      con.print(editor.takeOutput() + "^C\n");
      return null;
    }
    const key = editor.feed(<u8>b);
    // Send the echo once the typed-ahead bytes are used up (one write per burst).
    if (inAt >= inLen || key != KEY_NONE) con.print(editor.takeOutput());
    if (key == KEY_DONE) return editor.line;
    if (key == KEY_CANCEL) return null;
  }
  return null;
}

// ---- running programs ----

/** Give the child a duplicate of h (skipped when we lack h). */
function giveCopy(d: SpawnDesc, h: Handle, rights: i32, tag: i32): void {
  if (h <= 0) return;
  const dup = handleDuplicate(h, rights);
  if (dup > 0) d.give(dup, tag);
}

function quotaFor(program: string): i32 {
  return min(program == "leak" ? LEAK_QUOTA : CHILD_QUOTA, ownQuota);
}

/** How a finished child ended, in words ("" for a clean exit 0); its exit code becomes `$?` when it ran in front. */
function statusOf(h: Handle, foreground: bool): string {
  const info = new ProcessInfo();
  const r = processInfo(h, info);
  if (r < 0) return "status unknown (" + errorName(r) + ")";
  if (foreground) lastStatus = info.exitCode;
  return exitStatus(info.exitCode);
}

/** Wait for the foreground child; Ctrl-C kills it. Then report and forget it. */
function waitForeground(h: Handle, name: string): void {
  takeInterrupt(); // a Ctrl-C typed before the program started is not for it
  const set = new WaitSet();
  const CHILD = set.add(h, SIG_TERMINATED);
  const CTRL_C = intr > 0 ? set.add(intr, 1 << INTR_BIT) : -1;
  while (true) {
    const r = set.wait();
    if (r < 0) {
      say("sh: wait: " + errorName(r));
      processKill(h);
      break;
    }
    if (set.saw(CHILD, SIG_TERMINATED)) break;
    if (set.saw(CTRL_C, 1 << INTR_BIT)) {
      takeInterrupt();
      con.print("^C\n");
      processKill(h); // TERMINATED follows at once
      interrupted = true;
    }
  }
  const status = statusOf(h, true);
  if (status.length > 0) say(name + ": " + status);
  handleClose(h);
  claimInterrupt();
}

function run(words: Array<string>, background: bool): void {
  const name = words[0];
  if (images.find(name) < 0) {
    say("sh: no such program: " + name);
    lastStatus = STATUS_NOT_FOUND;
    return;
  }
  const d = new SpawnDesc();
  d.setArgs(words);
  if (d.args.length > STARTUP_MAX_ARGS) {
    // The kernel would refuse the spawn with INVALID_ARGS; say which argument is wrong and why.
    say("sh: " + name + ": the arguments are " + d.args.length.toString() + " bytes; a program can be given at most "
      + STARTUP_MAX_ARGS.toString() + " (STARTUP_MAX_ARGS)");
    lastStatus = STATUS_NOT_STARTED;
    return;
  }
  d.quotaPages = quotaFor(name);
  d.priority = childPriority;
  d.selfRights = SPAWN_RIGHTS;
  giveCopy(d, con.h, background ? BACKGROUND_CONSOLE_RIGHTS : CLIENT_RIGHTS, TAG_CONSOLE);
  giveCopy(d, imagesHandle, IMAGES_RIGHTS, TAG_IMAGES);
  giveCopy(d, system, SYSTEM_RIGHTS, TAG_SYSTEM);
  giveCopy(d, self, JOB_CONTROL_RIGHTS, TAG_PEER);
  for (let fd = 0; fd < 4; fd++) if (fdIsOpen(fd)) d.giveFd(fd, fd); // stdin, stdout, stderr and the preopen of /
  d.setEnv("PWD", "/");
  const h = spawnProgram(self, images, name, d);
  if (h < 0) {
    d.closeHandles();
    say("sh: cannot start " + name + ": " + errorName(h));
    lastStatus = STATUS_NOT_STARTED;
    return;
  }
  if (!background) {
    waitForeground(h, name);
    return;
  }
  const job = new Job();
  const info = new ProcessInfo();
  job.pid = processInfo(h, info) == 0 ? info.pid : 0;
  job.name = name;
  job.h = h;
  jobs.push(job);
  lastStatus = 0;
  say("[" + job.pid.toString() + "]");
}

/** Report background jobs that have ended since the last prompt. */
function reapJobs(): void {
  for (let i = 0; i < jobs.length; ) {
    const job = jobs[i];
    const seen = objectWait(job.h, SIG_TERMINATED, 0);
    if (seen < 0 || (seen & SIG_TERMINATED) == 0) {
      i++;
      continue;
    }
    const status = statusOf(job.h, false);
    say("[" + job.pid.toString() + "] " + job.name + ": " + (status.length > 0 ? status : "done"));
    handleClose(job.h);
    jobs.splice(i, 1);
  }
}

// ---- builtins ----

function help(): void {
  say("builtins: help  history  jobs  exit [code]");
  let programs = "";
  for (let i = 0; i < images.names.length; i++) {
    const n = images.names[i];
    if (n != "init" && n != "uart") programs += (programs.length > 0 ? "  " : "") + n;
  }
  say("programs: " + (programs.length > 0 ? programs : "(no image table)"));
  say("a trailing & runs a program in the background; Ctrl-C stops the one in front");
  say("$? is the exit code of the last command (echo $?)");
  say("keys: left/right move, up/down walk the history, backspace deletes");
}

function history(): void {
  const h = editor.history;
  for (let i = 0; i < h.length; i++) say(padLeft((i + 1).toString(), 4) + "  " + h[i]);
}

function listJobs(): void {
  reapJobs();
  if (jobs.length == 0) {
    say("no jobs");
    return;
  }
  for (let i = 0; i < jobs.length; i++) say("[" + jobs[i].pid.toString() + "] running  " + jobs[i].name);
}

function exitShell(words: Array<string>): void {
  const code = words.length > 1 ? parseDecimal(words[1]) : 0;
  if (code < 0 || code > 255) {
    say("sh: exit: the code must be a number from 0 to 255");
    return;
  }
  for (let i = 0; i < jobs.length; i++) processKill(jobs[i].h); // no orphans spinning on
  processExit(code);
}

/** Run one line: a builtin, or a program, possibly in the background. */
function execute(line: string): void {
  const words = splitWords(line);
  if (words.length == 0) return;
  for (let i = 0; i < words.length; i++) if (words[i] == "$?") words[i] = lastStatus.toString();
  let background = false;
  const last = words[words.length - 1];
  if (last.endsWith("&")) {
    background = true;
    if (last.length == 1) words.pop();
    else words[words.length - 1] = last.substring(0, last.length - 1);
    if (words.length == 0) return;
  }
  const cmd = words[0];
  if (cmd == "help" || cmd == "history" || cmd == "jobs" || cmd == "exit") lastStatus = 0; // builtins succeed
  if (cmd == "help") help();
  else if (cmd == "history") history();
  else if (cmd == "jobs") listJobs();
  else if (cmd == "exit") exitShell(words);
  else run(words, background);
}

// ---- start ----

function setup(): void {
  const c = stdConsole();
  if (c === null) {
    debugLog("sh: no console");
    processExit(1);
    return;
  }
  con = c;
  const s = startup();
  self = s.handle(TAG_SELF);
  system = s.handle(TAG_SYSTEM);
  imagesHandle = s.handle(TAG_IMAGES);
  images = imageTable();
  if (images.error < 0) say("sh: no image table (" + errorName(images.error) + "): only builtins work");
  const info = new ProcessInfo();
  if (self > 0 && processInfo(self, info) == 0) {
    ownQuota = info.quotaPages;
    childPriority = max(info.priority - 1, 0);
  }
  if (self <= 0) say("sh: no SELF handle: cannot run programs");
  intr = notifyCreate();
  if (intr > 0) claimInterrupt();
}

/** Run the start-up script (tag SCRIPT), each line as if typed at the prompt. */
function runScript(): void {
  const h = startup().handle(TAG_SCRIPT);
  if (h <= 0) return;
  const script = readScript(h);
  handleClose(h); // read once; sh has no further use for it
  if (script.error < 0) {
    say("sh: cannot read the start-up script (" + errorName(script.error) + ")");
    return;
  }
  interrupted = false;
  for (let i = 0; i < script.lines.length; i++) {
    reapJobs();
    if (takeInterrupt()) interrupted = true;
    if (interrupted) {
      say("sh: start-up script stopped by Ctrl-C");
      return;
    }
    const line = script.lines[i];
    con.print(PROMPT + line + "\n");
    editor.remember(line);
    execute(line);
  }
}

export function _start(): void {
  setup();
  say("ONCRIX shell. Type help for commands.");
  runScript();
  while (true) {
    reapJobs();
    const line = readLine();
    if (line === null) continue;
    editor.remember(line);
    execute(line);
  }
}
