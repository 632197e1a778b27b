// Circuit as data (JSON round trip, gate order, parameter layout), its SVG drawing, and the readouts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCircuit, circuitDrawing, circuitSvg, paramCount, qubitExpectation, withQubitBaseline } from './index.ts';
import { spec } from './test-support.ts';

test('the circuit is JSON-serialisable data with the documented gate order and θ layout', () => {
  const circuit = buildCircuit(spec(3, 2, 'Rot', 'cnot-ring', true));
  assert.deepEqual(JSON.parse(JSON.stringify(circuit)), circuit);
  assert.equal(circuit.paramCount, 2 * 3 * 3);
  const names = circuit.ops.map((op) => `${op.gate}${op.wires.join('')}`);
  assert.deepEqual(names.slice(0, 3), ['RY0', 'RY1', 'RY2']);
  assert.deepEqual(names.slice(3, 6), ['RZ0', 'RY0', 'RZ0']); // Rot(φ,θ,ω) = RZ(ω)·RY(θ)·RZ(φ): φ applied first
  assert.deepEqual(circuit.ops.slice(3, 6).map((op) => op.angle!.index), [0, 1, 2]);
  assert.deepEqual(names.slice(12, 15), ['CNOT01', 'CNOT12', 'CNOT20']);
  assert.deepEqual(names.slice(15, 18), ['RY0', 'RY1', 'RY2']); // re-upload before layer 2
  assert.equal(circuit.ops[18]!.angle!.index, 9); // θ[(l·Q + q)·A + a] with l = 1, q = 0
});

test('entanglers: a ring closes only for more than two qubits; a chain never does; CZ ring uses CZ', () => {
  const gates = (s: ReturnType<typeof spec>) => buildCircuit(s).ops.filter((op) => op.role === 'entangler').map((op) => `${op.gate}${op.wires.join('')}`);
  assert.deepEqual(gates(spec(2, 1, 'RY', 'cnot-ring')), ['CNOT01']);
  assert.deepEqual(gates(spec(4, 1, 'RY', 'cnot-chain')), ['CNOT01', 'CNOT12', 'CNOT23']);
  assert.deepEqual(gates(spec(3, 1, 'RY', 'cz-ring')), ['CZ01', 'CZ12', 'CZ20']);
  assert.deepEqual(gates(spec(1, 1, 'RY', 'cnot-ring')), []);
  assert.equal(paramCount(spec(5, 4, 'RX', 'cz-ring')), 20);
});

test('the SVG diagram draws every wire, gate and layer', () => {
  const svg = circuitSvg(buildCircuit(spec(4, 2, 'Rot', 'cnot-ring', false)));
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.equal(svg.match(/>q\d \|0⟩</g)?.length, 4);
  assert.equal(svg.match(/>Rot</g)?.length, 8);
  assert.equal(svg.match(/>RY</g)?.length, 4);
  assert.equal(svg.match(/r="9"/g)?.length, 8, 'one ⊕ per CNOT');
  assert.match(svg, />layer 1</);
  assert.match(svg, />layer 2</);
  assert.match(svg, />θ21–23</);
  const cz = circuitSvg(buildCircuit(spec(3, 1, 'RY', 'cz-ring')));
  assert.equal(cz.match(/r="4.5"/g)?.length, 6, 'two dots per CZ');
});

test('the drawing is data: one wire line per qubit, in order, and every SVG element comes from one primitive', () => {
  const circuit = buildCircuit(spec(4, 2, 'Rot', 'cnot-ring', false));
  const drawing = circuitDrawing(circuit);
  assert.deepEqual(drawing.primitives.filter((p) => p.kind === 'line' && p.role === 'wire').map((p) => (p.kind === 'line' ? p.wire : -1)), [0, 1, 2, 3]);
  assert.deepEqual(JSON.parse(JSON.stringify(drawing)), drawing);
  const svg = circuitSvg(circuit);
  assert.equal(svg.match(/<(line|rect|circle|text) /g)?.length, drawing.primitives.length);
  assert.equal(drawing.title, '4 qubits · 2 layers · Rot · cnot-ring');
});

test('readouts: one qubit column, and outputs with one qubit replaced by a baseline', () => {
  const outputs = Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6); // batch 2 × Q 3
  assert.deepEqual(Array.from(qubitExpectation(outputs, 3, 1)), [0.2, 0.5]);
  assert.deepEqual(Array.from(withQubitBaseline(outputs, 3, 2, 0)), [0.1, 0.2, 0, 0.4, 0.5, 0]);
  assert.deepEqual(Array.from(withQubitBaseline(outputs, 3, 0, Float64Array.of(-1, 1))), [-1, 0.2, 0.3, 1, 0.5, 0.6]);
  assert.deepEqual(Array.from(outputs), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 'input untouched');
  assert.throws(() => qubitExpectation(outputs, 3, 3), RangeError);
});
