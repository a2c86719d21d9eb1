// The Share and Embed dialogs (loaded when one first opens). Share gives the
// link to what is on screen — the URL state (url-state.ts: CPUs, time mode,
// the selected event, the filter) and the scenario in the fragment
// (#s=…, codec.ts) — and copies it. Embed gives the `<iframe>` snippet for a
// course page: its size, the event it opens at and the panels it shows
// chosen here, the snippet's text previewed as it is built, and a copy button.

import { useEffect, useMemo, useState } from 'react';
import { usePlayground } from '../state/store.js';
import { eventAt } from '../trace/model.js';
import { embedUrl, iframeSnippet, PANELS, type PanelName } from '../embed/params.js';
import { viewUrl } from './view-url.js';
import { encodeScenarioText, withShareValue } from './codec.js';
import { currentScenarioText } from './files.js';
import { useScenario } from '../scenario/state.js';
import { useShareUi } from './ui-state.js';

type Link = { url: string; note: string };

/** The link to what is on screen now, with the scenario (if any) in its fragment. */
export async function shareLink(): Promise<Link> {
  const base = viewUrl('');
  const text = currentScenarioText();
  if (text === null) return { url: base, note: '' };
  const encoded = await encodeScenarioText(text);
  if (!encoded.ok) return { url: base, note: `${encoded.message} This link opens the default machine.` };
  return { url: `${base}${withShareValue('', encoded.value)}`, note: '' };
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // denied (e.g. in a frame): the text is shown selected, for Ctrl+C
  }
}

function Dialog({ title, testid, children }: { title: string; testid: string; children: React.ReactNode }): React.JSX.Element {
  const show = useShareUi((u) => u.show);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') show(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [show]);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && show(null)}>
      <div className="dialog narrow" role="dialog" aria-modal="true" aria-labelledby={`${testid}-title`} data-testid={testid}>
        <div className="dialog-head">
          <span id={`${testid}-title`} className="panel-title">{title}</span>
          <button className="dialog-close" onClick={() => show(null)} title="Close (Esc)" aria-label="close">×</button>
        </div>
        {children}
      </div>
    </div>
  );
}

function CopyRow({ text, label, testid }: { text: string; label: string; testid: string }): React.JSX.Element {
  const [copied, setCopied] = useState<boolean | null>(null);
  useEffect(() => setCopied(null), [text]);
  return (
    <div className="dialog-actions">
      <button className="tb run" onClick={() => void copy(text).then(setCopied)} data-testid={`${testid}-copy`}>{label}</button>
      {copied === true && <span className="ok" data-testid={`${testid}-copied`}>copied</span>}
      {copied === false && <span className="dim">the browser did not allow copying here: select the text above and copy it</span>}
    </div>
  );
}

export function ShareDialog(): React.JSX.Element {
  const [link, setLink] = useState<Link | null>(null);
  const title = useScenario((c) => c.scenario?.title ?? null);
  useEffect(() => {
    void shareLink().then(async (l) => {
      setLink(l);
      await copy(l.url);
    });
  }, []);
  return (
    <Dialog title="Share link" testid="share-dialog">
      <span className="dim">
        The link opens {title !== null ? <>the scenario <strong>{title}</strong></> : 'this machine'} at the selected event, with this
        filter. The scenario travels in the link itself (after <code>#</code>, never sent to a server).
      </span>
      <input className="share-link" readOnly value={link?.url ?? 'making the link…'} onFocus={(e) => e.currentTarget.select()} aria-label="share link" data-testid="share-link" />
      {link !== null && link.note !== '' && <p className="share-message" data-testid="share-note">{link.note}</p>}
      {link !== null && <CopyRow text={link.url} label="copy link" testid="share" />}
    </Dialog>
  );
}

const PANEL_LABELS: Record<PanelName, string> = { trace: 'IPC trace', inspector: 'event inspector', terminal: 'terminal' };

export function EmbedDialog(): React.JSX.Element {
  const [link, setLink] = useState<Link | null>(null);
  const [width, setWidth] = useState(1000);
  const [height, setHeight] = useState(640);
  const [panels, setPanels] = useState<PanelName[]>([...PANELS]);
  const selected = usePlayground((s) => (s.cursor >= 0 ? eventAt(s.model, s.cursor)?.seq ?? null : null));
  const [atSelected, setAtSelected] = useState(selected !== null);
  const title = useScenario((c) => c.scenario?.title ?? 'ONCRIX playground');
  useEffect(() => {
    void shareLink().then(setLink);
  }, []);
  const snippet = useMemo(() => {
    if (link === null) return '';
    const src = embedUrl(link.url, { panels, event: atSelected ? selected : null });
    return iframeSnippet(src, width, height, `ONCRIX: ${title}`);
  }, [link, panels, atSelected, selected, width, height, title]);
  const toggle = (p: PanelName, on: boolean): void => setPanels(PANELS.filter((q) => (q === p ? on : panels.includes(q))));
  return (
    <Dialog title="Embed in a course page" testid="embed-dialog">
      <div className="embed-form">
        <label>width <input type="number" min={320} max={4000} value={width} onChange={(e) => setWidth(Math.max(320, Number(e.target.value) || 0))} data-testid="embed-width" /></label>
        <label>height <input type="number" min={240} max={4000} value={height} onChange={(e) => setHeight(Math.max(240, Number(e.target.value) || 0))} data-testid="embed-height" /></label>
        <label title={selected === null ? 'select an event in the trace first' : undefined}>
          <input type="checkbox" checked={atSelected && selected !== null} disabled={selected === null} onChange={(e) => setAtSelected(e.target.checked)} data-testid="embed-at-selected" />
          open at {selected === null ? 'the selected event (none selected)' : `event #${selected}`}
        </label>
      </div>
      <div className="embed-form" role="group" aria-label="panels">
        <span className="dim">panels</span>
        {PANELS.map((p) => (
          <label key={p}>
            <input type="checkbox" checked={panels.includes(p)} disabled={panels.length === 1 && panels.includes(p)} onChange={(e) => toggle(p, e.target.checked)} data-testid={`embed-panel-${p}`} />
            {PANEL_LABELS[p]}
          </label>
        ))}
      </div>
      <textarea className="code-edit script" style={{ height: 120 }} readOnly value={snippet} aria-label="embed snippet" data-testid="embed-snippet" onFocus={(e) => e.currentTarget.select()} />
      {link !== null && link.note !== '' && <p className="share-message">{link.note}</p>}
      <span className="dim small">
        Paste it into the course page&apos;s HTML. It runs live where the playground&apos;s server sends
        {' '}<code>Document-Isolation-Policy: isolate-and-require-corp</code> (Chromium); elsewhere the frame says so and links to the playground.
      </span>
      {snippet !== '' && <CopyRow text={snippet} label="copy snippet" testid="embed" />}
    </Dialog>
  );
}

/** The open dialog, if any. */
export default function ShareDialogs(): React.JSX.Element | null {
  const dialog = useShareUi((u) => u.dialog);
  return dialog === 'share' ? <ShareDialog /> : dialog === 'embed' ? <EmbedDialog /> : null;
}
