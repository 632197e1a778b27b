// Readouts per image: P(stenosis) and the class at the model's stored threshold, the quantum layer's contribution
// with per-qubit ablations, the OOD assessment and one plain-language sentence.
import type { GreyImage } from './preprocess.ts';
import { preprocessImage } from './preprocess.ts';
import type { OodAssessment } from './readouts/out-of-distribution.ts';
import { assessOod, imageStatistics } from './readouts/out-of-distribution.ts';
import type { QuantumReadout } from './readouts/quantum-readouts.ts';
import { plainLanguage, quantumReadouts } from './readouts/quantum-readouts.ts';
import type { ClassifierRuntime, Prediction } from './runtime/classifier-runtime.ts';

export interface ImageReadout {
  probability: number;
  decision: 'stenosis' | 'no stenosis';
  threshold: number;
  quantum: QuantumReadout | null;
  ood: OodAssessment;
  summary: string;
  modelVersion: string;
  /** Graded models: every class with its probability, most probable first; null for a binary model. */
  classes: ClassProbability[] | null;
}

export interface ClassProbability {
  name: string;
  probability: number;
}

/** One image's row of class probabilities, named and ordered most probable first (ties keep class order). */
export function rankedClasses(names: readonly string[], probabilities: Float32Array, row: number): ClassProbability[] {
  const k = names.length;
  return names.map((name, c) => ({ name, probability: probabilities[row * k + c]! })).sort((a, b) => b.probability - a.probability);
}

export const READOUT_BATCH = 32;

/** Prepared model inputs for a list of images: batch × 1 × S × S planes and the uint8 patches. */
export function prepareBatch(runtime: ClassifierRuntime, images: GreyImage[], sources: string[] = []): { input: Float32Array; patches: Uint8Array[] } {
  const S = runtime.imageSize;
  const input = new Float32Array(images.length * S * S);
  const patches = images.map((image, i) => {
    const prepared = preprocessImage(image, runtime.manifest.preprocessing, sources[i] ?? `image ${i + 1}`);
    input.set(prepared.input, i * S * S);
    return prepared.patch;
  });
  return { input, patches };
}

export async function readImages(runtime: ClassifierRuntime, images: GreyImage[], sources: string[] = []): Promise<ImageReadout[]> {
  const readouts: ImageReadout[] = [];
  for (let start = 0; start < images.length; start += READOUT_BATCH) {
    const chunk = images.slice(start, start + READOUT_BATCH);
    const { input, patches } = prepareBatch(runtime, chunk, sources.slice(start));
    const prediction = await runtime.predict(input, chunk.length);
    readouts.push(...(await readoutsOfPrediction(runtime, prediction, patches)));
  }
  return readouts;
}

/** Readouts for the first patches.length rows of a prediction (which may hold more rows, e.g. occluded copies). */
export async function readoutsOfPrediction(runtime: ClassifierRuntime, prediction: Prediction, patches: Uint8Array[]): Promise<ImageReadout[]> {
  const { manifest } = runtime;
  const count = patches.length;
  const quantum = prediction.q ? await quantumReadouts(runtime, prediction.h, prediction.q, prediction.probability, count) : null;
  return patches.map((patch, b) => {
    const probability = prediction.probability[b]!;
    const q = quantum ? quantum[b]! : null;
    return {
      probability,
      decision: probability >= manifest.threshold ? 'stenosis' : 'no stenosis',
      threshold: manifest.threshold,
      quantum: q,
      ood: assessOod(imageStatistics(patch, runtime.imageSize), prediction.h, b * runtime.featureDim, manifest.training),
      summary: plainLanguage(probability, manifest.threshold, q),
      modelVersion: manifest.modelVersion,
      classes: prediction.classProbabilities && manifest.architecture.classNames ? rankedClasses(manifest.architecture.classNames, prediction.classProbabilities, b) : null,
    };
  });
}
