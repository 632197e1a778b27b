// A small classifier trained for real on P-ADSD by the product's training loop (engine, validation monitor,
// threshold, model.angio export), with its weights kept so that test tooling can re-export altered copies
// through the same graphs and runtime. Supervised SimpleCNN: quick enough to train twice inside one test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataDir } from '../../../app/paths.ts';
import { seededRandom, shuffleInPlace } from '../../../random/seeded-random.ts';
import { parseTrainingConfig, type TrainingConfigInput } from '../../../training/config.ts';
import { loadLabeledSplit, type ImageSet } from '../../../training/dataset.ts';
import { runTraining } from '../../../training/driver.ts';
import { loadEngine, sessionSpecFor } from '../../../training/engine.ts';
import { preprocessingSpec } from '../../../preprocessing/index.ts';
import { padsdSource } from '../../../training/training-data.ts';
import { engineArchitecture, engineWeights } from '../../export/engine-model.ts';
import { exportClassifier } from '../../export/export-classifier.ts';
import type { WeightMap } from '../../export/weights.ts';
import { networkThreshold } from '../../model-file/calibrated-model.ts';
import { decodeModelFile, type ModelFile } from '../../model-file/model-file.ts';
import type { GreyImage } from '../../preprocess.ts';

export interface TrainedClassifier {
  /** The run's own model.angio. */
  file: ModelFile;
  /** The same model's engine weights (best on validation), for altered re-exports. */
  weights: WeightMap;
  valAuc: number;
  testAuc: number;
  /** Writes a model file from `weights` exactly as the run exported its own (same architecture, threshold, statistics). */
  exportWeights(weights: WeightMap, name: string): Promise<ModelFile>;
}

export interface TrainingRequest {
  config: TrainingConfigInput;
  /** Labelled train patches per class (the first in name order). */
  trainPerClass: number;
  /** Shuffle the train labels with this seed (the data-randomisation test); null keeps the true labels. */
  permuteLabelsSeed: number | null;
}

function subset(set: ImageSet, indices: number[], plane: number): ImageSet {
  const pixels = new Uint8Array(indices.length * plane);
  indices.forEach((index, i) => pixels.set(set.pixels.subarray(index * plane, (index + 1) * plane), i * plane));
  const pick = (values: Int32Array | null) => (values ? Int32Array.from(indices, (i) => values[i]!) : null);
  return { pixels, labels: pick(set.labels), classes: pick(set.classes), files: indices.map((i) => set.files[i]!), count: indices.length };
}

function balancedHead(set: ImageSet, perClass: number, plane: number): ImageSet {
  const labels = Array.from(set.labels!);
  const first = (label: number) => labels.flatMap((l, i) => (l === label ? [i] : [])).slice(0, perClass);
  return subset(set, [...first(0), ...first(1)], plane);
}

function permuteLabels(set: ImageSet, seed: number): ImageSet {
  const labels = shuffleInPlace(Array.from(set.labels!), seededRandom(seed));
  return { ...set, labels: Int32Array.from(labels), classes: Int32Array.from(labels) };
}

export async function trainClassifier(request: TrainingRequest): Promise<TrainedClassifier> {
  const config = parseTrainingConfig(request.config);
  const preprocessing = preprocessingSpec(config.imageSize);
  const plane = config.imageSize * config.imageSize;
  const { labeledRoot } = padsdSource(sharedDataDir());
  const load = (split: string) => loadLabeledSplit(labeledRoot, split, preprocessing);
  const trueTrain = balancedHead(load('train'), request.trainPerClass, plane);
  const train = request.permuteLabelsSeed === null ? trueTrain : permuteLabels(trueTrain, request.permuteLabelsSeed);
  const runDir = mkdtempSync(join(tmpdir(), 'angio-saliency-sanity-'));
  try {
    const engine = loadEngine();
    const result = await runTraining({ engine, runDir, config, preprocessing, data: { pretrain: null, train, val: load('val'), test: load('test') }, resume: false, exportForInference: true });
    if (result.status !== 'completed' || !result.metrics || !result.files.inferenceModel || !result.files.model) {
      throw new Error(`the sanity-check model did not finish training: ${JSON.stringify({ status: result.status, skipped: result.inferenceModelSkipped })}`);
    }
    const file = decodeModelFile(readFileSync(result.files.inferenceModel));
    const session = new engine.TrainingSession(sessionSpecFor(config, preprocessing));
    await session.importModel(result.files.model);
    const weights = engineWeights(session.parameters(true));
    const architecture = engineArchitecture(sessionSpecFor(config, preprocessing), weights);
    const trainingImages: GreyImage[] = Array.from({ length: train.count }, (_, i) => ({ width: config.imageSize, height: config.imageSize, pixels: train.pixels.subarray(i * plane, (i + 1) * plane) }));
    const exportWeights = async (altered: WeightMap, name: string) =>
      decodeModelFile(await exportClassifier({ name, weights: altered, architecture, preprocessing, threshold: networkThreshold(file.manifest), calibration: file.manifest.calibration, trainingImages }));
    return { file, weights, valAuc: result.metrics.valAuc, testAuc: result.metrics.testAuc, exportWeights };
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}
