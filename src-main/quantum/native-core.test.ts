// Builds the C++ core's own test driver (no N-API: src-main/native/tests/quantum_core_test.cc + quantum/*.cc)
// with g++ and runs it, so the core is checked independently of the binding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { globSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../app/paths.ts';

test('the C++ core passes its own test driver', () => {
  const native = join(projectRoot(), 'src-main', 'native');
  const binary = join(mkdtempSync(join(tmpdir(), 'quantum-core-')), 'quantum_core_test');
  const sources = ['tests/quantum_core_test.cc', ...globSync('quantum/*.cc', { cwd: native }).sort()];
  const build = spawnSync('g++', ['-std=c++17', '-O1', '-march=x86-64-v2', '-Wall', '-Wextra', '-I.', ...sources, '-o', binary, '-lpthread'], {
    cwd: native,
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, `g++ failed:\n${build.stderr}`);
  const run = spawnSync(binary, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `core tests failed:\n${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /^0 failed$/m);
});
