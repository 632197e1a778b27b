// Runs Debian's python3 (where python3-torch, -pydicom, -sklearn, -qutip, -onnx live) as a test oracle:
// a script on stdin, JSON in through an env var or a file, JSON out on stdout.
import { runOracle } from './oracle-tool.ts';

/** Debian's own python3, not whichever python3 PATH finds first: the oracle packages are installed for it. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** The python3 that runs the oracles; ANGIO_PYTHON replaces Debian's (a test points it at a missing one). */
export function oraclePython(): string {
  return process.env.ANGIO_PYTHON || DEBIAN_PYTHON;
}

/** Runs `script` with `input` as JSON on stdin and parses its stdout as JSON; throws when python3 fails or prints no JSON. */
export function runPython<T = unknown>(script: string, input: unknown = null, timeoutMs = 300_000): T {
  const firstLine = script.trim().split('\n')[0] ?? '';
  const subject = `an oracle script (${firstLine.slice(0, 80)})`;
  const run = runOracle(oraclePython(), ['-c', script], {
    subject,
    input: JSON.stringify(input),
    timeoutMs,
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, PYTHONHASHSEED: '0', OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '2' },
  });
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`python oracle printed no JSON for ${subject}: ${run.stdout.slice(0, 400)}\n${run.stderr.slice(-2000)}`);
  }
}
