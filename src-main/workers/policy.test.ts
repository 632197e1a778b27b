// The worker policy, checked on the sources: a heavy job kind (training, import, inference…) either goes through
// WorkerJobs or its job body hands the work to a worker (worker_threads Worker, utility/child process); a job body
// that does the work itself on main's event loop would freeze the window and is reported here.
import assert from 'node:assert/strict';
import { globSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../app/paths.ts';
import { WORKER_JOB_KINDS } from './policy.ts';

/** Text of the call starting at `open` (an opening parenthesis), by balancing parentheses. */
function callText(source: string, open: number): string {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if (source[i] === '(') depth++;
    else if (source[i] === ')' && --depth === 0) return source.slice(open, i + 1);
  }
  return source.slice(open);
}

// A body that calls a function named …InWorker hands the job to a worker thread (ingest/import-in-worker.ts).
const OFF_MAIN = /\bnew Worker\(|\bWorkerJobs\b|\bworkers\.start\(|\butilityProcess\b|\bfork\(|\b\w+InWorker\(/;

test('every heavy job kind runs off the main thread', () => {
  const root = projectRoot();
  const offenders: string[] = [];
  const starts = /\bjobs\.start\(\s*(['"`])([^'"`]+)\1/g;
  for (const file of globSync('src-main/**/*.ts', { cwd: root })) {
    if (file.endsWith('.test.ts') || file.startsWith(join('src-main', 'workers'))) continue;
    const source = readFileSync(join(root, file), 'utf8');
    for (const match of source.matchAll(starts)) {
      const kind = match[2]!;
      if (!(WORKER_JOB_KINDS as readonly string[]).includes(kind)) continue;
      if (OFF_MAIN.test(callText(source, match.index + match[0].indexOf('(')))) continue;
      const line = source.slice(0, match.index).split('\n').length;
      offenders.push(`${file}:${line}: the '${kind}' job body runs on main's event loop; start it with WorkerJobs (src-main/workers/worker-host.ts) or hand it to a Worker`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('a function named …InWorker really starts a worker', () => {
  const root = projectRoot();
  const definitions: string[] = [];
  for (const file of globSync('src-main/**/*.ts', { cwd: root })) {
    if (file.endsWith('.test.ts')) continue;
    const source = readFileSync(join(root, file), 'utf8');
    for (const match of source.matchAll(/\bfunction (\w+InWorker)\(/g)) {
      definitions.push(match[1]!);
      // The function's text: from its name to the closing brace at the start of a line (a top-level function).
      const end = source.indexOf('\n}', match.index);
      assert.match(source.slice(match.index, end < 0 ? undefined : end), /\bnew Worker\(/, `${file}: ${match[1]} must start a worker thread`);
    }
  }
  assert.ok(definitions.includes('runImportInWorker'), `found ${definitions.join(', ') || 'none'}`);
});
