// "reproducible": true pins the CPU kernels so two x86-64 machines with AVX2 compute the same weights: oneDNN,
// ATen's own kernels and OpenBLAS each pick code by the CPU's widest ISA (AVX-512 here, AVX2 there), and the
// kernels sum in different orders. Each library reads its setting once (OpenBLAS and libgomp when libtorch loads,
// oneDNN and ATen at first use), so the pins must be in the environment before libtorch is in the process.
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { AppError } from '../ipc/index.ts';
import { readCpuInfo } from './machine.ts';

/** The kernel set every AVX2 machine has: AVX2 + FMA code paths (Haswell is OpenBLAS's AVX2 core). */
const AVX2_KERNELS = {
  ONEDNN_MAX_CPU_ISA: 'AVX2',
  // oneDNN before 2.5 reads only the DNNL_ name; 2.6 (Debian's) honours both.
  DNNL_MAX_CPU_ISA: 'AVX2',
  ATEN_CPU_CAPABILITY: 'avx2',
  OPENBLAS_CORETYPE: 'Haswell',
} as const;

/** The environment a reproducible run trains in: the AVX2 kernels and `threads` threads in every pool. */
export function reproduciblePins(threads: number): Record<string, string> {
  const count = String(threads);
  return { ...AVX2_KERNELS, OMP_NUM_THREADS: count, MKL_NUM_THREADS: count, OPENBLAS_NUM_THREADS: count };
}

export const pinsInEffect = (pins: Record<string, string>, env: NodeJS.ProcessEnv = process.env): boolean =>
  Object.entries(pins).every(([name, value]) => env[name] === value);

/** Whether libtorch is already mapped into this process (its settings are then fixed). */
function libtorchLoaded(): boolean {
  try {
    return /libtorch_cpu\.so/.test(readFileSync('/proc/self/maps', 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Puts the pins into this process's environment (Node's process.env writes reach getenv in the main thread) before
 * the engine loads. Refused where that cannot work: in a worker thread (its env is a copy), after libtorch has
 * loaded with other settings, or on a CPU without AVX2 and FMA (the pinned kernels would be illegal instructions).
 */
export function pinCpuKernels(threads: number): Record<string, string> {
  const pins = reproduciblePins(threads);
  const flags = readCpuInfo().flags;
  if (!flags.has('avx2') || !flags.has('fma')) {
    throw new AppError('reproducible-unsupported', 'A reproducible run needs a CPU with AVX2 and FMA (its kernels are pinned to AVX2); this one has neither: train with "reproducible": false.');
  }
  if (pinsInEffect(pins)) return pins;
  if (!isMainThread) throw new AppError('reproducible-needs-process', 'A reproducible run must train in its own process (a worker thread cannot set the environment libtorch reads).');
  if (libtorchLoaded()) throw new AppError('reproducible-needs-process', 'libtorch was already loaded in this process without the reproducible pins: start the run in a fresh process.');
  Object.assign(process.env, pins);
  return pins;
}

/**
 * For command lines that load libtorch early (self-check): runs this same command again with the pins in its
 * environment unless they are already there, and exits with its status (the promise then never settles, so the
 * caller's `await` stops this process from going on). Resolves at once when this process is pinned.
 */
export function relaunchPinned(pins: Record<string, string>): Promise<void> {
  if (pinsInEffect(pins)) return Promise.resolve();
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, ...pins } });
  // Ctrl-C reaches the child from the terminal (same process group) and it stops cleanly; a second SIGINT would
  // kill it mid-write, so this process only ignores its own. Termination aimed at this process alone is passed on.
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  return new Promise(() => child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1))));
}
