// The patch recipe of the published data (ADSD boxes → P-ADSD patches), as pure functions: where each square lies
// on the frame, then cutting it from the frame's 8-bit grey levels and resizing it. Versioned; every parameter is
// recorded with the patches it made.
//
// padsd-boxes-v1, for a box of w × h pixels at (x, y):
//  1. Positive: a square of side s = max(w, h), centred on the box. s is the smallest square holding the whole box
//     without distorting it (min(w, h) would cut the lesion off); P-ADSD's patches are such squares (32–160 px).
//     Integer placement: sx = x − ⌊(s − w)/2⌋, sy = y − ⌊(s − h)/2⌋ (an odd pixel of slack goes right/below).
//  2. Negatives: the box's 4-connected neighbours, the same-size squares directly left (sx − s), right (sx + s),
//     above (sy − s) and below (sy + s) of the positive: four per box.
//  3. Boxes whose square is under `minSide` (32) pixels make no patches at all (neither positive nor negatives).
//  4. Frame edges: every patch lies wholly inside the frame. A positive that would cross the edge is shifted
//     inward just enough (the box stays wholly inside it, as near the centre as the frame allows). A negative that
//     would cross the edge is dropped, never shifted: shifted, it would overlap the positive and carry stenosis
//     pixels into a negative. A box on the edge therefore yields fewer than four negatives.
//  5. Optional: `avoidOtherBoxes` drops a negative that overlaps any box on the frame (a second stenosis beside
//     the first would otherwise be labelled negative); off by default, as published.
//  6. Optional random background: `background.perFrame` squares of `background.side` pixels per annotated frame,
//     uniform over positions whose square keeps at least `background.margin` pixels from every box on the frame
//     (seeded, so a patch set is remade exactly).
//  7. Grey levels: the frame's stored values brought to 8 bit the way the sliding-window scanner reads a frame
//     (8-bit as stored; deeper: the frame's min–max window; MONOCHROME1 inverted), so a patch and a scan window
//     of the same place see the same pixels.
//  8. Resize to `outputSize` (64): area averaging when shrinking, bilinear with half-pixel centres when enlarging.
import { seededRandom } from '../random/index.ts';

export const PATCH_RECIPE_VERSION = 'padsd-boxes-v1';

export interface PatchParams {
  recipe: typeof PATCH_RECIPE_VERSION;
  outputSize: number;
  minSide: number;
  negatives: boolean;
  avoidOtherBoxes: boolean;
  background: { perFrame: number; side: number; margin: number; seed: number };
}

export const DEFAULT_PATCH_PARAMS: PatchParams = {
  recipe: PATCH_RECIPE_VERSION,
  outputSize: 64,
  minSide: 32,
  negatives: true,
  avoidOtherBoxes: false,
  background: { perFrame: 0, side: 64, margin: 32, seed: 1 },
};

/** What the recipe does, in the words shown beside its parameters. */
export const PATCH_RECIPE_SUMMARY = [
  'Positive: square of side max(box width, height) centred on the box.',
  'Negatives: the same-size squares directly left, right, above and below (4-connected neighbours).',
  'Boxes whose square is under the minimum side make no patches.',
  'Edges: a positive crossing the frame edge is shifted inside; a negative crossing it is dropped.',
  'Pixels: the frame at 8 bit as the scanner reads it; resized to the output size (area when shrinking, bilinear when enlarging).',
];

export type PatchRole = 'positive' | 'left' | 'right' | 'above' | 'below' | 'background';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlannedPatch {
  role: PatchRole;
  /** Index of the box in the frame's list (null for background). */
  box: number | null;
  x: number;
  y: number;
  side: number;
}

export interface FramePlan {
  patches: PlannedPatch[];
  /** Why boxes or neighbours made no patch: for the summary the user sees. */
  skipped: { box: number | null; role: PatchRole; reason: 'under-min-side' | 'crosses-edge' | 'overlaps-box' | 'no-room' }[];
}

const overlaps = (a: Rect, b: Rect, margin = 0): boolean =>
  a.x < b.x + b.width + margin && b.x - margin < a.x + a.width && a.y < b.y + b.height + margin && b.y - margin < a.y + a.height;

const inside = (r: { x: number; y: number; side: number }, width: number, height: number): boolean =>
  r.x >= 0 && r.y >= 0 && r.x + r.side <= width && r.y + r.side <= height;

/** The positive square of one box (steps 1 and 4), or null when the frame is smaller than the square. */
export function positiveSquare(box: Rect, frameWidth: number, frameHeight: number): { x: number; y: number; side: number } | null {
  const side = Math.max(box.width, box.height);
  if (side > frameWidth || side > frameHeight) return null;
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  return {
    x: clamp(box.x - Math.floor((side - box.width) / 2), frameWidth - side),
    y: clamp(box.y - Math.floor((side - box.height) / 2), frameHeight - side),
    side,
  };
}

/** Every patch of one frame's boxes under `params` (steps 1–6). Pure and deterministic. */
export function planFramePatches(boxes: readonly Rect[], frameWidth: number, frameHeight: number, params: PatchParams, frameSeed = 0): FramePlan {
  const plan: FramePlan = { patches: [], skipped: [] };
  boxes.forEach((box, index) => {
    const side = Math.max(box.width, box.height);
    if (side < params.minSide) {
      plan.skipped.push({ box: index, role: 'positive', reason: 'under-min-side' });
      return;
    }
    const square = positiveSquare(box, frameWidth, frameHeight);
    if (!square) {
      plan.skipped.push({ box: index, role: 'positive', reason: 'crosses-edge' });
      return;
    }
    plan.patches.push({ role: 'positive', box: index, ...square });
    if (!params.negatives) return;
    const neighbours: [PatchRole, number, number][] = [
      ['left', square.x - side, square.y],
      ['right', square.x + side, square.y],
      ['above', square.x, square.y - side],
      ['below', square.x, square.y + side],
    ];
    for (const [role, x, y] of neighbours) {
      const candidate = { x, y, side };
      if (!inside(candidate, frameWidth, frameHeight)) {
        plan.skipped.push({ box: index, role, reason: 'crosses-edge' });
        continue;
      }
      if (params.avoidOtherBoxes && boxes.some((other, j) => j !== index && overlaps({ x, y, width: side, height: side }, other))) {
        plan.skipped.push({ box: index, role, reason: 'overlaps-box' });
        continue;
      }
      plan.patches.push({ role, box: index, ...candidate });
    }
  });
  const { perFrame, side, margin, seed } = params.background;
  if (perFrame > 0 && boxes.length > 0) {
    const random = seededRandom((seed * 2654435761 + frameSeed) >>> 0);
    const placed: Rect[] = [];
    const room = (frameWidth - side + 1) * (frameHeight - side + 1);
    for (let tries = 0, made = 0; made < perFrame && tries < 200 * perFrame && room > 0; tries++) {
      const x = random.below(frameWidth - side + 1);
      const y = random.below(frameHeight - side + 1);
      const square = { x, y, width: side, height: side };
      if (boxes.some((b) => overlaps(square, b, margin)) || placed.some((p) => overlaps(square, p))) continue;
      placed.push(square);
      plan.patches.push({ role: 'background', box: null, x, y, side });
      made++;
    }
    const missing = perFrame - placed.length;
    for (let i = 0; i < missing; i++) plan.skipped.push({ box: null, role: 'background', reason: 'no-room' });
  }
  return plan;
}

export interface GreyFrame {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Step 7: stored values → 8-bit grey, as the scanner reads frames. */
export function frameToScanGrey(frame: { width: number; height: number; pixels: ArrayLike<number>; bitsAllocated: number; bitsStored: number; signed: boolean; photometric: string }): GreyFrame {
  const { width, height, pixels } = frame;
  const count = width * height;
  const out = new Uint8Array(count);
  const invert = frame.photometric === 'MONOCHROME1';
  if (frame.bitsAllocated === 8 && !frame.signed) {
    for (let i = 0; i < count; i++) out[i] = invert ? 255 - (pixels[i] as number) : (pixels[i] as number);
    return { width, height, pixels: out };
  }
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = pixels[i] as number;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const scale = high > low ? 255 / (high - low) : 0;
  for (let i = 0; i < count; i++) {
    const grey = Math.round(((pixels[i] as number) - low) * scale);
    out[i] = invert ? 255 - grey : grey;
  }
  return { width, height, pixels: out };
}

/** Per output index: the source indices and weights along one axis (area when shrinking, bilinear when enlarging). */
function axisTaps(from: number, to: number): { index: number[]; weight: number[] }[] {
  const ratio = from / to;
  return Array.from({ length: to }, (_, j) => {
    if (ratio >= 1) {
      const start = j * ratio;
      const end = (j + 1) * ratio;
      const index: number[] = [];
      const weight: number[] = [];
      for (let i = Math.floor(start); i < Math.min(from, Math.ceil(end)); i++) {
        const part = Math.min(end, i + 1) - Math.max(start, i);
        if (part > 1e-12) (index.push(i), weight.push(part / ratio));
      }
      return { index, weight };
    }
    const centre = Math.min(from - 1, Math.max(0, (j + 0.5) * ratio - 0.5));
    const i0 = Math.floor(centre);
    const f = centre - i0;
    return { index: [i0, Math.min(from - 1, i0 + 1)], weight: [1 - f, f] };
  });
}

/** Step 8 over the square (x, y, side) of a grey frame: side² pixels → size² pixels, row-major uint8. */
export function cutAndResize(frame: GreyFrame, square: { x: number; y: number; side: number }, size: number): Uint8Array {
  const { x, y, side } = square;
  if (!inside(square, frame.width, frame.height)) throw new RangeError(`square ${x},${y} side ${side} is not inside the ${frame.width}×${frame.height} frame`);
  const taps = axisTaps(side, size);
  const rows = new Float64Array(side * size);
  for (let r = 0; r < side; r++) {
    const base = (y + r) * frame.width + x;
    for (let c = 0; c < size; c++) {
      const { index, weight } = taps[c]!;
      let sum = 0;
      for (let k = 0; k < index.length; k++) sum += frame.pixels[base + index[k]!]! * weight[k]!;
      rows[r * size + c] = sum;
    }
  }
  const out = new Uint8Array(size * size);
  for (let r = 0; r < size; r++) {
    const { index, weight } = taps[r]!;
    for (let c = 0; c < size; c++) {
      let sum = 0;
      for (let k = 0; k < index.length; k++) sum += rows[index[k]! * size + c]! * weight[k]!;
      out[r * size + c] = Math.min(255, Math.max(0, Math.round(sum)));
    }
  }
  return out;
}
