// The centreline between two clicked points: the minimum-cost 8-connected path on a cost map that is cheap inside
// vessels (inverse vesselness), then resampled at one pixel of arc length and smoothed so normals are stable.
import type { Point } from './image.ts';
import type { VesselnessMap } from './vesselness.ts';

/** Keeps a low floor so the path can cross a vessel's gap (a tight stenosis fades from the vesselness map). */
const COST_FLOOR = 0.02;
const SMOOTHING_PX = 3;

class MinHeap {
  private keys: Float64Array;
  private items: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.items = new Int32Array(capacity);
  }
  push(key: number, item: number): void {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      const items = new Int32Array(this.size * 2);
      items.set(this.items);
      this.keys = keys;
      this.items = items;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.keys[i] = this.keys[parent]!;
      this.items[i] = this.items[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.items[i] = item;
  }
  /** The key of the item `pop` returned last. */
  lastKey = 0;
  /** Removes the smallest; returns its item (its key is left in `lastKey`). */
  pop(): number {
    const top = this.items[0]!;
    this.lastKey = this.keys[0]!;
    const key = this.keys[--this.size]!;
    const item = this.items[this.size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.keys[child + 1]! < this.keys[child]!) child++;
      if (this.keys[child]! >= key) break;
      this.keys[i] = this.keys[child]!;
      this.items[i] = this.items[child]!;
      i = child;
    }
    this.keys[i] = key;
    this.items[i] = item;
    return top;
  }
}

const STEPS: [number, number, number][] = [
  [1, 0, 1], [-1, 0, 1], [0, 1, 1], [0, -1, 1],
  [1, 1, Math.SQRT2], [1, -1, Math.SQRT2], [-1, 1, Math.SQRT2], [-1, -1, Math.SQRT2],
];

/** Minimum-cost pixel path from `start` to `end` (map coordinates, rounded), both included. */
export function minimumCostPath(map: VesselnessMap, start: Point, end: Point): Point[] {
  const { width, height, value } = map;
  const clampX = (x: number) => Math.min(width - 1, Math.max(0, Math.round(x)));
  const clampY = (y: number) => Math.min(height - 1, Math.max(0, Math.round(y)));
  const from = clampY(start.y) * width + clampX(start.x);
  const to = clampY(end.y) * width + clampX(end.x);
  const cost = new Float32Array(width * height);
  for (let i = 0; i < cost.length; i++) cost[i] = 1 / (COST_FLOOR + value[i]!);
  const distance = new Float64Array(width * height).fill(Infinity);
  const previous = new Int32Array(width * height).fill(-1);
  const heap = new MinHeap(4096);
  distance[from] = 0;
  heap.push(0, from);
  while (heap.size > 0) {
    const at = heap.pop();
    if (heap.lastKey > distance[at]!) continue;
    if (at === to) break;
    const x = at % width;
    const y = (at - x) / width;
    for (const [dx, dy, length] of STEPS) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const next = ny * width + nx;
      const d = distance[at]! + ((cost[at]! + cost[next]!) / 2) * length;
      if (d < distance[next]!) {
        distance[next] = d;
        previous[next] = at;
        heap.push(d, next);
      }
    }
  }
  const path: Point[] = [];
  for (let at = to; at !== -1; at = previous[at]!) path.push({ x: at % width, y: Math.floor(at / width) });
  return path.reverse();
}

/** Points at `step` pixels of arc length along a polyline, first and last kept. */
export function resampleByArcLength(points: readonly Point[], step = 1): Point[] {
  if (points.length < 2) return points.map((p) => ({ ...p }));
  const out: Point[] = [{ ...points[0]! }];
  let carried = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const segment = Math.hypot(b.x - a.x, b.y - a.y);
    let at = step - carried;
    while (at <= segment) {
      const t = at / segment;
      out.push({ x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) });
      at += step;
    }
    carried = segment - (at - step);
  }
  const last = points[points.length - 1]!;
  const tail = out[out.length - 1]!;
  if (Math.hypot(last.x - tail.x, last.y - tail.y) > step / 4) out.push({ ...last });
  return out;
}

/** Gaussian smoothing along the path with its ends held, so the first and last points stay where the user clicked. */
export function smoothPath(points: readonly Point[], sigma = SMOOTHING_PX): Point[] {
  const n = points.length;
  const radius = Math.ceil(3 * sigma);
  return points.map((p, i) => {
    const reach = Math.min(radius, i, n - 1 - i);
    if (reach === 0) return { ...p };
    let sx = 0;
    let sy = 0;
    let sw = 0;
    for (let k = -reach; k <= reach; k++) {
      const w = Math.exp(-(k * k) / (2 * sigma * sigma));
      sx += w * points[i + k]!.x;
      sy += w * points[i + k]!.y;
      sw += w;
    }
    return { x: sx / sw, y: sy / sw };
  });
}

/** Unit normals, pointing to the right of the direction of travel on screen (image y runs down). */
export function pathNormals(points: readonly Point[]): Point[] {
  return points.map((_, i) => {
    const a = points[Math.max(0, i - 2)]!;
    const b = points[Math.min(points.length - 1, i + 2)]!;
    const tx = b.x - a.x;
    const ty = b.y - a.y;
    const length = Math.hypot(tx, ty) || 1;
    return { x: -ty / length, y: tx / length };
  });
}
