// Shared by the quantum tests: a seeded random source and random circuits/inputs, so failures reproduce.
import type { CircuitSpec, Entangler, Rotation } from './circuit.ts';
import { paramCount } from './circuit.ts';

/** mulberry32: small, seeded, good enough for test angles. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomAngles(random: () => number, count: number, scale = Math.PI): Float64Array {
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = (2 * random() - 1) * scale;
  return values;
}

export interface RandomCase {
  spec: CircuitSpec;
  inputs: Float64Array;
  params: Float64Array;
  batch: number;
}

export function randomCase(random: () => number, spec: CircuitSpec, batch: number): RandomCase {
  return { spec, batch, inputs: randomAngles(random, batch * spec.qubits), params: randomAngles(random, paramCount(spec)) };
}

export function spec(qubits: number, layers: number, rotation: Rotation, entangler: Entangler, reupload = false): CircuitSpec {
  return { qubits, layers, rotation, entangler, reupload };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
