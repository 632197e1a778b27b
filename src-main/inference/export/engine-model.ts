// From the libtorch engine's model to an inference export: its SessionSpec model settings become the
// architecture (entangler names translated to the simulator's), and `parameters(true)` is already the weight map
// (the graphs read the engine's own names). The head's hidden width is read from the weights themselves.
import { AppError } from '../../ipc/index.ts';
import type { Entangler, Rotation } from '../../quantum/index.ts';
import type { NamedArray, SessionSpec } from '../../training/index.ts';
import type { ClassifierArchitecture } from './architecture.ts';
import { SUPPORTED_ENCODERS } from './architecture.ts';
import type { WeightMap } from './weights.ts';
import { weightMap } from './weights.ts';

const ENTANGLERS: Record<string, Entangler> = { CnotRing: 'cnot-ring', CnotChain: 'cnot-chain', CzRing: 'cz-ring' };
/** engine/session.h ModelSpec defaults, for settings the session spec leaves out. */
const ENGINE_DEFAULTS = { qubits: 8, layers: 3, rotation: 'Rot', entangler: 'CnotRing', reupload: false, dropout: 0.3 };

export function engineWeights(parameters: NamedArray[]): WeightMap {
  return weightMap(parameters);
}

export function engineArchitecture(spec: Pick<SessionSpec, 'model' | 'imageSize'>, weights: WeightMap, dropout = ENGINE_DEFAULTS.dropout, classNames?: string[]): ClassifierArchitecture {
  const { model } = spec;
  const encoder = SUPPORTED_ENCODERS.find((name) => name === model.encoder);
  if (!encoder) {
    throw new AppError('encoder-unsupported', `Encoder '${model.encoder}' cannot be exported for inference: export a ${SUPPORTED_ENCODERS.join(', ')} model.`);
  }
  const entangler = ENTANGLERS[model.entangler ?? ENGINE_DEFAULTS.entangler];
  if (model.quantumFusion && !entangler) throw new AppError('model-mismatch', `Unknown entangler '${model.entangler}' in the engine's model settings.`);
  const fc1 = weights.get('classifier.fc1.weight');
  if (!fc1) throw new AppError('model-mismatch', "The engine's weights have no classifier.fc1.weight: is this a classifier model?");
  return {
    encoder,
    imageSize: spec.imageSize,
    circuit: model.quantumFusion
      ? {
          qubits: model.qubits ?? ENGINE_DEFAULTS.qubits,
          layers: model.layers ?? ENGINE_DEFAULTS.layers,
          rotation: (model.rotation ?? ENGINE_DEFAULTS.rotation) as Rotation,
          entangler: entangler!,
          reupload: model.reupload ?? ENGINE_DEFAULTS.reupload,
        }
      : null,
    classifierHidden: fc1.shape[0]!,
    dropout,
    // Binary files keep their old shape; a graded model names its classes so reports can print them.
    ...(classNames && classNames.length > 2 ? { classNames } : {}),
  };
}
