// One plain sentence per trace event, the way a student would say it: who
// did what to whom, and what the kernel decided — why a process blocked,
// what woke it, why a call was refused (the error's own words from the ABI).
// The inspector shows it above the raw fields; the sequence diagram's short
// labels stay in describe.ts.
//
// The idea: each sentence is built from the event and the trace model only
// (process and object names as the trace made them), looking a bounded
// distance back or forward for the event's other half (the delivery of a
// send, the block a wake ends), so it stays cheap on a long log.

import { TRACE, OBJ, spec, type TraceEvent } from '@oncrix/abi';
import { eventAt, eventCount, partnerOf, targetOf, holdersOf, dataText, type TraceModel } from './model.js';
import { procName, messageKind } from './describe.js';
import { restartOf, spanWords, type Restart } from './restarts.js';
import { vfsRequestSentence, vfsReplySentence, vfsRequestOf, requestWords, DEFAULT_MOUNTS, type MountPoint } from './vfs.js';
import {
  syscallName, resultName, typeName, rightsNames, signalNames, closeReasonName, runReasonName, faultName, exitName,
} from './names.js';

/** How far the sentence looks for an event's other half. */
const WINDOW = 4000;

/** What "koid" means, for the inspector's glossary. */
export const KOID_MEANING = 'koid: the kernel object id — the number the kernel gives each object (a channel end, a process, a '
  + 'notification, a memory object…) for its whole life. Handles are per process (the same object has different handle values '
  + 'in different processes); the koid is the same for all of them, so it tells you which handles reach the same object.';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;
const lower = (s: string): string => s.toLowerCase();

/** A syscall's description from spec.ts, without its parameter list: "write a message … carrying it". */
function syscallWhat(nr: number): string {
  const doc = Object.values(spec.Sys).find((c) => c.value === nr)?.doc ?? '';
  return doc.replace(/^\([^)]*\)\s*/, '').split(';')[0] ?? '';
}

/** An error's meaning from spec.ts ("the handle lacks a right the operation needs"). */
function errorWhat(code: number): string {
  return Object.values(spec.Err).find((c) => c.value === code)?.doc ?? '';
}

/** Errors that say the kernel refused the call (as opposed to "not yet" or "the other side is gone"). */
const REFUSALS: ReadonlySet<number> = new Set([
  spec.Err.INVALID_ARGS.value, spec.Err.BAD_HANDLE.value, spec.Err.WRONG_TYPE.value, spec.Err.ACCESS_DENIED.value,
  spec.Err.FAULT.value, spec.Err.NO_MEMORY.value, spec.Err.NOT_FOUND.value, spec.Err.BAD_SYSCALL.value, spec.Err.LIMIT.value,
  spec.Err.BAD_STATE.value, spec.Err.NOT_SUPPORTED.value, spec.Err.BAD_FD.value,
]);

/** "channel 12 (held by pong)", "process ping", "object 40". */
function objectWords(m: TraceModel, koid: number): string {
  if (koid === 0) return 'nothing';
  const o = m.objects.get(koid);
  if (o === undefined) return `object ${koid}`;
  if (o.type === OBJ.PROCESS && o.pid > 0) return `process ${procName(m, o.pid)}`;
  const holders = holdersOf(m, koid).map((p) => procName(m, p));
  return `${typeName(o.type)} ${koid}${holders.length > 0 ? ` (held by ${holders.join(', ')})` : ''}`;
}

/** The event's seq as "#N", or "an event no longer kept". */
function at(m: TraceModel, g: number): string {
  const e = eventAt(m, g);
  return e === undefined ? 'an event no longer kept' : `#${e.seq}`;
}

/** A message as a noun phrase: "a 12-byte call carrying 1 handle". */
function messageWords(ev: TraceEvent, send: TraceEvent | undefined): string {
  const kind = send === undefined ? 'message' : messageKind(send) === 'msg' ? 'message' : messageKind(send);
  const bytes = ev.args[2] ?? 0;
  const handles = ev.args[3] ?? 0;
  // "an 8-byte", "an 11-byte", "an 18-byte": the article follows how the number is said.
  const article = /^8|^1[18]$|^1[18]\d{3}$/.test(String(bytes)) ? 'an' : 'a';
  return `${article} ${bytes}-byte ${kind}${handles > 0 ? ` carrying ${plural(handles, 'handle')}` : ''}`;
}

/** The first event at or after `from` (within the window) that pid's call ended with, or -1. */
function endAfter(m: TraceModel, pid: number, from: number): number {
  const last = eventCount(m);
  for (let i = from; i < Math.min(last, from + WINDOW); i++) {
    const e = eventAt(m, i);
    if (e === undefined || e.pid !== pid) continue;
    if (e.kind === TRACE.SYSCALL_EXIT || e.kind === TRACE.SYSCALL_WAKE || e.kind === TRACE.EXIT) return i;
    if (e.kind === TRACE.SYSCALL_ENTER) return -1;
  }
  return -1;
}

/** How a syscall ended, as a clause: "it returned 3", "the kernel refused it: …". */
function outcome(m: TraceModel, end: number): string {
  const e = eventAt(m, end);
  if (e === undefined) return 'it has not returned yet';
  if (e.kind === TRACE.EXIT) return `the process ended in it (${exitName(e.args[0] ?? 0)}) at #${e.seq}`;
  const r = e.args[1] ?? 0;
  const when = e.kind === TRACE.SYSCALL_WAKE ? `after blocking, at #${e.seq}` : `at #${e.seq}`;
  if (r >= 0) return `it returned ${r} ${when}`;
  if (REFUSALS.has(r)) return `the kernel refused it with ${resultName(r)} (${errorWhat(r)}) ${when}`;
  return `it returned ${resultName(r)} (${errorWhat(r)}) ${when}`;
}

/** Why a process blocks in syscall nr on object koid: what it waits for. */
function waitsFor(m: TraceModel, ev: TraceEvent, g: number): string {
  const nr = ev.args[0] ?? 0;
  const koid = ev.args[1] ?? 0;
  const on = objectWords(m, koid);
  switch (nr) {
    case spec.Sys.CHANNEL_CALL.value: {
      // The call's request was the last MSG_SEND of this process: whoever took (or will take) it answers.
      for (let i = g - 1; i >= Math.max(m.base, g - 64); i--) {
        const e = eventAt(m, i);
        if (e?.pid === ev.pid && e.kind === TRACE.MSG_SEND) {
          const to = targetOf(m, i) > 0 ? targetOf(m, i) : holdersOf(m, e.args[1] ?? 0).find((p) => p !== ev.pid) ?? -1;
          return `it waits for ${to > 0 ? procName(m, to) : 'the other end'} to reply to its call (the kernel parks a caller until the reply with its transaction id arrives)`;
        }
      }
      return `it waits for the reply to its call on ${on}`;
    }
    case spec.Sys.CHANNEL_RECV.value:
      return `nothing is queued on ${on}, so it waits for a message to arrive`;
    case spec.Sys.OBJECT_WAIT.value:
    case spec.Sys.OBJECT_WAIT_MANY.value:
    case spec.Sys.NOTIFY_WAIT.value:
      return `none of the signals it asked for is set on ${on}, so it waits until one is`;
    case spec.Sys.SLEEP.value:
      return 'it sleeps until its deadline passes';
    case spec.Sys.FD_CALL.value:
      return `the kernel's vfs sent its file request to the service behind ${on} and it waits for the reply`;
    default:
      return `it cannot go on yet and waits on ${on}`;
  }
}

/** What woke a process blocked before g: the nearest cause the trace shows, as a clause. */
function wokenBy(m: TraceModel, ev: TraceEvent, g: number): string {
  const r = ev.args[1] ?? 0;
  if (r === spec.Err.TIMED_OUT.value) return 'its deadline passed first';
  if (r === spec.Err.PEER_CLOSED.value) return 'the other end of the channel went away';
  if (r === spec.Err.CANCELED.value) return 'the handle it waited on was closed or revoked';
  for (let i = g - 1; i >= Math.max(m.base, g - WINDOW); i--) {
    const e = eventAt(m, i);
    if (e === undefined) continue;
    if (e.pid === ev.pid && e.kind === TRACE.SYSCALL_BLOCK) break; // the wait began here: nothing earlier woke it
    if (e.kind === TRACE.MSG_SEND && targetOf(m, i) === ev.pid && e.pid !== ev.pid) {
      return `${procName(m, e.pid)} ${messageKind(e) === 'reply' ? 'replied' : 'sent it a message'} at #${e.seq}`;
    }
    if (e.kind === TRACE.MSG_DELIVER && e.pid === ev.pid) {
      const send = eventAt(m, partnerOf(m, i));
      if (send !== undefined && messageKind(send) === 'reply') return `${procName(m, send.pid)} replied at #${send.seq}`;
      return `a message from ${procName(m, e.args[1] ?? 0)} arrived at #${e.seq}`;
    }
    if (e.kind === TRACE.IRQ && targetOf(m, i) === ev.pid) return `interrupt line ${e.args[0] ?? 0} fired at #${e.seq}`;
    if (e.kind === TRACE.TIMER_FIRE && targetOf(m, i) === ev.pid) return `its timer fired at #${e.seq}`;
    if (e.kind === TRACE.SIGNAL && targetOf(m, i) === ev.pid && (e.args[1] ?? 0) !== 0) {
      return `${e.pid > 0 ? procName(m, e.pid) : 'the kernel'} set ${signalNames(e.args[1] ?? 0)} on ${objectWords(m, e.args[0] ?? 0)} at #${e.seq}`;
    }
  }
  return 'what it waited for happened';
}

/**
 * A restart's SPAWN: "init restarts uart (generation 1, pid 6) after
 * generation 0 (pid 2) was killed by fault injection at #833, 0.4 ms before".
 */
function restartSentence(m: TraceModel, r: Restart): string {
  const { old, next } = r;
  const gap = r.gapMs === null ? '' : `, ${spanWords(r.gapMs)} before`;
  return `${procName(m, next.parent)} restarts ${next.name} (generation ${next.generation}, pid ${next.pid}) after generation ${old.generation} `
    + `(pid ${old.pid}) ${r.how} at ${at(m, old.exitAt)}${gap}. The new instance gets the same capabilities from the manifest, `
    + `and the services it serves keep their channels, so their clients go on.`;
}

/** The sentence for the event with global number g (mounts: where each filesystem service is mounted, to name paths). */
export function sentence(m: TraceModel, ev: TraceEvent, g: number, imageName: (id: number) => string,
  mounts: readonly MountPoint[] = DEFAULT_MOUNTS): string {
  const a = (i: number): number => ev.args[i] ?? 0;
  const who = procName(m, ev.pid);
  switch (ev.kind) {
    case TRACE.BOOT:
      return `The kernel booted with ${plural(a(0), 'CPU')}, in ${(a(1) & 1) !== 0 ? 'deterministic mode (virtual time: the same input gives the same trace)' : 'real time'}, `
        + `with a memory budget of ${a(2)} pages of 64 KiB (${Math.round((a(2) * 64) / 1024)} MiB) for all processes together.`;
    case TRACE.SYSCALL_ENTER: {
      const end = endAfter(m, ev.pid, g + 1);
      return `${who} asked the kernel to ${syscallWhat(a(0)) || lower(syscallName(a(0)))} (${lower(syscallName(a(0)))}); ${outcome(m, end)}.`;
    }
    case TRACE.SYSCALL_EXIT: {
      const r = a(1);
      const call = lower(syscallName(a(0)));
      if (r >= 0) return `The kernel completed ${who}'s ${call} and returned ${r}.`;
      if (REFUSALS.has(r)) return `The kernel refused ${who}'s ${call} with ${resultName(r)}: ${errorWhat(r)}. Nothing was changed.`;
      return `${who}'s ${call} returned ${resultName(r)}: ${errorWhat(r)}.`;
    }
    case TRACE.SYSCALL_BLOCK:
      return `${who} blocked in ${lower(syscallName(a(0)))}: ${waitsFor(m, ev, g)}. It uses no CPU meanwhile.`;
    case TRACE.SYSCALL_WAKE: {
      const r = a(1);
      const result = r >= 0 ? `with ${r}` : `with ${resultName(r)}`;
      return `${who} was woken: its ${lower(syscallName(a(0)))} completed ${result} because ${wokenBy(m, ev, g)}.`;
    }
    case TRACE.MSG_SEND: {
      // A file operation is a message to the filesystem service, and its reply: say which operation.
      const vfs = vfsRequestSentence(m, ev, g, mounts) ?? vfsReplySentence(m, ev, g, mounts);
      if (vfs !== null) return vfs;
      const end = partnerOf(m, g);
      const to = targetOf(m, g) > 0 ? targetOf(m, g) : holdersOf(m, a(1)).find((p) => p !== ev.pid) ?? -1;
      const toName = to > 0 ? procName(m, to) : 'nobody yet';
      const what = messageWords(ev, ev);
      const verb = messageKind(ev) === 'reply' ? `${who} replied to ${toName} with` : `${who} sent ${toName}`;
      const taken = end >= 0 ? `${toName} took it at ${at(m, end)}` : `it waits in the queue of ${objectWords(m, a(1))} until someone reads it`;
      return `${verb} ${what}; ${taken}.`;
    }
    case TRACE.MSG_DELIVER: {
      const send = partnerOf(m, g);
      const sendEv = send >= 0 ? eventAt(m, send) : undefined;
      const from = a(1) > 0 ? procName(m, a(1)) : 'the kernel';
      const request = sendEv !== undefined ? vfsRequestOf(sendEv) : null;
      if (request !== null && sendEv !== undefined) {
        return `${who} took the kernel's request to ${requestWords(m, sendEv, send, request, mounts)} from its queue`
          + `${send >= 0 ? ` (sent at ${at(m, send)})` : ''}; the caller stays blocked until ${who} replies.`;
      }
      return `${who} took ${messageWords(ev, sendEv)} from ${from}${send >= 0 ? `, sent at ${at(m, send)}` : ''}`
        + `${a(3) > 0 ? `; the kernel moved the ${plural(a(3), 'handle')} into ${who}'s handle table` : ''}.`;
    }
    case TRACE.SIGNAL: {
      const set = a(1) !== 0 ? `set ${signalNames(a(1))}` : '';
      const cleared = a(2) !== 0 ? `cleared ${signalNames(a(2))}` : '';
      const change = [set, cleared].filter((s) => s !== '').join(' and ') || 'changed nothing';
      return `The kernel ${change} on ${objectWords(m, a(0))}${ev.pid > 0 ? ` (because of ${who})` : ''}; its signals are now ${signalNames(a(3))}.`;
    }
    case TRACE.IRQ: {
      const to = targetOf(m, g);
      return `Interrupt line ${a(0)} fired: the kernel set bit ${a(2)} on ${objectWords(m, a(1))}${to > 0 ? `, waking ${procName(m, to)}'s wait` : ''} `
        + '(a driver learns of its device through a notification, not by running in the kernel).';
    }
    case TRACE.TIMER_FIRE: {
      const to = targetOf(m, g);
      return `Timer ${a(0)} reached its deadline: the kernel set bit ${a(2)} on ${objectWords(m, a(1))}${to > 0 ? ` for ${procName(m, to)}` : ''}.`;
    }
    case TRACE.SCHED_RUN: {
      const why = a(1) === spec.RunReason.START.value ? 'its first run since it was started'
        : a(1) === spec.RunReason.WAKE.value ? 'its blocking syscall completed' : 'it continues where it was preempted or yielded';
      return `The scheduler put ${who} on CPU ${a(0)}: ${why} (${lower(runReasonName(a(1)))}).`;
    }
    case TRACE.SCHED_PREEMPT:
      return `The kernel took CPU ${a(0)} from ${who}${a(1) > 0 ? ` so that ${procName(m, a(1))} could run` : ': its time slice was used up'}; ${who} stays ready and runs again later.`;
    case TRACE.SCHED_IDLE:
      return `CPU ${a(0)} has nothing to run: every process is blocked, or running on another CPU.`;
    case TRACE.SPAWN: {
      const child = m.procs.get(a(0));
      const restart = child !== undefined && child.spawnAt === g ? restartOf(m, child) : null;
      if (restart !== null) return restartSentence(m, restart);
      return `${ev.pid > 0 ? who : 'The kernel'} started ${procName(m, a(0))} (pid ${a(0)}) from the image ${imageName(a(1))}, at priority ${a(2)} with a quota of `
        + `${a(3)} pages; the kernel knows the new process as object ${a(4)} (its koid)${a(5) > 0 ? ` — generation ${a(5)} of its program` : ''}.`;
    }
    case TRACE.EXIT:
      return `${who} ended (${exitName(a(0))}): the kernel closed its handles and gave back its memory.`;
    case TRACE.FAULT: {
      const why = Object.values(spec.Fault).find((f) => f.value === a(0))?.doc;
      return `${who} faulted (${lower(faultName(a(0)))}${why === undefined ? '' : `: ${why}`}). The kernel stops only this process; the others go on.`;
    }
    case TRACE.KILL:
      return `${procName(m, a(0))} killed ${who} through its handle to ${who}'s process (it needs the MANAGE right).`;
    case TRACE.HANDLE_CREATE:
      return `${who} got a new handle ${hex(a(0))} to a ${typeName(a(2))} (koid ${a(1)}) with the rights ${rightsNames(a(3))}.`;
    case TRACE.HANDLE_DUPLICATE:
      return `${who} duplicated handle ${hex(a(1))} into ${hex(a(0))}: the same object (koid ${a(2)}), with the rights ${rightsNames(a(3))} — a copy can only have fewer rights.`;
    case TRACE.HANDLE_TRANSFER:
      return `${who} received handle ${hex(a(0))} to a ${typeName(a(5))} (koid ${a(3)}, rights ${rightsNames(a(4))}) from ${procName(m, a(1))}, `
        + `moved in a message: ${procName(m, a(1))} no longer holds it.`;
    case TRACE.HANDLE_CLOSE: {
      const why = a(2) === spec.CloseReason.CLOSED.value ? 'closed' : `lost (${lower(closeReasonName(a(2)))})`;
      return `${ev.pid > 0 ? `${who}'s` : 'A'} handle ${hex(a(0))} to ${objectWords(m, a(1))} was ${why}.`;
    }
    case TRACE.HANDLE_REVOKE:
      return `${who} revoked handle ${hex(a(0))} (koid ${a(1)}): the kernel closed ${plural(a(2), 'handle')} derived from it, in every process.`;
    case TRACE.OBJECT_CREATE:
      return `The kernel made a new ${typeName(a(1))}, object ${a(0)} (its koid)${ev.pid > 0 ? `, charged to ${who}` : ''}.`;
    case TRACE.OBJECT_DESTROY:
      return `The ${typeName(a(1))} ${a(0)} is gone: its last handle was closed.`;
    case TRACE.PAGE_CHARGE:
    case TRACE.PAGE_RELEASE: {
      const p = m.procs.get(ev.pid);
      const quota = p !== undefined ? ` of its quota of ${p.quotaPages}` : '';
      const verb = ev.kind === TRACE.PAGE_CHARGE ? `was charged ${plural(Math.abs(a(0)), 'page')}` : `gave back ${plural(Math.abs(a(0)), 'page')}`;
      return `${who} ${verb} of 64 KiB: it now uses ${a(1)}${quota}, and the system ${a(2)} of its budget of ${m.budgetPages}.`;
    }
    case TRACE.PANIC:
      return `The kernel panicked: ${dataText(ev) || 'no message'}. The machine stops.`;
    case TRACE.LOG:
      return `${who} wrote a line into the trace: “${dataText(ev).trim()}”.`;
    case TRACE.DATA:
      return 'The bytes that belong to the event before this one (a name, a message payload).';
    default:
      return `${who}: ${ev.kindName}.`;
  }
}

/** True when an event's fields name a kernel object by koid (the inspector then explains the word). */
export function mentionsKoid(names: readonly string[]): boolean {
  return names.some((n) => /koid$/i.test(n));
}
