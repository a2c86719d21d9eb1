// The capability graph: who holds what. Living processes on the left, the
// kernel objects their handles name on the right (channel endpoints next to
// their peer, joined by a dashed line), one edge per handle labelled with its
// rights. A handle to a process goes from holder to that process. Edges that
// changed most recently are drawn in gold, so a transfer is seen as it
// happens; the chosen process's edges stand out, the rest fade.

import { OBJ } from '@oncrix/abi';
import { usePlayground } from '../state/store.js';
import type { TraceModel } from '../trace/model.js';
import { procName } from '../trace/describe.js';
import { typeShort, rightsCompact, rightsNames, typeName } from '../trace/names.js';
import { useThrottledVersion } from './hooks.js';
import { useInspectedPid } from './CapTable.js';
import { C, pidColor } from './theme.js';

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
  const m = usePlayground.getState().model;
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
        {g.edges.map((e) => {
          const y1 = procY.get(e.pid) ?? 0;
          const x1 = procX + procW;
          const key = `${e.pid}:${e.value}`;
          const hot = recent.has(key);
          const faded = inspected !== null && e.pid !== inspected && e.toPid !== inspected;
          const color = hot ? C.gold : TYPE_COLOR[m.objects.get(e.koid)?.type ?? 0] ?? C.dim;
          let d: string;
          let lx: number;
          let ly: number;
          if (e.toPid === e.pid) {
            // A handle to itself: a small loop on the node's left.
            d = `M ${procX} ${y1 - 6} C ${procX - 30} ${y1 - 18}, ${procX - 30} ${y1 + 18}, ${procX} ${y1 + 6}`;
            lx = procX - 26;
            ly = y1 + 4;
          } else if (e.toPid !== 0) {
            // A handle to another process: further apart bends further out, so labels do not collide.
            const y2 = procY.get(e.toPid) ?? 0;
            const bend = procX - 34 - Math.min(44, (Math.abs(y2 - y1) / ROW) * 14);
            d = `M ${procX} ${y1 + (y2 > y1 ? 4 : -4)} C ${bend} ${y1}, ${bend} ${y2}, ${procX} ${y2 + (y2 > y1 ? -4 : 4)}`;
            lx = bend + 5;
            ly = (y1 + y2) / 2 + 4;
          } else {
            const y2 = objY.get(e.koid) ?? 0;
            const mid = (x1 + objX) / 2;
            d = `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${objX} ${y2}`;
            lx = objX - 36;
            ly = y2 - 3;
          }
          return (
            <g key={key} opacity={faded ? 0.18 : 1} data-testid="cap-edge" data-holder={e.pid} data-koid={e.koid}>
              <title>{`${procName(m, e.pid)} holds 0x${(e.value >>> 0).toString(16)}: ${rightsNames(e.rights)}`}</title>
              <path d={d} stroke={color} strokeWidth={hot ? 2.4 : 1.3} fill="none" markerEnd="url(#arrow)" />
              {(hot || (inspected !== null && !faded)) && <text x={lx} y={ly} className="g-rights" fill={hot ? C.gold : C.text} textAnchor={e.toPid === e.pid ? 'end' : 'start'}>{rightsCompact(e.rights)}</text>}
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
