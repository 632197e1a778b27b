// The classical parts of the classifier as two ONNX graphs around the quantum layer:
//   encoder graph: image (batch × 1 × S × S) → h (batch × F) and, with fusion, u = π·tanh(W_q h + b_q) (batch × Q);
//   head graph:    h, q → h̃ = h + α·W_r·q → fc1 (BatchNorm folded) → ReLU → dropout → fc2 → logits, softmax.
// The MC-dropout variant takes the dropout mask as an input (keep/(1−p) or 0 per hidden unit), so sampling stays
// seeded and reproducible in TypeScript rather than hidden in the runtime's generator.
import { AppError } from '../../ipc/index.ts';
import { GraphBuilder } from '../onnx/graph-builder.ts';
import type { ClassifierArchitecture } from './architecture.ts';
import { classCountOf } from './architecture.ts';
import { foldBatchNorm } from './batch-norm-folding.ts';
import { ENCODER_GRAPHS, type EncoderGraph } from './encoder-graphs.ts';
import type { WeightMap } from './weights.ts';
import { takeWeight } from './weights.ts';

/** Value names the runtime binds; part of the exported format. */
export const GRAPH_NAMES = {
  image: 'image',
  features: 'h',
  angles: 'u',
  expectations: 'q',
  dropoutKeep: 'dropout_keep',
  logits: 'logits',
  probabilities: 'probabilities',
} as const;

/** The writer for the architecture's encoder; a model file's manifest may name one this version does not know. */
function encoderGraph(architecture: ClassifierArchitecture): EncoderGraph {
  const graph = Object.hasOwn(ENCODER_GRAPHS, architecture.encoder) ? ENCODER_GRAPHS[architecture.encoder] : undefined;
  if (!graph) {
    throw new AppError('encoder-unsupported', `Encoder '${architecture.encoder}' has no ONNX writer in this version: export a ${Object.keys(ENCODER_GRAPHS).join(', ')} model.`);
  }
  return graph;
}

export function featureDim(architecture: ClassifierArchitecture): number {
  return encoderGraph(architecture).features;
}

/** y = x·Wᵀ + b with torch's [out, in] weight layout (Gemm transB). */
function linear(g: GraphBuilder, x: string, name: string, weight: Float32Array, bias: Float32Array | null, out: number, inDim: number): string {
  const w = g.initializer(`${name}.weight`, [out, inDim], weight);
  const inputs = bias ? [x, w, g.initializer(`${name}.bias`, [out], bias)] : [x, w];
  return g.op('Gemm', inputs, { transB: { int: 1 } });
}

export function buildEncoderGraph(weights: WeightMap, architecture: ClassifierArchitecture): Uint8Array {
  const encoder = encoderGraph(architecture);
  const F = encoder.features;
  const S = architecture.imageSize;
  const g = new GraphBuilder('angio_encoder');
  const image = g.input(GRAPH_NAMES.image, ['batch', 1, S, S]);
  const pooled = encoder.add(g, weights, image);
  const h = g.op('Identity', [pooled], {}, GRAPH_NAMES.features);
  g.output(h, ['batch', F]);
  const circuit = architecture.circuit;
  if (circuit) {
    const Q = circuit.qubits;
    const wq = takeWeight(weights, 'classifier.fusion.toAngles.weight', [Q, F]);
    const bq = takeWeight(weights, 'classifier.fusion.toAngles.bias', [Q]);
    const tanh = g.op('Tanh', [linear(g, h, 'classifier.fusion.toAngles', wq, bq, Q, F)]);
    // π·tanh keeps the angles in (−π, π): beyond that RY wraps and distinct features would alias.
    const u = g.op('Mul', [tanh, g.constant('pi', Math.PI)], {}, GRAPH_NAMES.angles);
    g.output(u, ['batch', Q]);
  }
  return g.encode({ part: 'encoder' });
}

export interface HeadGraphOptions {
  /** Adds the `dropout_keep` input (batch × hidden) multiplying the hidden layer: MC dropout. */
  dropoutMask?: boolean;
}

export function buildHeadGraph(weights: WeightMap, architecture: ClassifierArchitecture, options: HeadGraphOptions = {}): Uint8Array {
  const F = featureDim(architecture);
  const H = architecture.classifierHidden;
  const g = new GraphBuilder(options.dropoutMask ? 'angio_head_mc_dropout' : 'angio_head');
  const h = g.input(GRAPH_NAMES.features, ['batch', F]);
  let fused = h;
  const circuit = architecture.circuit;
  if (circuit) {
    const Q = circuit.qubits;
    const q = g.input(GRAPH_NAMES.expectations, ['batch', Q]);
    const wr = takeWeight(weights, 'classifier.fusion.fuse.weight', [F, Q]);
    const alpha = g.initializer('classifier.fusion.alpha', [1], takeWeight(weights, 'classifier.fusion.alpha', [1]));
    const injected = g.op('Mul', [linear(g, q, 'classifier.fusion.fuse', wr, null, F, Q), alpha]);
    fused = g.op('Add', [h, injected]);
  }
  const fc1 = foldBatchNorm(weights, takeWeight(weights, 'classifier.fc1.weight', [H, F]), takeWeight(weights, 'classifier.fc1.bias', [H]), H, 'classifier.bn');
  let hidden = g.op('Relu', [linear(g, fused, 'classifier.fc1', fc1.weight, fc1.bias, H, F)]);
  if (options.dropoutMask) hidden = g.op('Mul', [hidden, g.input(GRAPH_NAMES.dropoutKeep, ['batch', H])]);
  const CLASS_COUNT = classCountOf(architecture);
  const w2 = takeWeight(weights, 'classifier.fc2.weight', [CLASS_COUNT, H]);
  const b2 = takeWeight(weights, 'classifier.fc2.bias', [CLASS_COUNT]);
  const logits = g.op('Identity', [linear(g, hidden, 'classifier.fc2', w2, b2, CLASS_COUNT, H)], {}, GRAPH_NAMES.logits);
  g.output(logits, ['batch', CLASS_COUNT]);
  g.output(g.op('Softmax', [logits], { axis: { int: 1 } }, GRAPH_NAMES.probabilities), ['batch', CLASS_COUNT]);
  return g.encode({ part: options.dropoutMask ? 'head-mc-dropout' : 'head' });
}
