// The quantum layer's public surface: a batched statevector simulator backed by the native addon (C++ core in
// src-main/native/quantum), plus the circuit as data, its SVG diagram and readouts.
//
// Units and layout: angles in radians (float64); inputs u and outputs ⟨Z_q⟩ are batch × Q row-major;
// θ is layer-major, then qubit, then angle (Rot: φ, θ, ω); wire q is bit (Q−1−q) of a basis index (wire 0 = MSB).
import { AppError } from '../ipc/index.ts';
import { loadAddon } from '../native/index.ts';
import { projectRoot } from '../app/index.ts';
import type { CircuitSpec } from './circuit.ts';
import { paramCount, validateCircuitSpec } from './circuit.ts';

export type { CircuitSpec, CircuitData, CircuitOp, Rotation, Entangler, GateName, AngleRef } from './circuit.ts';
export { buildCircuit, paramCount, anglesPerRotation, validateCircuitSpec, ROTATIONS, ENTANGLERS, MAX_QUBITS } from './circuit.ts';
export { circuitSvg } from './circuit-svg.ts';
export { circuitDrawing, type CircuitDrawing, type DrawingPrimitive, type DrawingRole } from './circuit-drawing.ts';
export { qubitExpectation, withQubitBaseline } from './readouts.ts';

export interface SimulateOptions {
  /** Workers splitting the batch; 0 or absent = all cores. Results do not depend on it (bit-identical). */
  threads?: number;
  /** Cap on one call's working memory in bytes (default 4 GiB); over it the call fails with circuit-too-large. */
  maxWorkingBytes?: number;
}

export interface Gradients {
  /** ⟨Z_q⟩, batch × Q (the forward outputs, computed on the way). */
  expectations: Float64Array;
  /** dL/du, batch × Q. */
  gradInputs: Float64Array;
  /** dL/dθ summed over the batch in sample order, length paramCount(spec). */
  gradParams: Float64Array;
}

export interface StateAmplitudes {
  re: Float64Array;
  im: Float64Array;
}

/** The addon's quantum exports (src-main/native/binding/quantum_binding.cc). */
export interface QuantumAddon {
  version(): string;
  quantumForward(spec: CircuitSpec, inputs: Float64Array, params: Float64Array, options?: SimulateOptions): Float64Array;
  quantumForwardAsync(spec: CircuitSpec, inputs: Float64Array, params: Float64Array, options?: SimulateOptions): Promise<Float64Array>;
  quantumBackward(spec: CircuitSpec, inputs: Float64Array, params: Float64Array, gradOutput: Float64Array, options?: SimulateOptions): Gradients;
  quantumBackwardAsync(spec: CircuitSpec, inputs: Float64Array, params: Float64Array, gradOutput: Float64Array, options?: SimulateOptions): Promise<Gradients>;
  quantumState(spec: CircuitSpec, inputRow: Float64Array, params: Float64Array): StateAmplitudes;
  quantumParamCount(spec: CircuitSpec): number;
  quantumHardwareThreads(): number;
}

export interface QuantumSimulator {
  paramCount(spec: CircuitSpec): number;
  hardwareThreads(): number;
  /** ⟨Z_q⟩ for every sample (batch × Q). Sync: blocks the calling thread (the engine's path). */
  forward(spec: CircuitSpec, inputs: Float64Array, params: Float64Array, options?: SimulateOptions): Float64Array;
  forwardAsync(spec: CircuitSpec, inputs: Float64Array, params: Float64Array, options?: SimulateOptions): Promise<Float64Array>;
  /** Adjoint-method gradients of L = Σ_b Σ_q gradOutput[b,q]·⟨Z_q⟩_b, one backward sweep per sample. */
  backward(spec: CircuitSpec, inputs: Float64Array, params: Float64Array, gradOutput: Float64Array, options?: SimulateOptions): Gradients;
  backwardAsync(spec: CircuitSpec, inputs: Float64Array, params: Float64Array, gradOutput: Float64Array, options?: SimulateOptions): Promise<Gradients>;
  /** One sample's final statevector (2^Q amplitudes), for tests and inspection. */
  state(spec: CircuitSpec, inputRow: Float64Array, params: Float64Array): StateAmplitudes;
}

/** Turns the addon's `{code}` errors into AppErrors (same code and message). */
function typed(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const { code, message } = error as { code?: unknown; message?: string };
  return new AppError(typeof code === 'string' ? code : 'simulator-failed', message ?? String(error));
}

function sync<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw typed(error);
  }
}

/** The simulator from the addon built under `appRoot`; throws AppError('addon-unavailable') when it is missing. */
export function createSimulator(appRoot: string = projectRoot()): QuantumSimulator {
  const load = loadAddon<QuantumAddon>(appRoot);
  if (!load.loaded) throw new AppError('addon-unavailable', load.error, { path: load.path });
  const addon = load.addon;
  if (typeof addon.quantumForward !== 'function') {
    throw new AppError('addon-unavailable', `native addon at ${load.path} has no simulator exports: rebuild with \`npm run build:addon\``);
  }
  return {
    paramCount: (spec) => {
      validateCircuitSpec(spec);
      return paramCount(spec);
    },
    hardwareThreads: () => addon.quantumHardwareThreads(),
    forward: (spec, inputs, params, options) => sync(() => addon.quantumForward(spec, inputs, params, options)),
    forwardAsync: (spec, inputs, params, options) =>
      addon.quantumForwardAsync(spec, inputs, params, options).catch((error: unknown) => Promise.reject(typed(error))),
    backward: (spec, inputs, params, gradOutput, options) =>
      sync(() => addon.quantumBackward(spec, inputs, params, gradOutput, options)),
    backwardAsync: (spec, inputs, params, gradOutput, options) =>
      addon.quantumBackwardAsync(spec, inputs, params, gradOutput, options).catch((error: unknown) => Promise.reject(typed(error))),
    state: (spec, inputRow, params) => sync(() => addon.quantumState(spec, inputRow, params)),
  };
}

