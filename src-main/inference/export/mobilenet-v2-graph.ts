// MobileNetV2 (width 1.0, 1-channel stem) as ONNX nodes, from the engine's weights (engine/encoders.cc): each
// Conv+BatchNorm folded into one Conv, ReLU6 as Clip(0, 6), depthwise convs as grouped Conv, inverted residuals
// as Add. Strides come from the architecture table (weights do not carry them); every tensor's shape is checked.
import type { GraphBuilder } from '../onnx/graph-builder.ts';
import type { ConvShape } from './conv-layers.ts';
import { addFoldedConv, addPooledFeatures } from './conv-layers.ts';
import type { WeightMap } from './weights.ts';

/** (expansion, output channels, repeats, first stride), as torchvision and the engine. */
export const MOBILENET_V2_STAGES: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];
export const MOBILENET_V2_FEATURES = 1280;

/** Appends the encoder to `g`, reading `<prefix>.blocks.*`; returns the name of the pooled features (batch × 1280). */
export function addMobileNetV2(g: GraphBuilder, weights: WeightMap, image: string, prefix = 'encoder'): string {
  const zero = g.constant('relu6_min', 0);
  const six = g.constant('relu6_max', 6);
  const conv = (x: string, shape: ConvShape, convName: string, bnName: string, relu6: boolean): string => {
    const y = addFoldedConv(g, weights, x, shape, convName, bnName);
    return relu6 ? g.op('Clip', [y, zero, six]) : y;
  };
  const blocks = `${prefix}.blocks`;
  let x = conv(image, { in: 1, out: 32, kernel: 3, stride: 2, groups: 1 }, `${blocks}.0.0`, `${blocks}.0.1`, true);
  let channels = 32;
  let index = 1;
  for (const [expand, out, repeats, firstStride] of MOBILENET_V2_STAGES) {
    for (let r = 0; r < repeats; r++) {
      const stride = r === 0 ? firstStride : 1;
      const hidden = channels * expand;
      const seq = `${blocks}.${index}.conv`;
      let y = x;
      let layer = 0;
      if (expand !== 1) {
        y = conv(y, { in: channels, out: hidden, kernel: 1, stride: 1, groups: 1 }, `${seq}.0.0`, `${seq}.0.1`, true);
        layer = 1;
      }
      y = conv(y, { in: hidden, out: hidden, kernel: 3, stride, groups: hidden }, `${seq}.${layer}.0`, `${seq}.${layer}.1`, true);
      y = conv(y, { in: hidden, out, kernel: 1, stride: 1, groups: 1 }, `${seq}.${layer + 1}`, `${seq}.${layer + 2}`, false);
      x = stride === 1 && channels === out ? g.op('Add', [x, y]) : y;
      channels = out;
      index++;
    }
  }
  x = conv(x, { in: channels, out: MOBILENET_V2_FEATURES, kernel: 1, stride: 1, groups: 1 }, `${blocks}.${index}.0`, `${blocks}.${index}.1`, true);
  return addPooledFeatures(g, x);
}
