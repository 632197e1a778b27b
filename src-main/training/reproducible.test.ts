// "reproducible": true pins the CPU kernels, so a machine whose widest ISA is AVX-512 computes the weights an AVX2
// machine computes. Each run is a real train-process.ts child (libtorch reads its kernel settings once, at load)
// over the real P-ADSD folders; "another machine" is this one with its kernels capped at AVX2 through the same
// variables a machine without AVX-512 would leave its libraries to choose. Weights compare bit for bit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sharedDataDir } from '../app/paths.ts';
import { runOracle } from '../testing/oracle-tool.ts';
import { parseTrainingConfig, type TrainingConfigInput } from './config.ts';
import { RUN_FILES } from './driver.ts';
import { loadEngine, sessionSpecFor } from './engine.ts';
import { MachineProfileSchema, type MachineProfile } from './machine-profile.ts';
import { preprocessingSpec } from '../preprocessing/index.ts';
import { RUN_CONFIG_FILE, type RunJob, type RunOutcome } from './run-job.ts';
import { SMALL_RUN_CONFIG } from './testing/small-run.ts';
import { padsdSource } from './training-data.ts';

const entry = join(dirname(fileURLToPath(import.meta.url)), 'train-process.ts');
const KERNEL_VARIABLES = ['ONEDNN_MAX_CPU_ISA', 'DNNL_MAX_CPU_ISA', 'ATEN_CPU_CAPABILITY', 'OPENBLAS_CORETYPE', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'];
/** What the libraries choose by themselves on an AVX2 machine (Haswell is OpenBLAS's AVX2 core). */
const AVX2_MACHINE = { ONEDNN_MAX_CPU_ISA: 'AVX2', ATEN_CPU_CAPABILITY: 'avx2', OPENBLAS_CORETYPE: 'Haswell', OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' };
const AVX512_MACHINE = { ONEDNN_MAX_CPU_ISA: 'AVX512_CORE', ATEN_CPU_CAPABILITY: 'avx512', OPENBLAS_CORETYPE: 'SkylakeX', OMP_NUM_THREADS: '1' };

const lscpu = (field: string) => new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(runOracle('lscpu', [], { subject: 'this machine' }).stdout)?.[1]?.trim() ?? '';
const cpuFlags = new Set(lscpu('Flags').split(/\s+/));

/** One run in its own process, with the kernel variables of this shell removed and `env` set. */
function train(root: string, name: string, config: TrainingConfigInput, env: Record<string, string>): { outcome: RunOutcome; runDir: string } {
  const runDir = join(root, name);
  mkdirSync(runDir, { recursive: true });
  const job: RunJob = { runDir, config, source: padsdSource(sharedDataDir()), resume: false };
  writeFileSync(join(runDir, 'job.json'), JSON.stringify(job));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !KERNEL_VARIABLES.includes(key)));
  const child = spawnSync(process.execPath, [entry, join(runDir, 'job.json')], { env: { ...inherited, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const last = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { type: string; result?: RunOutcome; error?: unknown };
  assert.equal(last.type, 'result', `run ${name} failed: ${JSON.stringify(last.error)}\n${child.stderr.slice(-2000)}`);
  return { outcome: last.result!, runDir };
}

/** SHA-256 over every parameter and buffer of the run's model, by name. */
async function weightsHash(config: TrainingConfigInput, runDir: string): Promise<string> {
  const parsed = parseTrainingConfig(config);
  const session = new (loadEngine().TrainingSession)(sessionSpecFor(parsed, preprocessingSpec(parsed.imageSize)));
  await session.importModel(join(runDir, RUN_FILES.model));
  const hash = createHash('sha256');
  for (const p of session.parameters(true)) hash.update(p.name).update(new Uint8Array(p.values.buffer, p.values.byteOffset, p.values.byteLength));
  return hash.digest('hex');
}

test('a reproducible run on an AVX-512 machine gives the weights of an AVX2 machine, and its record says so', { timeout: 600_000 }, async (t) => {
  assert.ok(cpuFlags.has('avx2') && cpuFlags.has('fma'), 'this test needs an x86-64 CPU with AVX2 and FMA');
  const root = mkdtempSync(join(tmpdir(), 'angio-reproducible-'));
  const pinned: TrainingConfigInput = { ...SMALL_RUN_CONFIG, reproducible: true };

  // The environment asks for AVX-512 kernels and one thread: the reproducible setting must override it.
  const reproducible = train(root, 'reproducible', pinned, AVX512_MACHINE);
  const avx2Machine = train(root, 'avx2-machine', SMALL_RUN_CONFIG, AVX2_MACHINE);
  const own = train(root, 'unpinned-own-choice', SMALL_RUN_CONFIG, {});

  const machine: MachineProfile = MachineProfileSchema.parse(reproducible.outcome.machine);
  assert.deepEqual(machine.kernels, { onednnIsa: 'avx2', onednnCap: 'AVX2', atenCpuCapability: 'AVX2', openblasCore: 'Haswell' }, 'the pins win over the environment');
  assert.equal(machine.pins?.OMP_NUM_THREADS, '2');
  assert.equal(machine.threads, 2);
  const recorded = JSON.parse(readFileSync(join(reproducible.runDir, RUN_CONFIG_FILE), 'utf8')) as { config: { reproducible: boolean }; machine: MachineProfile };
  assert.equal(recorded.config.reproducible, true);
  assert.deepEqual(recorded.machine, machine, 'run.json records the machine the run trained on');
  assert.equal(machine.cpuModel, lscpu('Model name'), 'the CPU model is the one lscpu names');
  assert.equal(machine.cpuIsa, cpuFlags.has('avx512f') ? 'avx512' : 'avx2');
  assert.match(machine.versions.libtorch, /^\d+\.\d+\.\d+/);
  assert.match(machine.versions.onednn, /^\d+\.\d+\.\d+$/);
  assert.equal(own.outcome.machine.pins, null, 'an ordinary run records no pins');

  const hashes = { reproducible: await weightsHash(pinned, reproducible.runDir), avx2Machine: await weightsHash(SMALL_RUN_CONFIG, avx2Machine.runDir), own: await weightsHash(SMALL_RUN_CONFIG, own.runDir) };
  assert.equal(hashes.reproducible, hashes.avx2Machine, 'the reproducible run on this machine and an AVX2 machine computed different weights');
  assert.deepEqual(reproducible.outcome.metrics, avx2Machine.outcome.metrics);

  // Measured, not asserted: whether the kernels this machine picks by itself, or AVX-512 ones, change the weights.
  const avx512 = cpuFlags.has('avx512f') && cpuFlags.has('avx512bw') && cpuFlags.has('avx512vl') && cpuFlags.has('avx512dq') ? train(root, 'avx512-machine', SMALL_RUN_CONFIG, AVX512_MACHINE) : null;
  const avx512Hash = avx512 ? await weightsHash(SMALL_RUN_CONFIG, avx512.runDir) : null;
  t.diagnostic(`unpinned, the libraries' own choice (${own.outcome.machine.kernels.onednnIsa}, ATen ${own.outcome.machine.kernels.atenCpuCapability}, OpenBLAS ${own.outcome.machine.kernels.openblasCore}): ${hashes.own === hashes.avx2Machine ? 'same weights as' : 'different weights from'} the AVX2 machine`);
  t.diagnostic(avx512Hash ? `unpinned AVX-512 kernels: ${avx512Hash === hashes.avx2Machine ? 'same weights as' : 'different weights from'} the AVX2 machine` : 'no AVX-512 on this CPU: not measured');
  rmSync(root, { recursive: true });
});
