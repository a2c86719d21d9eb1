// The open scenario beside the trace: its teaching text, the annotation of
// the step the selected event is under (with previous / next annotated
// step), the variant's seed (change it for other numbers), and the
// exercises: each check's pass/fail with the event that decided it (click
// to select it) and the questions, answered and checked.

import { useMemo, useState } from 'react';
import { usePlayground } from '../state/store.js';
import { useThrottledVersion } from '../ui/hooks.js';
import { useScenario } from './state.js';
import { locate, results, stepAt } from './evaluate.js';
import { openLibraryScenario } from './open.js';
import { runLiveFrom } from './live.js';
import { libraryEntry } from '@oncrix/scenario/library';

/** Teaching text: paragraphs at blank lines, `code` in backquotes. */
function Prose({ text }: { text: string }): React.JSX.Element {
  return (
    <>
      {text.split(/\n\s*\n/).map((p, i) => (
        <p key={i}>{p.split(/(`[^`]+`)/).map((part, j) => (part.startsWith('`') && part.endsWith('`') ? <code key={j}>{part.slice(1, -1)}</code> : part))}</p>
      ))}
    </>
  );
}

export default function ScenarioPanel(): React.JSX.Element | null {
  const version = useThrottledVersion(250);
  const sc = useScenario();
  const cursor = usePlayground((p) => p.cursor);
  const select = usePlayground((p) => p.select);
  const [seedText, setSeedText] = useState('');
  const [checked, setChecked] = useState(0);
  const s = sc.scenario;
  const located = useMemo(
    () => (s === null ? null : locate(usePlayground.getState().model, s)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the model changes in place; version says when
    [s, version, cursor, checked],
  );
  if (sc.error !== '') return <div className="scenario" role="alert" data-testid="scenario-error">{sc.error}</div>;
  if (s === null || located === null) return null;
  const selected = cursor >= 0 ? cursor : located.gs[located.gs.length - 1] ?? -1;
  const current = stepAt(located.steps, selected);
  const order = located.steps.map((g, i) => ({ g, i })).filter((x) => x.g >= 0).sort((a, b) => a.g - b.g);
  const prev = [...order].reverse().find((x) => x.g < selected && x.i !== current);
  const next = order.find((x) => x.g > selected);
  const shown = results(located, s, sc.params, sc.submitted);
  const reseed = (): void => {
    const seed = Number(seedText);
    const entry = libraryEntry(s.id);
    if (!Number.isInteger(seed) || seed < 0 || entry === undefined) return;
    void openLibraryScenario(entry.id, seed);
  };
  return (
    <div className="scenario" data-testid="scenario">
      <h3 data-testid="scenario-title">{s.title}</h3>
      <Prose text={s.text} />
      {sc.seed !== null && (
        <div className="scenario-seed">
          variant seed <strong data-testid="scenario-seed">{sc.seed}</strong>
          {Object.keys(sc.params).length > 0 && <> ({Object.entries(sc.params).map(([k, v]) => `${k} = ${String(v)}`).join(', ')})</>}
          <input aria-label="another seed" value={seedText} onChange={(e) => setSeedText(e.target.value)} size={6} data-testid="scenario-seed-input" />
          <button className="tb" onClick={reseed} data-testid="scenario-reseed">new variant</button>
        </div>
      )}
      {(sc.recorded !== null || sc.recordingNote !== '') && (
        <div className="scenario-recorded" data-testid="scenario-recorded">
          {sc.recorded !== null && <>A recorded run ({sc.recorded.length} events), played without a machine. <button className="tb" onClick={() => void runLiveFrom(selected)} data-testid="run-live">run live from here</button></>}
          {sc.recordingNote !== '' && <p className="dim small" role="status" data-testid="recording-note">{sc.recordingNote}</p>}
        </div>
      )}
      <div className="scenario-step" aria-live="polite">
        <button className="tb" disabled={prev === undefined} onClick={() => prev !== undefined && select(prev.g)} data-testid="step-prev">◀ previous step</button>
        <button className="tb" disabled={next === undefined} onClick={() => next !== undefined && select(next.g)} data-testid="step-next">next step ▶</button>
        <p data-testid="step-text">
          {current >= 0 ? <><strong>Step {current + 1} of {located.steps.length}:</strong> {s.steps?.[current]?.text}</> : sc.typing ? 'The script is being typed…' : 'Select an event, or step to the first annotated one.'}
        </p>
      </div>
      {(s.checks ?? []).length > 0 && (
        <div className="scenario-checks">
          <h4>Exercises <button className="tb" onClick={() => setChecked((n) => n + 1)} data-testid="checks-refresh">check again</button></h4>
          <ul>
            {(s.checks ?? []).map((c, i) => {
              const r = shown[i];
              return (
                <li key={i} className={r?.passed === true ? 'pass' : 'fail'} data-testid={`check-${i}`}>
                  <span className="verdict">{r?.passed === true ? '✔ passed' : '✘ not passed'}</span> {c.text}
                  {c.type === 'answer' && (
                    <span className="answer">
                      {' '}{c.question}{' '}
                      {c.choices !== undefined ? (
                        <select aria-label={c.question} value={sc.answers[i] ?? ''} onChange={(e) => sc.set({ answers: { ...sc.answers, [i]: e.target.value } })} data-testid={`answer-${i}`}>
                          <option value="">choose…</option>
                          {c.choices.map((x) => <option key={x} value={x}>{x}</option>)}
                        </select>
                      ) : (
                        <input aria-label={c.question} value={sc.answers[i] ?? ''} size={6} onChange={(e) => sc.set({ answers: { ...sc.answers, [i]: e.target.value } })} data-testid={`answer-${i}`} />
                      )}
                      <button className="tb" onClick={() => sc.set({ submitted: { ...sc.submitted, [i]: sc.answers[i] ?? '' } })} data-testid={`answer-check-${i}`}>check</button>
                    </span>
                  )}
                  {r !== undefined && (
                    <div className="why dim small" data-testid={`check-why-${i}`}>
                      {r.why}
                      {r.g >= 0 && <> · <button className="link" onClick={() => select(r.g)} data-testid={`check-event-${i}`}>show the event</button></>}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </div>
  );
}
