// A plain TypeScript statevector simulator of the same circuit data, gate by gate with no fusion: the readable
// reference the native simulator is tested against. Not for production use (one sample at a time, slow).
import type { CircuitData, CircuitSpec, CircuitOp } from './circuit.ts';
import { buildCircuit } from './circuit.ts';

export interface StateVector {
  qubits: number;
  re: Float64Array;
  im: Float64Array;
}

/** Basis-index mask of wire q: wire 0 is the most significant bit. */
export function wireMask(qubits: number, wire: number): number {
  return 1 << (qubits - 1 - wire);
}

export function zeroState(qubits: number): StateVector {
  const re = new Float64Array(1 << qubits);
  re[0] = 1;
  return { qubits, re, im: new Float64Array(1 << qubits) };
}

type Complex = [number, number];
type Matrix2 = [Complex, Complex, Complex, Complex]; // [[a, b], [c, d]]

export function rotationMatrix(gate: 'RX' | 'RY' | 'RZ', angle: number): Matrix2 {
  const c = Math.cos(angle / 2);
  const s = Math.sin(angle / 2);
  if (gate === 'RX') return [[c, 0], [0, -s], [0, -s], [c, 0]];
  if (gate === 'RY') return [[c, 0], [-s, 0], [s, 0], [c, 0]];
  return [[c, -s], [0, 0], [0, 0], [c, s]];
}

export function applySingle(state: StateVector, wire: number, m: Matrix2): void {
  const mask = wireMask(state.qubits, wire);
  const { re, im } = state;
  for (let i = 0; i < re.length; i++) {
    if (i & mask) continue;
    const j = i | mask;
    const [a, b, c, d] = m;
    const x0r = re[i]!, x0i = im[i]!, x1r = re[j]!, x1i = im[j]!;
    re[i] = a[0] * x0r - a[1] * x0i + b[0] * x1r - b[1] * x1i;
    im[i] = a[0] * x0i + a[1] * x0r + b[0] * x1i + b[1] * x1r;
    re[j] = c[0] * x0r - c[1] * x0i + d[0] * x1r - d[1] * x1i;
    im[j] = c[0] * x0i + c[1] * x0r + d[0] * x1i + d[1] * x1r;
  }
}

export function applyCnot(state: StateVector, control: number, target: number): void {
  const cm = wireMask(state.qubits, control);
  const tm = wireMask(state.qubits, target);
  const { re, im } = state;
  for (let i = 0; i < re.length; i++) {
    if (!(i & cm) || i & tm) continue;
    const j = i | tm;
    [re[i], re[j]] = [re[j]!, re[i]!];
    [im[i], im[j]] = [im[j]!, im[i]!];
  }
}

export function applyCz(state: StateVector, a: number, b: number): void {
  const both = wireMask(state.qubits, a) | wireMask(state.qubits, b);
  for (let i = 0; i < state.re.length; i++) {
    if ((i & both) !== both) continue;
    state.re[i] = -state.re[i]!;
    state.im[i] = -state.im[i]!;
  }
}

export function applyOp(state: StateVector, op: CircuitOp, inputRow: ArrayLike<number>, params: ArrayLike<number>): void {
  if (op.gate === 'CNOT') return applyCnot(state, op.wires[0]!, op.wires[1]!);
  if (op.gate === 'CZ') return applyCz(state, op.wires[0]!, op.wires[1]!);
  const angle = op.angle!.source === 'input' ? inputRow[op.angle!.index]! : params[op.angle!.index]!;
  applySingle(state, op.wires[0]!, rotationMatrix(op.gate, angle));
}

/** The final state of one sample: RY encoding of `inputRow` on |0…0⟩, then the circuit's gates in order. */
export function referenceState(circuit: CircuitData, inputRow: ArrayLike<number>, params: ArrayLike<number>): StateVector {
  const state = zeroState(circuit.spec.qubits);
  for (const op of circuit.ops) applyOp(state, op, inputRow, params);
  return state;
}

/** ⟨Z_{w1} Z_{w2} …⟩: a product of Pauli-Z on the given wires (a general diagonal observable path). */
export function expectationZProduct(state: StateVector, wires: number[]): number {
  let sum = 0;
  for (let i = 0; i < state.re.length; i++) {
    let sign = 1;
    for (const w of wires) if (i & wireMask(state.qubits, w)) sign = -sign;
    sum += sign * (state.re[i]! ** 2 + state.im[i]! ** 2);
  }
  return sum;
}

export function expectationZ(state: StateVector, wire: number): number {
  return expectationZProduct(state, [wire]);
}

export function norm(state: StateVector): number {
  let sum = 0;
  for (let i = 0; i < state.re.length; i++) sum += state.re[i]! ** 2 + state.im[i]! ** 2;
  return Math.sqrt(sum);
}

/** ⟨Z_q⟩ for every sample: batch × Q, row-major, as the native forward. */
export function referenceForward(spec: CircuitSpec, inputs: Float64Array, params: Float64Array): Float64Array {
  const circuit = buildCircuit(spec);
  const Q = spec.qubits;
  const batch = inputs.length / Q;
  const out = new Float64Array(inputs.length);
  for (let b = 0; b < batch; b++) {
    const state = referenceState(circuit, inputs.subarray(b * Q, (b + 1) * Q), params);
    for (let q = 0; q < Q; q++) out[b * Q + q] = expectationZ(state, q);
  }
  return out;
}
