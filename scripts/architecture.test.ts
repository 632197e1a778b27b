// The layering in .dependency-cruiser.cjs holds: dependency-cruiser walks every import of main, the contract and
// the renderer, and the test fails listing each violation. A small tree that breaks every rule shows the rules bite.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../src-main/app/paths.ts';

const root = projectRoot();
const configFile = join(root, '.dependency-cruiser.cjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

function cruise(cwd: string, folders: string[]): Violation[] {
  const run = spawnSync(join(root, 'node_modules', '.bin', 'depcruise'), ['--config', configFile, '--output-type', 'json', ...folders], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.ok(run.stdout, `dependency-cruiser printed nothing (exit ${run.status}): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const describe = (v: Violation) => `${v.rule.name}: ${v.from} -> ${v.cycle ? v.cycle.map((step) => step.name).join(' -> ') : v.to}`;

test('main, the contract and the renderer keep the layering of .dependency-cruiser.cjs', () => {
  const violations = cruise(root, ['src-main', 'src-preload', 'src-renderer/src']);
  assert.deepEqual(violations.map(describe), [], `${violations.length} imports break the layering (docs/architecture.md says why each rule exists)`);
});

test('each rule reports a tree that breaks it', () => {
  const tree = mkdtempSync(join(tmpdir(), 'angio-layering-'));
  try {
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'bundler', allowImportingTsExtensions: true, noEmit: true } }),
      'src-main/alpha/index.ts': "export { a } from './a.ts';\n",
      'src-main/alpha/a.ts': "import { b } from '../beta/b.ts';\nimport { fixture } from '../beta/testing/fixture.ts';\nexport const a = () => b() + fixture;\n",
      'src-main/beta/index.ts': "export { b } from './b.ts';\n",
      'src-main/beta/b.ts': "import { c } from './c.ts';\nexport const b = () => c();\n",
      'src-main/beta/c.ts': "import { b } from './b.ts';\nexport const c = () => (b ? 1 : 0);\n",
      'src-main/beta/testing/fixture.ts': 'export const fixture = 1;\n',
      'src-main/beta/types.ts': "import type { b } from './typed.ts';\nexport type B = typeof b;\n",
      'src-main/beta/typed.ts': "import type { B } from './types.ts';\nexport const b: B | null = null;\n",
      'src-preload/contract.ts': "import { a } from '../src-main/alpha/index.ts';\nexport const contract = a;\n",
      'src-renderer/src/screen.ts': "import { b } from '../../src-main/beta/index.ts';\nexport const screen = b;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
    const found = cruise(tree, ['src-main', 'src-preload', 'src-renderer']).map(describe).sort();
    // The type-only cycle (beta/types.ts <-> beta/typed.ts) is erased by the compiler and not reported.
    assert.deepEqual(found, [
      'contract-independent-of-main: src-preload/contract.ts -> src-main/alpha/index.ts',
      'no-deep-import-across-capabilities: src-main/alpha/a.ts -> src-main/beta/b.ts',
      'no-deep-import-across-capabilities: src-main/alpha/a.ts -> src-main/beta/testing/fixture.ts',
      'no-runtime-cycle: src-main/beta/b.ts -> src-main/beta/c.ts -> src-main/beta/b.ts',
      'no-test-tooling-in-production: src-main/alpha/a.ts -> src-main/beta/testing/fixture.ts',
      'renderer-independent-of-main: src-renderer/src/screen.ts -> src-main/beta/index.ts',
    ]);
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
});

test('docs/architecture.md explains every rule and every exception of the rule file', () => {
  const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
  const config = createRequire(import.meta.url)(configFile) as { forbidden: { name: string }[] };
  for (const { name } of config.forbidden) assert.ok(doc.includes(name), `docs/architecture.md does not name the rule ${name}`);
  const source = readFileSync(configFile, 'utf8');
  for (const [, path] of source.matchAll(/path: '\^src-main\/([^']+?)\\\\\.ts\$'/g)) {
    assert.ok(doc.includes(`src-main/${path}.ts`), `docs/architecture.md does not list the exception src-main/${path}.ts`);
  }
});
