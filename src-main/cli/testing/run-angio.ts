// Runs the real `angio` command line as a user's shell does: the bin launcher in a child process, stdin not a
// terminal, the library in a folder of the test's choosing.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../app/paths.ts';

export interface AngioRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runAngio(args: string[], dataDir?: string): AngioRun {
  const env = { ...process.env, ...(dataDir ? { ANGIO_DATA_DIR: dataDir } : {}) };
  const run = spawnSync(process.execPath, [join(projectRoot(), 'bin', 'angio.js'), ...args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A command that succeeded with --json: its one JSON document. */
export function jsonOf<T>(run: AngioRun): T {
  if (run.status !== 0) throw new Error(`angio exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** A command that failed: exactly one {code, message} line on stderr, nothing on stdout, a non-zero exit. */
export function failureOf(run: AngioRun): { code: string; message: string } {
  if (run.status === 0) throw new Error(`angio succeeded where it should fail: ${run.stdout}`);
  const lines = run.stderr.trim().split('\n');
  if (lines.length !== 1 || run.stdout !== '') throw new Error(`expected one error line on stderr and nothing on stdout, got:\n${run.stderr}\n---\n${run.stdout}`);
  return JSON.parse(lines[0]!) as { code: string; message: string };
}
