// The native simulator against the plain TS reference and against closed-form results (RY, Bell state,
// qubit ordering, norm), through the real addon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator, buildCircuit, ROTATIONS, ENTANGLERS } from './index.ts';
import { referenceForward, referenceState, norm, expectationZProduct } from './reference.ts';
import { maxAbsDiff, randomCase, seededRandom, spec } from './test-support.ts';

const simulator = createSimulator();

test('native forward agrees with the TS reference to 1e-12 for Q=1..10, L=1..5, every rotation and entangler', () => {
  const random = seededRandom(5);
  let cases = 0;
  for (let qubits = 1; qubits <= 10; qubits++) {
    for (let layers = 1; layers <= 5; layers++) {
      for (const rotation of ROTATIONS) {
        for (const entangler of ENTANGLERS) {
          const c = randomCase(random, spec(qubits, layers, rotation, entangler, (qubits + layers) % 2 === 0), qubits > 8 ? 1 : 2);
          const native = simulator.forward(c.spec, c.inputs, c.params);
          const reference = referenceForward(c.spec, c.inputs, c.params);
          const diff = maxAbsDiff(native, reference);
          assert.ok(diff < 1e-12, `${JSON.stringify(c.spec)}: max |native − reference| = ${diff}`);
          cases++;
        }
      }
    }
  }
  assert.equal(cases, 600);
});

test('the native final statevector equals the reference state and keeps norm 1 to 1e-12', () => {
  const random = seededRandom(11);
  for (const rotation of ROTATIONS) {
    const c = randomCase(random, spec(7, 4, rotation, 'cnot-ring', true), 1);
    const native = simulator.state(c.spec, c.inputs, c.params);
    const reference = referenceState(buildCircuit(c.spec), c.inputs, c.params);
    assert.ok(maxAbsDiff(native.re, reference.re) < 1e-12 && maxAbsDiff(native.im, reference.im) < 1e-12);
    const nativeNorm = norm({ qubits: 7, re: native.re, im: native.im });
    assert.ok(Math.abs(nativeNorm - 1) < 1e-12, `native norm ${nativeNorm}`);
    assert.ok(Math.abs(norm(reference) - 1) < 1e-12, `reference norm ${norm(reference)}`);
  }
});

test('⟨Z⟩ after RY(a) is cos a', () => {
  // One qubit, RZ rotation (no effect on ⟨Z⟩): the output is the encoding RY(a) alone.
  const angles = [-2.5, -1, 0, 0.3, Math.PI / 2, 2, Math.PI];
  const out = simulator.forward(spec(1, 1, 'RZ', 'cnot-ring'), Float64Array.from(angles), Float64Array.of(0.7));
  angles.forEach((a, i) => assert.ok(Math.abs(out[i]! - Math.cos(a)) < 1e-14, `RY(${a}): ${out[i]} vs ${Math.cos(a)}`));
});

test('a Bell state has ⟨Z0⟩ = ⟨Z1⟩ = 0 and perfectly correlated Z outcomes', () => {
  // RY(π/2) on wire 0, RY(0) on wire 1, then CNOT(0,1): (|00⟩ + |11⟩)/√2. RZ layer with zero angles.
  const bell = spec(2, 1, 'RZ', 'cnot-chain');
  const inputs = Float64Array.of(Math.PI / 2, 0);
  const out = simulator.forward(bell, inputs, new Float64Array(2));
  assert.ok(Math.abs(out[0]!) < 1e-15 && Math.abs(out[1]!) < 1e-15, `⟨Z⟩ = ${out[0]}, ${out[1]}`);
  const state = simulator.state(bell, inputs, new Float64Array(2));
  assert.ok(Math.abs(state.re[0]! - Math.SQRT1_2) < 1e-15 && Math.abs(state.re[3]! - Math.SQRT1_2) < 1e-15);
  assert.ok(Math.abs(state.re[1]!) < 1e-15 && Math.abs(state.re[2]!) < 1e-15);
  assert.ok(Math.abs(expectationZProduct({ qubits: 2, ...state }, [0, 1]) - 1) < 1e-14, '⟨Z0 Z1⟩ = 1');
});

test('qubit ordering: wire 0 is the most significant bit; Z on wire k of a basis state gives its sign', () => {
  // Encoding RY(π) flips a wire to |1⟩; RZ layer and a CZ ring leave basis states (up to phase) unchanged.
  const Q = 4;
  const flipped = [1, 0, 1, 1]; // |1011⟩ = basis index 0b1011 = 11
  const inputs = Float64Array.from(flipped, (bit) => bit * Math.PI);
  const basis = spec(Q, 1, 'RZ', 'cz-ring');
  const out = simulator.forward(basis, inputs, new Float64Array(Q));
  flipped.forEach((bit, k) => assert.ok(Math.abs(out[k]! - (bit ? -1 : 1)) < 1e-14, `wire ${k}: ${out[k]}`));
  const state = simulator.state(basis, inputs, new Float64Array(Q));
  const probability = (i: number) => state.re[i]! ** 2 + state.im[i]! ** 2;
  assert.ok(Math.abs(probability(0b1011) - 1) < 1e-14, 'all weight on index 11');
  // A CNOT chain maps |1000⟩ to |1111⟩: the control (wire 0) propagates down the chain.
  const chain = simulator.forward(spec(Q, 1, 'RZ', 'cnot-chain'), Float64Array.of(Math.PI, 0, 0, 0), new Float64Array(Q));
  assert.deepEqual(Array.from(chain, (z) => Math.round(z)), [-1, -1, -1, -1]);
});

test('async forward resolves to the same bits as sync, in a V8-allocated Float64Array', async () => {
  const c = randomCase(seededRandom(3), spec(6, 3, 'Rot', 'cnot-ring'), 33);
  const sync = simulator.forward(c.spec, c.inputs, c.params);
  const result = await simulator.forwardAsync(c.spec, c.inputs, c.params, { threads: 2 });
  assert.ok(result instanceof Float64Array);
  assert.equal(result.length, 33 * 6);
  assert.ok(Buffer.from(result.buffer).equals(Buffer.from(sync.buffer)));
  const empty = simulator.forward(c.spec, new Float64Array(0), c.params);
  assert.equal(empty.length, 0);
});
