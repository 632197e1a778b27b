// The quantum layer between the two ONNX graphs: ⟨Z_q⟩ for a batch of angles, through the native simulator.
// Injected as a function so tests and benchmarks can count or replace it; float32 in and out at this boundary,
// float64 inside (as the engine's quantum layer).
import type { CircuitSpec } from '../../quantum/index.ts';
import { createSimulator } from '../../quantum/index.ts';

export type QuantumForward = (spec: CircuitSpec, angles: Float64Array, weights: Float64Array) => Promise<Float64Array>;

/** The addon's simulator; throws AppError('addon-unavailable') when the native build is missing. */
export function nativeQuantumForward(appRoot?: string, threads = 1): QuantumForward {
  const simulator = createSimulator(appRoot);
  return (spec, angles, weights) => simulator.forwardAsync(spec, angles, weights, { threads });
}

export async function expectationsFloat32(forward: QuantumForward, spec: CircuitSpec, angles: Float32Array, weights: Float64Array): Promise<Float32Array> {
  return Float32Array.from(await forward(spec, Float64Array.from(angles), weights));
}
