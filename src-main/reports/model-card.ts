// A model card from what the model file says about itself (version, name, date, training images) and validation
// metrics with bootstrap intervals: computed now by scoring a labelled folder when one is given, otherwise the ones
// the training run recorded in the file (training/inference-export.ts).
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { evaluate, type Prediction } from '../evaluation/index.ts';
import { AppError } from '../ipc/index.ts';
import { type ClassifierRuntime, readGreyImage, readImages } from '../inference/index.ts';
import type { ModelCard, ValidationMetric } from './finding.ts';

export const CARD_METRICS = [
  { key: 'rocAuc', label: 'ROC AUC' },
  { key: 'accuracy', label: 'Accuracy' },
  { key: 'sensitivity', label: 'Sensitivity' },
  { key: 'specificity', label: 'Specificity' },
] as const;

export interface ValidationSource {
  /** A labelled folder with negative/ and positive/ PNG subfolders (e.g. p-adsd/labeled/val). */
  dir: string;
  /** At most this many images per class, first by name (0 = all). */
  perClass: number;
}

function listClass(dir: string, kind: 'negative' | 'positive', perClass: number): string[] {
  let files: string[];
  try {
    files = readdirSync(join(dir, kind)).filter((f) => f.toLowerCase().endsWith('.png')).sort();
  } catch {
    throw new AppError('validation-folder-invalid', `${dir} has no ${kind}/ folder of PNG patches; a validation folder needs negative/ and positive/ subfolders.`, { dir });
  }
  return (perClass > 0 ? files.slice(0, perClass) : files).map((f) => join(dir, kind, f));
}

/** Scores a labelled folder with the model and summarises it at the model's own threshold. */
export async function validationMetrics(runtime: ClassifierRuntime, source: ValidationSource): Promise<{ metrics: ValidationMetric[]; note: string; predictions: Prediction[] }> {
  const negatives = listClass(source.dir, 'negative', source.perClass);
  const paths = [...negatives, ...listClass(source.dir, 'positive', source.perClass)];
  const labels = paths.map((_, i) => (i < negatives.length ? 0 : 1));
  if (!labels.includes(0) || !labels.includes(1)) {
    throw new AppError('validation-folder-invalid', `${source.dir} needs images of both classes to validate a model.`, { dir: source.dir });
  }
  const images = await Promise.all(paths.map((p) => readGreyImage(p)));
  const readouts = await readImages(runtime, images, paths);
  const predictions: Prediction[] = readouts.map((r, i) => ({ id: `${labels[i] ? 'positive' : 'negative'}/${basename(paths[i] as string)}`, label: labels[i] as 0 | 1, score: r.probability }));
  const replicates = 1000;
  const evaluation = evaluate(predictions, { threshold: runtime.manifest.threshold, bootstrap: { replicates, seed: 7 } });
  const values: Record<string, number> = { rocAuc: evaluation.rocAuc, accuracy: evaluation.metrics.accuracy, sensitivity: evaluation.metrics.sensitivity, specificity: evaluation.metrics.specificity };
  const metrics = CARD_METRICS.map(({ key, label }) => {
    const interval = evaluation.intervals![key];
    return { metric: label, value: values[key] as number, low: interval.low, high: interval.high, confidence: interval.confidence };
  });
  const positives = labels.filter((l) => l === 1).length;
  const note = `Computed by scoring ${predictions.length} labelled images (${positives} with stenosis) from ${basename(source.dir)} at the model's threshold ${runtime.manifest.threshold.toFixed(3)}; 95 % percentile-bootstrap intervals over images, ${replicates} resamples, seed 7.`;
  return { metrics, note, predictions };
}

export async function modelCardFor(runtime: ClassifierRuntime, validation: ValidationSource | null): Promise<ModelCard> {
  const { manifest } = runtime;
  const classNames = manifest.architecture.classNames;
  const base = {
    modelVersion: manifest.modelVersion, name: manifest.name, createdAt: manifest.createdAt, trainingImages: manifest.training.imageCount,
    ...(classNames ? { classes: { names: classNames, validation: manifest.record?.gradedValidation ?? null } } : {}),
  };
  const record = manifest.record;
  if (!validation && record) {
    const pretraining = record.images.pretraining > 0 ? `, SimCLR pretraining on ${record.images.pretraining} images` : '';
    const provenance = `Trained ${record.trainedAt.slice(0, 10)} in run ${record.run} (${record.method}, ${record.encoder}) on ${record.images.train} labelled images${pretraining}; pretrained weights: ${record.pretrainedWeights}.`;
    return { ...base, validation: record.validation, validationNote: `${record.validationNote} ${provenance}` };
  }
  if (!validation) return { ...base, validation: [], validationNote: 'The model file carries no validation results; compute the findings with a validation folder to add them.' };
  const { metrics, note } = await validationMetrics(runtime, validation);
  return { ...base, validation: metrics, validationNote: note };
}
