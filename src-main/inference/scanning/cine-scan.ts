// A whole cine run scanned frame by frame, reporting progress per frame and keeping per-frame summaries (the
// frame's highest window score and top regions) rather than every heatmap: a 96-frame 1024² run would be 400 MB.
import type { GreyImage } from '../preprocess.ts';
import type { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import type { ScanOptions, ScanRegion } from './frame-scan.ts';
import { scanFrame } from './frame-scan.ts';
import { groupAcrossFrames } from './lesion-groups.ts';

export interface CineFrameSummary {
  frame: number;
  maxProbability: number;
  regions: ScanRegion[];
}

/** Top regions overlapping on neighbouring frames, as one lesion with its frame range (lesion-groups.ts). */
export interface RunLesion {
  firstFrame: number;
  lastFrame: number;
  /** Its highest-scoring window, and the frame it is on. */
  best: ScanRegion & { frame: number };
}

/** Lesions listed for a run: the best few whose best window reaches the model's threshold. */
export const RUN_LESIONS = 5;

export interface CineScan {
  frames: CineFrameSummary[];
  /** Best first; at most RUN_LESIONS. */
  lesions: RunLesion[];
  /** The frame with the highest window score (0-based), the natural one to open first. */
  peakFrame: number;
}

export interface CineScanOptions extends Omit<ScanOptions, 'onProgress'> {
  /** Called after each frame with frames done and total. */
  onFrame?: (done: number, total: number) => void;
}

export async function scanCine(runtime: ClassifierRuntime, frameCount: number, readFrame: (index: number) => Promise<GreyImage>, options: CineScanOptions = {}): Promise<CineScan> {
  const frames: CineFrameSummary[] = [];
  for (let index = 0; index < frameCount; index++) {
    const scan = await scanFrame(runtime, await readFrame(index), options);
    frames.push({ frame: index, maxProbability: scan.maxProbability, regions: scan.regions });
    options.onFrame?.(index + 1, frameCount);
  }
  const peakFrame = frames.reduce((best, f) => (f.maxProbability > frames[best]!.maxProbability ? f.frame : best), 0);
  const boxes = frames.flatMap((f) => f.regions.map((r) => ({ frame: f.frame, x: r.x, y: r.y, width: r.size, height: r.size, probability: r.probability, size: r.size })));
  const lesions = groupAcrossFrames(boxes)
    .filter((g) => g.best.probability >= runtime.manifest.threshold)
    .slice(0, RUN_LESIONS)
    .map((g) => ({ firstFrame: g.firstFrame, lastFrame: g.lastFrame, best: { frame: g.best.frame, x: g.best.x, y: g.best.y, size: g.best.size, probability: g.best.probability } }));
  return { frames, lesions, peakFrame };
}
