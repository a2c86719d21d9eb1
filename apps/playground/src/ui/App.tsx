// The page, laid out like an IDE (DESIGN.md section 6): the toolbar on top;
// the IPC trace with the terminal and the editor below it on the left; the
// event inspector, the process table and the capability / memory views on
// the right; a status line with the machine's state and the shortcuts. The
// Boot dialog (manifest, start-up script, export) opens over it all.

import { lazy, Suspense, useEffect, useState } from 'react';
import { Toolbar } from './Toolbar.js';
import { TracePanel } from './TracePanel.js';
import { TerminalPanel } from './TerminalPanel.js';
import { EventInspector } from './EventInspector.js';
import { ProcessTable } from './ProcessTable.js';
import { CapTable } from './CapTable.js';
import { CapGraph } from './CapGraph.js';
import { MemoryMap } from './MemoryMap.js';
import { StatusBar } from './StatusBar.js';
import { BootDialog } from './BootDialog.js';
import { installShortcuts } from './shortcuts.js';
import { usePlayback } from './playback.js';
import { usePlayground } from '../state/store.js';

const EditorPanel = lazy(() => import('../editor/EditorPanel.js'));

type Tab = 'caps' | 'graph' | 'memory';

function Panel({ title, children, extra, className }: { title: string; children: React.ReactNode; extra?: React.ReactNode; className?: string }): React.JSX.Element {
  return (
    <section className={`panel ${className ?? ''}`}>
      <div className="panel-bar"><span className="panel-title">{title}</span>{extra}</div>
      <div className="panel-body">{children}</div>
    </section>
  );
}

export function App(): React.JSX.Element {
  const [tab, setTab] = useState<Tab>('graph');
  const promptUp = usePlayground((s) => s.machine.promptMs !== null);
  const [editorWanted, setEditorWanted] = useState(false);
  useEffect(() => installShortcuts(), []);
  useEffect(() => {
    const marks = window.__oncrix?.marks;
    if (marks !== undefined) marks.interactive ??= performance.now();
  }, []);
  usePlayback();
  // Monaco loads once the shell prompt is up, so it never delays the machine.
  useEffect(() => {
    if (!promptUp || editorWanted) return;
    const t = setTimeout(() => setEditorWanted(true), 300);
    return () => clearTimeout(t);
  }, [promptUp, editorWanted]);

  return (
    <div className="app">
      <Toolbar />
      <main className="workspace">
        <div className="left">
          <Panel title="IPC trace" className="trace" extra={<span className="dim small">a lane per process · time runs down · click an event</span>}>
            <TracePanel />
          </Panel>
          <div className="bottom">
            <Panel title="Terminal" className="term" extra={<span className="dim small">the UART console · try <code>help</code>, <code>ping 3</code>, <code>spin &amp;</code></span>}>
              <TerminalPanel />
            </Panel>
            <section className="panel editor">
              {editorWanted ? (
                <Suspense fallback={<div className="empty">loading the editor…</div>}>
                  <EditorPanel />
                </Suspense>
              ) : (
                <div className="empty">The editor loads when the shell is up…</div>
              )}
            </section>
          </div>
        </div>
        <div className="right">
          <Panel title="Event" className="inspect"><EventInspector /></Panel>
          <Panel title="Processes" className="procs"><ProcessTable /></Panel>
          <section className="panel views">
            <div className="panel-bar tabs">
              <button className={tab === 'graph' ? 'active' : ''} onClick={() => setTab('graph')} data-testid="tab-graph">Capability graph</button>
              <button className={tab === 'caps' ? 'active' : ''} onClick={() => setTab('caps')} data-testid="tab-caps">Capabilities</button>
              <button className={tab === 'memory' ? 'active' : ''} onClick={() => setTab('memory')} data-testid="tab-memory">Memory</button>
            </div>
            <div className="panel-body">
              {tab === 'graph' ? <CapGraph /> : tab === 'caps' ? <CapTable /> : <MemoryMap />}
            </div>
          </section>
        </div>
      </main>
      <StatusBar />
      <BootDialog />
    </div>
  );
}
