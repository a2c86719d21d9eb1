// Drawing the IPC trace as a sequence diagram on a <canvas>.
//
// Time runs down, one row per visible event; a lane per process (in spawn
// order) plus the kernel's on the left. Only the rows in view are drawn —
// the cost of a frame depends on the panel's height, not on the length of
// the log, so 100,000 events scroll as smoothly as 100. Messages are arrows
// from the sender's row to the row where the receiver took them (a reply to
// a call lands on the next row; a queued message may travel far down), other
// events are marks in their process's lane with a short label.

import { TRACE } from '@oncrix/abi';
import type { TraceModel } from '../trace/model.js';
import { eventAt, kindAt, partnerOf, runsBetween } from '../trace/model.js';
import type { Rows } from '../trace/filter.js';
import { arrowOf, shortLabel, procName } from '../trace/describe.js';
import { groupOf } from '../trace/names.js';
import { C, pidColor, groupColor } from './theme.js';

export const ROW_H = 22;
export const HEADER_H = 30;
export const GUTTER_W = 166;
export const SCROLLBAR_W = 10;
export const MIN_LANE_W = 96;

export interface Viewport {
  width: number;
  height: number;
  /** Top row (fractional rows scroll smoothly). */
  scrollRow: number;
  scrollX: number;
  hoverRow: number;
}

export interface Layout {
  lanes: number[];
  laneW: number;
  /** Width of all lanes together. */
  lanesW: number;
}

/** Lanes (kernel first, then processes not hidden) and their width. */
export function layoutLanes(m: TraceModel, hidden: ReadonlySet<number>, width: number): Layout {
  const lanes = [0, ...m.lanes.filter((p) => !hidden.has(p))];
  const avail = Math.max(1, width - GUTTER_W - SCROLLBAR_W);
  const laneW = Math.max(MIN_LANE_W, Math.floor(avail / lanes.length));
  return { lanes, laneW, lanesW: laneW * lanes.length };
}

export function visibleRowCount(height: number): number {
  return Math.max(1, Math.floor((height - HEADER_H) / ROW_H));
}

/** Kernel time for the gutter: milliseconds, or seconds once past 10 s. */
function ms(ns: number): string {
  return ns < 1e10 ? `${(ns / 1e6).toFixed(3)} ms` : `${(ns / 1e9).toFixed(4)} s`;
}

/** Draw an arrow from (x1,y1) to (x2,y2) with a head at the end. */
function arrow(ctx: CanvasRenderingContext2D, x1: number, y1: number, x2: number, y2: number, color: string, dashed: boolean, width = 1.6): void {
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dashed ? [5, 4] : []);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x2, y2);
  ctx.stroke();
  ctx.setLineDash([]);
  const ang = Math.atan2(y2 - y1, x2 - x1);
  const h = 7;
  ctx.beginPath();
  ctx.moveTo(x2, y2);
  ctx.lineTo(x2 - h * Math.cos(ang - 0.4), y2 - h * Math.sin(ang - 0.4));
  ctx.lineTo(x2 - h * Math.cos(ang + 0.4), y2 - h * Math.sin(ang + 0.4));
  ctx.closePath();
  ctx.fill();
}

/**
 * A label with a dark pill behind it, so it stays readable over lifelines.
 * 'left' labels start at x; one that would run past `rightEdge` ends at
 * `flipX` instead (the last lanes put their labels on the left of the mark).
 */
function pill(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, color: string, maxW: number, align: 'left' | 'center' = 'left',
  rightEdge = Infinity, flipX = x): void {
  let t = text;
  let w = ctx.measureText(t).width;
  if (w > maxW) {
    while (t.length > 1 && ctx.measureText(`${t}…`).width > maxW) t = t.slice(0, -1);
    t = `${t}…`;
    w = ctx.measureText(t).width;
  }
  const left = align === 'center' ? x - w / 2 : x + w > rightEdge ? flipX - w : x;
  ctx.fillStyle = 'rgba(20,22,27,0.85)';
  ctx.fillRect(left - 3, y - 8, w + 6, 15);
  ctx.fillStyle = color;
  ctx.fillText(t, left, y + 4);
}

/** The mark of an event in its lane. */
function mark(ctx: CanvasRenderingContext2D, kind: number, x: number, y: number, color: string): void {
  ctx.fillStyle = color;
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  switch (kind) {
    case TRACE.SYSCALL_ENTER:
      ctx.strokeRect(x - 3.5, y - 3.5, 7, 7);
      break;
    case TRACE.SYSCALL_EXIT:
    case TRACE.SYSCALL_WAKE:
      ctx.fillRect(x - 3.5, y - 3.5, 7, 7);
      break;
    case TRACE.SYSCALL_BLOCK:
      ctx.fillRect(x - 4, y - 5, 3, 10);
      ctx.fillRect(x + 1, y - 5, 3, 10);
      break;
    case TRACE.SCHED_RUN:
      ctx.beginPath();
      ctx.moveTo(x - 4, y - 5);
      ctx.lineTo(x + 5, y);
      ctx.lineTo(x - 4, y + 5);
      ctx.closePath();
      ctx.fill();
      break;
    case TRACE.EXIT:
    case TRACE.FAULT:
    case TRACE.KILL:
    case TRACE.PANIC:
      ctx.lineWidth = 2.2;
      ctx.beginPath();
      ctx.moveTo(x - 5, y - 5);
      ctx.lineTo(x + 5, y + 5);
      ctx.moveTo(x + 5, y - 5);
      ctx.lineTo(x - 5, y + 5);
      ctx.stroke();
      break;
    case TRACE.SIGNAL:
    case TRACE.IRQ:
    case TRACE.TIMER_FIRE:
      ctx.beginPath();
      ctx.moveTo(x, y - 5);
      ctx.lineTo(x + 5, y);
      ctx.lineTo(x, y + 5);
      ctx.lineTo(x - 5, y);
      ctx.closePath();
      ctx.fill();
      break;
    default:
      ctx.beginPath();
      ctx.arc(x, y, 3.5, 0, Math.PI * 2);
      ctx.fill();
  }
}

function markColor(kind: number): string {
  if (kind === TRACE.FAULT || kind === TRACE.PANIC || kind === TRACE.KILL) return C.red;
  if (kind === TRACE.SCHED_PREEMPT) return C.orange;
  return groupColor(groupOf(kind));
}

/** What the last frame drew: the arrows in view (read by the end-to-end tests through window.__oncrix.frame). */
export interface FrameInfo {
  lanes: number[];
  arrows: { g: number; from: number; to: number; label: string; dashed: boolean }[];
}

export const frameInfo: FrameInfo = { lanes: [], arrows: [] };

export interface DrawInput {
  model: TraceModel;
  rows: Rows;
  hiddenPids: ReadonlySet<number>;
  cursor: number;
}

/** Draw one frame. */
export function drawTrace(ctx: CanvasRenderingContext2D, input: DrawInput, vp: Viewport): Layout {
  const { model: m, rows, cursor } = input;
  const layout = layoutLanes(m, input.hiddenPids, vp.width);
  const { lanes, laneW } = layout;
  const laneIndex = new Map<number, number>();
  lanes.forEach((p, i) => laneIndex.set(p, i));
  const laneX = (pid: number): number | undefined => {
    const i = laneIndex.get(pid);
    return i === undefined ? undefined : GUTTER_W + i * laneW + laneW / 2 - vp.scrollX;
  };
  const W = vp.width;
  const H = vp.height;
  ctx.fillStyle = C.panel;
  ctx.fillRect(0, 0, W, H);
  ctx.font = '12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
  ctx.textBaseline = 'alphabetic';

  const n = visibleRowCount(H) + 2;
  const first = Math.max(0, Math.floor(vp.scrollRow));
  const last = Math.min(rows.length, first + n);
  const frac = vp.scrollRow - Math.floor(vp.scrollRow);
  const rowY = (r: number): number => HEADER_H + (r - first - frac) * ROW_H + ROW_H / 2;
  const gFirst = rows.at(first);
  const gLast = last > 0 ? rows.at(last - 1) : -1;

  // Row backgrounds: stripes, hover, selection.
  for (let r = first; r < last; r++) {
    const y = rowY(r) - ROW_H / 2;
    const g = rows.at(r);
    if (g === cursor) ctx.fillStyle = C.select;
    else if (r === vp.hoverRow) ctx.fillStyle = C.hover;
    else if (r % 2 === 1) ctx.fillStyle = C.rowAlt;
    else continue;
    ctx.fillRect(0, y, W, ROW_H);
  }

  // Clip the lane area (gutter and header stay on top).
  ctx.save();
  ctx.beginPath();
  ctx.rect(GUTTER_W, HEADER_H, W - GUTTER_W - SCROLLBAR_W, H - HEADER_H);
  ctx.clip();

  // Lifelines: thin while a process exists, thick while it runs on a CPU.
  const top = HEADER_H;
  for (const pid of lanes) {
    const x = laneX(pid);
    if (x === undefined || x < GUTTER_W - laneW || x > W + laneW) continue;
    const color = pidColor(pid);
    let y0 = top;
    let y1 = H;
    if (pid !== 0) {
      const p = m.procs.get(pid);
      if (p === undefined) continue;
      const sr = rows.rowOf(p.spawnAt);
      y0 = Math.max(top, rowY(sr) - ROW_H / 2);
      if (p.exitAt >= 0) y1 = Math.min(H, rowY(rows.rowOf(p.exitAt)));
      if (y1 <= y0) continue;
      ctx.strokeStyle = color;
      ctx.globalAlpha = 0.35;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, y0);
      ctx.lineTo(x, y1);
      ctx.stroke();
      ctx.globalAlpha = 1;
      if (gFirst >= 0) {
        const runs = runsBetween(m, pid, gFirst, gLast + 1);
        ctx.fillStyle = color;
        ctx.globalAlpha = 0.55;
        for (let i = 0; i < runs.length; i += 2) {
          const s = runs[i] ?? 0;
          const e = runs[i + 1] ?? -1;
          const ys = s < gFirst ? top : rowY(rows.rowOf(s));
          const ye = e < 0 || e > gLast ? H : rowY(rows.rowOf(e));
          if (ye > ys) ctx.fillRect(x - 2.5, Math.max(top, ys), 5, Math.min(H, ye) - Math.max(top, ys));
        }
        ctx.globalAlpha = 1;
      }
    } else {
      ctx.strokeStyle = color;
      ctx.globalAlpha = 0.35;
      ctx.setLineDash([2, 3]);
      ctx.beginPath();
      ctx.moveTo(x, y0);
      ctx.lineTo(x, y1);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    }
  }

  // Long message arrows that start above the view and end in it.
  const LOOKBACK = 600;
  for (let r = Math.max(0, first - LOOKBACK); r < first; r++) {
    const g = rows.at(r);
    if (kindAt(m, g) !== TRACE.MSG_SEND) continue; // without decoding: most rows are not sends
    const ev = eventAt(m, g);
    if (ev === undefined) continue;
    const end = partnerOf(m, g);
    if (end < gFirst) continue;
    const a = arrowOf(m, ev, g);
    const x1 = a !== null ? laneX(a.from) : undefined;
    const x2 = a !== null ? laneX(a.to) : undefined;
    if (a === null || x1 === undefined || x2 === undefined) continue;
    arrow(ctx, x1, rowY(r), x2, rowY(rows.rowOf(end)), C.accent, false, 1.2);
  }

  // Events: arrows first, then marks and labels on top.
  frameInfo.lanes = lanes;
  frameInfo.arrows = [];
  for (let r = first; r < last; r++) {
    const g = rows.at(r);
    const ev = eventAt(m, g);
    if (ev === undefined) continue;
    const y = rowY(r);
    const a = arrowOf(m, ev, g);
    if (a === null) continue;
    const x1 = laneX(a.from);
    const x2 = laneX(a.to);
    if (x1 === undefined || x2 === undefined || a.from === a.to) continue;
    const y2 = a.endAt >= 0 ? rowY(rows.rowOf(a.endAt)) : y;
    const handles = ev.kind === TRACE.MSG_SEND && (ev.args[3] ?? 0) > 0;
    const color = ev.kind === TRACE.HANDLE_TRANSFER || handles ? C.gold
      : ev.kind === TRACE.KILL ? C.red : ev.kind === TRACE.SPAWN ? C.purple : ev.kind === TRACE.IRQ ? C.orange
        : ev.kind === TRACE.TIMER_FIRE ? C.cyan : C.accent;
    arrow(ctx, x1, y, x2, y2, color, a.dashed, g === cursor ? 2.6 : 1.6);
    frameInfo.arrows.push({ g, from: a.from, to: a.to, label: a.label, dashed: a.dashed });
  }
  for (let r = first; r < last; r++) {
    const g = rows.at(r);
    const ev = eventAt(m, g);
    if (ev === undefined) continue;
    const y = rowY(r);
    const a = arrowOf(m, ev, g);
    if (a !== null && a.from !== a.to && laneX(a.from) !== undefined && laneX(a.to) !== undefined) {
      const x1 = laneX(a.from) ?? 0;
      const x2 = laneX(a.to) ?? 0;
      const y2 = a.endAt >= 0 ? rowY(rows.rowOf(a.endAt)) : y;
      const color = ev.kind === TRACE.HANDLE_TRANSFER || (ev.kind === TRACE.MSG_SEND && (ev.args[3] ?? 0) > 0) ? C.gold : C.text;
      ctx.beginPath();
      ctx.fillStyle = pidColor(a.from);
      ctx.arc(x1, y, 3, 0, Math.PI * 2);
      ctx.fill();
      const span = Math.abs(x2 - x1);
      pill(ctx, a.label, (x1 + x2) / 2, (y + y2) / 2 - (y2 === y ? 7 : 0), color, Math.max(60, span - 12), 'center');
      continue;
    }
    const lanePid = ev.kind === TRACE.SIGNAL || ev.kind === TRACE.IRQ || ev.kind === TRACE.TIMER_FIRE ? 0 : ev.pid;
    const x = laneX(lanePid) ?? laneX(0);
    if (x === undefined) continue;
    const color = markColor(ev.kind);
    mark(ctx, ev.kind, x, y, color);
    pill(ctx, shortLabel(m, ev), x + 9, y, ev.kind === TRACE.SYSCALL_ENTER || ev.kind === TRACE.SYSCALL_EXIT ? C.dim : color, laneW * 1.6,
      'left', W - SCROLLBAR_W - 4, x - 9);
  }
  ctx.restore();

  // Gutter: sequence number and kernel time.
  ctx.fillStyle = C.panel2;
  ctx.fillRect(0, HEADER_H, GUTTER_W, H - HEADER_H);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, HEADER_H, GUTTER_W, H - HEADER_H);
  ctx.clip();
  for (let r = first; r < last; r++) {
    const g = rows.at(r);
    const ev = eventAt(m, g);
    if (ev === undefined) continue;
    const y = rowY(r);
    if (g === cursor) {
      ctx.fillStyle = C.select;
      ctx.fillRect(0, y - ROW_H / 2, GUTTER_W, ROW_H);
    }
    ctx.fillStyle = g === cursor ? C.text : C.dim;
    ctx.fillText(`#${ev.seq}`, 8, y + 4);
    ctx.fillStyle = C.faint;
    ctx.font = '11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
    const t = ms(ev.time);
    ctx.fillText(t, GUTTER_W - 8 - ctx.measureText(t).width, y + 4);
    ctx.font = '12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
  }
  ctx.restore();

  // Lane headers.
  ctx.fillStyle = C.panel2;
  ctx.fillRect(0, 0, W, HEADER_H);
  ctx.strokeStyle = C.border;
  ctx.beginPath();
  ctx.moveTo(0, HEADER_H - 0.5);
  ctx.lineTo(W, HEADER_H - 0.5);
  ctx.stroke();
  ctx.fillStyle = C.dim;
  ctx.fillText('event     time', 8, 19);
  ctx.save();
  ctx.beginPath();
  ctx.rect(GUTTER_W, 0, W - GUTTER_W, HEADER_H);
  ctx.clip();
  ctx.font = '600 12px system-ui, sans-serif';
  for (const pid of lanes) {
    const x = laneX(pid);
    if (x === undefined) continue;
    const p = m.procs.get(pid);
    const exited = p?.state === 'exited';
    ctx.globalAlpha = exited ? 0.45 : 1;
    const label = pid === 0 ? 'kernel' : `${procName(m, pid)} ${pid}`;
    const w = Math.min(ctx.measureText(label).width, laneW - 18);
    ctx.fillStyle = pidColor(pid);
    ctx.beginPath();
    ctx.arc(x - w / 2 - 7, 15, 4, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = C.text;
    ctx.fillText(label, x - w / 2, 19, laneW - 18);
    ctx.globalAlpha = 1;
  }
  ctx.restore();

  // Scrollbar.
  const visRows = visibleRowCount(H);
  if (rows.length > visRows) {
    const trackH = H - HEADER_H;
    const thumbH = Math.max(24, (trackH * visRows) / rows.length);
    const maxScroll = rows.length - visRows;
    const thumbY = HEADER_H + ((trackH - thumbH) * Math.min(vp.scrollRow, maxScroll)) / maxScroll;
    ctx.fillStyle = C.panel2;
    ctx.fillRect(W - SCROLLBAR_W, HEADER_H, SCROLLBAR_W, trackH);
    ctx.fillStyle = '#3a4150';
    ctx.fillRect(W - SCROLLBAR_W + 2, thumbY, SCROLLBAR_W - 4, thumbH);
    if (cursor >= 0) {
      const cr = rows.rowOf(cursor);
      ctx.fillStyle = C.accent;
      ctx.fillRect(W - SCROLLBAR_W, HEADER_H + (trackH * cr) / rows.length, SCROLLBAR_W, 2);
    }
  }

  if (rows.length === 0) {
    ctx.fillStyle = C.dim;
    ctx.font = '13px system-ui, sans-serif';
    ctx.fillText('No events yet (or every event is filtered out).', GUTTER_W + 16, HEADER_H + 30);
  }
  return layout;
}
