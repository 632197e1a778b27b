// Is this input like the training images? Two views: simple statistics of the prepared patch (intensity, contrast,
// clipping, edge energy) as z-scores against the training patches, and the encoder features' standardised
// distance from the training mean against the training images' own 99.5th percentile.
import type { StatisticSummary, TrainingStatistics } from '../model-file/manifest.ts';

export const IMAGE_STATISTIC_NAMES = ['mean', 'contrast', 'dark fraction', 'bright fraction', 'edge energy'];
/** |z| above this on any image statistic is flagged: rare (< 1 in 15 000) under a normal training distribution. */
export const IMAGE_Z_LIMIT = 4;

/** The statistics of one uint8 side × side patch, in IMAGE_STATISTIC_NAMES order, all on a 0–1 scale. */
export function imageStatistics(patch: Uint8Array, side: number): number[] {
  let sum = 0;
  let squares = 0;
  let dark = 0;
  let bright = 0;
  let edges = 0;
  for (let i = 0; i < patch.length; i++) {
    const v = patch[i]! / 255;
    sum += v;
    squares += v * v;
    if (patch[i]! <= 5) dark++;
    if (patch[i]! >= 250) bright++;
    const x = i % side;
    if (x + 1 < side) edges += Math.abs(patch[i + 1]! - patch[i]!) / 255;
    if (i + side < patch.length) edges += Math.abs(patch[i + side]! - patch[i]!) / 255;
  }
  const n = patch.length;
  const mean = sum / n;
  return [mean, Math.sqrt(Math.max(0, squares / n - mean * mean)), dark / n, bright / n, edges / (2 * n)];
}

export function summarise(names: string[], rows: number[][]): StatisticSummary {
  const k = names.length;
  const mean = new Array<number>(k).fill(0);
  const std = new Array<number>(k).fill(0);
  for (const row of rows) for (let j = 0; j < k; j++) mean[j]! += row[j]! / rows.length;
  for (const row of rows) for (let j = 0; j < k; j++) std[j]! += (row[j]! - mean[j]!) ** 2 / Math.max(1, rows.length - 1);
  return { names, mean, std: std.map(Math.sqrt) };
}

/** Mean over dimensions of ((h − μ)/σ)²: about 1 for a typical training image. */
export function featureDistance(h: ArrayLike<number>, offset: number, mean: number[], std: number[]): number {
  let sum = 0;
  for (let k = 0; k < mean.length; k++) sum += ((h[offset + k]! - mean[k]!) / (std[k]! + 1e-6)) ** 2;
  return sum / mean.length;
}

export interface OodAssessment {
  outOfDistribution: boolean;
  /** Largest |z| of the image statistics and which statistic it was. */
  imageZ: number;
  imageStatistic: string;
  /** Feature distance relative to the training 99.5th percentile (> 1: farther than 99.5 % of training images). */
  featureDistanceRatio: number;
  /** Plain-language reasons, empty when in distribution. */
  reasons: string[];
}

export function assessOod(patchStats: number[], h: ArrayLike<number>, offset: number, training: TrainingStatistics): OodAssessment {
  let imageZ = 0;
  let imageStatistic = training.image.names[0] ?? '';
  patchStats.forEach((value, j) => {
    const z = Math.abs(value - training.image.mean[j]!) / Math.max(training.image.std[j]!, 1e-6);
    if (z > imageZ) [imageZ, imageStatistic] = [z, training.image.names[j]!];
  });
  const featureDistanceRatio = featureDistance(h, offset, training.featureMean, training.featureStd) / Math.max(training.featureDistanceP995, 1e-9);
  const reasons: string[] = [];
  if (imageZ > IMAGE_Z_LIMIT) reasons.push(`its ${imageStatistic} is ${imageZ.toFixed(1)} standard deviations from the training images'`);
  if (featureDistanceRatio > 1) reasons.push(`the model's features lie farther from the training images than 99.5 % of them (×${featureDistanceRatio.toFixed(2)})`);
  return { outOfDistribution: reasons.length > 0, imageZ, imageStatistic, featureDistanceRatio, reasons };
}
