// The process table, derived from the trace: state (from scheduling and
// blocking events), priority and quota (SPAWN), CPU time (the runs between
// SCHED_RUN and the event that took the CPU away), memory (PAGE_CHARGE /
// PAGE_RELEASE), handles held, and the generation (SPAWN: which instance of
// its program a supervisor's restart made). Clicking a row chooses the process whose
// capabilities the panels below show.

import { inspectedModel } from '../trace/inspected.js';
import { usePlayground } from '../state/store.js';
import { cpuTimeNs, eventAt } from '../trace/model.js';
import { exitName, syscallName } from '../trace/names.js';
import { useThrottledVersion } from './hooks.js';
import { pidColor } from './theme.js';

export function ProcessTable(): React.JSX.Element {
  useThrottledVersion(250);
  const selectedPid = usePlayground((s) => s.selectedPid);
  const cursor = usePlayground((s) => s.cursor);
  const selectPid = usePlayground((s) => s.selectPid);
  const m = inspectedModel();
  const current = selectedPid ?? eventAt(m, cursor)?.pid ?? null;
  const procs = [...m.procs.values()].sort((a, b) => {
    const ea = a.state === 'exited' ? 1 : 0;
    const eb = b.state === 'exited' ? 1 : 0;
    return ea - eb || a.pid - b.pid;
  });
  return (
    <div className="table-wrap">
      <table className="grid" data-testid="process-table" aria-label="processes">
        <thead>
          <tr>
            <th>pid</th><th>name</th><th className="num" title="generation: which instance of its program (0 first, +1 per restart by init)">gen</th><th>state</th><th>pri</th><th className="num">cpu ms</th><th className="num">pages</th><th className="num">handles</th>
          </tr>
        </thead>
        <tbody>
          {procs.map((p) => (
            <tr
              key={p.pid}
              className={`${p.pid === current ? 'selected' : ''} ${p.state === 'exited' ? 'exited' : ''}`}
              onClick={() => selectPid(p.pid === selectedPid ? null : p.pid)}
              onKeyDown={(e) => {
                if (e.key !== 'Enter' && e.key !== ' ') return;
                e.preventDefault();
                selectPid(p.pid === selectedPid ? null : p.pid);
              }}
              tabIndex={0}
              aria-label={`${p.name}, pid ${p.pid}, ${p.state}: show its capabilities`}
              data-testid={`proc-row-${p.pid}`}
              data-name={p.name}
              data-state={p.state}
              data-generation={p.generation}
            >
              <td>{p.pid}</td>
              <td><i className="dot" style={{ background: pidColor(p.pid) }} />{p.name}</td>
              <td className="num" data-testid="proc-gen">{p.generation}</td>
              <td>
                <span className={`state ${p.state}`} title={p.state === 'blocked' && p.blockedNr >= 0 ? `in ${syscallName(p.blockedNr)}` : undefined}>
                  {p.state === 'exited' && p.exitCode !== null ? exitName(p.exitCode) : p.state}
                </span>
              </td>
              <td>{p.priority}</td>
              <td className="num">{(cpuTimeNs(m, p) / 1e6).toFixed(2)}</td>
              <td className="num">{p.usedPages}/{p.quotaPages}</td>
              <td className="num">{m.handles.get(p.pid)?.size ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
