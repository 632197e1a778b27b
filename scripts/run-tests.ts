// Runs the test suites with node's test runner and closes with one `N passed, N failed` line for CI.
// Usage: node scripts/run-tests.ts [unit|e2e|all] [extra test files…]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, globSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const suites: Record<string, { patterns: string[]; concurrency: number }> = {
  unit: { patterns: ['src-main/**/*.test.ts', 'src-preload/**/*.test.ts', 'src-renderer/src/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts', 'tests/**/*.test.ts'], concurrency: 2 },
  e2e: { patterns: ['e2e/**/*.test.ts'], concurrency: 1 },
};

const [which = 'all', ...extra] = process.argv.slice(2);
const selected = which === 'all' ? ['unit', 'e2e'] : [which];
let passed = 0;
let failed = 0;
let skipped = 0;

for (const name of selected) {
  const suite = suites[name];
  if (!suite) throw new Error(`unknown suite ${name}; use unit, e2e or all`);
  const files = extra.length > 0 ? extra : suite.patterns.flatMap((pattern) => globSync(pattern)).sort();
  if (files.length === 0) continue;
  const tap = join(mkdtempSync(join(tmpdir(), 'angio-tests-')), `${name}.tap`);
  console.log(`\n== ${name}: ${files.length} files`);
  const run = spawnSync(
    process.execPath,
    [
      '--test',
      `--test-concurrency=${suite.concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { stdio: 'inherit', env: { ...process.env, ANGIO_TEST_SUITE: name } },
  );
  const summary = readFileSync(tap, 'utf8');
  const count = (key: string) => Number(summary.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
  passed += count('pass');
  failed += count('fail') + count('cancelled');
  skipped += count('skipped') + count('todo');
  if (run.status !== 0 && count('fail') + count('cancelled') === 0) failed += 1; // the runner itself broke
}

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
