// The file browser: ramfs's tree as the `files` driver lists it through the
// vfs (client.ts), directories expanding on click; a file opens read-only
// (text, or a hex dump for binary: view.ts) and downloads; files dropped on
// the panel or picked with Upload land in the chosen directory (/tmp unless
// another is picked), and .wasm programs in /bin, where sh finds them by
// name. The tree is asked again whenever the trace shows a file operation
// that changes it (watch.ts), so `echo hi > /tmp/x` in the terminal appears
// here by itself. Nothing of the file system is kept in the page but what
// the last listing said.

import { useCallback, useEffect, useRef, useState } from 'react';
import { usePlayground } from '../state/store.js';
import { controller } from '../machine/controller.js';
import { download } from '../machine/exportImage.js';
import { FilesClient, FilesError, join, type FileEntry } from './client.js';
import { treeChangedSince } from './watch.js';
import { viewOf, sizeText } from './view.js';
import './files.css';

/** Where uploads go unless another directory is chosen, and where programs go. */
export const UPLOAD_DIR = '/tmp';
export const PROGRAM_DIR = '/bin';
/** The least time between two refreshes caused by the trace. */
const REFRESH_MS = 400;

interface Opened {
  path: string;
  bytes: Uint8Array;
}

type Listing = FileEntry[] | { error: string };

function client(): FilesClient | null {
  const sys = controller.system;
  return sys === null ? null : new FilesClient(sys);
}

/** The directory a file upload goes to: programs to /bin, the rest to the chosen directory. */
export function uploadTarget(name: string, chosen: string): string {
  return name.toLowerCase().endsWith('.wasm') ? join(PROGRAM_DIR, name) : join(chosen, name);
}

/** Is it a WebAssembly module (its magic number)? */
function looksLikeWasm(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

function Dir({ path, name, depth, listings, expanded, chosen, onToggle, onOpen, onChoose }: {
  path: string; name: string; depth: number; listings: Map<string, Listing>; expanded: Set<string>; chosen: string;
  onToggle: (p: string) => void; onOpen: (e: FileEntry) => void; onChoose: (p: string) => void;
}): React.JSX.Element {
  const open = expanded.has(path);
  const listing = listings.get(path);
  return (
    <li>
      <div className={`fb-row${chosen === path ? ' fb-chosen' : ''}`} style={{ paddingLeft: depth * 14 }}>
        <button className="fb-name fb-dir" aria-expanded={open} onClick={() => onToggle(path)} data-testid={`fb-dir-${path}`}
          aria-label={`${open ? 'collapse' : 'expand'} directory ${path}`}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {name}
        </button>
        <button className="fb-pick" onClick={() => onChoose(path)} aria-pressed={chosen === path} data-testid={`fb-choose-${path}`}
          aria-label={`upload into ${path}`} title={`uploads go to ${path}`}>{chosen === path ? 'upload here ✓' : 'upload here'}</button>
      </div>
      {open && listing !== undefined && (
        'error' in listing ? <div className="fb-error" style={{ paddingLeft: depth * 14 + 20 }}>{listing.error}</div> : (
          <ul className="fb-list">
            {listing.length === 0 && <li className="dim small" style={{ paddingLeft: depth * 14 + 20 }}>empty</li>}
            {listing.map((e) => e.type === 'dir' ? (
              <Dir key={e.path} path={e.path} name={`${e.name}/`} depth={depth + 1} listings={listings} expanded={expanded} chosen={chosen}
                onToggle={onToggle} onOpen={onOpen} onChoose={onChoose} />
            ) : (
              <li key={e.path}>
                <div className="fb-row" style={{ paddingLeft: (depth + 1) * 14 }}>
                  <button className="fb-name" onClick={() => onOpen(e)} data-testid={`fb-file-${e.path}`} aria-label={`open ${e.path} (${sizeText(e.size)})`}>
                    <span aria-hidden="true">{e.type === 'link' ? '↪' : '·'}</span> {e.name}
                  </button>
                  <span className="dim small fb-size">{sizeText(e.size)}</span>
                </div>
              </li>
            ))}
          </ul>
        )
      )}
    </li>
  );
}

export function FilesPanel(): React.JSX.Element {
  const promptUp = usePlayground((s) => s.machine.promptMs !== null);
  const generation = usePlayground((s) => s.machine.generation);
  const version = usePlayground((s) => s.version);
  const [listings, setListings] = useState<Map<string, Listing>>(new Map());
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(['/', UPLOAD_DIR]));
  const [chosen, setChosen] = useState(UPLOAD_DIR);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const seen = useRef(0);
  const lastRefresh = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const expandedRef = useRef(expanded);
  expandedRef.current = expanded;

  /** Ask for every expanded directory again (the tree as ramfs has it now). */
  const refresh = useCallback(async (dirs: Iterable<string> = expandedRef.current): Promise<void> => {
    const c = client();
    if (c === null) return;
    lastRefresh.current = performance.now();
    const next = new Map<string, Listing>();
    for (const d of dirs) {
      try {
        next.set(d, await c.list(d));
      } catch (e) {
        next.set(d, { error: (e as Error).message });
      }
    }
    setListings((old) => {
      const merged = new Map(old);
      for (const [k, v] of next) merged.set(k, v);
      return merged;
    });
  }, []);

  // A new machine: forget the old tree, list again once its shell is up.
  useEffect(() => {
    setListings(new Map());
    setOpened(null);
    seen.current = 0;
    if (promptUp) void refresh();
  }, [generation, promptUp, refresh]);

  // The trace showed a change to the tree: list again (at most every REFRESH_MS).
  useEffect(() => {
    if (!promptUp) return;
    const m = usePlayground.getState().model;
    const { changed, next } = treeChangedSince(m, seen.current);
    seen.current = next;
    if (!changed || timer.current !== null) return;
    const wait = Math.max(0, lastRefresh.current + REFRESH_MS - performance.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      void refresh();
    }, wait);
  }, [version, promptUp, refresh]);
  useEffect(() => () => {
    if (timer.current !== null) clearTimeout(timer.current);
  }, []);

  const toggle = useCallback((path: string) => {
    setExpanded((old) => {
      const next = new Set(old);
      if (next.has(path)) next.delete(path);
      else {
        next.add(path);
        void refresh([path]);
      }
      return next;
    });
  }, [refresh]);

  const openFile = useCallback(async (e: FileEntry) => {
    const c = client();
    if (c === null) return;
    try {
      setOpened({ path: e.path, bytes: await c.read(e.path) });
      setStatus(null);
    } catch (err) {
      setStatus({ text: (err as Error).message, error: true });
    }
  }, []);

  const upload = useCallback(async (files: readonly File[]) => {
    const c = client();
    if (c === null || files.length === 0) return;
    const said: string[] = [];
    let failed = false;
    for (const f of files) {
      const target = uploadTarget(f.name, chosen);
      const bytes = new Uint8Array(await f.arrayBuffer());
      setStatus({ text: `uploading ${f.name} to ${target}…`, error: false });
      try {
        await c.write(target, bytes);
        if (target.startsWith(`${PROGRAM_DIR}/`)) {
          const name = f.name.replace(/\.wasm$/i, '');
          said.push(looksLikeWasm(bytes)
            ? `${target}: type ${name} in the terminal to run it`
            : `${target}: uploaded, but it is not a WebAssembly module (no \\0asm header), so sh will refuse to run it`);
        } else {
          said.push(`${target} (${sizeText(bytes.length)})`);
        }
      } catch (e) {
        failed = true;
        said.push(e instanceof FilesError ? e.message : `Uploading ${target}: ${(e as Error).message}`);
      }
    }
    setStatus({ text: `${failed ? '' : 'Uploaded '}${said.join('; ')}`, error: failed });
    void refresh(new Set([...expandedRef.current, chosen, PROGRAM_DIR]));
  }, [chosen, refresh]);

  const view = opened !== null ? viewOf(opened.bytes) : null;
  const rootListing = listings.get('/');

  return (
    <div className={`fb${dragging ? ' fb-drop' : ''}`} data-testid="files-panel"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void upload(Array.from(e.dataTransfer.files));
      }}>
      <div className="fb-bar">
        <button className="tb" onClick={() => picker.current?.click()} disabled={!promptUp} data-testid="fb-upload"
          aria-label={`upload files from your computer into ${chosen} (.wasm programs into ${PROGRAM_DIR})`}>Upload…</button>
        <input ref={picker} type="file" multiple hidden data-testid="fb-upload-input" aria-label="files to upload"
          onChange={(e) => {
            void upload(Array.from(e.target.files ?? []));
            e.target.value = '';
          }} />
        <button className="tb" onClick={() => void refresh()} disabled={!promptUp} data-testid="fb-refresh" aria-label="list the directories again">↻</button>
        <span className="dim small">to <code>{chosen}</code> · .wasm to <code>{PROGRAM_DIR}</code> · or drop files here</span>
      </div>
      {status !== null && <div className={status.error ? 'fb-status fb-error' : 'fb-status'} role="status" data-testid="fb-status">{status.text}</div>}
      <div className="fb-main">
        <ul className="fb-list fb-tree" aria-label="ramfs files">
          {!promptUp ? <li className="empty">The files appear when the shell is up…</li>
            : rootListing === undefined ? <li className="empty">listing /…</li>
              : <Dir path="/" name="/" depth={0} listings={listings} expanded={expanded} chosen={chosen} onToggle={toggle} onOpen={(e) => void openFile(e)} onChoose={setChosen} />}
        </ul>
        {opened !== null && view !== null && (
          <section className="fb-view" aria-label={`contents of ${opened.path}`} data-testid="fb-view">
            <div className="fb-view-bar">
              <code data-testid="fb-view-path">{opened.path}</code>
              <span className="dim small">{sizeText(opened.bytes.length)} · read-only · {view.kind === 'text' ? 'text' : 'binary, shown in hex'}</span>
              <button className="tb" onClick={() => download(opened.bytes, opened.path.slice(opened.path.lastIndexOf('/') + 1))} data-testid="fb-download"
                aria-label={`download ${opened.path}`}>Download</button>
              <button className="tb" onClick={() => setOpened(null)} data-testid="fb-close" aria-label="close the file">✕</button>
            </div>
            <pre className="fb-content" tabIndex={0} data-testid="fb-content" aria-label={`${opened.path}, read-only`}>{view.body}</pre>
            {view.omitted > 0 && <div className="dim small">{view.omitted} more bytes not shown; Download gives them all.</div>}
          </section>
        )}
      </div>
    </div>
  );
}
