// Occlusion saliency through the whole model (encoder, quantum layer, head): slide a square over the model input,
// fill it with the image's mean, and record how far P(stenosis) falls. At 64 px the encoder's last feature map is
// 2×2, far too coarse for Grad-CAM; occlusion needs no gradients and resolves evidence to the window's stride.
//
// A map comes in two stages so the Viewer can draw one at once and then refine it: the coarse map hides squares twice
// the fine side laid side by side (16 of 16 px at S = 64: one small model call), the fine map the requested squares
// (225 of 8 px in steps of 4). Each stage is one model call, scored once per image and kept; both start from the
// image's own batch-of-one score, the very number its readout shows, never a neighbour's in a bigger batch.
import type { GreyImage } from '../preprocess.ts';
import { preprocessImage } from '../preprocess.ts';
import type { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { occludedCopies, occlusionMap, type OcclusionOptions, type SaliencyDetail, type SaliencyResult, type WindowGrid, windowGrid } from './occlusion-map.ts';

export { occlusionMap, occlusionWindows, windowGrid, type OcclusionOptions, type OcclusionWindows, type SaliencyDetail, type SaliencyResult } from './occlusion-map.ts';

/** One image's occlusion scores, kept between the coarse and the fine map so nothing is scored twice. */
export class StagedOcclusion {
  readonly image: GreyImage;
  /** The fine map's squares, and the coarse map's (twice the side, laid side by side). */
  readonly fine: WindowGrid;
  readonly coarse: WindowGrid;
  private readonly runtime: ClassifierRuntime;
  private input: Float32Array | null = null;
  private base: Promise<number> | null = null;
  private readonly stages = new Map<SaliencyDetail, Promise<Float32Array>>();

  constructor(runtime: ClassifierRuntime, image: GreyImage, options: OcclusionOptions = {}) {
    const S = runtime.imageSize;
    this.runtime = runtime;
    this.image = image;
    this.fine = windowGrid(S, options);
    const side = Math.min(S, 2 * this.fine.window);
    this.coarse = windowGrid(S, { window: side, stride: side });
  }

  /** The image's score from its readout (a batch of one on the same runtime), so the map need not encode it again. */
  knowBase(probability: number): void {
    this.base ??= Promise.resolve(probability);
  }

  async map(detail: SaliencyDetail): Promise<SaliencyResult> {
    const base = await this.baseScore();
    const scores = await this.scores(detail);
    return occlusionMap(this.runtime, this.image, detail === 'coarse' ? this.coarse : this.fine, base, scores, detail);
  }

  private modelInput(): Float32Array {
    this.input ??= preprocessImage(this.image, this.runtime.manifest.preprocessing).input;
    return this.input;
  }

  private baseScore(): Promise<number> {
    if (!this.base) {
      const base = this.runtime.predict(this.modelInput(), 1).then((p) => p.probability[0]!);
      this.base = base;
      base.catch(() => {
        if (this.base === base) this.base = null;
      });
    }
    return this.base;
  }

  /** All of a stage's squares in one model call; a failed call is forgotten so the next request tries again. */
  private scores(detail: SaliencyDetail): Promise<Float32Array> {
    const kept = this.stages.get(detail);
    if (kept) return kept;
    const grid = detail === 'coarse' ? this.coarse : this.fine;
    const copies = occludedCopies(this.modelInput(), this.runtime.imageSize, grid.windows, grid.window);
    const scores = this.runtime.predict(copies, grid.windows.length).then((p) => p.probability);
    this.stages.set(detail, scores);
    scores.catch(() => {
      if (this.stages.get(detail) === scores) this.stages.delete(detail);
    });
    return scores;
  }
}

/** The fine map alone: the image, then its squares in one call (the same numbers as after a coarse map). */
export async function occlusionSaliency(runtime: ClassifierRuntime, image: GreyImage, options: OcclusionOptions = {}): Promise<SaliencyResult> {
  return new StagedOcclusion(runtime, image, options).map('fine');
}
