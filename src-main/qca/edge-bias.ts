// Where the edge detector puts the edge of a projected circular lumen, as a function of its true radius and the
// imaging blur. The steepest slope of a blurred chord profile (2·√(r² − x²)) lies inside the true wall, and a lumen
// narrower than the blur looks wider than it is; both are undone here by inverting a model of the detector: the
// profile is formed through a 1-pixel detector aperture and a Gaussian PSF, sampled bilinearly and differentiated
// exactly as lumen-edges.ts does. The blur is read from the image itself, by how fast the slope falls off outside
// the edge, so no PSF has to be known in advance.
import { profileDerivative, refine, SAMPLE_STEP, slopeRatio } from './lumen-edges.ts';

const RADII = [0.3, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 5, 6, 7, 8, 10, 12, 14, 17, 20, 24, 28, 34, 40];
const BLURS = [0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.6, 2, 2.5, 3];
const PHASES = [0, 0.5];

function erf(x: number): number {
  // Abramowitz and Stegun 7.1.26: |error| < 1.5e-7, ample for a profile model.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496735) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/** A detector pixel centred at 0 seeing a point at t: 1-pixel box aperture convolved with a Gaussian PSF σ. */
function pixelKernel(t: number, sigma: number): number {
  const s = sigma * Math.SQRT2;
  return 0.5 * (erf((t + 0.5) / s) - erf((t - 0.5) / s));
}

interface EdgeResponse {
  /** Edge offset the detector reports, pixels. */
  measured: number;
  /** Slope one pixel outside the reported edge over the slope at it. */
  falloff: number;
}

function edgeResponse(radius: number, sigma: number): EdgeResponse {
  let measured = 0;
  let falloff = 0;
  for (const phase of PHASES) {
    const reach = Math.ceil(radius + 4 * sigma + 10);
    const pixels = new Float64Array(2 * reach + 1);
    const step = 0.1;
    for (let i = -reach; i <= reach; i++) {
      let sum = 0;
      const from = Math.max(-radius, i - phase - 0.5 - 4 * sigma);
      const to = Math.min(radius, i - phase + 0.5 + 4 * sigma);
      for (let t = from + step / 2; t < to; t += step) sum += 2 * Math.sqrt(radius * radius - t * t) * pixelKernel(i - phase - t, sigma) * step;
      pixels[i + reach] = -sum;
    }
    // Samples every SAMPLE_STEP across, centred on the lumen, by bilinear reads between pixel centres.
    const half = reach - 2;
    const count = Math.round((2 * half) / SAMPLE_STEP) + 1;
    const profile = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const x = -half + k * SAMPLE_STEP + phase + reach;
      const x0 = Math.floor(x);
      const f = x - x0;
      profile[k] = pixels[x0]! * (1 - f) + pixels[Math.min(pixels.length - 1, x0 + 1)]! * f;
    }
    const derivative = profileDerivative(profile);
    const middle = (count - 1) / 2;
    let best = Math.ceil(middle) + 1;
    for (let k = best; k < count - 1; k++) if (derivative[k]! > derivative[best]!) best = k;
    const edge = refine(derivative, best, 1);
    measured += edge;
    falloff += slopeRatio(derivative, middle + edge / SAMPLE_STEP, 1);
  }
  return { measured: measured / PHASES.length, falloff: falloff / PHASES.length };
}

let table: EdgeResponse[][] | null = null;

/** The model's responses for every blur (rows) and radius (columns); built once, on first use. */
function responses(): EdgeResponse[][] {
  table ??= BLURS.map((sigma) => RADII.map((radius) => edgeResponse(radius, sigma)));
  return table;
}

/** The imaging blur (PSF σ, pixels) whose modelled fall-off matches the measured one at an edge of this measured radius. */
export function blurFromFalloff(measuredRadius: number, falloff: number): number {
  const rows = responses();
  let best = BLURS[0]!;
  let bestError = Infinity;
  for (let b = 0; b < BLURS.length; b++) {
    const modelled = interpolate(rows[b]!.map((r) => r.measured), rows[b]!.map((r) => r.falloff), measuredRadius);
    if (Math.abs(modelled - falloff) < bestError) {
      bestError = Math.abs(modelled - falloff);
      best = BLURS[b]!;
    }
  }
  return best;
}

/** The true radius whose modelled edge the detector would report at `measuredRadius`, at blur σ. */
export function trueRadius(measuredRadius: number, sigma: number): number {
  const rows = responses();
  const upper = Math.max(1, BLURS.findIndex((b) => b >= sigma));
  const lower = upper - 1;
  const f = Math.min(1, Math.max(0, (sigma - BLURS[lower]!) / (BLURS[upper]! - BLURS[lower]!)));
  const at = (row: EdgeResponse[]) => interpolate(row.map((r) => r.measured), RADII, measuredRadius);
  return at(rows[lower]!) * (1 - f) + at(rows[upper]!) * f;
}

/** Piecewise-linear y(x) through points sorted by x (extended flat below, linearly above the last pair). */
function interpolate(xs: number[], ys: number[], x: number): number {
  if (x <= xs[0]!) return ys[0]!;
  for (let i = 1; i < xs.length; i++) {
    if (x <= xs[i]! || i === xs.length - 1) {
      const span = xs[i]! - xs[i - 1]!;
      const f = span > 1e-9 ? (x - xs[i - 1]!) / span : 0;
      return ys[i - 1]! + f * (ys[i]! - ys[i - 1]!);
    }
  }
  return ys[ys.length - 1]!;
}

/**
 * Moves both edges of every profile outward or inward so that the lumen has the radius whose modelled image gives
 * what was measured; the blur is the median over the profiles (one imaging chain made the whole frame).
 */
export function correctForBlur(left: Float64Array, right: Float64Array, falloffs: Float64Array): { sigma: number } {
  const blurs = Array.from(left, (l, i) => blurFromFalloff((right[i]! - l) / 2, falloffs[i]!)).sort((a, b) => a - b);
  const sigma = blurs[Math.floor(blurs.length / 2)] ?? BLURS[0]!;
  for (let i = 0; i < left.length; i++) {
    const measured = (right[i]! - left[i]!) / 2;
    const change = trueRadius(measured, sigma) - measured;
    left[i] = left[i]! - change;
    right[i] = right[i]! + change;
  }
  return { sigma };
}
