// Phantom vessels with known truth: a curved, tapering coronary segment with one stenosis (concentric or eccentric,
// a cosine-shaped narrowing of a circular lumen), a side branch near the lesion and a straight catheter of known
// French size. Lengths are in millimetres at the isocenter; the renderer turns them into pixels.
import type { Point } from '../image.ts';

export interface Tube {
  /** Centreline samples, pixels, a quarter pixel apart. */
  path: Point[];
  /** Lumen radius at each sample, pixels. */
  radius: number[];
  /** Offset of the lumen's centre from the path along the path's normal, pixels (eccentric stenosis). */
  shift: number[];
}

export interface PhantomSpec {
  name: string;
  size: 512 | 1024;
  bitsStored: 10 | 11 | 12;
  /** Detector pixel spacing and geometry: mm per pixel at the isocenter = spacing × sod ÷ sid. */
  imagerPixelSpacing: number;
  sid: number;
  sod: number;
  healthyDiameterMm: number;
  /** Fraction of the diameter lost at the MLD, 0.2–0.8. */
  stenosis: number;
  lesionLengthMm: number;
  /** 0 concentric; 1 the lumen touches one side of the healthy wall. */
  eccentricity: number;
  psfSigmaPx: number;
  /** Quantum noise: standard deviation relative to the unattenuated signal. */
  noise: number;
  catheterFrench: number;
  seed: number;
}

export interface PhantomTruth {
  mmPerPixel: number;
  mldMm: number;
  referenceMm: number;
  diameterStenosisPct: number;
  lesionLengthMm: number;
  /** Where to click: on the vessel's centreline, either side of the lesion, and along the catheter. */
  start: Point;
  end: Point;
  catheterStart: Point;
  catheterEnd: Point;
  catheterMm: number;
}

export interface PhantomScene {
  tubes: Tube[];
  truth: PhantomTruth;
}

const STEP = 0.25;

/** A smooth curve through the frame: a chord with a sine bend, sampled every STEP pixels of arc length. */
function curve(from: Point, to: Point, bend: number, waves: number, count = 4000): Point[] {
  const raw: Point[] = [];
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy);
  const nx = -dy / length;
  const ny = dx / length;
  for (let i = 0; i <= count; i++) {
    const t = i / count;
    const off = bend * Math.sin(Math.PI * waves * t);
    raw.push({ x: from.x + t * dx + off * nx, y: from.y + t * dy + off * ny });
  }
  const out: Point[] = [raw[0]!];
  let carried = 0;
  for (let i = 1; i < raw.length; i++) {
    const a = raw[i - 1]!;
    const b = raw[i]!;
    const segment = Math.hypot(b.x - a.x, b.y - a.y);
    let at = STEP - carried;
    while (at <= segment) {
      out.push({ x: a.x + (at / segment) * (b.x - a.x), y: a.y + (at / segment) * (b.y - a.y) });
      at += STEP;
    }
    carried = segment - (at - STEP);
  }
  return out;
}

function normalAt(path: readonly Point[], i: number): Point {
  const a = path[Math.max(0, i - 4)]!;
  const b = path[Math.min(path.length - 1, i + 4)]!;
  const l = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  return { x: -(b.y - a.y) / l, y: (b.x - a.x) / l };
}

/** Deterministic uniform numbers in [0, 1) (mulberry32), so a phantom is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function phantomScene(spec: PhantomSpec): PhantomScene {
  const random = seededRandom(spec.seed * 7919 + 17);
  const W = spec.size;
  const mmPerPixel = (spec.imagerPixelSpacing * spec.sod) / spec.sid;
  const px = (mm: number) => mm / mmPerPixel;
  const from = { x: 0.1 * W, y: (0.25 + 0.15 * random()) * W };
  const to = { x: 0.9 * W, y: (0.4 + 0.2 * random()) * W };
  const path = curve(from, to, (0.04 + 0.05 * random()) * W * (random() < 0.5 ? -1 : 1), 1 + random());
  const n = path.length;
  const lesionAt = Math.floor(n * (0.45 + 0.1 * random()));
  const halfLesion = px(spec.lesionLengthMm) / 2 / STEP;
  const healthy = (i: number) => px(spec.healthyDiameterMm) / 2 * (1 - 0.12 * (i / n - 0.5));
  const side = random() < 0.5 ? -1 : 1;
  const radius: number[] = [];
  const shift: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = (i - lesionAt) / halfLesion;
    const bump = Math.abs(u) < 1 ? (1 + Math.cos(Math.PI * u)) / 2 : 0;
    const r0 = healthy(i);
    const r = r0 * (1 - spec.stenosis * bump);
    radius.push(r);
    shift.push(side * spec.eccentricity * (r0 - r));
  }
  const tubes: Tube[] = [{ path, radius, shift }];
  // A side branch leaving the main vessel 1.5–3 mm beyond the lesion's end, on the side away from the plaque.
  const branchAt = Math.min(n - 1, lesionAt + Math.round(halfLesion + px(1.5 + 1.5 * random()) / STEP));
  const along = { x: path[Math.min(n - 1, branchAt + 4)]!.x - path[branchAt]!.x, y: path[Math.min(n - 1, branchAt + 4)]!.y - path[branchAt]!.y };
  const angle = (0.6 + 0.5 * random()) * -side;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const direction = { x: along.x * cos - along.y * sin, y: along.x * sin + along.y * cos };
  const dl = Math.hypot(direction.x, direction.y);
  const branchLength = px(14);
  const branchPath = curve(path[branchAt]!, { x: path[branchAt]!.x + (direction.x / dl) * branchLength, y: path[branchAt]!.y + (direction.y / dl) * branchLength }, 0.05 * branchLength, 1, 800);
  const branchRadius = healthy(branchAt) * (0.55 + 0.15 * random());
  tubes.push({ path: branchPath, radius: branchPath.map(() => branchRadius), shift: branchPath.map(() => 0) });
  // The catheter: straight, in the lower part of the frame, clear of the vessel.
  const catheterMm = spec.catheterFrench / 3;
  const cFrom = { x: 0.12 * W, y: 0.85 * W };
  const cTo = { x: 0.6 * W, y: (0.78 + 0.04 * random()) * W };
  const catheterPath = curve(cFrom, cTo, 0, 1, 800);
  tubes.push({ path: catheterPath, radius: catheterPath.map(() => px(catheterMm) / 2), shift: catheterPath.map(() => 0) });
  const clickOffset = Math.round(halfLesion + px(6) / STEP);
  const startIndex = Math.max(0, lesionAt - clickOffset);
  const endIndex = Math.min(n - 1, lesionAt + clickOffset);
  const at = (p: Point[], f: number) => p[Math.round(f * (p.length - 1))]!;
  const mldMm = 2 * radius[lesionAt]! * mmPerPixel;
  const referenceMm = 2 * healthy(lesionAt) * mmPerPixel;
  return {
    tubes,
    truth: {
      mmPerPixel,
      mldMm,
      referenceMm,
      diameterStenosisPct: 100 * (1 - mldMm / referenceMm),
      lesionLengthMm: spec.lesionLengthMm,
      start: path[startIndex]!,
      end: path[endIndex]!,
      catheterStart: at(catheterPath, 0.2),
      catheterEnd: at(catheterPath, 0.8),
      catheterMm,
    },
  };
}

export { normalAt, STEP as PATH_STEP };
