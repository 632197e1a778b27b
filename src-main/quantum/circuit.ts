// The circuit family as JSON-serialisable data: the spec, its validation, and the unrolled gate list that the
// TS reference simulator and the SVG diagram read (same order as the C++ tape, src-main/native/quantum/tape.cc).
import { AppError } from '../ipc/index.ts';

export const ROTATIONS = ['RX', 'RY', 'RZ', 'Rot'] as const;
export const ENTANGLERS = ['cnot-ring', 'cnot-chain', 'cz-ring'] as const;
export type Rotation = (typeof ROTATIONS)[number];
export type Entangler = (typeof ENTANGLERS)[number];

/**
 * Q qubits (1–20), inputs u (batch × Q, radians) encoded as RY(u_q) on |0…0⟩, then L layers of a rotation on
 * every wire (Rot(φ,θ,ω) = RZ(ω)·RY(θ)·RZ(φ)) and an entangler; `reupload` repeats the encoding before each layer.
 * Qubit ordering: wire q is bit (Q−1−q) of the basis index, wire 0 the most significant (as in PennyLane).
 */
export interface CircuitSpec {
  qubits: number;
  layers: number;
  rotation: Rotation;
  entangler: Entangler;
  reupload: boolean;
}

export const MAX_QUBITS = 20;
export const MAX_LAYERS = 1000;

export type GateName = 'RX' | 'RY' | 'RZ' | 'CNOT' | 'CZ';

/** Where a gate's angle comes from: u[b·Q + index] (input) or θ[index] (param). */
export interface AngleRef {
  source: 'input' | 'param';
  index: number;
}

export interface CircuitOp {
  gate: GateName;
  /** [wire] or [control, target] (CZ is symmetric). */
  wires: number[];
  angle?: AngleRef;
  layer: number;
  role: 'encoding' | 'rotation' | 'entangler';
}

export interface CircuitData {
  spec: CircuitSpec;
  paramCount: number;
  ops: CircuitOp[];
}

export function anglesPerRotation(rotation: Rotation): number {
  return rotation === 'Rot' ? 3 : 1;
}

/** θ is layer-major, then qubit, then angle: θ[(l·Q + q)·A + a]. */
export function paramCount(spec: CircuitSpec): number {
  return spec.layers * spec.qubits * anglesPerRotation(spec.rotation);
}

export function validateCircuitSpec(spec: CircuitSpec): void {
  const bad = (message: string): never => {
    throw new AppError('invalid-circuit-spec', message, { spec });
  };
  if (!Number.isInteger(spec.qubits) || spec.qubits < 1 || spec.qubits > MAX_QUBITS) {
    bad(`circuit has ${spec.qubits} qubits; the simulator supports 1 to ${MAX_QUBITS}: choose fewer qubits`);
  }
  if (!Number.isInteger(spec.layers) || spec.layers < 1 || spec.layers > MAX_LAYERS) {
    bad(`circuit has ${spec.layers} layers; use 1 to ${MAX_LAYERS}`);
  }
  if (!ROTATIONS.includes(spec.rotation)) bad(`unknown rotation '${spec.rotation}': use ${ROTATIONS.join(', ')}`);
  if (!ENTANGLERS.includes(spec.entangler)) bad(`unknown entangler '${spec.entangler}': use ${ENTANGLERS.join(', ')}`);
}

/**
 * Unrolls the spec into primitive gates in application order. Entanglers: chain CNOT(q, q+1) for q < Q−1;
 * rings add the closing gate (Q−1 → 0) when Q > 2 (for Q = 2 it would repeat the chain's gate).
 */
export function buildCircuit(spec: CircuitSpec): CircuitData {
  validateCircuitSpec(spec);
  const { qubits: Q } = spec;
  const A = anglesPerRotation(spec.rotation);
  const ops: CircuitOp[] = [];
  const encode = (layer: number) => {
    for (let q = 0; q < Q; q++) ops.push({ gate: 'RY', wires: [q], angle: { source: 'input', index: q }, layer, role: 'encoding' });
  };
  encode(0);
  for (let layer = 0; layer < spec.layers; layer++) {
    if (spec.reupload && layer > 0) encode(layer);
    for (let q = 0; q < Q; q++) {
      const first = (layer * Q + q) * A;
      const gates: GateName[] = spec.rotation === 'Rot' ? ['RZ', 'RY', 'RZ'] : [spec.rotation];
      gates.forEach((gate, a) => ops.push({ gate, wires: [q], angle: { source: 'param', index: first + a }, layer, role: 'rotation' }));
    }
    const gate: GateName = spec.entangler === 'cz-ring' ? 'CZ' : 'CNOT';
    for (let q = 0; q + 1 < Q; q++) ops.push({ gate, wires: [q, q + 1], layer, role: 'entangler' });
    if (spec.entangler !== 'cnot-chain' && Q > 2) ops.push({ gate, wires: [Q - 1, 0], layer, role: 'entangler' });
  }
  return { spec: { ...spec }, paramCount: paramCount(spec), ops };
}
