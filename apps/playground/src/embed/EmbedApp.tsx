// The embed view (?embed=1): the playground with minimal chrome, for a frame
// in a course page — a step bar (back, step, to the end, where the
// selection is), the scenario's title and the annotation of the step being
// looked at, the panels the snippet chose (trace, inspector, terminal), and
// "open in the playground", which opens the full page in a new tab with the
// same URL state and scenario. The panels are the URL's (`panels=`), else the
// scenario's `view.panels`. Everything else (the editor, the Boot dialog,
// the break-it panel) stays in the full playground.

import { Suspense, lazy, useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { TracePanel } from '../ui/TracePanel.js';
import { TerminalPanel } from '../ui/TerminalPanel.js';
import { EventInspector } from '../ui/EventInspector.js';
import { IconBack, IconStep } from '../ui/icons.js';
import { useThrottledVersion } from '../ui/hooks.js';
import { installShortcuts } from '../ui/shortcuts.js';
import { usePlayground } from '../state/store.js';
import { eventAt } from '../trace/model.js';
import { useSharedScenario } from '../share/current.js';
import { useScenario } from '../scenario/state.js';
import { annotationAt } from './annotation.js';
import { PANELS, type PanelName } from './params.js';
import { viewUrl } from '../share/view-url.js';
import { ProcessTable } from '../ui/ProcessTable.js';

const ScenarioPanel = lazy(() => import('../scenario/ScenarioPanel.js'));

function OpenInPlayground(): React.JSX.Element {
  // The href is made again when the link is about to be used, from the view as it is then.
  useThrottledVersion(500);
  usePlayground((p) => p.cursor);
  const fresh = (e: React.SyntheticEvent<HTMLAnchorElement>): void => {
    e.currentTarget.href = viewUrl();
  };
  return (
    <a className="tb" href={viewUrl()} target="_blank" rel="noopener" onMouseDown={fresh} onFocus={fresh} onClick={fresh} data-testid="open-in-playground">
      open in the playground ↗
    </a>
  );
}

function StepBar(): React.JSX.Element {
  useThrottledVersion(150);
  const s = usePlayground(useShallow((p) => ({ cursor: p.cursor, step: p.step, seekRow: p.seekRow })));
  const { rows, model } = usePlayground.getState();
  const row = s.cursor >= 0 ? rows.rowOf(s.cursor) : rows.length - 1;
  const ev = eventAt(model, s.cursor);
  return (
    <div className="group" role="group" aria-label="step through the trace">
      <button className="tb" onClick={() => s.step(-1)} title="Step back (←)" data-testid="btn-back"><IconBack /> back</button>
      <button className="tb" onClick={() => s.step(1)} title="Step to the next event (→)" data-testid="btn-step"><IconStep /> step</button>
      <button className="tb" onClick={() => s.seekRow(rows.length - 1)} title="Go to the newest event (End)" data-testid="btn-end">to the end ⇥</button>
      <span className="pos" data-testid="position">{ev !== undefined ? `#${ev.seq}` : 'live'} · {Math.max(0, row + 1)}/{rows.length}</span>
    </div>
  );
}

/** The scenario's title and the annotation of the step at the selection (or its text before the first step). */
function Annotation(): React.JSX.Element {
  // Re-rendered as the trace grows (a step's event may arrive after the selection moved).
  useThrottledVersion(250);
  const cursor = usePlayground((p) => p.cursor);
  const message = useSharedScenario((c) => c.message);
  const { scenario, error } = useScenario(useShallow((c) => ({ scenario: c.scenario, error: c.error })));
  const m = usePlayground.getState().model;
  const steps = scenario?.steps ?? [];
  const step = steps.length === 0 ? null : annotationAt(m, steps, cursor >= 0 ? cursor : m.base + m.eventRecs.length - 1);
  // Always there (empty without a scenario), so the grid's rows stay in place.
  if (scenario === null && message === '' && error === '') return <div className="embed-text empty-line" data-testid="embed-annotation" />;
  return (
    <div className="embed-text" data-testid="embed-annotation">
      {message !== '' && <p className="share-message" role="alert" data-testid="scenario-message">{message}</p>}
      {error !== '' && <p className="share-message" role="alert" data-testid="scenario-error">{error}</p>}
      {scenario !== null && <strong className="embed-title">{scenario.title}</strong>}
      {scenario !== null && (
        <span data-testid="annotation-text">
          {step !== null ? <><span className="dim">step {step.index + 1}/{scenario.steps?.length}: </span>{step.text}</> : scenario.text}
        </span>
      )}
    </div>
  );
}

function Panel({ name }: { name: PanelName }): React.JSX.Element {
  const title = name === 'trace' ? 'IPC trace' : name === 'inspector' ? 'Event' : 'Terminal';
  return (
    <section className={`panel embed-${name} ${name === 'trace' ? 'trace' : name === 'terminal' ? 'term' : 'inspect'}`} aria-label={title}>
      <div className="panel-bar"><h2 className="panel-title">{title}</h2></div>
      <div className="panel-body" tabIndex={name === 'inspector' ? 0 : undefined}>
        {name === 'trace' ? <TracePanel /> : name === 'terminal' ? <TerminalPanel /> : <EventInspector />}
      </div>
    </section>
  );
}

/** The panels: the URL's `panels=`, else the scenario's `view.panels`, else all three. */
function usePanels(fromUrl: PanelName[] | null): PanelName[] {
  const wanted = useScenario((c) => c.scenario?.view?.panels);
  if (fromUrl !== null) return fromUrl;
  const named = PANELS.filter((p) => wanted?.includes(p) === true);
  return named.length > 0 ? named : [...PANELS];
}

/**
 * A scenario with exercises, or a recorded one (or a live run started from
 * one), brings what stepping through it is for: the process table at the
 * selected event, the scenario's exercises and "run live from here".
 */
function ScenarioExtras(): React.JSX.Element | null {
  const shown = useScenario((c) => c.recorded !== null || c.compareWith !== null || (c.scenario?.checks?.length ?? 0) > 0);
  if (!shown) return null;
  return (
    <div className="embed-recorded" data-testid="embed-recorded">
      <section className="panel inspect" aria-label="Processes"><div className="panel-body"><ProcessTable /></div></section>
      <section className="panel" aria-label="Scenario"><div className="panel-body"><Suspense fallback={null}><ScenarioPanel /></Suspense></div></section>
    </div>
  );
}

export function EmbedApp({ panels: fromUrl }: { panels: PanelName[] | null }): React.JSX.Element {
  useEffect(() => installShortcuts(), []);
  const panels = usePanels(fromUrl);
  const left = panels.filter((p) => p !== 'inspector');
  const right = panels.includes('inspector');
  return (
    <div className="app embed" data-testid="embed-view">
      <header className="toolbar" aria-label="embedded scenario controls">
        <div className="brand">ONCRIX</div>
        <StepBar />
        <div className="group embed-open"><OpenInPlayground /></div>
      </header>
      <Annotation />
      <main className={`embed-main${right && left.length > 0 ? ' two' : ''}`}>
        {left.length > 0 && <div className={`embed-left n${left.length}`}>{left.map((p) => <Panel key={p} name={p} />)}</div>}
        {right && <Panel name="inspector" />}
      </main>
      <ScenarioExtras />
    </div>
  );
}
