// How a finding reads its frame. An image of the model's patch size is read whole (readout and occlusion saliency);
// a larger frame is scanned, never squeezed into the model's input: its lesion candidates carry the finding, and the
// saliency of the best one is laid on the frame at its box.
import { AppError } from '../ipc/index.ts';
import { boxSaliency, candidateFrameRanges, type ClassifierRuntime, frameCandidates, type FrameScale, type GreyImage, isFrameSized, type LesionCandidate, MC_PASSES, occlusionSaliency, readImages, scoredBox } from '../inference/index.ts';
import type { Finding, SaliencyOverlay } from './finding.ts';

export type FrameReading = Pick<Finding, 'probability' | 'decision' | 'threshold' | 'quantumContribution' | 'modelVersion' | 'classes' | 'saliency' | 'candidates'>;

/** Candidate outlines: amber, off the saliency scale's red-white-blue, so a box never reads as evidence. */
const OUTLINE_RGBA = [255, 191, 0, 255];
const OUTLINE_WIDTH = 2;

/** Draws each candidate's box outline into a frame-sized RGBA overlay, so the picture and the captures show where. */
function drawOutlines(rgba: Uint8Array, width: number, height: number, boxes: LesionCandidate[]): void {
  const paint = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < width && y < height) rgba.set(OUTLINE_RGBA, (y * width + x) * 4);
  };
  for (const box of boxes) {
    for (let t = 0; t < OUTLINE_WIDTH; t++) {
      for (let x = box.x; x < box.x + box.width; x++) {
        paint(x, box.y + t);
        paint(x, box.y + box.height - 1 - t);
      }
      for (let y = box.y; y < box.y + box.height; y++) {
        paint(box.x + t, y);
        paint(box.x + box.width - 1 - t, y);
      }
    }
  }
}

/** Occlusion saliency of the box on an overlay the size of the frame (transparent elsewhere); null for a flat box. */
async function saliencyAtBox(runtime: ClassifierRuntime, image: GreyImage, box: LesionCandidate): Promise<SaliencyOverlay | null> {
  try {
    const saliency = await boxSaliency(runtime, image, box);
    return { width: saliency.width, height: saliency.height, rgba: saliency.overlay, scale: saliency.scale };
  } catch (error) {
    if (error instanceof AppError && error.code === 'empty-frame') return null;
    throw error;
  }
}

/** The frames of the candidate's cine run, when the image is one frame of several. */
export interface FrameRun {
  frameCount: number;
  readFrame(index: number): Promise<GreyImage>;
}

export async function readFrame(runtime: ClassifierRuntime, image: GreyImage, frame: number, source: string, scale: FrameScale | null = null, run: FrameRun | null = null): Promise<FrameReading> {
  if (!isFrameSized(runtime, image)) {
    const [readout] = await readImages(runtime, [image], [source]);
    const saliency = await occlusionSaliency(runtime, image);
    return {
      probability: readout!.probability, decision: readout!.decision, threshold: readout!.threshold, quantumContribution: readout!.quantum?.contribution ?? null,
      modelVersion: readout!.modelVersion, classes: readout!.classes, saliency: { width: saliency.width, height: saliency.height, rgba: saliency.overlay, scale: saliency.scale }, candidates: null,
    };
  }
  const { candidates, window } = await frameCandidates(runtime, image, frame, MC_PASSES, { scale });
  const best = candidates[0];
  if (!best) throw new AppError('scan-empty', `The scan of ${source} found no region to report.`);
  const threshold = runtime.manifest.threshold;
  const ranges = run && run.frameCount > 1 ? await candidateFrameRanges(runtime, candidates, run, best.width) : null;
  const saliency = await saliencyAtBox(runtime, image, best);
  if (saliency) drawOutlines(saliency.rgba, saliency.width, saliency.height, candidates);
  return {
    probability: best.probability, decision: best.probability >= threshold ? 'stenosis' : 'no stenosis', threshold, quantumContribution: best.quantumContribution,
    modelVersion: runtime.manifest.modelVersion, classes: best.classes, saliency,
    candidates: candidates.map((c, i) => ({ ...scoredBox(c), outOfDistribution: c.ood.outOfDistribution, oodReasons: c.ood.reasons, ...(ranges ? ranges[i] : {}), ...(window.millimetres === null ? {} : { windowMm: window.millimetres }) })),
  };
}
