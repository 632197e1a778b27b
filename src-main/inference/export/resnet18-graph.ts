// ResNet18 (1-channel 7×7 stem) as ONNX nodes, from the engine's weights (engine/encoders.cc ResNet18): stem
// conv + ReLU + 3×3 max-pool, then eight basic blocks whose sum with the (projected) shortcut passes a ReLU.
import type { GraphBuilder } from '../onnx/graph-builder.ts';
import type { ConvShape } from './conv-layers.ts';
import { addFoldedConv, addMaxPool, addPooledFeatures } from './conv-layers.ts';
import type { WeightMap } from './weights.ts';

/** Output channels of the four stages, two basic blocks each; every stage but the first halves the side. */
export const RESNET18_STAGES = [64, 128, 256, 512] as const;
export const RESNET18_FEATURES = 512;

/** Appends the encoder to `g`, reading `<prefix>.blocks.*`; returns the name of the pooled features (batch × 512). */
export function addResNet18(g: GraphBuilder, weights: WeightMap, image: string, prefix = 'encoder'): string {
  const blocks = `${prefix}.blocks`;
  const conv = (x: string, shape: ConvShape, name: string): string => addFoldedConv(g, weights, x, shape, `${name}.0`, `${name}.1`);
  const stem = g.op('Relu', [conv(image, { in: 1, out: 64, kernel: 7, stride: 2, groups: 1 }, `${blocks}.0`)]);
  let x = addMaxPool(g, stem, 3, 2, 1);
  let channels = 64;
  let index = 1;
  for (const out of RESNET18_STAGES) {
    for (const stride of [out === 64 ? 1 : 2, 1]) {
      const block = `${blocks}.${index}`;
      const first = g.op('Relu', [conv(x, { in: channels, out, kernel: 3, stride, groups: 1 }, `${block}.body.0`)]);
      const body = conv(first, { in: out, out, kernel: 3, stride: 1, groups: 1 }, `${block}.body.1`);
      // The engine projects the shortcut exactly when the shape changes (stride or width).
      const shortcut = stride !== 1 || channels !== out ? conv(x, { in: channels, out, kernel: 1, stride, groups: 1 }, `${block}.shortcut`) : x;
      x = g.op('Relu', [g.op('Add', [body, shortcut])]);
      channels = out;
      index++;
    }
  }
  return addPooledFeatures(g, x);
}
