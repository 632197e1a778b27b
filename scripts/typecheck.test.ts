// Type-checking is a test: the contract's guarantees (a channel cannot exist on one side only) live in the types.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../src-main/app/paths.ts';

const root = projectRoot();
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

test('TypeScript (strict) accepts every source file', () => {
  const run = spawnSync(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
});

test('svelte-check accepts every Svelte component', () => {
  const run = spawnSync(bin('svelte-check'), ['--tsconfig', join(root, 'tsconfig.json'), '--threshold', 'error', '--output', 'machine'], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
});
