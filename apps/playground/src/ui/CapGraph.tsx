// The capability graph: who holds what. Living processes on the left, the
// kernel objects their handles name on the right (channel endpoints next to
// their peer, joined by a dashed line), one edge per handle labelled with its
// rights. A handle to a process goes from holder to that process. Edges that
// changed most recently are drawn in gold, so a transfer is seen as it
// happens; the chosen process's edges stand out, the rest fade. Rights
// labels are placed along their edges so that none covers another or a node
// (ui/labels.ts); a label with no free spot is left to the edge's tooltip.

import { inspectedModel } from '../trace/inspected.js';
import { OBJ } from '@oncrix/abi';
import { usePlayground } from '../state/store.js';
import type { TraceModel } from '../trace/model.js';
import { procName } from '../trace/describe.js';
import { typeShort, rightsCompact, rightsNames, typeName } from '../trace/names.js';
import { useThrottledVersion } from './hooks.js';
import { useInspectedPid } from './CapTable.js';
import { C, pidColor } from './theme.js';
import { Placer, bezier, type Box } from './labels.js';

/** Width of one character of the rights labels (10.5 px monospace) and their height. */
const CHAR_W = 6.4;
const LABEL_H = 12;

/** A cubic edge: start, two control points, end. */
type Curve = [number, number, number, number, number, number, number, number];

/** Where an edge's rights label may go, best first: along the curve, then beside its ends. */
function labelSpots(c: Curve, w: number, anchorEnd: boolean): Box[] {
  const [x0, y0, x1, y1, x2, y2, x3, y3] = c;
  return [0.82, 0.68, 0.55, 0.4, 0.92, 0.28].map((t) => {
    const x = bezier(t, x0, x1, x2, x3);
    const y = bezier(t, y0, y1, y2, y3);
    return { x: anchorEnd ? x - w - 3 : x + 3, y: y - LABEL_H + 2, w, h: LABEL_H };
  });
}

interface Edge {
  pid: number;
  koid: number;
  value: number;
  rights: number;
  at: number;
  /** Points at a process node instead of an object node. */
  toPid: number;
}

export interface GraphData {
  procs: number[];
  objects: { koid: number; type: number; peer: number }[];
  edges: Edge[];
}

/** The graph's nodes and edges from the model: living processes, objects they hold, one edge per handle. */
export function buildGraph(m: TraceModel): GraphData {
  const procs = [...m.procs.values()].filter((p) => p.state !== 'exited').map((p) => p.pid).sort((a, b) => a - b);
  const alive = new Set(procs);
  const edges: Edge[] = [];
  const objKoids = new Set<number>();
  for (const pid of procs) {
    for (const h of m.handles.get(pid)?.values() ?? []) {
      const o = m.objects.get(h.koid);
      const toPid = o !== undefined && o.type === OBJ.PROCESS && alive.has(o.pid) ? o.pid : 0;
      edges.push({ pid, koid: h.koid, value: h.value, rights: h.rights, at: h.at, toPid });
      if (toPid === 0) objKoids.add(h.koid);
    }
  }
  // Order objects by the mean row of their holders, keeping channel peers side by side.
  const row = new Map(procs.map((p, i) => [p, i]));
  const center = (koid: number): number => {
    const rows = edges.filter((e) => e.koid === koid).map((e) => row.get(e.pid) ?? 0);
    return rows.reduce((a, b) => a + b, 0) / Math.max(1, rows.length);
  };
  const placed = new Set<number>();
  const groups: { key: number; koids: number[] }[] = [];
  for (const koid of [...objKoids].sort((a, b) => a - b)) {
    if (placed.has(koid)) continue;
    const peer = m.objects.get(koid)?.peer ?? 0;
    const koids = peer !== 0 && objKoids.has(peer) && !placed.has(peer) ? [koid, peer] : [koid];
    koids.forEach((k) => placed.add(k));
    groups.push({ key: Math.min(...koids.map(center)), koids });
  }
  groups.sort((a, b) => a.key - b.key);
  const objects = groups.flatMap((g) => g.koids).map((koid) => {
    const o = m.objects.get(koid);
    return { koid, type: o?.type ?? 0, peer: o?.peer ?? 0 };
  });
  return { procs, objects, edges };
}

const TYPE_COLOR: Record<number, string> = {
  [OBJ.CHANNEL]: C.accent, [OBJ.NOTIFICATION]: C.cyan, [OBJ.IRQ]: C.orange, [OBJ.DEVICE]: C.orange,
  [OBJ.MEMORY]: C.pink, [OBJ.TIMER]: C.green, [OBJ.PROCESS]: C.purple,
};

export function CapGraph(): React.JSX.Element {
  useThrottledVersion(300);
  const inspected = useInspectedPid();
  const selectPid = usePlayground((s) => s.selectPid);
  const m = inspectedModel();
  const g = buildGraph(m);
  const W = 440;
  const ROW = 34;
  const procW = 112;
  const objW = 118;
  const objX = W - objW - 14;
  const procX = 96;
  const top = 24;
  const H = top + Math.max(g.procs.length, g.objects.length, 1) * ROW + 10;
  const procY = new Map(g.procs.map((p, i) => [p, top + i * ROW + ROW / 2]));
  const objSpacing = g.objects.length > 0 ? Math.max(ROW, (H - top - 10) / g.objects.length) : ROW;
  const objY = new Map(g.objects.map((o, i) => [o.koid, top + i * objSpacing + objSpacing / 2]));
  const recent = new Set([...g.edges].sort((a, b) => b.at - a.at).slice(0, 2).filter((e) => e.at >= m.lastHandleChange - 40).map((e) => `${e.pid}:${e.value}`));
  // Nodes are obstacles for labels; labels are placed hot ones first, then the chosen process's.
  const nodes: Box[] = [
    ...g.procs.map((p) => ({ x: procX, y: (procY.get(p) ?? 0) - 11, w: procW, h: 22 })),
    ...g.objects.map((o) => ({ x: objX, y: (objY.get(o.koid) ?? 0) - 10, w: objW, h: 20 })),
  ];
  const placer = new Placer(nodes);
  const loops = new Map<number, number>();
  const edges = g.edges.map((e) => {
    const y1 = procY.get(e.pid) ?? 0;
    const x1 = procX + procW;
    const key = `${e.pid}:${e.value}`;
    const hot = recent.has(key);
    const faded = inspected !== null && e.pid !== inspected && e.toPid !== inspected;
    const color = hot ? C.gold : TYPE_COLOR[m.objects.get(e.koid)?.type ?? 0] ?? C.dim;
    let c: Curve;
    let anchorEnd = false;
    if (e.toPid === e.pid) {
      // A handle to itself: a loop on the node's left, each further one a little wider.
      const k = loops.get(e.pid) ?? 0;
      loops.set(e.pid, k + 1);
      const bulge = procX - 30 - 12 * k;
      c = [procX, y1 - 6, bulge, y1 - 18, bulge, y1 + 18, procX, y1 + 6];
      anchorEnd = true;
    } else if (e.toPid !== 0) {
      // A handle to another process: further apart bends further out.
      const y2 = procY.get(e.toPid) ?? 0;
      const bend = procX - 34 - Math.min(44, (Math.abs(y2 - y1) / ROW) * 14);
      c = [procX, y1 + (y2 > y1 ? 4 : -4), bend, y1, bend, y2, procX, y2 + (y2 > y1 ? -4 : 4)];
      anchorEnd = true;
    } else {
      const y2 = objY.get(e.koid) ?? 0;
      const mid = (x1 + objX) / 2;
      c = [x1, y1, mid, y1, mid, y2, objX, y2];
    }
    const d = `M ${c[0]} ${c[1]} C ${c[2]} ${c[3]}, ${c[4]} ${c[5]}, ${c[6]} ${c[7]}`;
    const text = rightsCompact(e.rights);
    const wanted = hot || (inspected !== null && !faded);
    return { e, c, d, color, hot, faded, wanted, spots: labelSpots(c, text.length * CHAR_W, anchorEnd), label: null as Box | null };
  });
  for (const x of edges) if (x.hot && x.wanted) x.label = placer.take(x.spots);
  for (const x of edges) if (!x.hot && x.wanted) x.label = placer.take(x.spots);

  return (
    <div className="graph-wrap" data-testid="cap-graph">
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ minHeight: H * 0.6 }} role="img" aria-label="capability graph">
        <text x={procX} y={14} className="g-head">processes</text>
        <text x={objX} y={14} className="g-head">kernel objects</text>
        {g.objects.map((o) => {
          const y = objY.get(o.koid) ?? 0;
          const py = objY.get(o.peer);
          if (py === undefined || o.koid > o.peer) return null;
          return <path key={`peer${o.koid}`} d={`M ${objX + objW} ${y} C ${objX + objW + 14} ${y}, ${objX + objW + 14} ${py}, ${objX + objW} ${py}`} stroke={C.accent} strokeDasharray="3 3" fill="none" opacity={0.7} />;
        })}
        {edges.map(({ e, d, color, hot, faded, label }) => {
          const key = `${e.pid}:${e.value}`;
          return (
            <g key={key} opacity={faded ? 0.18 : 1} data-testid="cap-edge" data-holder={e.pid} data-koid={e.koid}>
              <title>{`${procName(m, e.pid)} holds 0x${(e.value >>> 0).toString(16)}: ${rightsNames(e.rights)}`}</title>
              <path d={d} stroke={color} strokeWidth={hot ? 2.4 : 1.3} fill="none" markerEnd="url(#arrow)" />
              {label !== null && (
                <text x={label.x} y={label.y + LABEL_H - 2} className="g-rights" fill={hot ? C.gold : C.text} data-testid="cap-rights">{rightsCompact(e.rights)}</text>
              )}
            </g>
          );
        })}
        {g.procs.map((pid) => {
          const y = procY.get(pid) ?? 0;
          const sel = pid === inspected;
          return (
            <g key={pid} className="g-node" onClick={() => selectPid(pid)} data-testid="cap-proc-node">
              <rect x={procX} y={y - 11} width={procW} height={22} rx={5} fill={sel ? '#2b3546' : C.panel2} stroke={pidColor(pid)} strokeWidth={sel ? 2 : 1} />
              <text x={procX + 8} y={y + 4} fill={C.text}>{procName(m, pid)}</text>
              <text x={procX + procW - 8} y={y + 4} fill={C.dim} textAnchor="end">{pid}</text>
            </g>
          );
        })}
        {g.objects.map((o) => {
          const y = objY.get(o.koid) ?? 0;
          const color = TYPE_COLOR[o.type] ?? C.dim;
          return (
            <g key={o.koid} data-testid="cap-obj-node">
              <title>{`${typeName(o.type)} koid ${o.koid}`}</title>
              <rect x={objX} y={y - 10} width={objW} height={20} rx={10} fill={C.panel2} stroke={color} />
              <text x={objX + 10} y={y + 4} fill={color}>{typeShort(o.type)}</text>
              <text x={objX + objW - 10} y={y + 4} fill={C.dim} textAnchor="end">{o.koid}</text>
            </g>
          );
        })}
        <defs>
          <marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M 0 0 L 8 4 L 0 8 z" fill={C.dim} />
          </marker>
        </defs>
      </svg>
      <div className="legend small">
        edge = a handle (rights shown for the chosen process; hover an edge for all) (R read · W write · T transfer · D duplicate · A wait · S signal · M manage · P spawn · I inspect); gold = changed last; dashed = channel peers
      </div>
    </div>
  );
}
