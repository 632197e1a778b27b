// What an exported classifier is made of, as far as inference needs to know: the encoder family, the input size,
// the quantum circuit between compression and fusion (null for a classical head) and the head's sizes.
import type { CircuitSpec } from '../../quantum/index.ts';

/** Every encoder the engine trains (engine/encoders.cc); encoder-graphs.ts holds an ONNX writer for each. */
export const SUPPORTED_ENCODERS = ['mobilenet_v2', 'resnet18', 'efficientnet_b0', 'simple_cnn'] as const;
export type EncoderName = (typeof SUPPORTED_ENCODERS)[number];

export interface ClassifierArchitecture {
  encoder: EncoderName;
  /** Side of the square, preprocessed input patch in pixels (the engine's SessionSpec.imageSize). */
  imageSize: number;
  /** The quantum layer between u = π·tanh(W_q h + b_q) and h̃ = h + α·W_r·q; null: h goes straight to the head. */
  circuit: CircuitSpec | null;
  classifierHidden: number;
  /** Dropout probability before the last linear layer (identity at inference, used by MC dropout). */
  dropout: number;
  /** Class names in output order (class 0: no stenosis); absent in binary files written before graded class lists. */
  classNames?: string[];
}

export const BINARY_CLASS_NAMES = ['no stenosis', 'stenosis'];

export function classCountOf(architecture: Pick<ClassifierArchitecture, 'classNames'>): number {
  return architecture.classNames?.length ?? BINARY_CLASS_NAMES.length;
}
