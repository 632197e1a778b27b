// Sanity checks for the occlusion maps as Adebayo et al. (2018, "Sanity Checks for Saliency Maps") define them, on
// a model trained for real on P-ADSD: re-initialising its layers (cascading from the top, and one at a time) and
// training it on permuted labels must change which pixels the map ranks high. Similarity is Spearman's rank
// correlation per image (signed and on magnitudes), averaged over test patches and checked against scipy.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { runPython } from '../../testing/python-oracle.ts';
import type { WeightMap } from '../export/weights.ts';
import type { ModelFile } from '../model-file/model-file.ts';
import type { GreyImage } from '../preprocess.ts';
import { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { labelledPatches } from '../testing/padsd.ts';
import { occlusionSaliency } from './occlusion.ts';
import { absoluteSpearman, spearman } from './rank-correlation.ts';
import { layersFromTop, randomiseLayers, type LayerGroup } from './testing/layer-randomisation.ts';
import { trainClassifier, type TrainedClassifier } from './testing/trained-classifier.ts';

const CONFIG = {
  method: 'supervised' as const,
  encoder: 'simple_cnn' as const,
  imageSize: 64,
  batchSize: 32,
  seed: 3,
  threads: 2,
  finetune: { epochs: 8, learningRate: 2e-3, patience: 8 },
};
const TRAIN_PER_CLASS = 200;
const TEST_IMAGES_PER_CLASS = 5;
const LABEL_PERMUTATION_SEED = 99;
const RETRAINING_SEED = 103;
const RANDOMISATION_SEED = 2018;
const LEARNED_VAL_AUC = 0.64;
const CHANCE_BAND = 0.1;
/**
 * Mean signed ρ that separates "the same learned evidence" from "changed": the same configuration retrained from
 * another seed must reach it, and every randomised model must stay below it.
 */
const SAME_EVIDENCE = 0.6;
/** With every layer re-initialised nothing learned is left: the signed map and its magnitudes must both have moved. */
const FULLY_RANDOM_SIGNED = 0.2;
const FULLY_RANDOM_MAGNITUDE = 0.4;

let trained: TrainedClassifier;
let permuted: TrainedClassifier;
let retrained: TrainedClassifier;
let images: GreyImage[];
let trainedMaps: Float32Array[];

async function mapsOf(file: ModelFile): Promise<Float32Array[]> {
  const runtime = await ClassifierRuntime.load(file);
  try {
    const maps: Float32Array[] = [];
    for (const image of images) maps.push((await occlusionSaliency(runtime, image)).modelValues);
    return maps;
  } finally {
    await runtime.release();
  }
}

interface Similarity {
  rho: number[];
  absRho: number[];
  meanRho: number;
  meanAbsRho: number;
}

function similarity(maps: Float32Array[]): Similarity {
  const rho = maps.map((map, i) => spearman(trainedMaps[i]!, map));
  const absRho = maps.map((map, i) => absoluteSpearman(trainedMaps[i]!, map));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return { rho, absRho, meanRho: mean(rho), meanAbsRho: mean(absRho) };
}

const SCIPY_SPEARMAN = `
import json, sys
import numpy as np
from scipy.stats import spearmanr
pairs = json.load(sys.stdin)
out = []
for a, b in pairs:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    out.append([float(spearmanr(a, b).statistic), float(spearmanr(np.abs(a), np.abs(b)).statistic)])
print(json.dumps(out))
`;

/** The TypeScript correlations of these maps against scipy.stats.spearmanr on the same values. */
function assertScipyAgrees(maps: Float32Array[], measured: Similarity): void {
  const expected = runPython<[number, number][]>(SCIPY_SPEARMAN, maps.map((map, i) => [Array.from(trainedMaps[i]!), Array.from(map)]));
  expected.forEach(([rho, absRho], i) => {
    assert.ok(Math.abs(rho - measured.rho[i]!) < 1e-9, `image ${i}: ρ ${measured.rho[i]} vs scipy ${rho}`);
    assert.ok(Math.abs(absRho - measured.absRho[i]!) < 1e-9, `image ${i}: |map| ρ ${measured.absRho[i]} vs scipy ${absRho}`);
  });
}

async function modelSimilarity(file: ModelFile): Promise<Similarity> {
  const maps = await mapsOf(file);
  const measured = similarity(maps);
  assertScipyAgrees(maps, measured);
  return measured;
}

const randomised = new Map<string, Promise<Similarity>>();
/** Each combination is measured once: the cascade's first step is also the top layer's independent test. */
function randomisedSimilarity(groups: LayerGroup[]): Promise<Similarity> {
  const key = groups.map((g) => g.label).join(' + ');
  if (!randomised.has(key)) randomised.set(key, measureRandomised(groups));
  return randomised.get(key)!;
}

async function measureRandomised(groups: LayerGroup[]): Promise<Similarity> {
  const weights: WeightMap = randomiseLayers(trained.weights, groups, RANDOMISATION_SEED);
  return modelSimilarity(await trained.exportWeights(weights, `randomised ${groups.map((g) => g.label).join(', ')}`));
}

const describe = (label: string, s: Similarity) =>
  `${label}: mean ρ ${s.meanRho.toFixed(3)} [${s.rho.map((r) => r.toFixed(2))}], mean ρ(|map|) ${s.meanAbsRho.toFixed(3)} [${s.absRho.map((r) => r.toFixed(2))}]`;

before(async () => {
  trained = await trainClassifier({ config: CONFIG, trainPerClass: TRAIN_PER_CLASS, permuteLabelsSeed: null });
  permuted = await trainClassifier({ config: CONFIG, trainPerClass: TRAIN_PER_CLASS, permuteLabelsSeed: LABEL_PERMUTATION_SEED });
  retrained = await trainClassifier({ config: { ...CONFIG, seed: RETRAINING_SEED }, trainPerClass: TRAIN_PER_CLASS, permuteLabelsSeed: null });
  images = labelledPatches('test', TEST_IMAGES_PER_CLASS).map((p) => p.image);
  trainedMaps = await mapsOf(trained.file);
}, { timeout: 600_000 });

test('the model under test learned: validation AUC well above chance, and its weights re-export to its own model file', async () => {
  console.log(`trained: val AUC ${trained.valAuc.toFixed(3)}, test AUC ${trained.testAuc.toFixed(3)}; retrained (seed ${RETRAINING_SEED}): val AUC ${retrained.valAuc.toFixed(3)}`);
  for (const [name, model] of [['trained', trained], ['retrained', retrained]] as const) {
    assert.ok(model.valAuc >= LEARNED_VAL_AUC, `${name} validation AUC ${model.valAuc.toFixed(3)} is below ${LEARNED_VAL_AUC}: too little learned for a sanity check`);
  }
  const again = await trained.exportWeights(trained.weights, 'unaltered');
  for (const part of Object.keys(trained.file.graphs) as (keyof typeof trained.file.graphs)[]) {
    assert.ok(Buffer.from(again.graphs[part]).equals(Buffer.from(trained.file.graphs[part])), `unaltered weights give the same ${part} graph as the run exported`);
  }
  assert.deepEqual(again.manifest.quantumWeights, trained.file.manifest.quantumWeights, 'and the same quantum weights');
  assert.equal(again.manifest.calibration?.temperature, trained.file.manifest.calibration?.temperature, 'and the same temperature');
  assert.ok(trainedMaps.every((map) => map.some((v) => v !== 0)), 'hiding parts of each patch moves the trained score');
});

test('the maps carry learned evidence: the same configuration retrained from another seed ranks pixels alike', async () => {
  const measured = await modelSimilarity(retrained.file);
  console.log(describe(`retrained (seed ${RETRAINING_SEED})`, measured));
  assert.ok(measured.meanRho >= SAME_EVIDENCE, `${describe('retrained', measured)} should reach ${SAME_EVIDENCE}`);
});

test('cascading randomisation from the logits down to the first block changes the map at every step', { timeout: 600_000 }, async () => {
  const layers = layersFromTop(trained.weights);
  const lines: string[] = [];
  let measured: Similarity | undefined;
  for (let depth = 1; depth <= layers.length; depth++) {
    measured = await randomisedSimilarity(layers.slice(0, depth));
    lines.push(describe(`through ${layers[depth - 1]!.label}`, measured));
    assert.ok(measured.meanRho < SAME_EVIDENCE, `${lines.at(-1)} should be below ${SAME_EVIDENCE}`);
  }
  console.log(lines.join('\n'));
  assert.ok(measured!.meanRho < FULLY_RANDOM_SIGNED, `fully re-initialised: mean ρ ${measured!.meanRho.toFixed(3)} should be below ${FULLY_RANDOM_SIGNED}`);
  assert.ok(measured!.meanAbsRho < FULLY_RANDOM_MAGNITUDE, `fully re-initialised: mean ρ(|map|) ${measured!.meanAbsRho.toFixed(3)} should be below ${FULLY_RANDOM_MAGNITUDE}`);
});

test('independent randomisation: re-initialising any single layer, the rest trained, changes the map', { timeout: 600_000 }, async () => {
  const lines: string[] = [];
  for (const layer of layersFromTop(trained.weights)) {
    const measured = await randomisedSimilarity([layer]);
    lines.push(describe(`only ${layer.label}`, measured));
    assert.ok(measured.meanRho < SAME_EVIDENCE, `${lines.at(-1)} should be below ${SAME_EVIDENCE}`);
  }
  console.log(lines.join('\n'));
});

test('data randomisation: a model trained on permuted labels scores at chance and maps differently', { timeout: 300_000 }, async () => {
  console.log(`permuted labels: val AUC ${permuted.valAuc.toFixed(3)}, test AUC ${permuted.testAuc.toFixed(3)}`);
  assert.ok(Math.abs(permuted.valAuc - 0.5) <= CHANCE_BAND, `validation AUC ${permuted.valAuc.toFixed(3)} on permuted labels should be within ${CHANCE_BAND} of 0.5`);
  const measured = await modelSimilarity(permuted.file);
  console.log(describe('permuted-label model', measured));
  assert.ok(measured.meanRho < SAME_EVIDENCE, `${describe('permuted-label model', measured)} should be below ${SAME_EVIDENCE}`);
});
