// Runs testing/fuzz-child.ts in its own Node process and reads its report; a child that dies (signal, non-zero
// status, no report) fails with the last calls it logged, which name the call that killed it.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FuzzReport } from './fuzz-child.ts';

const CHILD = join(import.meta.dirname, 'fuzz-child.ts');

export function runFuzzChild(env: Record<string, string>): { run: SpawnSyncReturns<string>; report: FuzzReport } {
  // Fuzzed file names are relative ("x", "nope"): a call that does write must land in a scratch folder, not the checkout.
  const scratch = mkdtempSync(join(tmpdir(), 'angio-fuzz-cwd-'));
  const run = spawnSync(process.execPath, [CHILD], {
    cwd: scratch,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 900_000,
  });
  rmSync(scratch, { recursive: true, force: true });
  const lastCalls = run.stderr.split('\n').slice(-80).join('\n');
  assert.equal(run.signal, null, `the fuzz child died of ${run.signal}; its last calls:\n${lastCalls}`);
  assert.equal(run.status, 0, `the fuzz child exited with ${run.status}; its last calls:\n${lastCalls}`);
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  return { run, report: JSON.parse(line) as FuzzReport };
}
