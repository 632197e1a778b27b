// Independent oracles at test time (Debian python3): qutip's own gate definitions for the forward pass and a
// PyTorch autograd statevector (bench/peers/torch_statevector.py) for gradients, on random entangled circuits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSimulator, ROTATIONS, ENTANGLERS } from './index.ts';
import type { CircuitSpec } from './index.ts';
import { runPython } from '../testing/python-oracle.ts';
import { projectRoot } from '../app/paths.ts';
import { maxAbsDiff, randomAngles, randomCase, seededRandom, spec } from './test-support.ts';

const simulator = createSimulator();

// qutip 4: rx/ry/rz(angle, N, target) = exp(−i·angle·σ/2), cnot(N, control, target), csign = CZ; tensor order puts
// wire 0 first (most significant), as in our convention.
const QUTIP_FORWARD = `
import json, sys, io
real_stdout, sys.stdout = sys.stdout, io.StringIO()   # qutip may print a calibration notice on import
import qutip
from qutip.qip.operations import rx, ry, rz, cnot, csign
sys.stdout = real_stdout
cases = json.load(sys.stdin)
results = []
for case in cases:
    spec, Q, L = case["spec"], case["spec"]["qubits"], case["spec"]["layers"]
    per = 3 if spec["rotation"] == "Rot" else 1
    theta = case["params"]
    gates = {"RX": rx, "RY": ry, "RZ": rz}
    def layer_unitary(layer):
        U = qutip.qeye([2] * Q)
        for q in range(Q):
            base = (layer * Q + q) * per
            if spec["rotation"] == "Rot":
                U = rz(theta[base + 2], Q, q) * ry(theta[base + 1], Q, q) * rz(theta[base], Q, q) * U
            else:
                U = gates[spec["rotation"]](theta[base], Q, q) * U
        pairs = [(q, q + 1) for q in range(Q - 1)]
        if spec["entangler"] != "cnot-chain" and Q > 2:
            pairs.append((Q - 1, 0))
        for a, b in pairs:
            U = (csign(Q, a, b) if spec["entangler"] == "cz-ring" else cnot(Q, a, b)) * U
        return U
    layers = [layer_unitary(l) for l in range(L)]
    out = []
    for row in case["rows"]:
        encode = qutip.qeye([2] * Q)
        for q in range(Q):
            encode = ry(row[q], Q, q) * encode
        psi = qutip.tensor([qutip.basis(2, 0)] * Q)
        for l in range(L):
            if l == 0 or spec.get("reupload"):
                psi = encode * psi
            psi = layers[l] * psi
        for q in range(Q):
            ops = [qutip.qeye(2)] * Q
            ops[q] = qutip.sigmaz()
            out.append(float(qutip.expect(qutip.tensor(ops), psi)))
    results.append(out)
print(json.dumps(results))
`;

test('qutip oracle: forward outputs agree to 1e-12 on random entangled circuits', () => {
  const random = seededRandom(99);
  const cases: { spec: CircuitSpec; rows: number[][]; params: number[]; native: Float64Array }[] = [];
  for (const rotation of ROTATIONS) {
    for (const entangler of ENTANGLERS) {
      const s = spec(2 + Math.floor(random() * 5), 1 + Math.floor(random() * 3), rotation, entangler, random() < 0.5);
      const c = randomCase(random, s, 3);
      const rows = [0, 1, 2].map((b) => Array.from(c.inputs.subarray(b * s.qubits, (b + 1) * s.qubits)));
      cases.push({ spec: s, rows, params: Array.from(c.params), native: simulator.forward(s, c.inputs, c.params) });
    }
  }
  const expected = runPython<number[][]>(QUTIP_FORWARD, cases.map(({ spec, rows, params }) => ({ spec, rows, params })));
  cases.forEach((c, i) => {
    const diff = maxAbsDiff(c.native, expected[i]!);
    assert.ok(diff < 1e-12, `${JSON.stringify(c.spec)}: max |native − qutip| = ${diff}`);
  });
});

test('torch autograd oracle: dL/du and dL/dθ agree to 1e-10 on random entangled circuits', () => {
  const script = readFileSync(join(projectRoot(), 'bench', 'peers', 'torch_statevector.py'), 'utf8');
  const random = seededRandom(7);
  const combos = [['Rot', 'cnot-ring', true], ['RX', 'cz-ring', false], ['RY', 'cnot-chain', true], ['RZ', 'cnot-ring', true]] as const;
  const jobs = combos.map(([rotation, entangler, reupload]) => {
    const s = spec(5, 3, rotation, entangler, reupload);
    const c = randomCase(random, s, 4);
    const gradOutput = randomAngles(random, c.inputs.length, 1);
    return { spec: s, c, gradOutput, native: simulator.backward(s, c.inputs, c.params, gradOutput) };
  });
  const torch = runPython<{ expectations: number[]; gradInputs: number[]; gradParams: number[] }[]>(
    `import sys\nsys.argv = ['peer', 'oracle']\n${script}`,
    jobs.map((j) => ({ spec: j.spec, inputs: Array.from(j.c.inputs), params: Array.from(j.c.params), gradOutput: Array.from(j.gradOutput) })),
  );
  jobs.forEach((j, i) => {
    const name = JSON.stringify(j.spec);
    assert.ok(maxAbsDiff(j.native.expectations, torch[i]!.expectations) < 1e-12, `${name}: outputs`);
    assert.ok(maxAbsDiff(j.native.gradInputs, torch[i]!.gradInputs) < 1e-10, `${name}: dL/du`);
    assert.ok(maxAbsDiff(j.native.gradParams, torch[i]!.gradParams) < 1e-10, `${name}: dL/dθ`);
  });
});
