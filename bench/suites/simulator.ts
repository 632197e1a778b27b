// Bench suite for the native statevector simulator: ours forward and forward+adjoint at the reference
// size (Q=8, L=4, Rot, CNOT ring, batch 256, 2 threads), the peers (PyTorch autograd, quantum-circuit, our TS
// reference) under a time cap, curves over Q and L for ours, the curve over Q against the memory-bandwidth bound
// (the machine's copy bandwidth measured in the same run), and working bytes per sample.
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createSimulator, paramCount } from '../../src-main/quantum/index.ts';
import type { CircuitSpec } from '../../src-main/quantum/index.ts';
import { referenceForward } from '../../src-main/quantum/reference.ts';
import { projectRoot } from '../../src-main/app/paths.ts';
import { DEBIAN_PYTHON } from '../../src-main/testing/python-oracle.ts';
import { quantumCircuitForward } from '../peers/quantum-circuit.ts';
import type { Figure, SuiteOptions } from '../types.ts';
import { median } from '../types.ts';

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

/**
 * Main-memory bandwidth in bytes/s: a 256 MiB Buffer copied into another (memcpy, one thread), read and write
 * both counted, one value per repeat. Far larger than any cache, so it is what a statevector over the caches gets.
 */
function copyBandwidth(repeats: number, smoke: boolean): number[] {
  const bytes = (smoke ? 16 : 256) << 20;
  const source = Buffer.alloc(bytes, 1);
  const target = Buffer.alloc(bytes);
  source.copy(target);
  const values: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    source.copy(target);
    values.push((2 * bytes) / ((performance.now() - t0) / 1000));
  }
  return values;
}

/**
 * Samples per second of process CPU time (user + system, all threads), per repeat: on a busy machine wall time
 * counts other processes' turns, CPU time does not, so this times the number of threads estimates a quiet rate.
 */
function samplesPerCpuSecond(run: () => void, batch: number, repeats: number, minSeconds: number): number[] {
  run();
  const values: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let calls = 0;
    const c0 = process.cpuUsage();
    let used = 0;
    do {
      run();
      calls++;
      const c = process.cpuUsage(c0);
      used = (c.user + c.system) / 1e6;
    } while (used < minSeconds);
    values.push((batch * calls) / used);
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
    target: 300_000,
  });
  figures.push({
    name: `ours forward+adjoint, ${tag}, ${THREADS} threads`,
    unit: 'samples/s',
    values: samplesPerSecond(() => simulator.backward(spec, inputs, params, gradOutput, { threads: THREADS }), BATCH, repeats, minSeconds),
    target: 100_000,
  });

  figures.push({
    name: `ours forward per CPU-second, ${tag}, ${THREADS} threads`,
    unit: 'samples/s',
    values: samplesPerCpuSecond(() => simulator.forward(spec, inputs, params, { threads: THREADS }), BATCH, repeats, minSeconds),
    note: `samples ÷ process CPU seconds; × ${THREADS} estimates the rate on ${THREADS} idle cores`,
  });
  figures.push({
    name: `ours forward+adjoint per CPU-second, ${tag}, ${THREADS} threads`,
    unit: 'samples/s',
    values: samplesPerCpuSecond(() => simulator.backward(spec, inputs, params, gradOutput, { threads: THREADS }), BATCH, repeats, minSeconds),
    note: `samples ÷ process CPU seconds; × ${THREADS} estimates the rate on ${THREADS} idle cores`,
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
  // The bound: one 16·2^Q-byte state (complex128) streamed once per sample at the measured copy bandwidth. Small
  // states live in cache and beat it; from about Q = 15 (2 × 512 KiB states per lane group) memory traffic rules.
  const bandwidth = copyBandwidth(repeats, options.smoke);
  const gbps = median(bandwidth) / 1e9;
  figures.push({ name: 'memory bandwidth (memcpy 256 MiB, 1 thread, read + write)', unit: 'GB/s', values: bandwidth.map((b) => b / 1e9) });
  const qubitList = options.smoke ? [4, 8, 12, 16] : [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  for (const qubits of qubitList) {
    const r = curve({ ...spec, qubits });
    const bound = (gbps * 1e9) / (16 * 2 ** qubits);
    figures.push({ name: `ours forward, Q=${qubits} L=4 batch ${r.batch}`, unit: 'samples/s', values: r.forward });
    figures.push({ name: `ours forward+adjoint, Q=${qubits} L=4 batch ${r.batch}`, unit: 'samples/s', values: r.backward });
    figures.push({
      name: `bandwidth bound, Q=${qubits}: one 16·2^${qubits}-byte state per sample at ${gbps.toFixed(1)} GB/s`,
      unit: 'samples/s',
      values: bandwidth.map((b) => b / (16 * 2 ** qubits)),
    });
    figures.push({ name: `ours forward ÷ bandwidth bound, Q=${qubits} L=4`, unit: 'ratio', values: r.forward.map((f) => f / bound) });
  }
  const layerList = options.smoke ? [1, 8] : [1, 2, 3, 4, 5, 6, 7, 8];
  for (const layers of layerList) {
    const r = curve({ ...spec, layers });
    figures.push({ name: `ours forward, Q=8 L=${layers} batch ${r.batch}`, unit: 'samples/s', values: r.forward });
    figures.push({ name: `ours forward+adjoint, Q=8 L=${layers} batch ${r.batch}`, unit: 'samples/s', values: r.backward });
  }

  // Working bytes per sample (formula of WorkingBytes in circuit.cc plus inputs/outputs), at the reference size:
  // each worker's lane workspace (7 arrays of 2^Q × 4 lanes × 8 B, plus a 4-lane gradient slot per parameter) and
  // the entangler's gather tables.
  const amplitudes = 2 ** spec.qubits;
  const shared = THREADS * (7 * 32 * amplitudes + 32 * paramCount(spec)) + 24 * amplitudes;
  const io = 2 * spec.qubits * 8;
  figures.push({ name: `ours forward working bytes per sample, ${tag}`, unit: 'bytes', values: [shared / BATCH + io] });
  figures.push({
    name: `ours forward+adjoint working bytes per sample, ${tag}`,
    unit: 'bytes',
    values: [shared / BATCH + io + spec.qubits * 8 + paramCount(spec) * 8],
  });
  return figures;
}
