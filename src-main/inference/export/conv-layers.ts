// The engine's convolution building blocks as ONNX nodes (engine/encoders.cc ConvBnAct and the biased convs of
// squeeze-excitation): BatchNorm folded into the Conv, 'same' padding as the engine pads (kernel / 2), shapes checked.
import type { GraphBuilder } from '../onnx/graph-builder.ts';
import { foldBatchNorm } from './batch-norm-folding.ts';
import type { WeightMap } from './weights.ts';
import { takeWeight } from './weights.ts';

export interface ConvShape {
  in: number;
  out: number;
  kernel: number;
  stride: number;
  groups: number;
}

function addConv(g: GraphBuilder, x: string, shape: ConvShape, name: string, weight: Float32Array, bias: Float32Array): string {
  const w = g.initializer(`${name}.weight`, [shape.out, shape.in / shape.groups, shape.kernel, shape.kernel], weight);
  const b = g.initializer(`${name}.bias`, [shape.out], bias);
  const pad = shape.kernel >> 1;
  return g.op('Conv', [x, w, b], {
    kernel_shape: { ints: [shape.kernel, shape.kernel] },
    strides: { ints: [shape.stride, shape.stride] },
    pads: { ints: [pad, pad, pad, pad] },
    group: { int: shape.groups },
  });
}

/** A bias-free conv `convName` followed by the eval-mode BatchNorm `bnName`, as one Conv (no activation). */
export function addFoldedConv(g: GraphBuilder, weights: WeightMap, x: string, shape: ConvShape, convName: string, bnName: string): string {
  const raw = takeWeight(weights, `${convName}.weight`, [shape.out, shape.in / shape.groups, shape.kernel, shape.kernel]);
  const folded = foldBatchNorm(weights, raw, null, shape.out, bnName);
  return addConv(g, x, shape, convName, folded.weight, folded.bias);
}

/** A conv with its own bias and no BatchNorm (squeeze-excitation's reduce and expand). */
export function addBiasedConv(g: GraphBuilder, weights: WeightMap, x: string, shape: ConvShape, convName: string): string {
  const weight = takeWeight(weights, `${convName}.weight`, [shape.out, shape.in / shape.groups, shape.kernel, shape.kernel]);
  return addConv(g, x, shape, convName, weight, takeWeight(weights, `${convName}.bias`, [shape.out]));
}

/** The engine's EncoderImpl::forward ending: adaptive average pooling to 1 × 1, flattened to batch × channels. */
export function addPooledFeatures(g: GraphBuilder, x: string): string {
  return g.op('Flatten', [g.op('GlobalAveragePool', [x])], { axis: { int: 1 } });
}

/** torch's MaxPool2d(kernel, stride, padding), padding with −∞ and rounding down as torch does. */
export function addMaxPool(g: GraphBuilder, x: string, kernel: number, stride: number, pad: number): string {
  return g.op('MaxPool', [x], { kernel_shape: { ints: [kernel, kernel] }, strides: { ints: [stride, stride] }, pads: { ints: [pad, pad, pad, pad] } });
}
