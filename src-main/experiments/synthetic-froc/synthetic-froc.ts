// Synthetic FROC: held-out patches pasted into real frames at known places (placements.ts, paste.ts), each frame
// scanned into a heatmap, and the heatmaps scored against the pasted positive boxes by the app's own full-frame
// detection scoring (annotations' detection-v1 rules). Pasted negatives are not boxes: a candidate on one is a false
// positive, counted apart from those on the host frame's own background.
import { scoreDetections, type DetectionScore, type HeatmapFrame } from '../../evaluation/index.ts';
import { rocAuc } from '../../evaluation/index.ts';
import { pasteBlended, type Grey8 } from './paste.ts';
import type { FramePlan, Placement } from './placements.ts';

export interface FrameHeatmap {
  heatmap: ArrayLike<number>;
  /** Scan window side in frame pixels; candidates closer than half of it are one. */
  windowPixels: number;
}

export interface SyntheticFrocInput {
  plans: FramePlan[];
  readFrame(frame: number): Promise<Grey8>;
  readPatch(placement: Placement): Promise<Grey8>;
  scan(image: Grey8): Promise<FrameHeatmap>;
  fpRates?: number[];
  maxCandidatesPerFrame?: number;
  onFrame?: (done: number, total: number) => void;
}

export interface SyntheticFroc {
  frames: number;
  lesions: number;
  negatives: number;
  windowPixels: number;
  score: DetectionScore;
  /** False positives at the lowest threshold, by where they fell. */
  falsePositives: { onPastedNegative: number; onBackground: number };
  /** Sensitivity at each requested rate. */
  atFpRates: { fpPerFrame: number; sensitivity: number; threshold: number | null }[];
  /** Each pasted patch's highest heatmap value inside its box: how the scan scores the patch where it lies. */
  pastedPeaks: { id: string; label: 'positive' | 'negative'; peak: number }[];
  /** ROC AUC of those peaks, positives against negatives: the patch-level separation left once they sit in a frame. */
  pastedAuc: number;
}

function peakInside(heatmap: ArrayLike<number>, width: number, p: Placement): number {
  let peak = -Infinity;
  for (let y = p.y; y < p.y + p.height; y++) for (let x = p.x; x < p.x + p.width; x++) peak = Math.max(peak, heatmap[y * width + x]!);
  return peak;
}

const inside = (p: Placement, x: number, y: number) => x >= p.x && x < p.x + p.width && y >= p.y && y < p.y + p.height;

/** Pastes every plan's patches into its host frame and returns the composed frame. */
export async function composeFrame(plan: FramePlan, readFrame: SyntheticFrocInput['readFrame'], readPatch: SyntheticFrocInput['readPatch']): Promise<Grey8> {
  let image = await readFrame(plan.frame);
  for (const placement of plan.placements) image = pasteBlended(image, await readPatch(placement), placement.x, placement.y);
  return image;
}

export async function syntheticFroc(input: SyntheticFrocInput): Promise<SyntheticFroc> {
  const frames: HeatmapFrame[] = [];
  let windowPixels = 0;
  const pastedPeaks: SyntheticFroc['pastedPeaks'] = [];
  for (const [index, plan] of input.plans.entries()) {
    const image = await composeFrame(plan, input.readFrame, input.readPatch);
    const scanned = await input.scan(image);
    windowPixels = scanned.windowPixels;
    const boxes = plan.placements.filter((p) => p.label === 'positive').map((p) => ({ x: p.x, y: p.y, width: p.width, height: p.height }));
    frames.push({ key: `frame ${plan.frame}`, width: image.width, height: image.height, heatmap: scanned.heatmap, boxes });
    for (const p of plan.placements) pastedPeaks.push({ id: p.id, label: p.label, peak: peakInside(scanned.heatmap, image.width, p) });
    input.onFrame?.(index + 1, input.plans.length);
  }
  const score = scoreDetections(frames, {
    suppressionRadius: Math.max(1, Math.floor(windowPixels / 2)),
    maxCandidatesPerFrame: input.maxCandidatesPerFrame ?? 10,
    fpRates: input.fpRates ?? [0.5, 1, 2],
  });
  const negativesByKey = new Map(input.plans.map((plan) => [`frame ${plan.frame}`, plan.placements.filter((p) => p.label === 'negative')]));
  let onPastedNegative = 0;
  let onBackground = 0;
  for (const candidate of score.candidates) {
    if (candidate.outcome !== 'false-positive') continue;
    if (negativesByKey.get(candidate.frame)!.some((p) => inside(p, candidate.x, candidate.y))) onPastedNegative++;
    else onBackground++;
  }
  const all = input.plans.flatMap((plan) => plan.placements);
  return {
    frames: frames.length,
    lesions: all.filter((p) => p.label === 'positive').length,
    negatives: all.filter((p) => p.label === 'negative').length,
    windowPixels,
    score,
    falsePositives: { onPastedNegative, onBackground },
    atFpRates: score.atFpRates,
    pastedPeaks,
    pastedAuc: rocAuc({ scores: pastedPeaks.map((p) => p.peak), labels: pastedPeaks.map((p) => (p.label === 'positive' ? 1 : 0)) }),
  };
}
