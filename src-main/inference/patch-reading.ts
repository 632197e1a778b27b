// One patch read whole in one encoder call: the readout, the MC-dropout uncertainty and, when asked, the occlusion
// saliency all start from the same encoding. The occluded copies ride in the same batch as the image itself, the
// dropout passes reuse its features and expectations (dropout sits in the head only), so a Predict costs one
// encoder call, one simulator call and three head calls, whatever the number of passes and windows.
import type { ImageReadout } from './image-readouts.ts';
import { prepareBatch, readoutsOfPrediction } from './image-readouts.ts';
import type { GreyImage } from './preprocess.ts';
import type { ClassifierRuntime } from './runtime/classifier-runtime.ts';
import { occlusionMap, type OcclusionOptions, occlusionWindows, type SaliencyResult } from './saliency/occlusion.ts';
import { mcDropoutOfFeatures } from './uncertainty/mc-dropout.ts';

/** MC-dropout passes per readout in the Viewer, the reports and the CLI. */
export const MC_PASSES = 20;

export interface PatchReading {
  readout: ImageReadout;
  uncertainty: { passes: number; mean: number; std: number; bald: number };
  saliency: SaliencyResult | null;
}

export interface PatchReadingOptions {
  passes?: number;
  /** Seed of the dropout masks (default 0, as every Predict). */
  seed?: number;
  /** Also the occlusion saliency (its windows join the encoder batch); false by default. */
  saliency?: boolean | OcclusionOptions;
}

export async function readPatch(runtime: ClassifierRuntime, image: GreyImage, source: string, options: PatchReadingOptions = {}): Promise<PatchReading> {
  const passes = options.passes ?? MC_PASSES;
  const S = runtime.imageSize;
  const { input, patches } = prepareBatch(runtime, [image], [source]);
  const occlusion = options.saliency ? occlusionWindows(runtime, image, options.saliency === true ? {} : options.saliency) : null;
  let batch = input;
  if (occlusion) {
    // The same rows as occlusionSaliency's single call, so the map is the one the Viewer's saliency request draws.
    batch = new Float32Array((1 + occlusion.windows.length) * S * S);
    batch.set(input);
    batch.set(occlusion.occluded, S * S);
  }
  const rows = batch.length / (S * S);
  const prediction = await runtime.predict(batch, rows);
  const [readout] = await readoutsOfPrediction(runtime, prediction, patches);
  const F = runtime.featureDim;
  const Q = runtime.qubits;
  const mc = await mcDropoutOfFeatures(runtime, prediction.h.subarray(0, F), prediction.q ? prediction.q.subarray(0, Q) : null, 1, passes, options.seed ?? 0);
  const saliency = occlusion ? occlusionMap(runtime, image, occlusion, prediction.probability[0]!, prediction.probability.subarray(1)) : null;
  return { readout: readout!, uncertainty: { passes, mean: mc.mean[0]!, std: mc.std[0]!, bald: mc.bald[0]! }, saliency };
}
