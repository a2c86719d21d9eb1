// The capability table of one process: every handle it holds as the trace
// built it (HANDLE_CREATE, _DUPLICATE, _TRANSFER in; _CLOSE out) — value,
// object type, koid, rights, what the object is, and the event that put the
// handle there (a link into the trace).

import { inspectedModel } from '../trace/inspected.js';
import { usePlayground } from '../state/store.js';
import { eventAt } from '../trace/model.js';
import { objectLabel, procLabel } from '../trace/describe.js';
import { typeName, rightsLetters, rightsNames } from '../trace/names.js';
import { useThrottledVersion } from './hooks.js';

/** The process the capability views show: the chosen one, else the selected event's. */
export function useInspectedPid(): number | null {
  const selectedPid = usePlayground((s) => s.selectedPid);
  const cursor = usePlayground((s) => s.cursor);
  const m = inspectedModel();
  if (selectedPid !== null) return selectedPid;
  const ev = eventAt(m, cursor);
  return ev !== undefined && ev.pid > 0 ? ev.pid : null;
}

export function CapTable(): React.JSX.Element {
  useThrottledVersion(250);
  const pid = useInspectedPid();
  const select = usePlayground((s) => s.select);
  const m = inspectedModel();
  if (pid === null) return <div className="empty">Choose a process in the table above (or an event of it) to see its capabilities.</div>;
  const handles = [...(m.handles.get(pid)?.values() ?? [])].sort((a, b) => (a.value & 1023) - (b.value & 1023));
  return (
    <div className="table-wrap">
      <div className="sub-title" data-testid="cap-title">Capabilities of {procLabel(m, pid)} · {handles.length} handles</div>
      <table className="grid" data-testid="cap-table" aria-label="capabilities: the handles of the chosen process">
        <thead>
          <tr><th>handle</th><th>type</th><th>koid</th><th>rights</th><th>object</th><th>since</th></tr>
        </thead>
        <tbody>
          {handles.map((h) => (
            <tr key={h.value}>
              <td><code>0x{(h.value >>> 0).toString(16)}</code></td>
              <td>{typeName(h.type)}</td>
              <td>{h.koid}</td>
              <td><code title={rightsNames(h.rights)}>{rightsLetters(h.rights)}</code></td>
              <td className="wrap">{objectLabel(m, h.koid)}</td>
              <td>
                <button className="link" onClick={() => select(h.at)} title={h.via === 'transfer' ? `moved from ${procLabel(m, h.fromPid)}` : h.via}>
                  {h.via === 'transfer' ? '⇐' : h.via === 'duplicate' ? '⎘' : '+'} #{eventAt(m, h.at)?.seq ?? '…'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
