// Adebayo et al.'s model-randomisation test needs copies of a trained model with some layers back at their
// initial distribution. This redraws named layers of an engine weight map exactly as the engine initialises them
// (engine/encoders.cc, heads.cc, quantum_layer.cc), seeded, so the copy exports and runs like any model file.
import { seededRandom } from '../../../random/seeded-random.ts';
import type { WeightMap, WeightTensor } from '../../export/weights.ts';

/** One unit of randomisation: a label for reports and the weight-name prefixes it owns. */
export interface LayerGroup {
  label: string;
  prefixes: string[];
}

const HEAD_FROM_TOP: LayerGroup[] = [
  { label: 'logits (classifier.fc2)', prefixes: ['classifier.fc2'] },
  { label: 'hidden (classifier.fc1 + bn)', prefixes: ['classifier.fc1', 'classifier.bn'] },
  { label: 'quantum fusion', prefixes: ['classifier.fusion'] },
];

const owns = (prefix: string, name: string) => name === prefix || name.startsWith(`${prefix}.`);

/** The classifier's layers from the output down, then the encoder's blocks from the last to the first. */
export function layersFromTop(weights: WeightMap): LayerGroup[] {
  const names = [...weights.keys()];
  const head = HEAD_FROM_TOP.filter((group) => names.some((name) => group.prefixes.some((p) => owns(p, name))));
  const blocks = [...new Set(names.flatMap((name) => /^encoder\.blocks\.(\d+)\./.exec(name)?.[1] ?? []).map(Number))].sort((a, b) => b - a);
  return [...head, ...blocks.map((b) => ({ label: `encoder block ${b}`, prefixes: [`encoder.blocks.${b}`] }))];
}

interface Draw {
  uniform(low: number, high: number): number;
  normal(std: number): number;
}

function draws(seed: number): Draw {
  const random = seededRandom(seed);
  const uniform = (low: number, high: number) => low + (high - low) * random.next();
  // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
  const normal = (std: number) => std * Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  return { uniform, normal };
}

function fill(shape: number[], value: (i: number) => number): WeightTensor {
  const values = new Float32Array(shape.reduce((n, d) => n * d, 1));
  for (let i = 0; i < values.length; i++) values[i] = value(i);
  return { shape: [...shape], values };
}

/** The tensor `name` as the engine's constructor leaves it; throws for a tensor it has no rule for. */
function initialTensor(name: string, tensor: WeightTensor, weights: WeightMap, draw: Draw): WeightTensor {
  const base = name.slice(0, name.lastIndexOf('.'));
  const leaf = name.slice(base.length + 1);
  const { shape } = tensor;
  if (weights.has(`${base}.running_var`)) {
    // BatchNorm starts as the identity: γ = 1, β = 0, running statistics of a unit normal.
    const initial: Record<string, number> = { weight: 1, bias: 0, running_mean: 0, running_var: 1, num_batches_tracked: 0 };
    if (leaf in initial) return fill(shape, () => initial[leaf]!);
  }
  const weight = weights.get(`${base}.weight`);
  if (weight?.shape.length === 4) {
    // He-normal convolutions (fan-out, ReLU gain), zero biases.
    const fanOut = weight.shape[0]! * weight.shape[2]! * weight.shape[3]!;
    if (leaf === 'weight') return fill(shape, () => draw.normal(Math.sqrt(2 / fanOut)));
    if (leaf === 'bias') return fill(shape, () => 0);
  }
  if (weight?.shape.length === 2 && (leaf === 'weight' || leaf === 'bias')) {
    // torch's default Linear: weight and bias uniform in ±1/√fan_in.
    const bound = 1 / Math.sqrt(weight.shape[1]!);
    return fill(shape, () => draw.uniform(-bound, bound));
  }
  if (name.endsWith('quantum.weights')) return fill(shape, () => draw.uniform(0, 2 * Math.PI));
  throw new Error(`no initialisation rule for '${name}' (shape [${shape}]): add the engine's rule before randomising this layer`);
}

/** FNV-1a over a layer's prefixes: each layer draws its own stream, the same whichever layers join it. */
function layerSeed(seed: number, group: LayerGroup): number {
  let hash = 0x811c9dc5 ^ seed;
  for (const char of group.prefixes.join('|')) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash >>> 0;
}

/**
 * A copy of `weights` with every tensor under `groups` redrawn from its initial distribution; the rest shared.
 * A layer gets the same random weights in every call with the same seed, so a cascade adds layers to a fixed draw.
 */
export function randomiseLayers(weights: WeightMap, groups: LayerGroup[], seed: number): WeightMap {
  const out = new Map(weights);
  for (const group of groups) {
    const draw = draws(layerSeed(seed, group));
    const names = [...weights.keys()].filter((name) => group.prefixes.some((p) => owns(p, name)));
    if (names.length === 0) throw new Error(`no weights under ${group.prefixes.join(', ')}: the layer '${group.label}' is not in this model`);
    for (const name of names) out.set(name, initialTensor(name, weights.get(name)!, weights, draw));
  }
  return out;
}
