// Bad input becomes a typed error (AppError with a code), sync and async, never an abort.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSimulator } from './index.ts';
import type { CircuitSpec } from './index.ts';
import { spec } from './test-support.ts';

const simulator = createSimulator();
const ok = spec(3, 2, 'RY', 'cnot-ring');
const inputs = new Float64Array(6);
const params = new Float64Array(6);

function rejects(call: () => unknown, code: string, message: RegExp) {
  assert.throws(call, (error: { code?: string; message: string }) => {
    assert.equal(error.code, code, `code for "${error.message}"`);
    assert.match(error.message, message);
    return true;
  });
}

test('spec errors: more than 20 qubits, no layers, unknown rotation or entangler', () => {
  rejects(() => simulator.forward(spec(21, 1, 'RY', 'cnot-ring'), new Float64Array(21), new Float64Array(21)), 'invalid-circuit-spec', /21 qubits/);
  rejects(() => simulator.forward(spec(3, 0, 'RY', 'cnot-ring'), inputs, new Float64Array(0)), 'invalid-circuit-spec', /layers/);
  rejects(() => simulator.forward({ ...ok, rotation: 'RW' } as unknown as CircuitSpec, inputs, params), 'invalid-circuit-spec', /rotation 'RW'/);
  rejects(() => simulator.forward({ ...ok, entangler: 'swap' } as unknown as CircuitSpec, inputs, params), 'invalid-circuit-spec', /entangler/);
  rejects(() => simulator.forward({ ...ok, qubits: 2.5 }, inputs, params), 'invalid-circuit-spec', /integer/);
  rejects(() => simulator.paramCount(spec(0, 1, 'RY', 'cnot-ring')), 'invalid-circuit-spec', /0 qubits/);
});

test('input errors: wrong types and shapes, NaN and Inf angles', () => {
  rejects(() => simulator.forward(ok, [0, 0, 0] as unknown as Float64Array, params), 'invalid-circuit-input', /Float64Array/);
  rejects(() => simulator.forward(ok, new Float32Array(3) as unknown as Float64Array, params), 'invalid-circuit-input', /Float64Array/);
  rejects(() => simulator.forward(ok, new Float64Array(4), params), 'invalid-circuit-input', /multiple of 3/);
  rejects(() => simulator.forward(ok, inputs, new Float64Array(5)), 'invalid-circuit-input', /needs 6/);
  rejects(() => simulator.forward(ok, Float64Array.of(0, NaN, 0), params), 'invalid-circuit-input', /inputs\[1\]/);
  rejects(() => simulator.forward(ok, inputs, Float64Array.of(0, 0, 0, Infinity, 0, 0)), 'invalid-circuit-input', /params\[3\]/);
  rejects(() => simulator.backward(ok, inputs, params, new Float64Array(5)), 'invalid-circuit-input', /gradOutput/);
  rejects(() => simulator.backward(ok, inputs, params, Float64Array.of(0, 0, 0, 0, -Infinity, 0)), 'invalid-circuit-input', /gradOutput\[4\]/);
  rejects(() => simulator.forward(ok, inputs, params, { threads: -1 }), 'invalid-circuit-input', /threads/);
});

test('a batch over the memory cap is refused with circuit-too-large', () => {
  const big = spec(16, 1, 'RY', 'cnot-ring');
  rejects(() => simulator.forward(big, new Float64Array(16 * 4), new Float64Array(16), { maxWorkingBytes: 1 << 20 }), 'circuit-too-large', /MiB/);
});

test('async calls reject with the same typed errors', async () => {
  await assert.rejects(simulator.forwardAsync(ok, Float64Array.of(0, NaN, 0), params), { code: 'invalid-circuit-input' });
  await assert.rejects(simulator.backwardAsync(spec(21, 1, 'RY', 'cnot-ring'), inputs, params, inputs), { code: 'invalid-circuit-spec' });
  await assert.rejects(simulator.forwardAsync(spec(16, 1, 'RY', 'cnot-ring'), new Float64Array(16), new Float64Array(16), { maxWorkingBytes: 1000 }), { code: 'circuit-too-large' });
});
