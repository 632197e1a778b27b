// Peer for the simulator bench: the npm package quantum-circuit (pure JS, forward only), building the same
// circuit family one sample at a time. ⟨Z_q⟩ = 1 − 2·P(wire q = 1).
import { createRequire } from 'node:module';
import type { CircuitSpec } from '../../src-main/quantum/index.ts';
import { buildCircuit } from '../../src-main/quantum/index.ts';

interface QuantumCircuitInstance {
  addGate(name: string, column: number, wires: number | number[], options?: { params: Record<string, number> }): void;
  run(): void;
  probability(wire: number): number;
}
type QuantumCircuitClass = new (qubits: number) => QuantumCircuitInstance;

const require = createRequire(import.meta.url);
const QuantumCircuit = require('quantum-circuit') as QuantumCircuitClass;

// quantum-circuit names RZ's angle `phi`, RX/RY's `theta`.
const GATE_NAMES = { RX: 'rx', RY: 'ry', RZ: 'rz', CNOT: 'cx', CZ: 'cz' } as const;

/** ⟨Z_q⟩ for every sample (batch × Q) with quantum-circuit; each gate gets its own column. */
export function quantumCircuitForward(spec: CircuitSpec, inputs: Float64Array, params: Float64Array): Float64Array {
  const circuit = buildCircuit(spec);
  const Q = spec.qubits;
  const out = new Float64Array(inputs.length);
  for (let b = 0; b < inputs.length / Q; b++) {
    const qc = new QuantumCircuit(Q);
    circuit.ops.forEach((op, column) => {
      const name = GATE_NAMES[op.gate];
      if (!op.angle) return qc.addGate(name, column, op.wires);
      const theta = op.angle.source === 'input' ? inputs[b * Q + op.angle.index]! : params[op.angle.index]!;
      qc.addGate(name, column, op.wires[0]!, { params: op.gate === 'RZ' ? { phi: theta } : { theta } });
    });
    qc.run();
    for (let q = 0; q < Q; q++) out[b * Q + q] = 1 - 2 * qc.probability(q);
  }
  return out;
}
