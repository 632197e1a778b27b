// Both lumen edges along the centreline, found together: intensity profiles across the vessel's normals give an
// edge strength for every candidate offset on either side, and dynamic programming picks the pair of edge paths
// with the most strength whose offsets change smoothly from one profile to the next (classic QCA edge tracking).
// Each chosen edge is then refined to sub-pixel by a parabola through the strength around it.
import { sampleBilinear, type FloatImage, type Point } from './image.ts';

export interface EdgeSearch {
  /** Farthest offset searched on each side, pixels. */
  halfWidth: number;
  /** Nearest offset to the centreline an edge may take, pixels. */
  innerLimit?: number;
}

export interface LumenEdges {
  /** Signed offsets along the normal (left < 0 < right), pixels, sub-pixel. */
  left: Float64Array;
  right: Float64Array;
  /** Per profile: the slope one pixel outside its edges over the slope at them (mean of both sides). */
  falloffs: Float64Array;
}

export const SAMPLE_STEP = 0.5;
const DERIVATIVE_SIGMA = 1;
/** Cost of moving an edge by one pixel between neighbouring profiles, in units of typical edge strength. */
const SMOOTHNESS = 0.15;
/** One pixel outward from an edge, where the slope's fall-off is read (edge-bias.ts turns it into the blur). */
const FALLOFF_DISTANCE = 1;
/** Profiles averaged along the vessel (±1 px) to lower noise without blurring across it. */
const ALONG_OFFSETS = [-1, 0, 1];

/** Intensity across the vessel at offsets -halfWidth…+halfWidth (SAMPLE_STEP apart), averaged along it. */
function crossProfile(image: FloatImage, centre: Point, normal: Point, halfWidth: number): Float64Array {
  const count = Math.round((2 * halfWidth) / SAMPLE_STEP) + 1;
  const out = new Float64Array(count);
  const tangent = { x: normal.y, y: -normal.x };
  for (let k = 0; k < count; k++) {
    const s = -halfWidth + k * SAMPLE_STEP;
    let sum = 0;
    for (const t of ALONG_OFFSETS) sum += sampleBilinear(image, centre.x + s * normal.x + t * tangent.x, centre.y + s * normal.y + t * tangent.y);
    out[k] = sum / ALONG_OFFSETS.length;
  }
  return out;
}

/** Derivative of Gaussian along the profile (per pixel), borders clamped. */
export function profileDerivative(profile: Float64Array): Float64Array {
  const sigma = DERIVATIVE_SIGMA / SAMPLE_STEP;
  const radius = Math.ceil(3 * sigma);
  const kernel: number[] = [];
  let norm = 0;
  for (let k = -radius; k <= radius; k++) {
    const w = k * Math.exp(-(k * k) / (2 * sigma * sigma));
    kernel.push(w);
    norm += k * w;
  }
  const out = new Float64Array(profile.length);
  for (let i = 0; i < profile.length; i++) {
    let sum = 0;
    for (let k = -radius; k <= radius; k++) sum += kernel[k + radius]! * profile[Math.min(profile.length - 1, Math.max(0, i + k))]!;
    out[i] = sum / norm / SAMPLE_STEP;
  }
  return out;
}

/** Vertex of the parabola through (−1, a), (0, b), (1, c), clamped to ±0.5. */
function parabolaPeak(a: number, b: number, c: number): number {
  const denominator = a - 2 * b + c;
  if (denominator >= 0) return 0;
  return Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / denominator));
}

export function findLumenEdges(image: FloatImage, centreline: readonly Point[], normals: readonly Point[], search: EdgeSearch): LumenEdges {
  const n = centreline.length;
  const halfWidth = Math.max(3, search.halfWidth);
  const inner = Math.max(SAMPLE_STEP, search.innerLimit ?? SAMPLE_STEP);
  const samples = Math.round((2 * halfWidth) / SAMPLE_STEP) + 1;
  const middle = (samples - 1) / 2;
  // Candidate offsets: whole pixels from `inner` to `halfWidth` on each side (index k ↔ inner + k px).
  const candidates = Math.floor(halfWidth - inner) + 1;
  const strengthLeft = new Float64Array(n * candidates);
  const strengthRight = new Float64Array(n * candidates);
  const derivatives: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const derivative = profileDerivative(crossProfile(image, centreline[i]!, normals[i]!, halfWidth));
    derivatives.push(derivative);
    for (let k = 0; k < candidates; k++) {
      const offsetSamples = (inner + k) / SAMPLE_STEP;
      // Outside-in the intensity falls into the dark lumen: the left edge has dI/ds < 0, the right edge dI/ds > 0.
      strengthLeft[i * candidates + k] = Math.max(0, -derivative[Math.round(middle - offsetSamples)]!);
      strengthRight[i * candidates + k] = Math.max(0, derivative[Math.round(middle + offsetSamples)]!);
    }
  }
  const typical = typicalStrength(strengthLeft, strengthRight) || 1;
  const penalty = SMOOTHNESS * typical;
  // DP over (left k, right k) jointly: state cost = −(strength left + strength right); moves of ≤ 1 px per side.
  const states = candidates * candidates;
  let cost = new Float64Array(states);
  let next = new Float64Array(states);
  const from = new Int32Array(n * states);
  for (let a = 0; a < candidates; a++) for (let b = 0; b < candidates; b++) cost[a * candidates + b] = -(strengthLeft[a]! + strengthRight[b]!);
  for (let i = 1; i < n; i++) {
    const row = i * candidates;
    for (let a = 0; a < candidates; a++) {
      for (let b = 0; b < candidates; b++) {
        let best = Infinity;
        let bestFrom = 0;
        for (let da = -1; da <= 1; da++) {
          const pa = a + da;
          if (pa < 0 || pa >= candidates) continue;
          for (let db = -1; db <= 1; db++) {
            const pb = b + db;
            if (pb < 0 || pb >= candidates) continue;
            const c = cost[pa * candidates + pb]! + penalty * ((da !== 0 ? 1 : 0) + (db !== 0 ? 1 : 0));
            if (c < best) {
              best = c;
              bestFrom = pa * candidates + pb;
            }
          }
        }
        next[a * candidates + b] = best - (strengthLeft[row + a]! + strengthRight[row + b]!);
        from[i * states + a * candidates + b] = bestFrom;
      }
    }
    [cost, next] = [next, cost];
  }
  let state = 0;
  for (let s = 1; s < states; s++) if (cost[s]! < cost[state]!) state = s;
  const left = new Float64Array(n);
  const right = new Float64Array(n);
  const falloffs = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const a = Math.floor(state / candidates);
    const b = state % candidates;
    left[i] = -refine(derivatives[i]!, middle - (inner + a) / SAMPLE_STEP, -1);
    right[i] = refine(derivatives[i]!, middle + (inner + b) / SAMPLE_STEP, 1);
    falloffs[i] = (slopeRatio(derivatives[i]!, middle + left[i]! / SAMPLE_STEP, -1) + slopeRatio(derivatives[i]!, middle + right[i]! / SAMPLE_STEP, 1)) / 2;
    if (i > 0) state = from[i * states + state]!;
  }
  return { left, right, falloffs };
}

/** Sub-pixel offset (pixels from the centre, unsigned) of the strongest edge within ±1 px of a chosen sample. */
/** Slope FALLOFF_DISTANCE outside an edge (at sample position `at`, `outward` ±1) over the slope at it. */
export function slopeRatio(derivative: Float64Array, at: number, outward: 1 | -1): number {
  const read = (x: number) => {
    const i = Math.min(derivative.length - 2, Math.max(0, Math.floor(x)));
    const f = Math.min(1, Math.max(0, x - i));
    return outward * (derivative[i]! * (1 - f) + derivative[i + 1]! * f);
  };
  const peak = read(at);
  return peak > 0 ? read(at + (outward * FALLOFF_DISTANCE) / SAMPLE_STEP) / peak : 0;
}

export function refine(derivative: Float64Array, sampleIndex: number, sign: 1 | -1): number {
  const middle = (derivative.length - 1) / 2;
  const strength = (i: number) => sign * derivative[Math.min(derivative.length - 1, Math.max(0, i))]!;
  let best = Math.round(sampleIndex);
  const reach = Math.round(1 / SAMPLE_STEP);
  for (let i = Math.round(sampleIndex) - reach; i <= Math.round(sampleIndex) + reach; i++) {
    if (i > 0 && i < derivative.length - 1 && strength(i) > strength(best)) best = i;
  }
  const peak = best + parabolaPeak(strength(best - 1), strength(best), strength(best + 1));
  return Math.abs(peak - middle) * SAMPLE_STEP;
}

function typicalStrength(left: Float64Array, right: Float64Array): number {
  const all = new Float64Array(left.length + right.length);
  all.set(left);
  all.set(right, left.length);
  all.sort();
  const firstPositive = all.findIndex((v) => v > 0);
  if (firstPositive < 0) return 0;
  return all[firstPositive + Math.floor((all.length - firstPositive) * 0.9)]!;
}
