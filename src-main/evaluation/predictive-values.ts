// Positive and negative predictive values: as observed on the test set, and re-weighted by Bayes' rule to a
// stated prevalence, since a 50/50 test set says little about PPV in a catheter lab's actual referral mix.
import { AppError } from '../ipc/index.ts';
import type { ConfusionMatrix } from './confusion-matrix.ts';

export interface PredictiveValues {
  /** P(stenosis | called positive); NaN when nothing is called positive. */
  ppv: number;
  /** P(no stenosis | called negative); NaN when nothing is called negative. */
  npv: number;
}

export function observedPredictiveValues(m: ConfusionMatrix): PredictiveValues {
  const calledPositive = m.truePositives + m.falsePositives;
  const calledNegative = m.trueNegatives + m.falseNegatives;
  return {
    ppv: calledPositive === 0 ? Number.NaN : m.truePositives / calledPositive,
    npv: calledNegative === 0 ? Number.NaN : m.trueNegatives / calledNegative,
  };
}

export function predictiveValuesAtPrevalence(sensitivity: number, specificity: number, prevalence: number): PredictiveValues {
  if (!(prevalence > 0 && prevalence < 1)) {
    throw new AppError('evaluation-bad-prevalence', `Prevalence ${prevalence} is outside (0, 1). Give the expected fraction of patients with stenosis, e.g. 0.3.`);
  }
  const truePositiveMass = sensitivity * prevalence;
  const falsePositiveMass = (1 - specificity) * (1 - prevalence);
  const trueNegativeMass = specificity * (1 - prevalence);
  const falseNegativeMass = (1 - sensitivity) * prevalence;
  const share = (part: number, other: number) => (part + other === 0 ? Number.NaN : part / (part + other));
  return { ppv: share(truePositiveMass, falsePositiveMass), npv: share(trueNegativeMass, falseNegativeMass) };
}
