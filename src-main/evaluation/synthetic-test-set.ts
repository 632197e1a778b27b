// Seeded binormal test sets for tests and sample figures: the latent score of a stenotic image is shifted by
// `separation` standard deviations (AUC = Φ(separation/√2)), then squashed to a probability.
import type { Label, Prediction } from './predictions.ts';
import { seededRandom } from '../random/index.ts';

export interface SyntheticTestSet {
  positives: number;
  negatives: number;
  separation: number;
  seed: number;
  /** Round scores to this many decimals, to produce the ties real softmax outputs show. */
  decimals?: number;
  /** Give consecutive images this many to a patient, all with that patient's label. */
  imagesPerPatient?: number;
  idPrefix?: string;
}

export function syntheticPredictions(spec: SyntheticTestSet): Prediction[] {
  const random = seededRandom(spec.seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  const labels: Label[] = [...Array<Label>(spec.positives).fill(1), ...Array<Label>(spec.negatives).fill(0)];
  return labels.map((label, i) => {
    const latent = gaussian() + (label === 1 ? spec.separation / 2 : -spec.separation / 2);
    let score = 1 / (1 + Math.exp(-latent));
    if (spec.decimals !== undefined) score = Number(score.toFixed(spec.decimals));
    const prediction: Prediction = { id: `${spec.idPrefix ?? 'img'}-${String(i).padStart(4, '0')}`, label, score };
    if (spec.imagesPerPatient) prediction.patientId = `${label === 1 ? 'p' : 'n'}${Math.floor(i / spec.imagesPerPatient)}`;
    return prediction;
  });
}

/** The same images as `base`, rescored as by a model of a different strength (a second seed or architecture). */
export function rescored(base: readonly Prediction[], separation: number, seed: number, decimals?: number): Prediction[] {
  const positives = base.filter((p) => p.label === 1).length;
  const fresh = syntheticPredictions({ positives, negatives: base.length - positives, separation, seed, decimals });
  let nextPositive = 0;
  let nextNegative = positives;
  return base.map((p) => ({ ...p, score: fresh[p.label === 1 ? nextPositive++ : nextNegative++]!.score }));
}
