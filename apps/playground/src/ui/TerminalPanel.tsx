// The terminal: xterm.js on the machine's UART console. Keystrokes go to the
// UART input ring (the shell does its own echo and line editing, as on a
// serial line); output arrives from the controller's polling loop. The fit
// addon keeps the terminal the size of its panel, and the size it takes is
// reported to the console (Controller.setConsoleSize: once the prompt is up,
// then on each resize), so programs such as `ps` format to the terminal's
// width instead of wrapping. The cursor blinks while the terminal is in use
// and stops blinking after BLINK_MS of quiet, by a class the panel toggles
// (cursorBlink.ts) rather than xterm's endless CSS animation, which would make
// the browser render a frame 60 times a second: a tab left open should cost
// nothing.

import { useEffect, useRef } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { controller } from '../machine/controller.js';
import { usePlayground } from '../state/store.js';
import { cursorBlink } from './cursorBlink.js';

/** How long the cursor goes on blinking after the last keystroke or output. */
const BLINK_MS = 10_000;
/** The cursor's colour (styles.css draws the dark half of a blink with it, as xterm does). */
const CURSOR = '#5aa9ff';

export function TerminalPanel(): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const generation = usePlayground((s) => s.machine.generation);
  const term = useRef<Terminal | null>(null);

  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const t = new Terminal({
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: 13,
      cursorBlink: false,
      convertEol: false,
      scrollback: 5000,
      theme: { background: '#101216', foreground: '#d6d9e0', cursor: CURSOR, selectionBackground: '#2d4a6e' },
    });
    const fit = new FitAddon();
    t.loadAddon(fit);
    t.open(el);
    term.current = t;
    const refit = (): void => {
      if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit();
    };
    refit();
    const ro = new ResizeObserver(refit);
    ro.observe(el);
    const resized = t.onResize(({ cols, rows }) => controller.setConsoleSize(cols, rows));
    controller.setConsoleSize(t.cols, t.rows);
    // The font may arrive after the first fit: fit again once it has.
    void document.fonts.ready.then(refit);
    el.style.setProperty('--cursor', CURSOR);
    const blink = cursorBlink(el, BLINK_MS);
    const active = (): void => blink.active();
    const data = t.onData((d) => {
      active();
      controller.write(d);
    });
    controller.attach((bytes) => {
      active();
      t.write(bytes);
    });
    active();
    t.focus();
    return () => {
      blink.dispose();
      controller.attach(null);
      data.dispose();
      resized.dispose();
      ro.disconnect();
      t.dispose();
      term.current = null;
    };
  }, []);

  // A reboot starts with a clean screen.
  useEffect(() => {
    if (generation > 1) term.current?.reset();
  }, [generation]);

  return <div className="terminal" ref={host} data-testid="terminal" onClick={() => term.current?.focus()} />;
}
