// The Boot dialog: the machine's boot manifest (JSON) and shell start-up
// script, both editable. "Apply & reboot" checks them with the HAL's own
// checker first — a mistake shows the ManifestError message and the running
// machine is left alone — then reboots with them. "Export bootable image"
// writes the same two into the prebuilt bare-metal image of the chosen
// architecture (x86_64 unless another is picked) and downloads it, with the
// QEMU command line that boots it.

import { useEffect } from 'react';
import { controller } from '../machine/controller.js';
import { checkConfig, machineChoice, DEFAULT_CONFIG, type BootConfig } from '../machine/bootConfig.js';
import { ARCHES, ARCH_INFO, exportImage, imageName, ImageMissingError, qemuCommandFor, type Arch } from '../machine/exportImage.js';
import { useBootPanel, type ExportState } from '../state/boot.js';
import { usePlayground } from '../state/store.js';

const SCRIPT_HINT = 'for example:\necho hello from the start-up script\nps';

/** A message with `commands` in backticks, shown as code. */
function Message({ text }: { text: string }): React.JSX.Element {
  return <>{text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}

function same(a: BootConfig, b: BootConfig): boolean {
  return a.manifest === b.manifest && a.script === b.script;
}

function ExportStatus({ state }: { state: ExportState }): React.JSX.Element | null {
  switch (state.kind) {
    case 'idle': return <span className="dim">the manifest and script above, written into the prebuilt bare-metal image</span>;
    case 'working': return <span className="dim">building the image…</span>;
    case 'done': return <span className="ok">downloaded {state.name} ({Math.round(state.bytes / 1024)} KiB)</span>;
    case 'missing': return <span className="warn"><Message text={state.message} /></span>;
    case 'error': return <span className="error"><Message text={state.message} /></span>;
  }
}

export function BootDialog(): React.JSX.Element | null {
  const { open, draft, error, arch, exported, show, edit, setError, setArch, setExported } = useBootPanel();
  const machine = usePlayground((s) => s.machine);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') show(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, show]);

  if (!open) return null;
  const running = controller.bootConfig;
  const toolbar = { cpus: machine.cpus, deterministic: machine.deterministic };

  const apply = (): void => {
    try {
      checkConfig(draft);
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    setError('');
    show(false);
    void controller.boot({ ...machineChoice(draft, toolbar), config: draft });
  };

  const doExport = async (): Promise<void> => {
    setExported({ kind: 'working' });
    try {
      const bytes = await exportImage(draft, machineChoice(draft, toolbar), arch);
      setExported({ kind: 'done', bytes, name: imageName(arch) });
    } catch (e) {
      const message = (e as Error).message;
      setExported(e instanceof ImageMissingError ? { kind: 'missing', message } : { kind: 'error', message });
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && show(false)}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="boot-title" data-testid="boot-dialog">
        <div className="dialog-head">
          <span id="boot-title" className="panel-title">Boot</span>
          <span className="dim small">what the machine starts with · the same on the web HAL and on bare metal</span>
          <button className="dialog-close" onClick={() => show(false)} title="Close (Esc)" aria-label="close">×</button>
        </div>
        <div className="boot-columns">
          <label className="boot-field">
            <span>Boot manifest <span className="dim small">JSON · <code>docs/manifest.schema.json</code></span></span>
            <textarea
              className={`code-edit${error !== '' ? ' bad' : ''}`}
              spellCheck={false}
              value={draft.manifest}
              onChange={(e) => edit({ manifest: e.target.value })}
              data-testid="boot-manifest"
            />
          </label>
          <label className="boot-field">
            <span>Shell start-up script <span className="dim small">one command a line</span></span>
            <textarea
              className="code-edit script"
              spellCheck={false}
              placeholder={SCRIPT_HINT}
              value={draft.script}
              onChange={(e) => edit({ script: e.target.value })}
              data-testid="boot-script"
            />
            <span className="dim small">
              Init hands the script to programs with <code>{'{"script": true}'}</code> (the default gives it to <code>sh</code>);
              sh runs each non-empty line as if typed, then shows its prompt.
            </span>
          </label>
        </div>
        {error !== '' && <div className="boot-error" data-testid="boot-error">{error}</div>}
        <div className="dialog-actions">
          <button className="tb run" onClick={apply} data-testid="btn-apply">Apply &amp; reboot</button>
          <button className="tb" onClick={() => edit(running)} disabled={same(draft, running)} data-testid="btn-revert">Revert</button>
          <button className="tb" onClick={() => edit(DEFAULT_CONFIG)} disabled={same(draft, DEFAULT_CONFIG)} data-testid="btn-defaults">Defaults</button>
          <span className="dim small" data-testid="boot-applied">
            {same(draft, running) ? 'the machine runs with this' : 'edited · not applied yet'}
          </span>
        </div>
        <div className="export-row">
          <label className="small">
            architecture{' '}
            <select value={arch} onChange={(e) => setArch(e.target.value as Arch)} disabled={exported.kind === 'working'}
              data-testid="export-arch">
              {ARCHES.map((a) => <option key={a} value={a}>{ARCH_INFO[a].title}</option>)}
            </select>
          </label>
          <button className="tb" onClick={() => void doExport()} disabled={exported.kind === 'working'} data-testid="btn-export">
            Export bootable image ⤓
          </button>
          <span className="export-status small" data-testid="export-status"><ExportStatus state={exported} /></span>
        </div>
        <div className="qemu-row">
          <span className="dim small">boot it on bare metal (QEMU):</span>
          <code className="qemu-command" data-testid="qemu-command">{qemuCommandFor(arch)}</code>
        </div>
      </div>
    </div>
  );
}
