// Bench suite for the native statevector simulator: ours forward and forward+adjoint at the reference
// size (Q=8, L=4, Rot, CNOT ring, batch 256, 2 threads), the peers (PyTorch autograd, quantum-circuit, our TS
// reference) under a time cap, curves over Q and L for ours, and working bytes per sample.
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createSimulator, paramCount } from '../../src-main/quantum/index.ts';
import type { CircuitSpec } from '../../src-main/quantum/index.ts';
import { referenceForward } from '../../src-main/quantum/reference.ts';
import { projectRoot } from '../../src-main/app/paths.ts';
import { DEBIAN_PYTHON } from '../../src-main/testing/python-oracle.ts';
import { quantumCircuitForward } from '../peers/quantum-circuit.ts';
import type { Figure, SuiteOptions } from '../types.ts';

type SimulatorSuiteOptions = SuiteOptions;

const THREADS = 2;
const REFERENCE_SPEC: CircuitSpec = { qubits: 8, layers: 4, rotation: 'Rot', entangler: 'cnot-ring', reupload: false };
const BATCH = 256;
/** A peer stops sampling once it has used this much wall time (its figure then has fewer values, or none). */
const PEER_CAP_SECONDS = 60;

function angles(count: number, seed: number): Float64Array {
  const values = new Float64Array(count);
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    values[i] = (state / 2147483648) * 2 * Math.PI - Math.PI;
  }
  return values;
}

/** Samples/s of `run(batch)` per repeat; each repeat times enough calls to last at least `minSeconds`. */
function samplesPerSecond(run: () => void, batch: number, repeats: number, minSeconds: number, capSeconds = Infinity): number[] {
  run(); // warm-up
  const values: number[] = [];
  const started = performance.now();
  for (let r = 0; r < repeats; r++) {
    if ((performance.now() - started) / 1000 > capSeconds) break;
    let calls = 0;
    const t0 = performance.now();
    do {
      run();
      calls++;
    } while ((performance.now() - t0) / 1000 < minSeconds);
    values.push((batch * calls) / ((performance.now() - t0) / 1000));
  }
  return values;
}

export async function simulatorSuite(options: SimulatorSuiteOptions): Promise<Figure[]> {
  const repeats = options.smoke ? 1 : options.repeats;
  const minSeconds = options.smoke ? 0.05 : 0.3;
  const simulator = createSimulator();
  const figures: Figure[] = [];
  const spec = REFERENCE_SPEC;
  const inputs = angles(BATCH * spec.qubits, 1);
  const params = angles(paramCount(spec), 2);
  const gradOutput = new Float64Array(inputs.length).fill(1);
  const tag = `Q=8 L=4 Rot cnot-ring batch ${BATCH}`;

  figures.push({
    name: `ours forward, ${tag}, ${THREADS} threads`,
    unit: 'samples/s',
    values: samplesPerSecond(() => simulator.forward(spec, inputs, params, { threads: THREADS }), BATCH, repeats, minSeconds),
    target: 100_000,
  });
  figures.push({
    name: `ours forward+adjoint, ${tag}, ${THREADS} threads`,
    unit: 'samples/s',
    values: samplesPerSecond(() => simulator.backward(spec, inputs, params, gradOutput, { threads: THREADS }), BATCH, repeats, minSeconds),
    target: 30_000,
  });

  // Peer: PyTorch batched complex128 statevector with autograd, torch.set_num_threads(2).
  const torchScript = join(projectRoot(), 'bench', 'peers', 'torch_statevector.py');
  const torchRun = spawnSync(DEBIAN_PYTHON, [torchScript, 'bench'], {
    input: JSON.stringify({ spec, batch: BATCH, repeats, threads: THREADS, capSeconds: PEER_CAP_SECONDS }),
    encoding: 'utf8',
    timeout: (PEER_CAP_SECONDS + 120) * 1000,
    env: { ...process.env, OMP_NUM_THREADS: String(THREADS) },
  });
  if (torchRun.status === 0) {
    const torch = JSON.parse(torchRun.stdout.trim().split('\n').pop()!) as { forward: number[]; backward: number[] };
    figures.push({ name: `torch forward, ${tag}, ${THREADS} threads`, unit: 'samples/s', values: torch.forward });
    figures.push({ name: `torch forward+autograd, ${tag}, ${THREADS} threads`, unit: 'samples/s', values: torch.backward });
    const ours = figures[1]!.values;
    figures.push({
      name: `forward+adjoint vs torch autograd, ${tag}`,
      unit: 'ratio',
      values: torch.backward.map((peer, i) => (ours[i % ours.length] ?? Number.NaN) / peer),
      target: 10,
    });
  } else {
    figures.push({ name: `torch forward, ${tag}`, unit: 'samples/s', values: [], note: `peer failed: ${torchRun.stderr.slice(-300)}` });
  }

  // Peers in this process, one sample at a time: quantum-circuit (npm) and our TS reference, on a slice of the batch.
  const slice = options.smoke ? 4 : 32;
  const sliceInputs = inputs.subarray(0, slice * spec.qubits);
  figures.push({
    name: `quantum-circuit (npm) forward, ${tag}, 1 thread`,
    unit: 'samples/s',
    values: samplesPerSecond(() => quantumCircuitForward(spec, sliceInputs, params), slice, repeats, minSeconds, PEER_CAP_SECONDS),
  });
  figures.push({
    name: `TS reference forward, ${tag}, 1 thread`,
    unit: 'samples/s',
    values: samplesPerSecond(() => referenceForward(spec, sliceInputs, params), slice, repeats, minSeconds, PEER_CAP_SECONDS),
  });

  // Curves for ours: Q = 4..16 at L = 4, and L = 1..8 at Q = 8 (batch shrinks for large Q to bound the run).
  const curve = (s: CircuitSpec) => {
    const batch = Math.max(8, BATCH >> Math.max(0, s.qubits - 10));
    const u = angles(batch * s.qubits, 3);
    const p = angles(paramCount(s), 4);
    const g = new Float64Array(u.length).fill(1);
    const forward = samplesPerSecond(() => simulator.forward(s, u, p, { threads: THREADS }), batch, repeats, minSeconds);
    const backward = samplesPerSecond(() => simulator.backward(s, u, p, g, { threads: THREADS }), batch, repeats, minSeconds);
    return { batch, forward, backward };
  };
  const qubitList = options.smoke ? [4, 8, 12, 16] : [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  for (const qubits of qubitList) {
    const r = curve({ ...spec, qubits });
    figures.push({ name: `ours forward, Q=${qubits} L=4 batch ${r.batch}`, unit: 'samples/s', values: r.forward });
    figures.push({ name: `ours forward+adjoint, Q=${qubits} L=4 batch ${r.batch}`, unit: 'samples/s', values: r.backward });
  }
  const layerList = options.smoke ? [1, 8] : [1, 2, 3, 4, 5, 6, 7, 8];
  for (const layers of layerList) {
    const r = curve({ ...spec, layers });
    figures.push({ name: `ours forward, Q=8 L=${layers} batch ${r.batch}`, unit: 'samples/s', values: r.forward });
    figures.push({ name: `ours forward+adjoint, Q=8 L=${layers} batch ${r.batch}`, unit: 'samples/s', values: r.backward });
  }

  // Working bytes per sample (formula of WorkingBytes in circuit.h plus inputs/outputs), at the reference size.
  const amplitudes = 2 ** spec.qubits;
  const shared = THREADS * 7 * 8 * amplitudes + 24 * amplitudes;
  const io = 2 * spec.qubits * 8;
  figures.push({ name: `ours forward working bytes per sample, ${tag}`, unit: 'bytes', values: [shared / BATCH + io] });
  figures.push({
    name: `ours forward+adjoint working bytes per sample, ${tag}`,
    unit: 'bytes',
    values: [shared / BATCH + io + spec.qubits * 8 + paramCount(spec) * 8],
  });
  return figures;
}
