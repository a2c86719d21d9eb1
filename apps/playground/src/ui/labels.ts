// Placing labels so that none covers another: the sequence diagram's arrow
// and mark labels, and the capability graph's rights labels.
//
// The idea is the simplest that works at this size (tens of labels a frame):
// labels are placed one at a time, most important first; each offers a few
// candidate spots (along its arrow or edge, or either side of its mark) and
// takes the first that overlaps nothing placed so far. A label with no free
// spot is not drawn — the inspector and the tooltips still say it — rather
// than drawn over another.

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** True when two boxes overlap (touching edges do not). */
export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** The boxes placed so far; take() places a box if it is free. */
export class Placer {
  readonly boxes: Box[] = [];

  constructor(private readonly obstacles: readonly Box[] = []) {}

  /** Is this spot free of every placed box and obstacle? */
  free(b: Box): boolean {
    return !this.boxes.some((p) => overlaps(p, b)) && !this.obstacles.some((o) => overlaps(o, b));
  }

  /** Place the first free candidate; returns it, or null when all are taken. */
  take(candidates: readonly Box[]): Box | null {
    for (const c of candidates) {
      if (this.free(c)) {
        this.boxes.push(c);
        return c;
      }
    }
    return null;
  }

  /** Place a box whether or not it is free (a label that must show, placed before the others). */
  force(b: Box): Box {
    this.boxes.push(b);
    return b;
  }
}

/** Fractions along an arrow or edge to try a label at, middle first. */
export const ALONG = [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9] as const;

/** A point on a cubic Bézier curve at t. */
export function bezier(t: number, p0: number, p1: number, p2: number, p3: number): number {
  const u = 1 - t;
  return u * u * u * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t * t * t * p3;
}
