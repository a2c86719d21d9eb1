// Colours shared by the canvas (sequence diagram), the SVG (capability graph)
// and the CSS: one palette, so a process has the same colour in every view.

export const C = {
  bg: '#14161b',
  panel: '#1a1d23',
  panel2: '#20242c',
  rowAlt: '#1d2027',
  border: '#2c313b',
  text: '#d6d9e0',
  dim: '#9aa2b3',
  faint: '#878fa1',
  accent: '#5aa9ff',
  green: '#4ec9a0',
  orange: '#e5a550',
  red: '#f06a6a',
  purple: '#b690f5',
  gold: '#e8c56a',
  cyan: '#56c2d6',
  pink: '#ee82c0',
  select: '#2d4a6e',
  hover: '#252a33',
} as const;

const LANE_COLORS = ['#5aa9ff', '#4ec9a0', '#e5a550', '#b690f5', '#ee82c0', '#56c2d6', '#c8d46a', '#f08c6a', '#8fa8ff', '#6ad4a8'];

/** A process's colour (the kernel, pid 0, is grey). */
export function pidColor(pid: number): string {
  if (pid <= 0) return '#9aa3b5';
  return LANE_COLORS[(pid - 1) % LANE_COLORS.length] ?? C.accent;
}

/** Colour of a trace-kind group (see trace/names.ts KIND_GROUPS). */
export function groupColor(group: string): string {
  switch (group) {
    case 'ipc': return C.accent;
    case 'syscall': return C.dim;
    case 'sched': return C.green;
    case 'signal': return C.cyan;
    case 'irq': return C.orange;
    case 'process': return C.purple;
    case 'handle': return C.gold;
    case 'memory': return C.pink;
    default: return C.text;
  }
}
