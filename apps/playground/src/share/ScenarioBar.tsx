// The line under the toolbar about scenario files and links: a message
// about one that could not be opened, closing the open scenario (whose text,
// steps and exercises the Scenario panel shows), and export / import of
// scenario files — the file code (share/files.ts) is
// loaded at the first use. A scenario file dropped anywhere on the page is
// imported as well.

import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSharedScenario } from './current.js';
import { useScenario } from '../scenario/state.js';

const files = (): Promise<typeof import('./files.js')> => import('./files.js');

/** Import a file dropped on the page; mark the page while a file is dragged over it. */
function useDrop(): boolean {
  const [over, setOver] = useState(false);
  useEffect(() => {
    const hasFile = (e: DragEvent): boolean => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const onOver = (e: DragEvent): void => {
      if (!hasFile(e)) return;
      e.preventDefault();
      setOver(true);
    };
    const onLeave = (e: DragEvent): void => {
      if (e.relatedTarget === null) setOver(false);
    };
    const onDrop = (e: DragEvent): void => {
      if (!hasFile(e)) return;
      e.preventDefault();
      setOver(false);
      const file = e.dataTransfer?.files[0];
      if (file !== undefined) void files().then((f) => f.importScenarioFile(file));
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
  return over;
}

export function ScenarioBar(): React.JSX.Element {
  const { message, close, dismiss } = useSharedScenario(useShallow((c) => ({ message: c.message, close: c.close, dismiss: c.dismiss })));
  const title = useScenario((c) => c.scenario?.title ?? null);
  const over = useDrop();
  useEffect(() => {
    document.body.classList.toggle('drop-target', over);
  }, [over]);
  const closeScenario = (): void => {
    close();
    const hash = new URLSearchParams(window.location.hash.replace(/^#/, ''));
    hash.delete('s'); // the scenario (share/codec.ts's SHARE_PARAM); the codec itself is not needed for that
    const rest = hash.toString();
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${rest === '' ? '' : `#${rest}`}`);
    const q = new URLSearchParams(window.location.search);
    if (q.has('scenario')) {
      q.delete('scenario');
      const s = q.toString();
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${s === '' ? '' : `?${s}`}${window.location.hash}`);
    }
    void import('../scenario/open.js').then((m) => m.closeScenario());
  };
  return (
    <div className="scenario-bar" data-testid="scenario-bar">
      {title !== null ? (
        <>
          <span className="text">Scenario <strong>{title}</strong> · its text, steps and exercises are in the Scenario panel</span>
          <button className="link" onClick={closeScenario} data-testid="scenario-close">close scenario</button>
        </>
      ) : message === '' && <span className="text">No scenario open · import a scenario file, or drop one on the page</span>}
      {message !== '' && (
        <>
          <span className="share-message" role="alert" data-testid="scenario-message">{message}</span>
          <button className="link" onClick={dismiss} aria-label="dismiss the message">dismiss</button>
        </>
      )}
      <button className="link" onClick={() => void files().then((f) => f.exportScenario())} title="Download the scenario (or this machine's set-up) as a .json file" data-testid="scenario-export">export</button>
      <button className="link" onClick={() => void files().then((f) => f.pickScenarioFile())} title="Open a scenario file (or drop one on the page)" data-testid="scenario-import">import…</button>
    </div>
  );
}
