// From a diameter profile to the numbers a cardiologist grades: the minimum lumen diameter, the reference diameter
// at it (a straight line fitted robustly to the healthy parts, since vessels taper), percent diameter and area
// stenosis (area assuming a circular lumen) and the length of the narrowed part.

export interface StenosisFigures {
  /** Sample index of the MLD along the profile. */
  mldIndex: number;
  mld: number;
  reference: number;
  referenceSource: 'fitted' | 'user';
  /** The fitted reference line at every sample (what the diameter curve draws as the healthy vessel). */
  referenceLine: number[];
  diameterStenosisPct: number;
  areaStenosisPct: number;
  /** First and last sample of the narrowed part (narrowing of LESION_THRESHOLD or more around the MLD). */
  lesionStart: number;
  lesionEnd: number;
}

/** The ends of a traced segment are where the user clicked, often on a bend or a branch: they never set the MLD. */
const END_MARGIN = 0.05;
/** A sample belongs to the lesion while it is narrowed by this fraction of the reference or more. */
const LESION_THRESHOLD = 0.1;
const FIT_ROUNDS = 6;

/** Least-squares line y = a + b·x over the samples whose weight is true. */
function fitLine(values: readonly number[], use: readonly boolean[]): [number, number] {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  values.forEach((y, x) => {
    if (!use[x]) return;
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  });
  if (n === 0) return [0, 0];
  const denominator = n * sxx - sx * sx;
  if (n < 3 || Math.abs(denominator) < 1e-9) return [sy / n, 0];
  const slope = (n * sxy - sx * sy) / denominator;
  return [(sy - slope * sx) / n, slope];
}

const FIRST_SLOPES = 20;

function firstLine(diameters: readonly number[], inner: (i: number) => boolean): { level: number; slope: number; spread: number } {
  const n = diameters.length;
  const typical = [...diameters].sort((a, b) => a - b)[n >> 1] ?? 0;
  const maxSlope = (0.5 * typical) / Math.max(1, n);
  let best = { level: typical, slope: 0, spread: Infinity };
  for (let k = -FIRST_SLOPES; k <= FIRST_SLOPES; k++) {
    const slope = (maxSlope * k) / FIRST_SLOPES;
    const detrended = diameters.flatMap((d, i) => (inner(i) ? [d - slope * i] : [])).sort((a, b) => a - b);
    const upper = detrended.slice(Math.floor(detrended.length * 0.3));
    const level = upper[upper.length >> 1] ?? 0;
    const deviations = upper.map((d) => Math.abs(d - level)).sort((a, b) => a - b);
    const spread = 1.4826 * (deviations[deviations.length >> 1] ?? 0) + 1e-6;
    if (spread < best.spread) best = { level, slope, spread };
  }
  return best;
}

/**
 * The healthy vessel: a line through the diameters, refitted while samples that fall well below it (the lesion) or
 * far above it (a branch's mouth widening the lumen) are left out; the spread is the median absolute deviation.
 */
export function referenceLine(diameters: readonly number[]): number[] {
  const n = diameters.length;
  const inner = (i: number) => i >= n * END_MARGIN && i < n * (1 - END_MARGIN);
  // First line: of a fan of slopes (up to half the typical diameter over the segment, either way), the one whose
  // detrended diameters, all but the narrowest 30 % (a lesion only narrows), cluster tightest about their median.
  // Neither the lesion nor a branch's mouth can tilt it, since both lie far from that cluster.
  const start = firstLine(diameters, inner);
  const keep = (residual: number, spread: number) => residual > -1.5 * spread && residual < 3 * spread;
  let use = diameters.map((d, i) => inner(i) && keep(d - (start.level + start.slope * i), start.spread));
  let line: [number, number] = fitLine(diameters, use);
  for (let round = 0; round < FIT_ROUNDS; round++) {
    const residuals = diameters.map((d, i) => d - (line[0] + line[1] * i));
    const kept = residuals.filter((_, i) => use[i]).map(Math.abs).sort((a, b) => a - b);
    const spread = 1.4826 * (kept[Math.floor(kept.length / 2)] ?? 0) + 1e-6;
    const next = residuals.map((r, i) => inner(i) && keep(r, spread));
    if (next.filter(Boolean).length < Math.max(3, n * 0.2)) break;
    use = next;
    line = fitLine(diameters, use);
  }
  return diameters.map((_, i) => line[0] + line[1] * i);
}

/** Three-sample moving average: one noisy profile must not set the MLD on its own. */
export function smoothProfile(diameters: readonly number[]): number[] {
  return diameters.map((_, i) => {
    const a = diameters[Math.max(0, i - 1)]!;
    const b = diameters[i]!;
    const c = diameters[Math.min(diameters.length - 1, i + 1)]!;
    return (a + b + c) / 3;
  });
}

export function stenosisFigures(diameters: readonly number[], userReference?: number): StenosisFigures {
  const n = diameters.length;
  const smooth = smoothProfile(diameters);
  const first = Math.min(n - 1, Math.floor(n * END_MARGIN));
  const last = Math.max(first, Math.ceil(n * (1 - END_MARGIN)) - 1);
  let mldIndex = first;
  for (let i = first; i <= last; i++) if (smooth[i]! < smooth[mldIndex]!) mldIndex = i;
  const line = referenceLine(diameters);
  const fitted = Math.max(line[mldIndex]!, 1e-9);
  const reference = userReference !== undefined && userReference > 0 ? userReference : fitted;
  const mld = smooth[mldIndex]!;
  const ratio = Math.min(1, mld / reference);
  let lesionStart = mldIndex;
  let lesionEnd = mldIndex;
  const narrowed = (i: number) => smooth[i]! <= line[i]! * (1 - LESION_THRESHOLD);
  while (lesionStart > 0 && narrowed(lesionStart - 1)) lesionStart--;
  while (lesionEnd < n - 1 && narrowed(lesionEnd + 1)) lesionEnd++;
  return {
    mldIndex,
    mld,
    reference,
    referenceSource: userReference !== undefined && userReference > 0 ? 'user' : 'fitted',
    referenceLine: line,
    diameterStenosisPct: 100 * (1 - ratio),
    areaStenosisPct: 100 * (1 - ratio * ratio),
    lesionStart,
    lesionEnd,
  };
}
