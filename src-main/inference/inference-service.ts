// The inference service behind the IPC channels: loads model files (cached by path and modification time),
// reads images and frames, and answers readouts, saliency, frame heatmaps and cine scans.
import { readFile, stat } from 'node:fs/promises';
import { AppError } from '../ipc/index.ts';
import type { ImageReadout } from './image-readouts.ts';
import { readGreyImage, readScaledImage } from './image-source.ts';
import { decodeModelFile } from './model-file/model-file.ts';
import type { RuntimeOptions } from './runtime/classifier-runtime.ts';
import { ClassifierRuntime } from './runtime/classifier-runtime.ts';
import type { SaliencyDetail, SaliencyResult } from './saliency/occlusion.ts';
import { boxPatch, mapOnFrame, type FrameBox } from './saliency/box-saliency.ts';
import { RecentOcclusions } from './saliency/recent-occlusions.ts';
import { scanCine, type CineScan } from './scanning/cine-scan.ts';
import { scanFrame, type FrameScan, type ScanOptions } from './scanning/frame-scan.ts';
import { frameCandidates, isFrameSized, type FrameCandidates } from './scanning/lesion-candidates.ts';
import { candidateFrameRanges, type FrameRange } from './scanning/run-ranges.ts';
import { openDicomFrames } from './dicom-frames.ts';
import { MC_PASSES, readPatch } from './patch-reading.ts';

export interface Target {
  modelPath: string;
  imagePath: string;
  frame?: number;
}

export type PredictAnswer = ImageReadout & { uncertainty: { passes: number; std: number; bald: number }; width: number; height: number };

export type LocatedFindings =
  | { kind: 'patch'; answer: PredictAnswer }
  | { kind: 'scan'; threshold: number; modelVersion: string; width: number; height: number; scan: FrameCandidates; ranges: FrameRange[] | null };

export { MC_PASSES };

/** Where an image (or a box of it) came from, for finding its kept occlusion scores. */
const sourceOf = (target: Target, box?: FrameBox) => JSON.stringify([target.imagePath, target.frame ?? 0, box ? [box.x, box.y, box.width, box.height] : null]);

export class InferenceService {
  private readonly runtimes = new Map<string, { mtimeMs: number; runtime: Promise<ClassifierRuntime> }>();
  private readonly options: RuntimeOptions;
  private readonly occlusions = new RecentOcclusions();

  constructor(options: RuntimeOptions = {}) {
    this.options = options;
  }

  async model(path: string): Promise<ClassifierRuntime> {
    let mtimeMs: number;
    let isFile: boolean;
    try {
      const info = await stat(path);
      mtimeMs = info.mtimeMs;
      isFile = info.isFile();
    } catch {
      throw new AppError('model-file-missing', `No model file at ${path}: export the model again or pick another file.`);
    }
    if (!isFile) throw new AppError('model-file-missing', `${path} is a folder, not a model file: pick the model file inside it.`);
    const cached = this.runtimes.get(path);
    if (cached && cached.mtimeMs === mtimeMs) return cached.runtime;
    const runtime = readFile(path).then((bytes) => ClassifierRuntime.load(decodeModelFile(new Uint8Array(bytes), path), this.options));
    this.runtimes.set(path, { mtimeMs, runtime });
    runtime.catch(() => this.runtimes.delete(path));
    if (cached) void cached.runtime.then((old) => old.release()).catch(() => undefined);
    return runtime;
  }

  async predict(target: Target): Promise<PredictAnswer> {
    const runtime = await this.model(target.modelPath);
    const image = await readGreyImage(target.imagePath, target.frame);
    const { readout, uncertainty } = await readPatch(runtime, image, target.imagePath, { passes: MC_PASSES, seed: 0 });
    // The saliency request that follows starts from this score rather than encoding the image again.
    this.occlusions.of(runtime, sourceOf(target), image).knowBase(readout.probability);
    return { ...readout, uncertainty: { passes: MC_PASSES, std: uncertainty.std, bald: uncertainty.bald }, width: image.width, height: image.height };
  }

  /** A patch-sized image is read whole; a larger one (a frame) becomes lesion candidates from the frame scan. */
  async locate(target: Target, options: { followRun?: boolean } = {}): Promise<LocatedFindings> {
    const runtime = await this.model(target.modelPath);
    const { image, scale, run } = await readScaledImage(target.imagePath, target.frame);
    if (!isFrameSized(runtime, image)) return { kind: 'patch', answer: await this.predict(target) };
    const scan = await frameCandidates(runtime, image, target.frame ?? 0, MC_PASSES, { scale });
    // With followRun, each candidate's lesion is followed over the neighbouring frames of its cine run, as the report does.
    const ranges = options.followRun && run && run.frameCount > 1 ? await candidateFrameRanges(runtime, scan.candidates, run, scan.window.pixels) : null;
    return { kind: 'scan', threshold: runtime.manifest.threshold, modelVersion: runtime.manifest.modelVersion, width: image.width, height: image.height, scan, ranges };
  }

  /**
   * The image's saliency, or with `box` (a lesion candidate's) the box's, laid on a map the size of the frame. The
   * coarse map comes first, then the fine one; the image's score is kept from its Predict (occlusion.ts).
   */
  async saliency(target: Target, box?: FrameBox, detail: SaliencyDetail = 'fine'): Promise<SaliencyResult> {
    const runtime = await this.model(target.modelPath);
    const image = await readGreyImage(target.imagePath, target.frame);
    if (!box) return this.occlusions.of(runtime, sourceOf(target), image).map(detail);
    if (box.x + box.width > image.width || box.y + box.height > image.height) {
      throw new AppError('invalid-input', `The box ${box.x}, ${box.y}, ${box.width}×${box.height} does not fit the ${image.width}×${image.height} frame.`);
    }
    return mapOnFrame(await this.occlusions.of(runtime, sourceOf(target, box), boxPatch(image, box)).map(detail), image, box);
  }

  async heatmap(target: Target, options: ScanOptions): Promise<FrameScan> {
    return scanFrame(await this.model(target.modelPath), await readGreyImage(target.imagePath, target.frame), options);
  }

  async cine(modelPath: string, imagePath: string, options: Parameters<typeof scanCine>[3]): Promise<CineScan> {
    const runtime = await this.model(modelPath);
    const frames = await openDicomFrames(imagePath);
    return scanCine(runtime, frames.frameCount, frames.readFrame, options);
  }

  async close(): Promise<void> {
    const runtimes = [...this.runtimes.values()];
    this.runtimes.clear();
    this.occlusions.clear();
    await Promise.allSettled(runtimes.map(async (entry) => (await entry.runtime).release()));
  }
}
