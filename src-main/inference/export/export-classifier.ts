// Export of a trained classifier for inference: the ONNX graphs from its weights, the quantum layer's θ, the
// decision threshold, and statistics over the training images (mean q for the quantum-contribution baseline,
// image and feature statistics for the OOD warning), all in one model file.
import { AppError } from '../../ipc/index.ts';
import { paramCount } from '../../quantum/index.ts';
import { calibratedProbability } from '../../evaluation/index.ts';
import type { InferenceManifest, ModelCalibration, TrainingRecord, TrainingStatistics } from '../model-file/manifest.ts';
import { encodeModelFile, modelVersionOf } from '../model-file/model-file.ts';
import type { GreyImage, PreprocessingSpec } from '../preprocess.ts';
import { defaultPreprocessing, preprocessImage } from '../preprocess.ts';
import { IMAGE_STATISTIC_NAMES, featureDistance, imageStatistics, summarise } from '../readouts/out-of-distribution.ts';
import type { RuntimeOptions } from '../runtime/classifier-runtime.ts';
import { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import type { ClassifierArchitecture } from './architecture.ts';
import { buildEncoderGraph, buildHeadGraph } from './classifier-graphs.ts';
import type { WeightMap } from './weights.ts';
import { takeWeight } from './weights.ts';

export interface ExportRequest {
  name: string;
  weights: WeightMap;
  architecture: ClassifierArchitecture;
  preprocessing?: PreprocessingSpec;
  /** P(stenosis) decision threshold chosen on validation data, on the network's own (uncalibrated) scale. */
  threshold: number;
  /** Temperature scaling fitted on validation (model-file/calibrated-model.ts); the threshold is carried onto its scale. */
  calibration?: ModelCalibration;
  /** The training images (as prepared for training) the statistics describe. */
  trainingImages: GreyImage[];
  runtime?: RuntimeOptions;
  createdAt?: Date;
  /** The training run's record (model card source). */
  record?: TrainingRecord;
  /** Side of the training patches in millimetres, when every patch recorded its scale; the scan then windows in mm. */
  patchSideMm?: number | null;
}

const STATISTICS_BATCH = 64;

export async function exportClassifier(request: ExportRequest): Promise<Uint8Array> {
  const { architecture, weights } = request;
  const preprocessing = request.preprocessing ?? defaultPreprocessing(architecture.imageSize);
  if (preprocessing.size !== architecture.imageSize) {
    throw new AppError('invalid-config', `Preprocessing prepares ${preprocessing.size}-pixel patches but the model takes ${architecture.imageSize}.`);
  }
  if (request.trainingImages.length < 2) {
    throw new AppError('empty-dataset', `Exporting '${request.name}' needs its training images (at least 2) for the readout baselines; got ${request.trainingImages.length}.`);
  }
  if (!(request.threshold > 0 && request.threshold < 1)) {
    throw new AppError('invalid-config', `Decision threshold ${request.threshold} is not between 0 and 1.`);
  }
  const circuit = architecture.circuit;
  const quantumWeights = circuit ? Array.from(takeWeight(weights, 'classifier.fusion.quantum.weights', [paramCount(circuit)])) : null;
  const graphs = {
    encoder: buildEncoderGraph(weights, architecture),
    head: buildHeadGraph(weights, architecture),
    headMcDropout: buildHeadGraph(weights, architecture, { dropoutMask: true }),
  };
  const temperature = request.calibration?.temperature ?? 1;
  const threshold = Math.min(0.999999, Math.max(1e-6, calibratedProbability(request.threshold, temperature)));
  const base: Omit<InferenceManifest, 'parts' | 'formatVersion' | 'training'> = {
    modelVersion: modelVersionOf(graphs, quantumWeights, threshold, temperature),
    name: request.name,
    createdAt: (request.createdAt ?? new Date()).toISOString(),
    architecture,
    preprocessing,
    quantumWeights,
    threshold,
    ...(request.calibration ? { calibration: request.calibration } : {}),
    ...(request.record ? { record: request.record } : {}),
    ...(request.patchSideMm && request.patchSideMm > 0 ? { patchSideMm: request.patchSideMm } : {}),
  };
  const provisional = { ...base, formatVersion: 0, parts: {} as InferenceManifest['parts'], training: emptyStatistics() };
  const runtime = await ClassifierRuntime.load({ manifest: provisional, graphs }, request.runtime);
  try {
    const training = await trainingStatistics(runtime, request.trainingImages, preprocessing);
    return encodeModelFile({ ...base, training }, graphs);
  } finally {
    await runtime.release();
  }
}

function emptyStatistics(): TrainingStatistics {
  return { imageCount: 0, qMean: null, image: { names: [], mean: [], std: [] }, featureMean: [], featureStd: [], featureDistanceP995: 1 };
}

async function trainingStatistics(runtime: ClassifierRuntime, images: GreyImage[], preprocessing: PreprocessingSpec): Promise<TrainingStatistics> {
  const S = preprocessing.size;
  const F = runtime.featureDim;
  const Q = runtime.qubits;
  const features = new Float32Array(images.length * F);
  const qSum = new Float64Array(Q);
  const imageRows: number[][] = [];
  for (let start = 0; start < images.length; start += STATISTICS_BATCH) {
    const chunk = images.slice(start, start + STATISTICS_BATCH);
    const input = new Float32Array(chunk.length * S * S);
    chunk.forEach((image, i) => {
      const prepared = preprocessImage(image, preprocessing, `training image ${start + i + 1}`);
      input.set(prepared.input, i * S * S);
      imageRows.push(imageStatistics(prepared.patch, S));
    });
    const { h, u } = await runtime.encode(input, chunk.length);
    features.set(h, start * F);
    if (u) {
      const q = await runtime.expectations(u);
      for (let i = 0; i < q.length; i++) qSum[i % Q]! += q[i]!;
    }
  }
  const featureMean = new Array<number>(F).fill(0);
  const featureStd = new Array<number>(F).fill(0);
  for (let n = 0; n < images.length; n++) for (let k = 0; k < F; k++) featureMean[k]! += features[n * F + k]! / images.length;
  for (let n = 0; n < images.length; n++) for (let k = 0; k < F; k++) featureStd[k]! += (features[n * F + k]! - featureMean[k]!) ** 2 / (images.length - 1);
  for (let k = 0; k < F; k++) featureStd[k] = Math.sqrt(featureStd[k]!);
  const distances = Array.from({ length: images.length }, (_, n) => featureDistance(features, n * F, featureMean, featureStd)).sort((a, b) => a - b);
  return {
    imageCount: images.length,
    qMean: Q ? Array.from(qSum, (s) => s / images.length) : null,
    image: summarise(IMAGE_STATISTIC_NAMES, imageRows),
    featureMean,
    featureStd,
    featureDistanceP995: distances[Math.min(distances.length - 1, Math.ceil(0.995 * (distances.length - 1)))]!,
  };
}
