// The top bar: run / pause / step / step back, playback speed, the timeline
// scrubber, jump to an event number, and the machine's controls — reset,
// number of virtual CPUs, deterministic mode (both reboot the machine), and
// "boot", which opens the Boot dialog (manifest, start-up script, export);
// and "share" (a link to what is on screen) and "embed" (an <iframe> snippet).
//
// "Pause" stops the *view* (it no longer follows new events), not the
// machine: processes keep running and every event is still recorded, so
// nothing is lost while you read; "run" follows the live end again, or plays
// the recorded events in slow motion at the chosen speed.

import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { usePlayground, SPEEDS } from '../state/store.js';
import { eventAt } from '../trace/model.js';
import { controller } from '../machine/controller.js';
import { useBootPanel } from '../state/boot.js';
import { useShareUi } from '../share/ui-state.js';
import { useThrottledVersion } from './hooks.js';
import { ScenarioMenu } from '../scenario/ScenarioMenu.js';
import { IconRun, IconPause, IconStep, IconBack, IconReset, IconBoot } from './icons.js';

export function Toolbar(): React.JSX.Element {
  // The position and the scrubber follow the trace at most every 150 ms; the rest re-renders only when it changes
  // (not at every batch of events the store takes in).
  useThrottledVersion(150);
  const s = usePlayground(useShallow((p) => ({
    cursor: p.cursor, running: p.running, speed: p.speed, cpus: p.machine.cpus, deterministic: p.machine.deterministic,
    setRunning: p.setRunning, step: p.step, setSpeed: p.setSpeed, seekRow: p.seekRow, jumpToSeq: p.jumpToSeq,
  })));
  const { rows, model } = usePlayground.getState();
  const [jump, setJump] = useState('');
  const [jumpError, setJumpError] = useState(false);
  const row = s.cursor >= 0 ? rows.rowOf(s.cursor) : rows.length - 1;
  const cursorEv = eventAt(model, s.cursor);
  const reboot = (cpus: number, deterministic: boolean): void => void controller.boot({ cpus, deterministic });
  const behind = s.cursor >= 0 && s.running && s.speed > 0 ? rows.length - 1 - row : 0;
  const showBoot = useBootPanel((b) => b.show);
  const showShare = useShareUi((u) => u.show);
  // A manifest may ask for more CPUs than the menu lists; show its number too.
  const cpuChoices = [...new Set([1, 2, 3, 4, s.cpus])].sort((a, b) => a - b);

  return (
    <header className="toolbar" aria-label="trace and machine controls">
      <div className="brand">ONCRIX<span>playground</span></div>
      <div className="group"><ScenarioMenu /></div>
      <div className="group">
        <button
          className={`tb ${s.running ? 'on' : ''}`}
          onClick={() => s.setRunning(true)}
          title="Run: follow the trace live, or play it at the chosen speed (F8 / Space)"
          data-testid="btn-run"
        ><IconRun /> run</button>
        <button
          className={`tb ${!s.running ? 'on' : ''}`}
          onClick={() => s.setRunning(false)}
          title="Pause the view; the machine keeps running (F8 / Space)"
          data-testid="btn-pause"
        ><IconPause /> pause</button>
        <button className="tb" onClick={() => s.step(-1)} title="Step back (← or Shift+F10)" data-testid="btn-back"><IconBack /> back</button>
        <button className="tb" onClick={() => s.step(1)} title="Step to the next event (→ or F10)" data-testid="btn-step"><IconStep /> step</button>
        <select
          value={s.speed}
          onChange={(e) => s.setSpeed(Number(e.target.value))}
          title="Run speed: live, or slow motion in events per second"
          aria-label="run speed"
          data-testid="speed"
        >
          {SPEEDS.map((v) => <option key={v} value={v}>{v === 0 ? 'live' : `${v} ev/s`}</option>)}
        </select>
      </div>
      <div className="group timeline">
        <input
          type="range"
          min={0}
          max={Math.max(0, rows.length - 1)}
          value={Math.max(0, row)}
          onChange={(e) => s.seekRow(Number(e.target.value))}
          aria-label="timeline"
          data-testid="timeline"
        />
        <span className="pos" data-testid="position">
          {cursorEv !== undefined ? `#${cursorEv.seq}` : 'live'} · {Math.max(0, row + 1)}/{rows.length}
          {behind > 0 && <em> ({behind} behind)</em>}
        </span>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number.parseInt(jump, 10);
            setJumpError(!(Number.isFinite(n) && s.jumpToSeq(n)));
          }}
        >
          <input
            id="jump"
            className={jumpError ? 'error' : ''}
            placeholder="go to #"
            value={jump}
            onChange={(e) => setJump(e.target.value.replace(/[^0-9]/g, ''))}
            title="Jump to an event by its number (G)"
            aria-label="go to event number"
            data-testid="jump"
          />
        </form>
      </div>
      <div className="group machine">
        <label title="Virtual CPUs (reboots)">
          CPUs
          <select
            value={s.cpus}
            onChange={(e) => reboot(Number(e.target.value), s.deterministic)}
            data-testid="cpus"
          >
            {cpuChoices.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <label title="Virtual time: the same input gives the same trace (reboots)">
          <input
            type="checkbox"
            checked={s.deterministic}
            onChange={(e) => reboot(s.cpus, e.target.checked)}
            data-testid="deterministic"
          />
          deterministic
        </label>
        <button className="tb" onClick={() => reboot(s.cpus, s.deterministic)} title="Shut down and boot again" data-testid="btn-reset"><IconReset /> reset</button>
        <button
          className="tb"
          onClick={() => showBoot(true)}
          title="Boot manifest, shell start-up script, and export a bootable image for QEMU"
          data-testid="btn-boot"
        ><IconBoot /> boot…</button>
        <button className="tb" onClick={() => showShare('share')} title="Copy a link to this scenario and view" data-testid="btn-share">share</button>
        <button className="tb" onClick={() => showShare('embed')} title="An <iframe> snippet for a course page" data-testid="btn-embed">embed…</button>
      </div>
    </header>
  );
}
