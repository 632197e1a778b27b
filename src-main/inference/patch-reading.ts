// One patch read whole: the readout, the MC-dropout uncertainty and, when asked, the occlusion saliency all start
// from the image's one encoding. The dropout passes reuse its features and expectations (dropout sits in the head
// only), so they cost one head call of 20 rows; the occluded copies go through the model in one call per stage of
// the map (occlusion.ts), after the image itself, whose score is the readout's and the map's base alike.
import type { ImageReadout } from './image-readouts.ts';
import { prepareBatch, readoutsOfPrediction } from './image-readouts.ts';
import type { GreyImage } from './preprocess.ts';
import type { ClassifierRuntime } from './runtime/classifier-runtime.ts';
import { type OcclusionOptions, type SaliencyDetail, type SaliencyResult, StagedOcclusion } from './saliency/occlusion.ts';
import { mcDropoutOfFeatures } from './uncertainty/mc-dropout.ts';

/** MC-dropout passes per readout in the Viewer, the reports and the CLI. */
export const MC_PASSES = 20;

export interface PatchReading {
  readout: ImageReadout;
  uncertainty: { passes: number; mean: number; std: number; bald: number };
  saliency: SaliencyResult | null;
  /** The occlusion scores behind `saliency`, for the fine map after a coarse one (null without saliency). */
  occlusion: StagedOcclusion | null;
}

export interface PatchReadingOptions {
  passes?: number;
  /** Seed of the dropout masks (default 0, as every Predict). */
  seed?: number;
  /** Also the occlusion saliency: true or 'fine' for the full map, 'coarse' for the first stage only; none by default. */
  saliency?: boolean | SaliencyDetail;
  occlusion?: OcclusionOptions;
}

export async function readPatch(runtime: ClassifierRuntime, image: GreyImage, source: string, options: PatchReadingOptions = {}): Promise<PatchReading> {
  const passes = options.passes ?? MC_PASSES;
  const { input, patches } = prepareBatch(runtime, [image], [source]);
  const prediction = await runtime.predict(input, 1);
  const [readout] = await readoutsOfPrediction(runtime, prediction, patches);
  const F = runtime.featureDim;
  const Q = runtime.qubits;
  const mc = await mcDropoutOfFeatures(runtime, prediction.h.subarray(0, F), prediction.q ? prediction.q.subarray(0, Q) : null, 1, passes, options.seed ?? 0);
  const detail = options.saliency === true ? 'fine' : options.saliency || null;
  const occlusion = detail ? new StagedOcclusion(runtime, image, options.occlusion) : null;
  occlusion?.knowBase(prediction.probability[0]!);
  const saliency = occlusion && detail ? await occlusion.map(detail) : null;
  return { readout: readout!, uncertainty: { passes, mean: mc.mean[0]!, std: mc.std[0]!, bald: mc.bald[0]! }, saliency, occlusion };
}
