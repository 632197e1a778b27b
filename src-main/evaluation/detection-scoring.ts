// Full-frame detection scoring: a sliding-window heatmap of each annotated frame against the boxes drawn on it.
// Candidates are the heatmap's peaks; a candidate inside a box hits it; FROC = sensitivity against false positives
// per frame as the score threshold falls, and the sensitivity at N false positives per frame.
//
// Rules (detection-v1):
//  - Candidates: repeatedly take the highest remaining heatmap value, place the candidate at the centroid of the
//    pixels within the suppression radius that share that value (a window-mean heatmap is flat over stride-sized
//    cells, so the first pixel of a plateau would sit off its centre), then blank a disc of that radius.
//  - Matching, per frame in falling score: a candidate inside a box (grown by `hitMargin` pixels) that no higher
//    candidate has hit is a hit; inside only boxes already hit, a duplicate (neither hit nor false positive, as in
//    LUNA16); inside no box, a false positive.
//  - Sensitivity at N FP/frame: the highest sensitivity among operating points with at most N false positives per
//    frame (no interpolation); 0 when none qualifies.

export const DETECTION_SCORING_VERSION = 'detection-v1';

export interface ScoredBox {
  x: number;
  y: number;
  width: number;
  height: number;
  label?: string;
}

export interface HeatmapFrame {
  /** Names the frame in results (e.g. "instance 3 frame 17"). */
  key: string;
  width: number;
  height: number;
  /** width × height scores, row-major (the scanner's mean P(stenosis) per pixel). */
  heatmap: ArrayLike<number>;
  boxes: readonly ScoredBox[];
}

export interface ScoringOptions {
  /** Peaks closer than this (pixels) are one candidate; default 32 (half the default 64-pixel window). */
  suppressionRadius?: number;
  maxCandidatesPerFrame?: number;
  /** Candidates scoring below this are not considered. */
  minScore?: number;
  hitMargin?: number;
  /** False positives per frame at which sensitivity is reported. */
  fpRates?: number[];
}

export interface Candidate {
  frame: string;
  x: number;
  y: number;
  score: number;
  outcome: 'hit' | 'duplicate' | 'false-positive';
  /** Index of the box hit (in the frame's list), null otherwise. */
  box: number | null;
}

export interface FrocPoint {
  threshold: number;
  sensitivity: number;
  fpPerFrame: number;
  hits: number;
  falsePositives: number;
}

export interface DetectionScore {
  version: typeof DETECTION_SCORING_VERSION;
  frames: number;
  boxes: number;
  candidates: Candidate[];
  froc: FrocPoint[];
  atFpRates: { fpPerFrame: number; sensitivity: number; threshold: number | null }[];
  /** Mean of the sensitivities at the requested rates (the CPM of LUNA16 with its default rates). */
  meanSensitivity: number;
  /** Per class (box label): boxes and the share hit at the lowest threshold. */
  perClass: { label: string; boxes: number; hitAtAnyThreshold: number }[];
  /** Per frame, in input order, at the lowest threshold: boxes, boxes hit, false positives, the best hit's score. */
  perFrame: { frame: string; boxes: number; hits: number; falsePositives: number; bestHitScore: number | null }[];
}

export const DEFAULT_FP_RATES = [0.125, 0.25, 0.5, 1, 2, 4, 8];

/** The peaks of one heatmap, highest first (see the candidate rule above). */
export function heatmapPeaks(frame: Pick<HeatmapFrame, 'width' | 'height' | 'heatmap'>, radius: number, maxCount: number, minScore: number): { x: number; y: number; score: number }[] {
  const { width, height } = frame;
  if (frame.heatmap.length !== width * height) throw new Error(`heatmap has ${frame.heatmap.length} values for ${width}×${height}`);
  const work = Float64Array.from(frame.heatmap);
  const peaks: { x: number; y: number; score: number }[] = [];
  const r2 = radius * radius;
  const tolerance = 1e-6;
  while (peaks.length < maxCount) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < work.length; i++) {
      if (work[i]! > bestValue) {
        bestValue = work[i]!;
        best = i;
      }
    }
    if (best < 0 || !(bestValue >= minScore)) break;
    const px = best % width;
    const py = Math.floor(best / width);
    const x0 = Math.max(0, Math.floor(px - radius));
    const x1 = Math.min(width - 1, Math.ceil(px + radius));
    const y0 = Math.max(0, Math.floor(py - radius));
    const y1 = Math.min(height - 1, Math.ceil(py + radius));
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const i = y * width + x;
        if ((x - px) ** 2 + (y - py) ** 2 <= r2 && Math.abs(work[i]! - bestValue) <= tolerance * Math.max(1, Math.abs(bestValue))) {
          sx += x;
          sy += y;
          n++;
        }
      }
    }
    const cx = sx / n;
    const cy = sy / n;
    peaks.push({ x: cx, y: cy, score: bestValue });
    // Blank around both the first pixel and the centroid, so the plateau cannot return as a second peak.
    for (const [ox, oy] of [[px, py], [cx, cy]] as const) {
      for (let y = Math.max(0, Math.floor(oy - radius)); y <= Math.min(height - 1, Math.ceil(oy + radius)); y++) {
        for (let x = Math.max(0, Math.floor(ox - radius)); x <= Math.min(width - 1, Math.ceil(ox + radius)); x++) {
          if ((x - ox) ** 2 + (y - oy) ** 2 <= r2) work[y * width + x] = -Infinity;
        }
      }
    }
  }
  return peaks;
}

const contains = (box: ScoredBox, x: number, y: number, margin: number): boolean =>
  x >= box.x - margin && x < box.x + box.width + margin && y >= box.y - margin && y < box.y + box.height + margin;

/** Scores frames' heatmaps against their boxes. Frames without boxes still count for false positives per frame. */
export function scoreDetections(frames: readonly HeatmapFrame[], options: ScoringOptions = {}): DetectionScore {
  const radius = options.suppressionRadius ?? 32;
  const maxCount = options.maxCandidatesPerFrame ?? 10;
  const minScore = options.minScore ?? 0;
  const margin = options.hitMargin ?? 0;
  const rates = options.fpRates ?? DEFAULT_FP_RATES;
  const candidates: Candidate[] = [];
  let totalBoxes = 0;
  const classTotals = new Map<string, { boxes: number; hit: number }>();
  for (const frame of frames) {
    totalBoxes += frame.boxes.length;
    for (const box of frame.boxes) {
      const entry = classTotals.get(box.label ?? 'stenosis') ?? { boxes: 0, hit: 0 };
      entry.boxes++;
      classTotals.set(box.label ?? 'stenosis', entry);
    }
    const hit = new Set<number>();
    for (const peak of heatmapPeaks(frame, radius, maxCount, minScore)) {
      const containing = frame.boxes.map((box, index) => (contains(box, peak.x, peak.y, margin) ? index : -1)).filter((i) => i >= 0);
      const fresh = containing.find((i) => !hit.has(i));
      if (fresh !== undefined) {
        hit.add(fresh);
        const label = frame.boxes[fresh]!.label ?? 'stenosis';
        classTotals.get(label)!.hit++;
        candidates.push({ frame: frame.key, ...peak, outcome: 'hit', box: fresh });
      } else {
        candidates.push({ frame: frame.key, ...peak, outcome: containing.length > 0 ? 'duplicate' : 'false-positive', box: null });
      }
    }
  }
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const froc: FrocPoint[] = [];
  let hits = 0;
  let falsePositives = 0;
  for (let i = 0; i < sorted.length; i++) {
    const candidate = sorted[i]!;
    if (candidate.outcome === 'hit') hits++;
    if (candidate.outcome === 'false-positive') falsePositives++;
    if (i + 1 < sorted.length && sorted[i + 1]!.score === candidate.score) continue;
    froc.push({
      threshold: candidate.score,
      sensitivity: totalBoxes > 0 ? hits / totalBoxes : 0,
      fpPerFrame: frames.length > 0 ? falsePositives / frames.length : 0,
      hits,
      falsePositives,
    });
  }
  const atFpRates = rates.map((rate) => {
    let best: FrocPoint | null = null;
    for (const point of froc) if (point.fpPerFrame <= rate && (!best || point.sensitivity > best.sensitivity)) best = point;
    return { fpPerFrame: rate, sensitivity: best?.sensitivity ?? 0, threshold: best?.threshold ?? null };
  });
  return {
    version: DETECTION_SCORING_VERSION,
    frames: frames.length,
    boxes: totalBoxes,
    candidates: sorted,
    froc,
    atFpRates,
    meanSensitivity: atFpRates.length > 0 ? atFpRates.reduce((s, r) => s + r.sensitivity, 0) / atFpRates.length : 0,
    perClass: [...classTotals.entries()].map(([label, v]) => ({ label, boxes: v.boxes, hitAtAnyThreshold: v.boxes > 0 ? v.hit / v.boxes : 0 })),
    perFrame: frames.map((frame) => {
      const own = sorted.filter((c) => c.frame === frame.key);
      const hits = own.filter((c) => c.outcome === 'hit');
      return { frame: frame.key, boxes: frame.boxes.length, hits: hits.length, falsePositives: own.filter((c) => c.outcome === 'false-positive').length, bestHitScore: hits[0]?.score ?? null };
    }),
  };
}
