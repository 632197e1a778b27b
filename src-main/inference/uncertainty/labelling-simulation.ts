// A simulated labelling loop on P-ADSD: the labelled training split plays the unlabelled pool (its labels hidden
// until an item is "labelled"), a model is trained on the labels so far, and each round adds a batch chosen either
// by the app's ranking (uncertain and diverse: rankForLabelling over the model's scores and encoder features) or
// at random; test AUC is measured after every round. Same seeds, same budgets, same training for both strategies.
import type { ImageSet } from '../../training/index.ts';
import { loadEngine, type EngineAddon, type SessionSpec } from '../../training/index.ts';
import { rocAuc } from '../../training/index.ts';
import { seededRandom, shuffleInPlace } from '../../random/index.ts';
import { rankForLabelling } from './label-next.ts';

export interface SimulationOptions {
  pool: ImageSet;
  test: ImageSet;
  imageSize: number;
  encoder: string;
  seeds: number[];
  startLabels: number;
  perRound: number;
  rounds: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** The ranking's candidates: this many × perRound of the most uncertain items. */
  candidateFactor: number;
}

export interface SimulationResult {
  /** Test AUC per seed with the starting labels only (shared by both strategies). */
  start: number[];
  /** Per round: labels so far → test AUC per seed, per strategy. */
  ranked: { labels: number; auc: number[] }[];
  random: { labels: number; auc: number[] }[];
}

interface Trained {
  testScores: Float32Array;
  poolScores: Float32Array;
  poolFeatures: Float32Array;
  featureDim: number;
}

function subset(set: ImageSet, indices: readonly number[], size: number): { pixels: Uint8Array; labels: Int32Array } {
  const plane = size * size;
  const pixels = new Uint8Array(indices.length * plane);
  indices.forEach((index, i) => pixels.set(set.pixels.subarray(index * plane, (index + 1) * plane), i * plane));
  return { pixels, labels: Int32Array.from(indices, (index) => set.labels![index]!) };
}

async function train(engine: EngineAddon, options: SimulationOptions, labelled: readonly number[], seed: number, withPool: boolean): Promise<Trained> {
  const spec: SessionSpec = { model: { encoder: options.encoder, quantumFusion: false }, augment: { mean: 0.5, std: 0.25 }, imageSize: options.imageSize, seed, threads: 2, deterministic: true };
  const session = new engine.TrainingSession(spec);
  const chosen = subset(options.pool, labelled, options.imageSize);
  session.setImages('train', chosen.pixels, chosen.labels, options.imageSize);
  session.setImages('test', options.test.pixels, options.test.labels, options.imageSize);
  const steps = Math.ceil(labelled.length / options.batchSize) * options.epochs;
  session.configureStage({ kind: 'supervised', imageSet: 'train', learningRate: options.learningRate, weightDecay: 1e-4, totalSteps: steps, warmupSteps: 0 });
  const random = seededRandom(seed * 7919 + labelled.length);
  for (let step = 0; step < steps; step++) {
    const batch = Int32Array.from({ length: Math.min(options.batchSize, labelled.length) }, () => random.below(labelled.length));
    await session.step(batch);
  }
  const testScores = await session.predict('test');
  if (!withPool) return { testScores, poolScores: new Float32Array(0), poolFeatures: new Float32Array(0), featureDim: 0 };
  session.setImages('pool', options.pool.pixels, null, options.imageSize);
  return { testScores, poolScores: await session.predict('pool'), poolFeatures: await session.embed('pool'), featureDim: session.featureDim() };
}

function rankedBatch(trained: Trained, labelled: readonly number[], options: SimulationOptions): number[] {
  const taken = new Set(labelled);
  const uncertainty = (p: number) => 1 - Math.abs(2 * p - 1);
  const candidates = Array.from(trained.poolScores, (p, index) => ({ index, u: uncertainty(p) }))
    .filter((c) => !taken.has(c.index))
    .sort((a, b) => b.u - a.u || a.index - b.index)
    .slice(0, options.candidateFactor * options.perRound);
  const dim = trained.featureDim;
  const features = new Float32Array(candidates.length * dim);
  candidates.forEach((c, i) => features.set(trained.poolFeatures.subarray(c.index * dim, (c.index + 1) * dim), i * dim));
  const labelledFeatures = new Float32Array(labelled.length * dim);
  labelled.forEach((index, i) => labelledFeatures.set(trained.poolFeatures.subarray(index * dim, (index + 1) * dim), i * dim));
  return rankForLabelling({ uncertainty: candidates.map((c) => c.u), meanProbability: candidates.map((c) => trained.poolScores[c.index]!), features, featureDim: dim, labelledFeatures, count: options.perRound }).map((pick) => candidates[pick.index]!.index);
}

function randomBatch(labelled: readonly number[], poolSize: number, count: number, seed: number): number[] {
  const taken = new Set(labelled);
  const free = Array.from({ length: poolSize }, (_, i) => i).filter((i) => !taken.has(i));
  return shuffleInPlace(free, seededRandom(seed)).slice(0, count);
}

export async function simulateLabelling(options: SimulationOptions, engine: EngineAddon = loadEngine()): Promise<SimulationResult> {
  const testLabels = options.test.labels!;
  const result: SimulationResult = { start: [], ranked: [], random: [] };
  for (let round = 1; round <= options.rounds; round++) {
    const labels = options.startLabels + round * options.perRound;
    result.ranked.push({ labels, auc: [] });
    result.random.push({ labels, auc: [] });
  }
  for (const seed of options.seeds) {
    const start = randomBatch([], options.pool.count, options.startLabels, seed);
    // Training is deterministic per (labelled set, seed): the model after round r is the model that ranks round r + 1.
    const startModel = await train(engine, options, start, seed, true);
    result.start.push(rocAuc(startModel.testScores, testLabels));
    for (const strategy of ['ranked', 'random'] as const) {
      let labelled = [...start];
      let model = startModel;
      for (let round = 1; round <= options.rounds; round++) {
        const batch = strategy === 'ranked' ? rankedBatch(model, labelled, options) : randomBatch(labelled, options.pool.count, options.perRound, seed * 1000 + round);
        labelled = [...labelled, ...batch];
        model = await train(engine, options, labelled, seed, strategy === 'ranked' && round < options.rounds);
        result[strategy][round - 1]!.auc.push(rocAuc(model.testScores, testLabels));
      }
    }
  }
  return result;
}

export const meanOf = (values: readonly number[]): number => values.reduce((n, v) => n + v, 0) / values.length;
