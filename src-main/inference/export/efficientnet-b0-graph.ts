// EfficientNet-B0 (1-channel stem, no stochastic depth) as ONNX nodes, from the engine's weights
// (engine/encoders.cc EfficientNetB0): MBConv blocks with BatchNorm folded into each conv, SiLU as x·σ(x) (opset 17
// has no SiLU op), squeeze-excitation as pool → conv → SiLU → conv → σ → Mul, residuals as Add.
import type { GraphBuilder } from '../onnx/graph-builder.ts';
import type { ConvShape } from './conv-layers.ts';
import { addBiasedConv, addFoldedConv, addPooledFeatures } from './conv-layers.ts';
import type { WeightMap } from './weights.ts';

/** (expansion, kernel, first stride, output channels, repeats), as torchvision and the engine. */
export const EFFICIENTNET_B0_STAGES: readonly (readonly [number, number, number, number, number])[] = [
  [1, 3, 1, 16, 1], [6, 3, 2, 24, 2], [6, 5, 2, 40, 2], [6, 3, 2, 80, 3], [6, 5, 1, 112, 3], [6, 5, 2, 192, 4], [6, 3, 1, 320, 1],
];
export const EFFICIENTNET_B0_FEATURES = 1280;

const pointwise = (input: number, out: number): ConvShape => ({ in: input, out, kernel: 1, stride: 1, groups: 1 });

/** Appends the encoder to `g`, reading `<prefix>.blocks.*`; returns the name of the pooled features (batch × 1280). */
export function addEfficientNetB0(g: GraphBuilder, weights: WeightMap, image: string, prefix = 'encoder'): string {
  const silu = (x: string): string => g.op('Mul', [x, g.op('Sigmoid', [x])]);
  const conv = (x: string, shape: ConvShape, name: string): string => addFoldedConv(g, weights, x, shape, `${name}.0`, `${name}.1`);
  const squeezeExcite = (x: string, channels: number, squeezed: number, name: string): string => {
    const pooled = g.op('GlobalAveragePool', [x]);
    const reduced = silu(addBiasedConv(g, weights, pooled, pointwise(channels, squeezed), `${name}.reduce`));
    const scale = g.op('Sigmoid', [addBiasedConv(g, weights, reduced, pointwise(squeezed, channels), `${name}.expand`)]);
    return g.op('Mul', [x, scale]);
  };
  const blocks = `${prefix}.blocks`;
  let x = silu(conv(image, { in: 1, out: 32, kernel: 3, stride: 2, groups: 1 }, `${blocks}.0`));
  let channels = 32;
  let index = 1;
  for (const [expand, kernel, firstStride, out, repeats] of EFFICIENTNET_B0_STAGES) {
    for (let r = 0; r < repeats; r++) {
      const stride = r === 0 ? firstStride : 1;
      const hidden = channels * expand;
      const seq = `${blocks}.${index}.conv`;
      let y = x;
      let layer = 0;
      if (expand !== 1) y = silu(conv(y, pointwise(channels, hidden), `${seq}.${layer++}`));
      y = silu(conv(y, { in: hidden, out: hidden, kernel, stride, groups: hidden }, `${seq}.${layer++}`));
      // The engine squeezes to a quarter of the block's input width, not of the expanded width.
      y = squeezeExcite(y, hidden, Math.max(1, Math.floor(channels / 4)), `${seq}.${layer++}`);
      y = conv(y, pointwise(hidden, out), `${seq}.${layer}`);
      x = stride === 1 && channels === out ? g.op('Add', [x, y]) : y;
      channels = out;
      index++;
    }
  }
  x = silu(conv(x, pointwise(channels, EFFICIENTNET_B0_FEATURES), `${blocks}.${index}`));
  return addPooledFeatures(g, x);
}
