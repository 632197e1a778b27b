// Which ONNX writer builds each exportable encoder and how wide its pooled features are: one row per encoder,
// typed by EncoderName so adding a name to SUPPORTED_ENCODERS without a writer fails to compile.
import type { GraphBuilder } from '../onnx/graph-builder.ts';
import type { EncoderName } from './architecture.ts';
import { EFFICIENTNET_B0_FEATURES, addEfficientNetB0 } from './efficientnet-b0-graph.ts';
import { MOBILENET_V2_FEATURES, addMobileNetV2 } from './mobilenet-v2-graph.ts';
import { RESNET18_FEATURES, addResNet18 } from './resnet18-graph.ts';
import { SIMPLE_CNN_FEATURES, addSimpleCnn } from './simple-cnn-graph.ts';
import type { WeightMap } from './weights.ts';

export interface EncoderGraph {
  /** Width of h, the pooled features. */
  features: number;
  /** Appends the encoder reading `encoder.blocks.*`; returns the name of h (batch × features). */
  add: (g: GraphBuilder, weights: WeightMap, image: string) => string;
}

export const ENCODER_GRAPHS: Readonly<Record<EncoderName, EncoderGraph>> = {
  mobilenet_v2: { features: MOBILENET_V2_FEATURES, add: addMobileNetV2 },
  resnet18: { features: RESNET18_FEATURES, add: addResNet18 },
  efficientnet_b0: { features: EFFICIENTNET_B0_FEATURES, add: addEfficientNetB0 },
  simple_cnn: { features: SIMPLE_CNN_FEATURES, add: addSimpleCnn },
};
