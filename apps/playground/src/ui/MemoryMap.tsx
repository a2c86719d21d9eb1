// The memory map: pages charged to each living process (its linear memory
// plus the kernel objects and queued messages it caused, from PAGE_CHARGE /
// PAGE_RELEASE) against its quota, and the whole system against the budget,
// as one stacked bar coloured by process.

import { inspectedModel } from '../trace/inspected.js';
import { usePlayground } from '../state/store.js';
import { useThrottledVersion } from './hooks.js';
import { pidColor } from './theme.js';

export function MemoryMap(): React.JSX.Element {
  useThrottledVersion(300);
  usePlayground((s) => s.cursor);
  const m = inspectedModel();
  const alive = [...m.procs.values()].filter((p) => p.state !== 'exited');
  const budget = Math.max(1, m.budgetPages);
  const used = m.budgetUsed;
  return (
    <div className="memmap" data-testid="memory-map">
      <div className="sub-title">
        System budget: {used} of {m.budgetPages} pages ({((used * 64) / 1024).toFixed(1)} of {((m.budgetPages * 64) / 1024).toFixed(0)} MiB)
      </div>
      <div className="stack-bar">
        {alive.map((p) => (
          <span key={p.pid} title={`${p.name}: ${p.usedPages} pages`} style={{ width: `${(100 * p.usedPages) / budget}%`, background: pidColor(p.pid) }} />
        ))}
      </div>
      <table className="grid mem" aria-label="memory: pages used by each process">
        <thead><tr><th>process</th><th>pages / quota</th><th className="bar-col">use of its quota</th></tr></thead>
        <tbody>
          {alive.map((p) => {
            const frac = p.quotaPages > 0 ? p.usedPages / p.quotaPages : 0;
            return (
              <tr key={p.pid}>
                <td><i className="dot" style={{ background: pidColor(p.pid) }} />{p.name} {p.pid}</td>
                <td className="num">{p.usedPages} / {p.quotaPages}</td>
                <td className="bar-col">
                  <div className="bar"><span style={{ width: `${Math.min(100, frac * 100)}%`, background: frac > 0.9 ? '#f06a6a' : pidColor(p.pid) }} /></div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="dim small">A page is 64 KiB: linear memory plus 256 bytes per kernel object created and queued message bytes, charged to the process that caused them.</div>
    </div>
  );
}
