// Temperature scaling (Guo et al., ICML 2017): one scalar T divides the logit, so P = σ(z / T). T is fitted on the
// validation split by minimising the negative log-likelihood; it never changes which image ranks above which, so
// AUC and every decision at a threshold moved the same way stay as they are.
import { AppError } from '../../ipc/index.ts';

/** 1/T is kept within [1/this, this]; see fitTemperature. */
const MAX_INVERSE_TEMPERATURE = 100;

/** Probabilities are clamped this far from 0 and 1 before the logit: float32 softmax outputs reach 0 and 1 exactly. */
const PROBABILITY_FLOOR = 1e-7;

export function logitOf(probability: number): number {
  const p = Math.min(1 - PROBABILITY_FLOOR, Math.max(PROBABILITY_FLOOR, probability));
  return Math.log(p / (1 - p));
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** P after temperature T, from the uncalibrated P (the model's softmax output). */
export function calibratedProbability(probability: number, temperature: number): number {
  return temperature === 1 ? probability : sigmoid(logitOf(probability) / temperature);
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Mean binary negative log-likelihood of labels under σ(z / T). */
export function meanNll(logits: ArrayLike<number>, labels: ArrayLike<number>, temperature = 1): number {
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = (logits[i] as number) / temperature;
    // −[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y z
    sum += softplus(z) - (labels[i] === 1 ? z : 0);
  }
  return sum / logits.length;
}

export interface TemperatureFit {
  temperature: number;
  nllBefore: number;
  nllAfter: number;
  images: number;
  /** Newton steps taken on s = 1/T (the NLL is convex in s). */
  iterations: number;
}

/**
 * The T minimising the mean NLL of `labels` under σ(z / T). Newton's method on s = 1/T, in which the NLL is a
 * logistic regression without intercept and so convex; a step that does not lower the NLL is halved.
 */
export function fitTemperature(logits: ArrayLike<number>, labels: ArrayLike<number>): TemperatureFit {
  const n = logits.length;
  if (n === 0 || n !== labels.length) throw new AppError('calibration-bad-input', `Temperature scaling needs one label per score; got ${n} scores and ${labels.length} labels.`);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] === 1 ? 1 : 0;
  if (positives === 0 || positives === n) throw new AppError('evaluation-one-class', 'The validation split holds only one class, so no temperature can be fitted. Rebuild the split with both classes.');
  const nll = (s: number) => meanNll(logits, labels, 1 / s);
  let s = 1;
  let current = nll(s);
  let iterations = 0;
  for (; iterations < 100; iterations++) {
    let gradient = 0;
    let curvature = 0;
    for (let i = 0; i < n; i++) {
      const z = logits[i] as number;
      const p = sigmoid(s * z);
      gradient += (p - (labels[i] === 1 ? 1 : 0)) * z;
      curvature += p * (1 - p) * z * z;
    }
    if (curvature <= 0) break;
    let step = gradient / curvature;
    let next = s - step;
    let value = next > 0 ? nll(next) : Infinity;
    while (value > current && Math.abs(step) > 1e-15) {
      step /= 2;
      next = s - step;
      value = next > 0 ? nll(next) : Infinity;
    }
    if (!(value <= current)) break;
    const moved = Math.abs(next - s);
    s = next;
    current = value;
    if (moved < 1e-12 * Math.max(1, Math.abs(s))) break;
  }
  // A model with almost no signal drives T towards infinity, where σ(z / T) rounds to 0.5 for every image and the
  // ranking (hence AUC and the saliency maps) would be lost to ties: T stays within [1/100, 100].
  const bounded = Math.min(MAX_INVERSE_TEMPERATURE, Math.max(1 / MAX_INVERSE_TEMPERATURE, s));
  const nllAfter = bounded === s ? current : nll(bounded);
  return { temperature: 1 / bounded, nllBefore: meanNll(logits, labels, 1), nllAfter, images: n, iterations };
}
