// Runs Debian's python3 (where python3-torch, -pydicom, -sklearn, -qutip, -onnx live) as a test oracle:
// a script on stdin, JSON in through an env var or a file, JSON out on stdout.
import { spawnSync } from 'node:child_process';

export const DEBIAN_PYTHON = '/usr/bin/python3';

export function runPython<T = unknown>(script: string, input: unknown = null, timeoutMs = 300_000): T {
  const run = spawnSync(DEBIAN_PYTHON, ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: timeoutMs,
    env: { ...process.env, PYTHONHASHSEED: '0', OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '2' },
  });
  if (run.status !== 0) {
    throw new Error(`python oracle failed (exit ${run.status}): ${run.stderr.slice(-4000)}`);
  }
  return JSON.parse(run.stdout) as T;
}
