// A trained model's weights as a name → float32 tensor map, named as the libtorch engine names them
// (encoder.blocks.*, classifier.*). Lookups check shapes, so a file from another architecture fails with a
// typed error naming the first tensor that does not fit.
import { AppError } from '../../ipc/index.ts';

export interface WeightTensor {
  shape: number[];
  values: Float32Array;
}

export type WeightMap = ReadonlyMap<string, WeightTensor>;

/** Builds a map from the engine's `parameters(true)` answer or any {name, shape, values} list. */
export function weightMap(entries: Iterable<{ name: string; shape: readonly number[]; values: ArrayLike<number> }>): WeightMap {
  const map = new Map<string, WeightTensor>();
  for (const { name, shape, values } of entries) {
    map.set(name, { shape: [...shape], values: values instanceof Float32Array ? values : Float32Array.from(values) });
  }
  return map;
}

/** The tensor `name`, which must have exactly `shape`. */
export function takeWeight(weights: WeightMap, name: string, shape: readonly number[]): Float32Array {
  const tensor = weights.get(name);
  if (!tensor) {
    throw new AppError('model-mismatch', `The model's weights have no tensor '${name}': the file was written for another architecture. Export it again from a model of this configuration.`, { name });
  }
  if (tensor.shape.length !== shape.length || tensor.shape.some((d, i) => d !== shape[i])) {
    throw new AppError('model-mismatch', `The model's tensor '${name}' has shape [${tensor.shape}], expected [${shape}]: the file was written for another architecture.`, { name, shape: tensor.shape, expected: shape });
  }
  return tensor.values;
}

export function hasWeight(weights: WeightMap, name: string): boolean {
  return weights.has(name);
}
