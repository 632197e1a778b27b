// Builds the engine core's own test driver (no N-API, no Node: src-main/native/tests/engine_core_test.cc) and
// runs it. The driver links the very engine and simulator objects node-gyp compiled into the addon, so what it
// checks is the code that ships; a build older than its sources fails the test rather than testing stale code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, globSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { LIBTORCH_LIBRARIES, NATIVE_DIR, compileCached, libtorchWords, link } from './testing/native-build.ts';

const BUILD = join(NATIVE_DIR, 'build');
const ADDON_OBJECTS = join(BUILD, 'Release', 'obj.target', 'angio_native');

/** An object is fresh when it is newer than every file its make dependency list (node-gyp's .d file) names. */
function isFresh(object: string): boolean {
  const depfile = join(BUILD, 'Release', '.deps', relative(BUILD, object) + '.d');
  if (!existsSync(object) || !existsSync(depfile)) return false;
  // Line 1 is the command; then "target: dep \" continuation lines up to the first line without a backslash.
  const lines = readFileSync(depfile, 'utf8').split('\n').slice(1);
  const end = lines.findIndex((line) => !line.endsWith('\\'));
  const dependencies = lines.slice(0, end + 1).join(' ').replaceAll('\\', ' ').split(/\s+/).filter((word) => word && !word.endsWith(':'));
  const built = statSync(object).mtimeMs;
  return dependencies.length > 0 && dependencies.every((dependency) => statSync(resolve(BUILD, dependency)).mtimeMs <= built);
}

test('the engine core passes its own test driver: steps, shapes, resume, and refusals of bad sizes', async () => {
  const coreSources = globSync('{engine,quantum}/*.cc', { cwd: NATIVE_DIR }).sort();
  const coreObjects = coreSources.map((source) => {
    const object = join(ADDON_OBJECTS, source.replace(/\.cc$/, '.o'));
    assert.ok(isFresh(object), `the addon's object for ${source} is missing or older than its sources: run \`npm run build:addon\` first`);
    return object;
  });

  const scratch = mkdtempSync(join(tmpdir(), 'engine-core-'));
  const words = ['-std=c++17', '-O1', '-Wall', '-Wextra', '-fPIC', '-I.', ...libtorchWords('include').map((dir) => `-I${dir}`)];
  const [driver] = await compileCached(join(tmpdir(), 'angio-native-tests', 'engine-core'), [{ source: 'tests/engine_core_test.cc', words }]);
  const binary = join(scratch, 'engine_core_test');
  await link(binary, [driver!, ...coreObjects], [...libtorchWords('linker'), ...LIBTORCH_LIBRARIES]);

  const run = spawnSync(binary, [scratch], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(run.signal, null, `the driver died of ${run.signal}:\n${run.stdout}${run.stderr}`);
  assert.equal(run.status, 0, `engine core checks failed:\n${run.stdout}${run.stderr}`);
  assert.match(run.stdout, /^0 failed$/m);
  assert.ok((run.stdout.match(/^ok /gm) ?? []).length >= 60, `fewer checks ran than the driver holds:\n${run.stdout}`);
});
