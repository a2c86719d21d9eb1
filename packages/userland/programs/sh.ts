// sh: the shell — edits a line, runs programs and pipelines, reports how they ended.
//
// A line is read as a POSIX shell reads it (sh/parse.ts): words with quotes,
// $NAME and $? expanded, `a | b | c`, `< f`, `> f`, `>> f`, `2> f`, and a
// trailing `&`. Each stage of a pipeline is a child with its fds 0, 1, 2
// wired by the spawner (SpawnDesc fds): the console (sh's own fds 0-2), a
// pipe (FD_PIPE) to the next stage, or a file opened through sh's preopen of
// / (fd 3, which every child gets too). `cd` and `pwd` keep the working
// directory, which children get as PWD (ONCRIX's C programs start there);
// `NAME=value` sets a variable and `export NAME[=value]` puts it in the
// environment of the programs sh runs. A program is named as in the image
// table, or by a path whose last part is an image name (/bin/ls, ./ls.wasm); a
// .wasm file in the file system runs too (sh/exec.ts: the path given, or
// NAME.wasm or NAME in /bin), where the machine has a loader device.
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
// terminal back. A trailing `&` runs a program in the background instead,
// and `$!` expands to the pid of the last one started.
//
// Start-up script: when init gave sh a SCRIPT handle (manifest
// {"script": true} and a ROM that carries a script), sh runs each non-blank
// line before its first prompt exactly as if it had been typed — the prompt
// and the line are echoed, then it runs (and goes into the history). A
// Ctrl-C that kills a script's program, or is pressed between two lines,
// stops the rest of the script. Then sh reads the keyboard as usual. No
// handle, or an empty script: nothing changes.

import {
  TAG_SELF, TAG_SYSTEM, TAG_IMAGES, TAG_CONSOLE, TAG_PEER, TAG_SCRIPT, TAG_DEVICE_BASE, SIG_TERMINATED, STARTUP_MAX_ARGS,
} from "../../abi/assembly/index";
import {
  Handle, Console, stdConsole, startup, imageTable, ImageTable, processSpawn, SpawnDesc, processInfo,
  ProcessInfo, processKill, processExit, handleDuplicate, handleClose, notifyCreate, notifyWait, objectWait,
  WaitSet, debugLog, errorName, exitStatus, parseDecimal, padLeft, readScript,
  CLIENT_RIGHTS, BACKGROUND_CONSOLE_RIGHTS, IMAGES_RIGHTS, SYSTEM_RIGHTS, SPAWN_RIGHTS, JOB_CONTROL_RIGHTS, fdIsOpen,
  fdPipe, fdClose, pathOpen, pathType, wasiErrorText,
} from "../lib/index";
import {
  WASI_O_CREAT, WASI_O_TRUNC, WASI_FDFLAG_APPEND, WASI_FILETYPE_DIRECTORY,
} from "../../abi/assembly/index";
import { LineEditor, KEY_NONE, KEY_DONE, KEY_CANCEL } from "./sh/editor";
import { parseLine, absolutePath, Pipeline, Stage } from "./sh/parse";
import { programFile, loadProgramFile } from "./sh/exec";

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
/** Pid of the last background job started (the last stage of its pipeline): what `$!` expands to (0: none yet, expands to nothing). */
let lastBackground = 0;
/** The working directory (absolute), the shell's variables and which of them children get. */
let cwd = "/";
const vars = new Map<string, string>();
const exported = new Set<string>();
/** The preopened directory of / that init gives sh (and sh every child). */
const ROOT_FD = 3;
/** The loader device, the playground's fifth (uart, rom, entropy, files, loader): programs from files; 0 without it. */
const LOADER_DEVICE = 4;
let loader: Handle = 0;

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

/** Wait for the foreground children (a pipeline); Ctrl-C kills them. Then report each and forget them; `$?` is the last's. */
function waitForeground(hs: Array<Handle>, names: Array<string>): void {
  takeInterrupt(); // a Ctrl-C typed before the programs started is not for them
  const set = new WaitSet();
  const left = hs.slice(0);
  while (left.length > 0) {
    set.clear();
    for (let i = 0; i < left.length; i++) set.add(left[i], SIG_TERMINATED);
    const CTRL_C = intr > 0 ? set.add(intr, 1 << INTR_BIT) : -1;
    const r = set.wait();
    if (r < 0) {
      say("sh: wait: " + errorName(r));
      for (let i = 0; i < left.length; i++) processKill(left[i]);
      break;
    }
    for (let i = left.length - 1; i >= 0; i--) if (set.saw(i, SIG_TERMINATED)) left.splice(i, 1);
    if (set.saw(CTRL_C, 1 << INTR_BIT)) {
      takeInterrupt();
      con.print("^C\n");
      for (let i = 0; i < left.length; i++) processKill(left[i]); // TERMINATED follows at once
      interrupted = true;
    }
  }
  for (let i = 0; i < hs.length; i++) {
    const status = statusOf(hs[i], i == hs.length - 1);
    if (status.length > 0) say(names[i] + ": " + status);
    handleClose(hs[i]);
  }
  claimInterrupt();
}

/** The image a command names: an image-table name, or a path whose last part (less .wasm) is one. */
function imageName(word: string): string {
  if (word.indexOf("/") < 0) return word;
  const base = word.substring(word.lastIndexOf("/") + 1);
  return base.endsWith(".wasm") ? base.substring(0, base.length - 5) : base;
}

/** The path below / (sh's fd 3) of a path relative to the working directory ("." for / itself). */
function rootRelative(path: string): string {
  const abs = absolutePath(cwd, path);
  return abs.length > 1 ? abs.substring(1) : ".";
}

/** Open a redirection's file through the preopen of /: its fd, or -1 after saying why. */
function openFor(path: string, oflags: u32, fdflags: u32): i32 {
  const fd = pathOpen(ROOT_FD, rootRelative(path), oflags, fdflags);
  if (fd >= 0) return fd;
  say("sh: " + path + ": " + wasiErrorText(-fd));
  return -1;
}

/** The environment a child gets: PWD and the exported variables. */
function environment(d: SpawnDesc): void {
  d.setEnv("PWD", cwd);
  const names = exported.values();
  for (let i = 0; i < names.length; i++) if (vars.has(names[i])) d.setEnv(names[i], vars.get(names[i]));
}

/** Start one stage with fds in, out, err (the shell's, a pipe's or a file's): a process handle, or -status. */
function startStage(words: Array<string>, background: bool, fdIn: i32, fdOut: i32, fdErr: i32): Handle {
  let name = imageName(words[0]);
  let image = images.find(name);
  // A file the command names (a path, or NAME.wasm / NAME in /bin) runs from the file system; a path to no file falls
  // back to its image name (/bin/ls is ls).
  const file = words[0].indexOf("/") >= 0 || image < 0 ? programFile(ROOT_FD, words[0], rootRelative) : "";
  if (file.length > 0) {
    name = imageName("/" + file);
    const loaded = loadProgramFile(loader, ROOT_FD, file, name);
    if (loaded.image < 0) {
      say("sh: " + words[0] + ": " + loaded.error);
      return -STATUS_NOT_STARTED;
    }
    image = loaded.image;
  }
  if (image < 0) {
    say("sh: no such program: " + words[0]);
    return -STATUS_NOT_FOUND;
  }
  const d = new SpawnDesc();
  d.setArgs(words);
  if (d.args.length > STARTUP_MAX_ARGS) {
    // The kernel would refuse the spawn with INVALID_ARGS; say which argument is wrong and why.
    say("sh: " + name + ": the arguments are " + d.args.length.toString() + " bytes; a program can be given at most "
      + STARTUP_MAX_ARGS.toString() + " (STARTUP_MAX_ARGS)");
    return -STATUS_NOT_STARTED;
  }
  d.quotaPages = quotaFor(name);
  d.priority = childPriority;
  d.selfRights = SPAWN_RIGHTS;
  giveCopy(d, con.h, background ? BACKGROUND_CONSOLE_RIGHTS : CLIENT_RIGHTS, TAG_CONSOLE);
  giveCopy(d, imagesHandle, IMAGES_RIGHTS, TAG_IMAGES);
  giveCopy(d, system, SYSTEM_RIGHTS, TAG_SYSTEM);
  giveCopy(d, self, JOB_CONTROL_RIGHTS, TAG_PEER);
  const fds = [fdIn, fdOut, fdErr, ROOT_FD];
  for (let i = 0; i < fds.length; i++) if (fds[i] >= 0 && fdIsOpen(fds[i])) d.giveFd(i, fds[i]);
  environment(d);
  d.image = image;
  d.name = name;
  const h = processSpawn(self, d);
  if (h < 0) {
    d.closeHandles();
    say("sh: cannot start " + name + ": " + errorName(h));
    return -STATUS_NOT_STARTED;
  }
  return h;
}

/** Run a pipeline: one child per stage, pipes between them, files for the redirections; wait unless in the background. */
function runPipeline(p: Pipeline): void {
  const hs = new Array<Handle>();
  const names = new Array<string>();
  const opened = new Array<i32>(); // fds of this pipeline, which sh closes once the children have theirs
  let prevRead = 0;
  let status = 0;
  for (let i = 0; i < p.stages.length; i++) {
    const st: Stage = p.stages[i];
    let fdIn = prevRead, fdOut = 1, fdErr = 2;
    prevRead = -1;
    if (i + 1 < p.stages.length) {
      const pipe = fdPipe();
      if (pipe === null) {
        say("sh: cannot make a pipe");
        status = STATUS_NOT_STARTED;
        break;
      }
      fdOut = pipe[1];
      prevRead = pipe[0];
      opened.push(pipe[0]);
      opened.push(pipe[1]);
    }
    if (st.input.length > 0) fdIn = openFor(st.input, 0, 0);
    if (st.output.length > 0) fdOut = openFor(st.output, WASI_O_CREAT | (st.append ? 0 : WASI_O_TRUNC), st.append ? WASI_FDFLAG_APPEND : 0);
    if (st.errors.length > 0) fdErr = openFor(st.errors, WASI_O_CREAT | WASI_O_TRUNC, 0);
    for (let k = 0; k < 3; k++) {
      const fd = k == 0 ? fdIn : k == 1 ? fdOut : fdErr;
      if (fd > ROOT_FD && opened.indexOf(fd) < 0) opened.push(fd);
    }
    if (fdIn < 0 || fdOut < 0 || fdErr < 0) {
      status = 1;
      break;
    }
    const h = startStage(st.words, p.background, fdIn, fdOut, fdErr);
    if (h < 0) {
      status = -h;
      break;
    }
    hs.push(h);
    names.push(imageName(st.words[0]));
  }
  for (let i = 0; i < opened.length; i++) fdClose(opened[i]); // the children hold theirs: EOF reaches the readers
  if (hs.length < p.stages.length) {
    for (let i = 0; i < hs.length; i++) processKill(hs[i]);
    for (let i = 0; i < hs.length; i++) handleClose(hs[i]);
    lastStatus = status;
    return;
  }
  if (!p.background) {
    waitForeground(hs, names);
    return;
  }
  for (let i = 0; i < hs.length; i++) {
    const job = new Job();
    const info = new ProcessInfo();
    job.pid = processInfo(hs[i], info) == 0 ? info.pid : 0;
    job.name = names[i];
    job.h = hs[i];
    jobs.push(job);
    lastBackground = job.pid;
    say("[" + job.pid.toString() + "]");
  }
  lastStatus = 0;
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
  say("builtins: help  history  jobs  exit [code]  cd [dir]  pwd  export NAME[=value]  NAME=value");
  let programs = "";
  for (let i = 0; i < images.names.length; i++) {
    const n = images.names[i];
    if (n != "init" && n != "uart") programs += (programs.length > 0 ? "  " : "") + n;
  }
  say("programs: " + (programs.length > 0 ? programs : "(no image table)"));
  say("a | b pipes; < f, > f, >> f, 2> f redirect; 'quotes' and \"$VARS\"; a trailing & runs in the background");
  say("$? is the exit code of the last command (echo $?); Ctrl-C stops the programs in front");
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

/** cd [DIR]: the working directory becomes DIR (default /) if it is a directory. */
function changeDirectory(words: Array<string>): void {
  const target = absolutePath(cwd, words.length > 1 ? words[1] : "/");
  const type = pathType(ROOT_FD, target.length > 1 ? target.substring(1) : ".");
  if (type == WASI_FILETYPE_DIRECTORY) {
    cwd = target;
    lastStatus = 0;
    return;
  }
  say("sh: cd: " + (words.length > 1 ? words[1] : "/") + ": " + (type < 0 ? wasiErrorText(-type) : "Not a directory"));
  lastStatus = 1;
}

/** Where the "=" of an assignment word NAME=value is, or -1 when the word is not one. */
function assignment(word: string): i32 {
  const eq = word.indexOf("=");
  if (eq <= 0) return -1;
  for (let i = 0; i < eq; i++) {
    const c = word.charCodeAt(i);
    if (!(c == 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (i > 0 && c >= 48 && c <= 57))) return -1;
  }
  return eq;
}

/** export NAME[=value] ...: into the environment of the programs sh runs. */
function exportVariables(words: Array<string>): void {
  for (let i = 1; i < words.length; i++) {
    const eq = assignment(words[i]);
    const name = eq > 0 ? words[i].substring(0, eq) : words[i];
    if (eq > 0) vars.set(name, words[i].substring(eq + 1));
    exported.add(name);
  }
}

/** A variable's value for the parser ($? is the last status, $! the last background job's pid; an unset one is empty). */
function lookup(name: string): string {
  if (name == "?") return lastStatus.toString();
  if (name == "!") return lastBackground > 0 ? lastBackground.toString() : "";
  return vars.has(name) ? vars.get(name) : "";
}

const BUILTINS = ["help", "history", "jobs", "exit", "cd", "pwd", "export"];

/** Run one line: a builtin, a variable assignment, or a pipeline of programs. */
function execute(line: string): void {
  const p = parseLine(line, lookup);
  if (p.error.length > 0) {
    say(p.error);
    lastStatus = 2;
    return;
  }
  if (p.stages.length == 0) return;
  const words = p.stages[0].words;
  const cmd = words[0];
  if (p.stages.length == 1 && BUILTINS.includes(cmd)) {
    lastStatus = 0; // builtins succeed unless they say otherwise
    if (cmd == "help") help();
    else if (cmd == "history") history();
    else if (cmd == "jobs") listJobs();
    else if (cmd == "exit") exitShell(words);
    else if (cmd == "cd") changeDirectory(words);
    else if (cmd == "pwd") say(cwd);
    else exportVariables(words);
    return;
  }
  const eq = assignment(cmd);
  if (p.stages.length == 1 && words.length == 1 && eq > 0) {
    vars.set(cmd.substring(0, eq), cmd.substring(eq + 1));
    lastStatus = 0;
    return;
  }
  runPipeline(p);
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
  loader = max(s.handle(TAG_DEVICE_BASE + LOADER_DEVICE), 0);
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
