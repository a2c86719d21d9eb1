// The event inspector: everything one trace record says, in words — first
// one plain sentence (trace/sentence.ts: who did what to whom, and what the
// kernel decided), then process, CPU, time, every field with its name from
// the ABI and what the value means ("koid" explained where it appears), the
// message bytes as hex and text, the handles a message moved with their
// rights, and the syscall it happened in with its result. Related events
// (the other end of a message, the call around it) are links that select
// them; "only KIND" filters the trace to this kind in one click.

import { TRACE } from '@oncrix/abi';
import { usePlayground } from '../state/store.js';
import { eventAt, partnerOf, type TraceModel } from '../trace/model.js';
import { explainArgs, procLabel, enclosingCall, handlesDelivered, messageKind, callEnd } from '../trace/describe.js';
import { kindDoc, kindName, syscallName, resultName, typeName, rightsNames, rightsLetters } from '../trace/names.js';
import { onlyKinds } from '../trace/filter.js';
import { sentence, mentionsKoid, KOID_MEANING } from '../trace/sentence.js';
import { imageName } from '../machine/assets.js';
import { controller } from '../machine/controller.js';
import { DEFAULT_MOUNTS } from '../trace/vfs.js';
import { useThrottledVersion } from './hooks.js';
import { C, pidColor } from './theme.js';

function EventLink({ g, children }: { g: number; children: React.ReactNode }): React.JSX.Element {
  const select = usePlayground((s) => s.select);
  const ev = eventAt(usePlayground.getState().model, g);
  if (ev === undefined) return <span className="dim">(trimmed)</span>;
  return (
    <button className="link" onClick={() => select(g)}>
      {children} #{ev.seq}
    </button>
  );
}

/** Hex and printable text of bytes, 16 per line. */
export function hexDump(bytes: Uint8Array): { offset: string; hex: string; text: string }[] {
  const lines: { offset: string; hex: string; text: string }[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const chunk = [...bytes.subarray(i, i + 16)];
    lines.push({
      offset: i.toString(16).padStart(4, '0'),
      hex: chunk.map((b) => b.toString(16).padStart(2, '0')).join(' '),
      text: chunk.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·')).join(''),
    });
  }
  return lines;
}

function CallContext({ m, g }: { m: TraceModel; g: number }): React.JSX.Element | null {
  const ev = eventAt(m, g);
  if (ev === undefined) return null;
  if (ev.kind === TRACE.SYSCALL_ENTER) {
    const end = callEnd(m, g);
    const endEv = end >= 0 ? eventAt(m, end) : undefined;
    return (
      <div className="kv">
        <span>result</span>
        <span>
          {endEv === undefined ? 'still in the call' : endEv.kind === TRACE.EXIT ? 'the process exited' : resultName(endEv.args[1] ?? 0)}
          {end >= 0 && <> · <EventLink g={end}>returned at</EventLink></>}
        </span>
      </div>
    );
  }
  const call = enclosingCall(m, ev, g);
  if (call === null) return null;
  const enter = eventAt(m, call.enter);
  const endEv = call.end >= 0 ? eventAt(m, call.end) : undefined;
  return (
    <div className="kv">
      <span>in syscall</span>
      <span>
        <EventLink g={call.enter}>{syscallName(enter?.args[0] ?? 0).toLowerCase()}</EventLink>
        {' → '}
        {endEv === undefined ? 'not returned yet' : endEv.kind === TRACE.EXIT ? 'exited' : resultName(endEv.args[1] ?? 0)}
        {call.end >= 0 && <> (<EventLink g={call.end}>at</EventLink>)</>}
      </span>
    </div>
  );
}

function MessageDetails({ m, g }: { m: TraceModel; g: number }): React.JSX.Element | null {
  const ev = eventAt(m, g);
  if (ev === undefined || (ev.kind !== TRACE.MSG_SEND && ev.kind !== TRACE.MSG_DELIVER)) return null;
  const other = partnerOf(m, g);
  const delivery = ev.kind === TRACE.MSG_DELIVER ? g : other;
  const moved = delivery >= 0 ? handlesDelivered(m, delivery) : [];
  const send = ev.kind === TRACE.MSG_SEND ? ev : other >= 0 ? eventAt(m, other) : undefined;
  return (
    <>
      <div className="kv">
        <span>message</span>
        <span>
          {send !== undefined ? messageKind(send) : 'msg'} · {ev.args[2] ?? 0} bytes · {ev.args[3] ?? 0} handles
          {other >= 0 && <> · <EventLink g={other}>{ev.kind === TRACE.MSG_SEND ? 'delivered at' : 'sent at'}</EventLink></>}
          {other < 0 && ev.kind === TRACE.MSG_SEND && ' · not delivered yet'}
        </span>
      </div>
      {moved.length > 0 && (
        <div className="kv">
          <span>handles moved</span>
          <span>
            {moved.map((t) => {
              const te = eventAt(m, t);
              if (te === undefined) return null;
              return (
                <div key={t} className="moved-handle" data-testid="moved-handle">
                  {typeName(te.args[5] ?? 0)} <code>{rightsLetters(te.args[4] ?? 0)}</code> ({rightsNames(te.args[4] ?? 0)}) · koid {te.args[3]} · now{' '}
                  <code>0x{((te.args[0] ?? 0) >>> 0).toString(16)}</code> in {procLabel(m, te.pid)}
                </div>
              );
            })}
          </span>
        </div>
      )}
    </>
  );
}

/** One click: show only events of this kind in the trace. */
function OnlyThisKind({ kind }: { kind: number }): React.JSX.Element {
  const filter = usePlayground((s) => s.filter);
  const setFilter = usePlayground((s) => s.setFilter);
  return (
    <button className="ev-only" title={`show only ${kindName(kind)} events in the trace`} data-testid="only-this-kind"
      onClick={() => setFilter(onlyKinds(filter, [kind]))}>only {kindName(kind)}</button>
  );
}

export function EventInspector(): React.JSX.Element {
  useThrottledVersion(250);
  const cursor = usePlayground((s) => s.cursor);
  const m = usePlayground.getState().model;
  const ev = cursor >= 0 ? eventAt(m, cursor) : undefined;
  if (ev === undefined) {
    return (
      <div className="inspector empty" data-testid="event-inspector">
        <p>Click an event in the trace, or pause (<kbd>Space</kbd>) and step (<kbd>→</kbd>), to see its details here.</p>
        <p>Try <code>ping 3</code> in the terminal, then show only <em>IPC</em> (one click, above the trace) and step through the calls and replies.</p>
        <ul className="legend-list">
          <li><span style={{ color: C.accent }}>──▶</span> a message, from the sender&apos;s row to the row where it was taken (call, reply, msg; bytes; +N cap when it carries handles)</li>
          <li><span style={{ color: C.gold }}>──▶</span> a capability moving to another process; <span style={{ color: C.purple }}>──▶</span> spawn; <span style={{ color: C.orange }}>──▶</span> an interrupt</li>
          <li><span style={{ color: C.dim }}>□ ■</span> syscall entry and result · <span style={{ color: C.dim }}>❚❚</span> blocked · <span style={{ color: C.green }}>▶</span> scheduled · <span style={{ color: C.red }}>✕</span> exit, kill, fault</li>
          <li>a thick lifeline: the process is on a CPU</li>
        </ul>
      </div>
    );
  }
  const args = explainArgs(m, ev, imageName);
  const dump = hexDump(ev.data);
  return (
    <div className="inspector" data-testid="event-inspector">
      <div className="ev-title">
        <span className="ev-seq">#{ev.seq}</span>
        <span className="ev-kind" data-testid="event-kind">{ev.kindName}</span>
        <span className="ev-pid" style={{ color: pidColor(ev.pid) }}>{procLabel(m, ev.pid)}</span>
        <OnlyThisKind kind={ev.kind} />
      </div>
      <p className="ev-sentence" data-testid="event-sentence">{sentence(m, ev, cursor, imageName, controller.system?.manifest.mounts ?? DEFAULT_MOUNTS)}</p>
      <div className="kv"><span>time</span><span>{(ev.time / 1e6).toFixed(6)} ms · {ev.cpu === 255 ? 'no CPU' : `CPU ${ev.cpu}`}</span></div>
      <CallContext m={m} g={cursor} />
      <MessageDetails m={m} g={cursor} />
      {args.length > 0 && (
        <table className="args" data-testid="event-args">
          <caption className="dim small">the record&apos;s fields ({kindDoc(ev.kind)})</caption>
          <thead className="sr-only"><tr><th scope="col">field</th><th scope="col">value</th><th scope="col">meaning</th></tr></thead>
          <tbody>
            {args.map((a) => (
              <tr key={a.name}>
                <td className="arg-name">{a.name}</td>
                <td className="arg-value">{a.value}</td>
                <td className="arg-meaning">{a.meaning}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mentionsKoid(args.map((a) => a.name)) && <p className="glossary small" data-testid="koid-meaning">{KOID_MEANING}</p>}
      {ev.kind === TRACE.SYSCALL_ENTER && (
        <div className="ev-doc">{syscallName(ev.args[0] ?? 0)}: arguments a0…a5 as the process passed them</div>
      )}
      {dump.length > 0 && (
        <div className="hexdump" data-testid="event-data">
          <div className="dim">data · {ev.data.length} bytes{ev.kind === TRACE.MSG_SEND ? ' (first 128 of the payload)' : ''}</div>
          {dump.map((l) => (
            <div key={l.offset}>
              <span className="dim">{l.offset}</span> <span>{l.hex.padEnd(47, ' ')}</span> <span className="hex-text">{l.text}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
