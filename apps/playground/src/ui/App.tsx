// The page, laid out like an IDE (DESIGN.md section 6): the toolbar on top;
// the IPC trace with the terminal and the editor below it on the left; the
// event inspector, the process table, the break-it panel and the capability
// / memory / files views on the right; a status line with the machine's state and the shortcuts. The
// Boot dialog (manifest, start-up script, export) opens over it all. Under
// the toolbar, a line about the open scenario (share/ScenarioBar.tsx); the
// Share and Embed dialogs are loaded when one first opens.

import { lazy, Suspense, useEffect, useState } from 'react';
import { Toolbar } from './Toolbar.js';
import { TracePanel } from './TracePanel.js';
import { TerminalPanel } from './TerminalPanel.js';
import { EventInspector } from './EventInspector.js';
import { ProcessTable } from './ProcessTable.js';
import { CapTable } from './CapTable.js';
import { CapGraph } from './CapGraph.js';
import { MemoryMap } from './MemoryMap.js';
import { BreakItPanel } from './BreakItPanel.js';
import { StatusBar } from './StatusBar.js';
import { BootDialog } from './BootDialog.js';
import { FilesPanel } from '../files/FilesPanel.js';
import { installShortcuts } from './shortcuts.js';
import { usePlayback } from './playback.js';
import { usePlayground } from '../state/store.js';
import { ScenarioBar } from '../share/ScenarioBar.js';
import { useShareUi } from '../share/ui-state.js';
import { useScenario } from '../scenario/state.js';

const EditorPanel = lazy(() => import('../editor/EditorPanel.js'));
const ShareDialogs = lazy(() => import('../share/dialogs.js'));
// The open scenario's text, steps and exercises: loaded with the first scenario opened.
const ScenarioPanel = lazy(() => import('../scenario/ScenarioPanel.js'));

type Tab = 'caps' | 'graph' | 'memory' | 'files';

/** A titled panel; a `scrolls` one can be focused, so the keyboard can scroll it too. */
function Panel({ title, children, extra, className, scrolls = false }: {
  title: string; children: React.ReactNode; extra?: React.ReactNode; className?: string; scrolls?: boolean;
}): React.JSX.Element {
  return (
    <section className={`panel ${className ?? ''}`} aria-label={title}>
      <div className="panel-bar"><h2 className="panel-title">{title}</h2>{extra}</div>
      <div className="panel-body" tabIndex={scrolls ? 0 : undefined}>{children}</div>
    </section>
  );
}

/** The longest the side panels wait for the first prompt before they render anyway (a manifest without a shell has none). */
const SIDE_PANELS_LATEST_MS = 1500;

/**
 * Whether the side panels' bodies render yet. The first frames go to what
 * the first prompt needs — the terminal, the trace, the toolbar — and the
 * rest (inspector, processes, break it, the graph) follow once the prompt is
 * up, so a cold load reaches the prompt sooner. Their frames are there from
 * the start, so nothing moves when they fill in.
 */
function useSidePanels(): boolean {
  const ready = usePlayground((s) => s.machine.promptMs !== null || s.machine.status === 'error' || s.machine.status === 'panic' || s.machine.status === 'recorded');
  const [late, setLate] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setLate(true), SIDE_PANELS_LATEST_MS);
    return () => clearTimeout(t);
  }, []);
  return ready || late;
}

export function App(): React.JSX.Element {
  const [tab, setTab] = useState<Tab>('graph');
  const promptUp = usePlayground((s) => s.machine.promptMs !== null);
  const [editorWanted, setEditorWanted] = useState(false);
  const side = useSidePanels();
  const later = (body: React.ReactNode): React.ReactNode => (side ? body : <div className="empty">starting…</div>);
  const shareWanted = useShareUi((u) => u.dialog !== null);
  const scenarioShown = useScenario((s) => s.scenario !== null || s.error !== '');
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
      <ScenarioBar />
      <main className="workspace">
        <div className="left">
          <Panel title="IPC trace" className="trace" extra={<span className="dim small">a lane per process · time runs down · click an event</span>}>
            <TracePanel />
          </Panel>
          <div className="bottom">
            <Panel title="Terminal" className="term" extra={<span className="dim small">the UART console · try <code>help</code>, <code>ping 3</code>, <code>spin &amp;</code></span>}>
              <TerminalPanel />
            </Panel>
            <section className="panel editor" aria-label="program editor">
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
        <div className={`right ${scenarioShown ? 'with-scenario' : ''}`}>
          {scenarioShown && (
            <Panel title="Scenario" className="scenario-panel" scrolls>
              <Suspense fallback={<div className="empty">loading the scenario…</div>}><ScenarioPanel /></Suspense>
            </Panel>
          )}
          <Panel title="Event" className="inspect" scrolls>{later(<EventInspector />)}</Panel>
          <Panel title="Processes" className="procs">{later(<ProcessTable />)}</Panel>
          <Panel title="Break it" className="breakit-panel" scrolls extra={<span className="dim small">fault a driver · init restarts it</span>}>{later(<BreakItPanel />)}</Panel>
          <section className="panel views" aria-label="capabilities and memory">
            <div className="panel-bar tabs">
              <button className={tab === 'graph' ? 'active' : ''} aria-pressed={tab === 'graph'} onClick={() => setTab('graph')} data-testid="tab-graph">Capability graph</button>
              <button className={tab === 'caps' ? 'active' : ''} aria-pressed={tab === 'caps'} onClick={() => setTab('caps')} data-testid="tab-caps">Capabilities</button>
              <button className={tab === 'memory' ? 'active' : ''} aria-pressed={tab === 'memory'} onClick={() => setTab('memory')} data-testid="tab-memory">Memory</button>
              <button className={tab === 'files' ? 'active' : ''} aria-pressed={tab === 'files'} onClick={() => setTab('files')} data-testid="tab-files">Files</button>
            </div>
            {tab === 'files' ? <div className="panel-body" aria-label="files">{later(<FilesPanel />)}</div> : (
              <div className="panel-body" tabIndex={0} aria-label={tab === 'graph' ? 'capability graph' : tab === 'caps' ? 'capabilities' : 'memory'}>
                {later(tab === 'graph' ? <CapGraph /> : tab === 'caps' ? <CapTable /> : <MemoryMap />)}
              </div>
            )}
          </section>
        </div>
      </main>
      <StatusBar />
      <BootDialog />
      {shareWanted && <Suspense fallback={null}><ShareDialogs /></Suspense>}
    </div>
  );
}
