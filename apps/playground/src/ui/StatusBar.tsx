// The status line: the machine's state (booting, running, panic …), CPUs and
// mode, how long the shell prompt took, trace records recorded and lost, and
// the keyboard shortcuts. Records are counted as the kernel numbers them
// (payload records included), so the count agrees with the #numbers shown.

import { usePlayground } from '../state/store.js';
import { eventCount, recordCount } from '../trace/model.js';
import { useThrottledVersion } from './hooks.js';
import { SHORTCUTS } from './shortcuts.js';
import { grouped } from './count.js';

export function StatusBar(): React.JSX.Element {
  useThrottledVersion(500);
  const machine = usePlayground((s) => s.machine);
  const m = usePlayground.getState().model;
  const alive = [...m.procs.values()].filter((p) => p.state !== 'exited').length;
  const records = recordCount(m);
  return (
    <footer className="statusbar">
      <span className={`machine-state ${machine.status}`} data-testid="machine-state">● {machine.status}</span>
      {machine.message !== '' && <span className="status-message" data-testid="machine-message">{machine.message}</span>}
      <span
        data-testid="machine-mode"
        title={machine.mode === 'solo'
          ? 'solo machine: this page cannot share memory between threads, so every process runs in the kernel\'s Worker (slower, same trace)'
          : 'isolated machine: every process on a Worker of its own, sharing memory with the kernel'}
      >
        {machine.mode}
      </span>
      <span>{machine.cpus} CPU{machine.cpus === 1 ? '' : 's'} · {machine.deterministic ? 'deterministic (virtual time)' : 'real time'}</span>
      {machine.promptMs !== null && <span data-testid="prompt-time">shell prompt after {machine.promptMs} ms</span>}
      <span
        data-testid="record-count"
        title={`The kernel numbers every trace record from #0: ${grouped(eventCount(m))} events, `
          + `${grouped(Math.max(0, records - eventCount(m) - machine.lost))} payload records (names, message bytes) that follow them`
          + `${machine.lost > 0 ? `, ${grouped(machine.lost)} lost` : ''}`}
      >
        {alive} processes · {grouped(records)} trace records{machine.lost > 0 ? ` · ${grouped(machine.lost)} lost` : ''}
      </span>
      <span className="shortcuts" data-testid="shortcuts">
        {SHORTCUTS.map(([k, what]) => <span key={k}><kbd>{k}</kbd> {what}</span>)}
      </span>
    </footer>
  );
}
