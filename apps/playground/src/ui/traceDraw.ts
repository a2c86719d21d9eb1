// Drawing the IPC trace as a sequence diagram on a <canvas>.
//
// Time runs down, one row per visible event; a lane per process (in spawn
// order) plus the kernel's on the left. Lanes share the panel's width down to
// MIN_LANE_W; past that they scroll sideways under a visible scrollbar, with
// arrows in the header saying how many lanes are off screen, and the lanes of
// the selected event's two ends are always brought on screen (narrowed if
// they could not be seen together). "Hide exited" leaves out the lanes of
// processes that ended before the rows on screen — only lanes: their events
// stay, and their lanes come back when the view scrolls to them. Only the rows in view are drawn —
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
import { Placer, ALONG, type Box } from './labels.js';

export const ROW_H = 22;
export const HEADER_H = 30;
export const GUTTER_W = 166;
export const SCROLLBAR_W = 10;
export const MIN_LANE_W = 72;
/** The narrowest a lane gets to show the selected event's two ends together. */
const FOCUS_LANE_W = 28;
/** Height of the horizontal scrollbar, at the bottom, when the lanes do not fit. */
export const HSCROLL_H = 10;

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
  /** Width the lanes have on screen. */
  avail: number;
}

export interface LaneOptions {
  hidden: ReadonlySet<number>;
  hideExited: boolean;
  /** Global numbers of the first and last rows on screen (for hideExited), or null. */
  range: readonly [number, number] | null;
  /** Pids whose lanes must be on screen together (the selected event's ends). */
  focus: readonly number[];
}

/** Lanes (kernel first, then processes not hidden) and their width. */
export function layoutLanes(m: TraceModel, opts: LaneOptions, width: number): Layout {
  let lanes = [0, ...m.lanes.filter((p) => !opts.hidden.has(p))];
  const range = opts.range;
  if (opts.hideExited && range !== null) {
    lanes = lanes.filter((pid) => {
      const p = m.procs.get(pid);
      return pid === 0 || opts.focus.includes(pid) || p === undefined || p.exitAt < 0 || p.exitAt >= range[0];
    });
  }
  const avail = Math.max(1, width - GUTTER_W - SCROLLBAR_W);
  let laneW = Math.max(MIN_LANE_W, Math.floor(avail / lanes.length));
  const ends = opts.focus.map((p) => lanes.indexOf(p)).filter((i) => i >= 0);
  if (ends.length === 2) {
    const span = Math.abs((ends[0] ?? 0) - (ends[1] ?? 0)) + 1;
    if (span * laneW > avail) laneW = Math.max(FOCUS_LANE_W, Math.floor(avail / span));
  }
  return { lanes, laneW, lanesW: laneW * lanes.length, avail };
}

/** The pids an event concerns on screen: an arrow's two ends, or its own lane. */
export function focusOf(m: TraceModel, g: number): number[] {
  const ev = eventAt(m, g);
  if (ev === undefined) return [];
  const a = arrowOf(m, ev, g);
  if (a !== null) return a.from === a.to ? [a.from] : [a.from, a.to];
  return [ev.kind === TRACE.SIGNAL || ev.kind === TRACE.IRQ || ev.kind === TRACE.TIMER_FIRE ? 0 : ev.pid];
}

/** Scroll sideways just enough that the focus lanes are on screen (changes vp.scrollX). */
function reveal(layout: Layout, focus: readonly number[], vp: Viewport): void {
  const xs = focus.map((p) => layout.lanes.indexOf(p)).filter((i) => i >= 0).map((i) => i * layout.laneW);
  if (xs.length === 0) return;
  const left = Math.min(...xs);
  const right = Math.max(...xs) + layout.laneW;
  if (left < vp.scrollX) vp.scrollX = left;
  else if (right > vp.scrollX + layout.avail) vp.scrollX = Math.min(left, right - layout.avail);
}

/** The horizontal scrollbar's thumb, when the lanes do not fit: [x, width] on the canvas, or null. */
export function hThumb(layout: Layout, vp: Viewport): [number, number] | null {
  if (layout.lanesW <= layout.avail) return null;
  const w = Math.max(30, (layout.avail * layout.avail) / layout.lanesW);
  const maxX = layout.lanesW - layout.avail;
  return [GUTTER_W + ((layout.avail - w) * Math.min(vp.scrollX, maxX)) / maxX, w];
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

/** A label's text cut to fit maxW (with an ellipsis), and its width. */
function fitText(ctx: CanvasRenderingContext2D, text: string, maxW: number): { text: string; w: number } {
  let t = text;
  let w = ctx.measureText(t).width;
  if (w > maxW) {
    while (t.length > 1 && ctx.measureText(`${t}…`).width > maxW) t = t.slice(0, -1);
    t = `${t}…`;
    w = ctx.measureText(t).width;
  }
  return { text: t, w };
}

/** The box of a pill whose text starts at `left`, centred on row y. */
function pillBox(left: number, y: number, w: number): Box {
  return { x: left - 3, y: y - 8, w: w + 6, h: 15 };
}

/** A label with a dark pill behind it, so it stays readable over lifelines, drawn in its box. */
function drawPill(ctx: CanvasRenderingContext2D, text: string, box: Box, color: string): void {
  ctx.fillStyle = 'rgba(20,22,27,0.85)';
  ctx.fillRect(box.x, box.y, box.w, box.h);
  ctx.fillStyle = color;
  ctx.fillText(text, box.x + 3, box.y + 12);
}

/** A label waiting to be placed: its text, colour, and the spots it may take, best first. */
interface PendingLabel {
  text: string;
  color: string;
  spots: Box[];
  selected: boolean;
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

/** What the last frame drew (read by the end-to-end tests through window.__oncrix.frame). */
export interface FrameInfo {
  lanes: number[];
  /** Each lane's centre on the canvas, in lane order. */
  laneX: number[];
  /** The canvas's width and the lanes' area on it: [left, right). */
  view: [number, number];
  /** The horizontal scrollbar is shown (the lanes do not fit). */
  hscroll: boolean;
  /** The labels drawn, where (none overlaps another). */
  labels: (Box & { text: string })[];
  arrows: { g: number; from: number; to: number; label: string; dashed: boolean }[];
}

export const frameInfo: FrameInfo = { lanes: [], laneX: [], view: [0, 0], hscroll: false, labels: [], arrows: [] };

export interface DrawInput {
  model: TraceModel;
  rows: Rows;
  hiddenPids: ReadonlySet<number>;
  hideExited: boolean;
  cursor: number;
  /** The selection changed since the last frame: scroll its lanes on screen. */
  revealCursor: boolean;
}

/** Draw one frame. */
export function drawTrace(ctx: CanvasRenderingContext2D, input: DrawInput, vp: Viewport): Layout {
  const { model: m, rows, cursor } = input;
  const first0 = Math.max(0, Math.floor(vp.scrollRow));
  const last0 = Math.min(rows.length, first0 + visibleRowCount(vp.height) + 2);
  const focus = cursor >= 0 ? focusOf(m, cursor) : [];
  const layout = layoutLanes(m, {
    hidden: input.hiddenPids, hideExited: input.hideExited, focus,
    range: last0 > first0 ? [rows.at(first0), rows.at(last0 - 1)] : null,
  }, vp.width);
  const { lanes, laneW } = layout;
  vp.scrollX = Math.max(0, Math.min(vp.scrollX, layout.lanesW - layout.avail));
  if (input.revealCursor) reveal(layout, focus, vp);
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
  // Marks, then labels: mark labels beside their marks (either side), arrow labels along their arrows;
  // the selected event's label first, then marks', then arrows'; a label with no free spot is left out.
  const markLabels: PendingLabel[] = [];
  const arrowLabels: PendingLabel[] = [];
  const rightEdge = W - SCROLLBAR_W - 4;
  for (let r = first; r < last; r++) {
    const g = rows.at(r);
    const ev = eventAt(m, g);
    if (ev === undefined) continue;
    const y = rowY(r);
    const a = arrowOf(m, ev, g);
    const x1 = a !== null ? laneX(a.from) : undefined;
    const x2 = a !== null ? laneX(a.to) : undefined;
    if (a !== null && a.from !== a.to && x1 !== undefined && x2 !== undefined) {
      const y2 = a.endAt >= 0 ? rowY(rows.rowOf(a.endAt)) : y;
      const color = ev.kind === TRACE.HANDLE_TRANSFER || (ev.kind === TRACE.MSG_SEND && (ev.args[3] ?? 0) > 0) ? C.gold : C.text;
      ctx.beginPath();
      ctx.fillStyle = pidColor(a.from);
      ctx.arc(x1, y, 3, 0, Math.PI * 2);
      ctx.fill();
      const { text, w } = fitText(ctx, a.label, Math.max(60, Math.abs(x2 - x1) - 12));
      const spots = ALONG.map((t) => {
        const cx = x1 + (x2 - x1) * t;
        const cy = y + (y2 - y) * t - (y2 === y ? 7 : 0);
        return pillBox(cx - w / 2, cy, w);
      });
      arrowLabels.push({ text, color, spots, selected: g === cursor });
      continue;
    }
    const lanePid = ev.kind === TRACE.SIGNAL || ev.kind === TRACE.IRQ || ev.kind === TRACE.TIMER_FIRE ? 0 : ev.pid;
    const x = laneX(lanePid) ?? laneX(0);
    if (x === undefined) continue;
    const color = markColor(ev.kind);
    mark(ctx, ev.kind, x, y, color);
    const { text, w } = fitText(ctx, shortLabel(m, ev), laneW * 1.6);
    const right = pillBox(x + 9, y, w);
    const left = pillBox(x - 9 - w, y, w);
    markLabels.push({
      text, color: ev.kind === TRACE.SYSCALL_ENTER || ev.kind === TRACE.SYSCALL_EXIT ? C.dim : color,
      spots: x + 9 + w > rightEdge ? [left, right] : [right, left], selected: g === cursor,
    });
  }
  const placer = new Placer();
  const drawn: (Box & { text: string })[] = [];
  const place = (l: PendingLabel, must: boolean): void => {
    const box = must ? placer.force(l.spots[0] ?? { x: 0, y: 0, w: 0, h: 0 }) : placer.take(l.spots);
    if (box === null) return;
    drawPill(ctx, l.text, box, l.color);
    drawn.push({ ...box, text: l.text });
  };
  for (const l of [...markLabels, ...arrowLabels]) if (l.selected) place(l, true);
  for (const l of [...markLabels, ...arrowLabels]) if (!l.selected) place(l, false);
  frameInfo.labels = drawn;
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
  frameInfo.laneX = lanes.map((p) => laneX(p) ?? 0);
  frameInfo.view = [GUTTER_W, W - SCROLLBAR_W];

  // Lanes off screen: how many, on either side of the header.
  const offLeft = lanes.filter((p) => (laneX(p) ?? 0) < GUTTER_W).length;
  const offRight = lanes.filter((p) => (laneX(p) ?? 0) > W - SCROLLBAR_W).length;
  ctx.font = '11px system-ui, sans-serif';
  if (offLeft > 0) {
    ctx.fillStyle = C.panel2;
    ctx.fillRect(GUTTER_W, 0, 34, HEADER_H - 1);
    ctx.fillStyle = C.accent;
    ctx.fillText(`◀ ${offLeft}`, GUTTER_W + 4, 19);
  }
  if (offRight > 0) {
    const t = `${offRight} ▶`;
    const w = ctx.measureText(t).width;
    ctx.fillStyle = C.panel2;
    ctx.fillRect(W - SCROLLBAR_W - w - 10, 0, w + 10, HEADER_H - 1);
    ctx.fillStyle = C.accent;
    ctx.fillText(t, W - SCROLLBAR_W - w - 5, 19);
  }
  ctx.font = '12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';

  // Horizontal scrollbar, when the lanes do not fit.
  const thumb = hThumb(layout, vp);
  frameInfo.hscroll = thumb !== null;
  if (thumb !== null) {
    ctx.fillStyle = C.panel2;
    ctx.fillRect(GUTTER_W, H - HSCROLL_H, layout.avail, HSCROLL_H);
    ctx.fillStyle = '#5a6478';
    ctx.fillRect(thumb[0], H - HSCROLL_H + 2, thumb[1], HSCROLL_H - 4);
  }

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
