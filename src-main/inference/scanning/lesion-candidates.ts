// Lesion candidates on a frame: the frame scan's top regions, each read again as a patch for its MC-dropout
// uncertainty and out-of-distribution state. A frame is never scored as one patch: its score is its best candidate's.
import { rankedClasses, type ClassProbability } from '../image-readouts.ts';
import { mcDropoutOfFeatures } from '../uncertainty/mc-dropout.ts';
import type { GreyImage } from '../preprocess.ts';
import { normaliseInto, prepareRegion, toGrey8 } from '../preprocess.ts';
import { assessOod, imageStatistics, type OodAssessment } from '../readouts/out-of-distribution.ts';
import { quantumReadouts } from '../readouts/quantum-readouts.ts';
import type { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { scanFrame, type ScanOptions } from './frame-scan.ts';
import { scanWindow, type FrameScale, type ScanWindow } from './physical-scale.ts';

/** An image whose longer side exceeds this many model input sides is a frame to scan, not a patch to score whole. */
export const SCAN_ABOVE_INPUT_SIDES = 1.5;

/** A candidate's box in the source frame's pixels and its scores: what the CLI and every exporter carry of it. */
export interface ScoredBox {
  x: number;
  y: number;
  width: number;
  height: number;
  probability: number;
  /** Standard deviation of P(stenosis) over the MC-dropout passes. */
  uncertainty: number;
}

/** The box and scores alone, in one key order wherever a candidate is written out. */
export function scoredBox(c: ScoredBox): ScoredBox {
  return { x: c.x, y: c.y, width: c.width, height: c.height, probability: c.probability, uncertainty: c.uncertainty };
}

export interface LesionCandidate extends ScoredBox {
  /** The source frame (0-based) the box is on. */
  frame: number;
  ood: OodAssessment;
  /** Change in P(stenosis) the quantum layer accounts for; null for a model without one. */
  quantumContribution: number | null;
  /** Graded models: every class, most probable first; null for a binary model. */
  classes: ClassProbability[] | null;
}

export interface FrameCandidates {
  /** Window side in the frame's pixels (window.pixels). */
  windowPixels: number;
  /** The window's side in pixels and, where the scale is known, in millimetres, with how it was chosen. */
  window: ScanWindow;
  windowCount: number;
  /** Best first. */
  candidates: LesionCandidate[];
}

export function isFrameSized(runtime: ClassifierRuntime, image: { width: number; height: number }): boolean {
  return Math.max(image.width, image.height) > SCAN_ABOVE_INPUT_SIDES * runtime.imageSize;
}

export interface CandidateOptions extends ScanOptions {
  /** The frame's calibration (physical-scale.ts); null or absent: the window is the model's input side in pixels. */
  scale?: FrameScale | null;
}

/** Scans `image` (frame `frame` of its source) and reads each top region as a patch. */
export async function frameCandidates(runtime: ClassifierRuntime, image: GreyImage, frame: number, passes: number, options: CandidateOptions = {}): Promise<FrameCandidates> {
  const { scale, ...scanOptions } = options;
  const window = scanWindow(runtime.imageSize, runtime.manifest.patchSideMm, scale ?? null, image);
  const scan = await scanFrame(runtime, image, { patchSize: window.pixels, ...scanOptions });
  const S = runtime.imageSize;
  const grey = toGrey8(image);
  const patches = scan.regions.map((r) => prepareRegion(grey, image.width, r.x, r.y, r.size, r.size, runtime.manifest.preprocessing));
  const input = new Float32Array(patches.length * S * S);
  patches.forEach((patch, b) => normaliseInto(patch, runtime.manifest.preprocessing, input, b * S * S));
  const prediction = await runtime.predict(input, patches.length);
  const mc = await mcDropoutOfFeatures(runtime, prediction.h, prediction.q, patches.length, passes, 0);
  const quantum = prediction.q ? await quantumReadouts(runtime, prediction.h, prediction.q, prediction.probability, patches.length) : null;
  const classNames = runtime.manifest.architecture.classNames;
  const candidates = scan.regions.map((region, b) => ({
    frame,
    x: region.x,
    y: region.y,
    width: region.size,
    height: region.size,
    probability: prediction.probability[b]!,
    uncertainty: mc.std[b]!,
    ood: assessOod(imageStatistics(patches[b]!, S), prediction.h, b * runtime.featureDim, runtime.manifest.training),
    quantumContribution: quantum ? quantum[b]!.contribution : null,
    classes: prediction.classProbabilities && classNames ? rankedClasses(classNames, prediction.classProbabilities, b) : null,
  }));
  candidates.sort((a, b) => b.probability - a.probability);
  return { windowPixels: scan.patchSize, window: { ...window, pixels: scan.patchSize }, windowCount: scan.windowCount, candidates };
}
