// The IPC trace panel: the filter bar and the sequence diagram canvas.
//
// The canvas redraws in its own animation frame, and only when something it
// shows changed (store version, selection, filter, size, scroll) — React
// renders the frame around it, never the rows. A frame is asked for only
// then, too (a store change, a resize, the mouse), so an idle page draws
// nothing; and while events stream in, new events alone redraw it at most
// every LIVE_MS (a frame drawn is a frame the browser paints and rasters,
// on the same cores as the machine it shows), while the reader's own moves
// redraw it at once. While the
// view runs it follows the live end (or the playback cursor in slow motion);
// scrolling up, clicking an event or stepping pauses it. Lanes that do not
// fit scroll sideways: shift+wheel, a horizontal wheel, or the scrollbar at
// the bottom; a new selection scrolls its lanes on screen.

import { useEffect, useRef, useState } from 'react';
import { usePlayground } from '../state/store.js';
import { drawTrace, hThumb, visibleRowCount, ROW_H, HEADER_H, GUTTER_W, SCROLLBAR_W, HSCROLL_H, type Layout, type Viewport } from './traceDraw.js';
import { FilterBar } from './FilterBar.js';

/** The least time between two redraws for new events only (the live view runs at 20 frames a second at most). */
const LIVE_MS = 50;

export function TracePanel(): React.JSX.Element {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const vp = useRef<Viewport>({ width: 0, height: 0, scrollRow: 0, scrollX: 0, hoverRow: -1 });
  const dirty = useRef(true);
  const layout = useRef<Layout>({ lanes: [0], laneW: 1, lanesW: 1, avail: 1 });
  /** Mark the canvas for redrawing and ask for a frame (set up by the effect below). */
  const redraw = useRef<() => void>(() => undefined);
  const [dragging, setDragging] = useState<'v' | 'h' | null>(null);

  useEffect(() => {
    const el = wrap.current;
    const cv = canvas.current;
    if (el === null || cv === null) return;
    const ctx = cv.getContext('2d');
    if (ctx === null) return;
    const resize = (): void => {
      const dpr = window.devicePixelRatio || 1;
      const w = el.clientWidth;
      const h = el.clientHeight;
      cv.width = Math.floor(w * dpr);
      cv.height = Math.floor(h * dpr);
      cv.style.width = `${w}px`;
      cv.style.height = `${h}px`;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      vp.current.width = w;
      vp.current.height = h;
      redraw.current();
    };
    const ro = new ResizeObserver(resize);
    ro.observe(el);
    resize();

    let seen = { version: -1, cursor: -2, filter: usePlayground.getState().filter, running: false };
    let lastCursor = -1;
    let revealed = -1;
    let frame = 0;
    let drawnAt = -Infinity;
    let later: ReturnType<typeof setTimeout> | undefined;
    const wake = (): void => {
      if (frame === 0) frame = requestAnimationFrame(loop);
    };
    redraw.current = () => {
      dirty.current = true;
      wake();
    };
    const loop = (): void => {
      frame = 0;
      const s = usePlayground.getState();
      const moved = s.cursor !== seen.cursor || s.filter !== seen.filter || s.running !== seen.running;
      if (s.version !== seen.version && !moved && !dirty.current && performance.now() - drawnAt < LIVE_MS) {
        // Only new events (and the live end they move): draw them once LIVE_MS has passed since the last frame drawn.
        later ??= setTimeout(() => {
          later = undefined;
          wake();
        }, LIVE_MS - (performance.now() - drawnAt));
        return;
      }
      const v = vp.current;
      const visRows = visibleRowCount(v.height);
      const maxScroll = Math.max(0, s.rows.length - visRows);
      if (s.running && s.speed === 0) {
        if (v.scrollRow !== maxScroll) {
          v.scrollRow = maxScroll;
          dirty.current = true;
        }
      } else if (s.cursor !== lastCursor && s.cursor >= 0) {
        // Keep the selected event in view (stepping, scrubbing, playback, jumping).
        const r = s.rows.rowOf(s.cursor);
        if (r < v.scrollRow || r > v.scrollRow + visRows - 2) {
          v.scrollRow = Math.max(0, Math.min(maxScroll, s.running ? r - visRows + 3 : r - Math.floor(visRows / 2)));
        }
        dirty.current = true;
      }
      lastCursor = s.cursor;
      if (v.scrollRow > maxScroll) v.scrollRow = maxScroll;
      if (s.version !== seen.version || moved) {
        dirty.current = true;
        seen = { version: s.version, cursor: s.cursor, filter: s.filter, running: s.running };
      }
      if (dirty.current) {
        dirty.current = false;
        drawnAt = performance.now();
        layout.current = drawTrace(ctx, {
          model: s.model, rows: s.rows, hiddenPids: s.filter.hiddenPids, hideExited: s.filter.hideExited === true, cursor: s.cursor,
          revealCursor: s.cursor !== revealed,
        }, v);
        revealed = s.cursor;
      }
      if (dirty.current) wake();
    };
    const unsubscribe = usePlayground.subscribe(wake);
    wake();
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(later);
      unsubscribe();
      redraw.current = () => undefined;
      ro.disconnect();
    };
  }, []);

  const rowAt = (clientY: number): number => {
    const cv = canvas.current;
    if (cv === null) return -1;
    const y = clientY - cv.getBoundingClientRect().top;
    if (y < HEADER_H) return -1;
    return Math.floor(vp.current.scrollRow + (y - HEADER_H) / ROW_H);
  };

  /** Drag on the horizontal scrollbar: the thumb's centre follows the pointer. */
  const scrollXTo = (clientX: number): void => {
    const cv = canvas.current;
    if (cv === null) return;
    const l = layout.current;
    const thumb = hThumb(l, vp.current);
    if (thumb === null) return;
    const x = clientX - cv.getBoundingClientRect().left - GUTTER_W - thumb[1] / 2;
    vp.current.scrollX = Math.max(0, Math.min(l.lanesW - l.avail, (x / Math.max(1, l.avail - thumb[1])) * (l.lanesW - l.avail)));
    dirty.current = true;
  };

  const scrollTo = (clientY: number): void => {
    const cv = canvas.current;
    if (cv === null) return;
    const s = usePlayground.getState();
    const y = clientY - cv.getBoundingClientRect().top - HEADER_H;
    const trackH = vp.current.height - HEADER_H;
    const visRows = visibleRowCount(vp.current.height);
    const maxScroll = Math.max(0, s.rows.length - visRows);
    vp.current.scrollRow = Math.max(0, Math.min(maxScroll, (y / trackH) * s.rows.length - visRows / 2));
    if (s.running) s.setRunning(false);
    redraw.current();
  };

  const onMouseDown = (e: React.MouseEvent<HTMLCanvasElement>): void => {
    const cv = canvas.current;
    if (cv === null) return;
    const rect = cv.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    if (x > vp.current.width - SCROLLBAR_W && y > HEADER_H) {
      setDragging('v');
      scrollTo(e.clientY);
      return;
    }
    if (y > vp.current.height - HSCROLL_H && x > GUTTER_W && hThumb(layout.current, vp.current) !== null) {
      setDragging('h');
      scrollXTo(e.clientX);
      return;
    }
    const s = usePlayground.getState();
    if (y < HEADER_H) {
      // A lane header selects that process for the capability inspector.
      const i = Math.floor((x - GUTTER_W + vp.current.scrollX) / layout.current.laneW);
      const pid = layout.current.lanes[i];
      if (x > GUTTER_W && pid !== undefined) s.selectPid(pid === 0 ? null : pid);
      return;
    }
    const r = rowAt(e.clientY);
    if (r >= 0 && r < s.rows.length) s.select(s.rows.at(r));
  };

  useEffect(() => {
    if (dragging === null) return;
    const move = (e: MouseEvent): void => (dragging === 'v' ? scrollTo(e.clientY) : scrollXTo(e.clientX));
    const up = (): void => setDragging(null);
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
    return () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
  }, [dragging]);

  useEffect(() => {
    const cv = canvas.current;
    if (cv === null) return;
    // A non-passive listener, so the page itself does not scroll.
    const onWheel = (e: WheelEvent): void => {
      e.preventDefault();
      const s = usePlayground.getState();
      const v = vp.current;
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        const l = layout.current;
        v.scrollX = Math.max(0, Math.min(Math.max(0, l.lanesW - l.avail), v.scrollX + (e.shiftKey ? e.deltaY : e.deltaX)));
      } else {
        const maxScroll = Math.max(0, s.rows.length - visibleRowCount(v.height));
        v.scrollRow = Math.max(0, Math.min(maxScroll, v.scrollRow + e.deltaY / ROW_H));
        if (e.deltaY < 0 && s.running) s.setRunning(false);
      }
      redraw.current();
    };
    cv.addEventListener('wheel', onWheel, { passive: false });
    return () => cv.removeEventListener('wheel', onWheel);
  }, []);

  const onMouseMove = (e: React.MouseEvent<HTMLCanvasElement>): void => {
    const r = rowAt(e.clientY);
    if (r !== vp.current.hoverRow) {
      vp.current.hoverRow = r;
      redraw.current();
    }
  };

  return (
    <div className="trace-panel">
      <FilterBar />
      <div className="trace-canvas" ref={wrap}>
        <canvas
          ref={canvas}
          data-testid="trace-canvas"
          tabIndex={0}
          role="application"
          aria-label="IPC trace, a sequence diagram: a lane per process, time runs down. Arrow keys step through the events; the selected one is described in the Event panel."
          onMouseDown={onMouseDown}
          onMouseMove={onMouseMove}
          onMouseLeave={() => {
            vp.current.hoverRow = -1;
            redraw.current();
          }}
        />
      </div>
    </div>
  );
}
