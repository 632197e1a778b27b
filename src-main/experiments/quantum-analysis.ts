// What the quantum layer does in each trained SSL-Quantum run, measured on the test split through the same inference
// path the app uses (the run's model exported to ONNX + the native simulator): the learned fusion weight α, each
// image's quantum contribution (score minus the score with every ⟨Z_q⟩ at its training mean), test AUC with the
// quantum path ablated that way, and per-qubit ⟨Z⟩ for images with and without stenosis.
import { qubitBoxes, type QubitBox } from '../evaluation/figures/index.ts';
import { ClassifierRuntime, decodeModelFile, engineArchitecture, engineWeights, exportClassifier, type GreyImage, type ImageReadout, readImages } from '../inference/index.ts';
import { type EngineAddon, type ImageSet, rocAuc, sessionSpecFor } from '../training/index.ts';
import { preprocessingSpec } from '../preprocessing/index.ts';
import type { PlannedRun } from './run-plan.ts';

export interface QuantumRunAnalysis {
  seed: number;
  alpha: number;
  aucWithQuantum: number;
  aucQuantumAblated: number;
  /** Per test image, in test order: the model's probability of stenosis and the quantum path's share of it. */
  scores: number[];
  contributions: number[];
  meanAbsContribution: number;
  /** Per qubit: mean ⟨Z⟩ over test images with and without stenosis. */
  zPositive: number[];
  zNegative: number[];
  /** Per qubit and class: quartiles, min and max of ⟨Z_q⟩ over the test images (Fig. 6). */
  zBoxes: QubitBox[];
}

/** The analysis without its per-image arrays: what metrics.json and the experiment record keep per seed. */
export function quantumSummary({ contributions: _contributions, scores: _scores, ...summary }: QuantumRunAnalysis): Omit<QuantumRunAnalysis, 'contributions' | 'scores'> {
  return summary;
}

function images(set: ImageSet, size: number): GreyImage[] {
  const plane = size * size;
  return Array.from({ length: set.count }, (_, i) => ({ width: size, height: size, pixels: set.pixels.subarray(i * plane, (i + 1) * plane) }));
}

const mean = (values: readonly number[]): number => (values.length ? values.reduce((n, v) => n + v, 0) / values.length : Number.NaN);

export async function analyseQuantumRun(engine: EngineAddon, planned: PlannedRun, modelPath: string, threshold: number, data: { train: ImageSet; test: ImageSet }): Promise<QuantumRunAnalysis> {
  const { config } = planned;
  const preprocessing = preprocessingSpec(config.imageSize, config.input);
  const session = new engine.TrainingSession(sessionSpecFor(config, preprocessing));
  await session.importModel(modelPath);
  const weights = engineWeights(session.parameters(true));
  const alpha = weights.get('classifier.fusion.alpha')?.values[0] ?? Number.NaN;
  const bytes = await exportClassifier({
    name: `${planned.label} seed ${planned.seed}`,
    weights,
    architecture: engineArchitecture(sessionSpecFor(config, preprocessing), weights),
    preprocessing,
    threshold: Math.min(0.999999, Math.max(1e-6, threshold)),
    trainingImages: images(data.train, config.imageSize),
  });
  const runtime = await ClassifierRuntime.load(decodeModelFile(bytes));
  try {
    return summariseQuantumReadouts(await readImages(runtime, images(data.test, config.imageSize)), data.test.labels as Int32Array, alpha, planned.seed);
  } finally {
    await runtime.release();
  }
}

/** The analysis from a quantum model's readouts of labelled images (readouts carry the ablated baseline and ⟨Z⟩). */
export function summariseQuantumReadouts(readouts: readonly ImageReadout[], labels: Int32Array, alpha: number, seed: number): QuantumRunAnalysis {
  const withQuantum = Float32Array.from(readouts, (r) => r.probability);
  const ablated = Float32Array.from(readouts, (r) => r.quantum?.baselineProbability ?? r.probability);
  const contributions = readouts.map((r) => r.quantum?.contribution ?? 0);
  const qubits = readouts[0]?.quantum?.expectations.length ?? 0;
  const zMean = (label: number) => Array.from({ length: qubits }, (_, k) => mean(readouts.filter((_, i) => labels[i] === label).map((r) => r.quantum!.expectations[k]!)));
  return {
    seed,
    alpha,
    aucWithQuantum: rocAuc(withQuantum, labels),
    aucQuantumAblated: rocAuc(ablated, labels),
    scores: Array.from(withQuantum),
    contributions,
    meanAbsContribution: mean(contributions.map(Math.abs)),
    zPositive: zMean(1),
    zNegative: zMean(0),
    zBoxes: qubitBoxes(readouts.flatMap((r) => (r.quantum ? [r.quantum.expectations] : [])), labels),
  };
}

export function quantumAnalysisMarkdown(label: string, analyses: readonly QuantumRunAnalysis[]): string {
  if (analyses.length === 0) return '';
  const f3 = (v: number) => v.toFixed(3);
  const lines = [
    '',
    `### Quantum analysis (${label}, test split)`,
    '',
    'Ablated: every ⟨Z_q⟩ replaced by its training-set mean, the rest of the model unchanged. Contribution: score − ablated score, per image.',
    '',
    '| Seed | α (learned) | AUC | AUC, quantum path ablated | Difference | Mean abs. contribution |',
    '| --- | --- | --- | --- | --- | --- |',
    ...analyses.map((a) => `| ${a.seed} | ${a.alpha.toFixed(4)} | ${f3(a.aucWithQuantum)} | ${f3(a.aucQuantumAblated)} | ${f3(a.aucWithQuantum - a.aucQuantumAblated)} | ${a.meanAbsContribution.toFixed(4)} |`),
    '',
    `Mean ⟨Z_q⟩ per qubit on test images with / without stenosis (seed ${analyses[0]!.seed}):`,
    '',
    `| Qubit | ${analyses[0]!.zPositive.map((_, k) => `q${k}`).join(' | ')} |`,
    `| --- | ${analyses[0]!.zPositive.map(() => '---').join(' | ')} |`,
    `| stenosis | ${analyses[0]!.zPositive.map(f3).join(' | ')} |`,
    `| no stenosis | ${analyses[0]!.zNegative.map(f3).join(' | ')} |`,
  ];
  return lines.join('\n') + '\n';
}
