// The terminal cursor's blink, at the cost of two style changes a second.
//
// xterm.js blinks its cursor with an endless CSS animation, and Chromium
// runs the page's frame lifecycle 60 times a second for as long as any
// animation runs, even one that changes only twice a second: a blinking
// cursor cost the idle playground 5–9% of a core. So xterm's own blink stays
// off and the terminal's element takes a class (`cursor-off`, styles.css)
// every half second instead — drawn as xterm draws the dark half of its
// blink — while the terminal is in use, and holds the cursor still after
// `calmMs` of quiet: a tab left open costs nothing.

/** Each half of a blink (xterm's animation: one second a blink). */
const HALF_MS = 500;

export interface CursorBlink {
  /** Something happened (a keystroke, output): show the cursor solid and blink on for calmMs. */
  active(): void;
  dispose(): void;
}

export function cursorBlink(el: HTMLElement, calmMs: number): CursorBlink {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let calmAt = 0;
  const tick = (): void => {
    if (performance.now() >= calmAt) {
      el.classList.remove('cursor-off');
      timer = undefined;
      return;
    }
    el.classList.toggle('cursor-off');
    timer = setTimeout(tick, HALF_MS);
  };
  return {
    active() {
      calmAt = performance.now() + calmMs;
      el.classList.remove('cursor-off');
      clearTimeout(timer);
      timer = setTimeout(tick, HALF_MS);
    },
    dispose() {
      clearTimeout(timer);
      el.classList.remove('cursor-off');
    },
  };
}
