// The SimpleCNN baseline as ONNX nodes, from the engine's weights (engine/encoders.cc SimpleCnn): three blocks of
// 3×3 conv (BatchNorm folded) + ReLU + 2×2 max-pool, then global average pooling.
import type { GraphBuilder } from '../onnx/graph-builder.ts';
import { addFoldedConv, addMaxPool, addPooledFeatures } from './conv-layers.ts';
import type { WeightMap } from './weights.ts';

export const SIMPLE_CNN_CHANNELS = [32, 64, 128] as const;
export const SIMPLE_CNN_FEATURES = 128;

/** Appends the encoder to `g`, reading `<prefix>.blocks.*`; returns the name of the pooled features (batch × 128). */
export function addSimpleCnn(g: GraphBuilder, weights: WeightMap, image: string, prefix = 'encoder'): string {
  let x = image;
  let channels = 1;
  SIMPLE_CNN_CHANNELS.forEach((out, index) => {
    const block = `${prefix}.blocks.${index}`;
    const y = addFoldedConv(g, weights, x, { in: channels, out, kernel: 3, stride: 1, groups: 1 }, `${block}.0`, `${block}.1`);
    x = addMaxPool(g, g.op('Relu', [y]), 2, 2, 0);
    channels = out;
  });
  return addPooledFeatures(g, x);
}
