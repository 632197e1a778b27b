// The native tests once more under AddressSanitizer and UndefinedBehaviorSanitizer: every source (simulator,
// engine, JPEG lossless decoder, binding) is compiled with -fsanitize=address,undefined into its own folder (never
// node-gyp's build),
// then the two core drivers run, and the binding fuzz runs in Node with the sanitized addon and libasan preloaded.
// Any sanitizer report fails: UBSan halts on its first finding, ASan on every error it detects.
// Objects are cached by content hash under the temp folder, so only the first run pays the compile.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIBTORCH_LIBRARIES, addonCompileWords, compileCached, libtorchWords, link, sourcesUnder } from './testing/native-build.ts';
import { runFuzzChild } from './testing/run-fuzz.ts';

const SANITIZE = ['-fsanitize=address,undefined', '-fno-omit-frame-pointer', '-fno-sanitize-recover=undefined'];
const REPORT = /ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:/;
const UBSAN_OPTIONS = 'halt_on_error=1:print_stacktrace=1';

interface SanitizedBuild {
  quantumDriver: string;
  engineDriver: string;
  addon: string;
}

async function buildSanitized(): Promise<SanitizedBuild> {
  const cache = join(tmpdir(), 'angio-native-tests', 'sanitized');
  const out = mkdtempSync(join(tmpdir(), 'sanitized-'));
  const torchInclude = libtorchWords('include').map((dir) => `-I${dir}`);
  const base = ['-std=c++17', '-O1', '-g', '-fPIC', '-fexceptions', '-frtti', '-w', ...SANITIZE, '-I.'];
  // Every source with the addon's own defines (USE_C10D_GLOO among them), as node-gyp compiles it.
  const core = (sources: string[]) => sources.map((source) => ({ source, words: [...base, ...torchInclude, ...addonCompileWords()] }));
  const quantum = sourcesUnder('quantum');
  const engine = sourcesUnder('engine');
  const jpeg = sourcesUnder('jpeg');
  const binding = [...sourcesUnder('binding'), 'addon.cc'];
  const jobs = [
    ...core([...quantum, ...engine, ...jpeg]),
    ...core(binding),
    ...core(['tests/quantum_core_test.cc', 'tests/engine_core_test.cc']),
  ];
  const objects = new Map<string, string>();
  const compiled = await compileCached(cache, jobs);
  jobs.forEach((job, i) => objects.set(job.source, compiled[i]!));
  const of = (sources: string[]) => sources.map((source) => objects.get(source)!);
  const linker = libtorchWords('linker');
  const rpaths = linker.filter((word) => word.startsWith('-L')).map((word) => `-Wl,-rpath,${word.slice(2)}`);
  const torch = [...linker, ...rpaths, ...LIBTORCH_LIBRARIES];
  const build: SanitizedBuild = {
    quantumDriver: join(out, 'quantum_core_test'),
    engineDriver: join(out, 'engine_core_test'),
    addon: join(out, 'angio_native.node'),
  };
  await link(build.quantumDriver, of(['tests/quantum_core_test.cc', ...quantum]), [...SANITIZE, '-lpthread']);
  await link(build.engineDriver, of(['tests/engine_core_test.cc', ...engine, ...quantum]), [...SANITIZE, ...torch]);
  // -Bsymbolic: Node's executable exports its own RTTI-less copies of libstdc++ template vtables; without it the
  // addon's objects would get those, and UBSan's dynamic type check would report objects the addon made itself.
  await link(build.addon, of([...binding, ...engine, ...quantum, ...jpeg]), ['-shared', '-Wl,-Bsymbolic', ...SANITIZE, ...torch]);
  return build;
}

let built: SanitizedBuild;
// The first build compiles every source with the sanitizers (minutes); later runs reuse the cached objects.
before(async () => {
  built = await buildSanitized();
}, { timeout: 3_600_000 });

function assertClean(name: string, run: { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }) {
  const output = `${run.stdout}\n${run.stderr}`;
  const report = REPORT.exec(output);
  assert.equal(report, null, `${name}: sanitizer report:\n${output.slice(Math.max(0, (report?.index ?? 0) - 2000), (report?.index ?? 0) + 6000)}`);
  assert.equal(run.signal, null, `${name} died of ${run.signal}:\n${output.slice(-4000)}`);
  assert.equal(run.status, 0, `${name} failed:\n${output.slice(-4000)}`);
}

test('the simulator core driver runs clean under ASan and UBSan (leak checking on)', { timeout: 900_000 }, () => {
  const { quantumDriver } = built;
  const run = spawnSync(quantumDriver, { encoding: 'utf8', timeout: 300_000, env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1', UBSAN_OPTIONS } });
  assertClean('quantum_core_test', run);
  assert.match(run.stdout, /^0 failed$/m);
});

test('the engine core driver runs clean under ASan and UBSan', { timeout: 900_000 }, () => {
  const { engineDriver } = built;
  const scratch = mkdtempSync(join(tmpdir(), 'engine-core-asan-'));
  const run = spawnSync(engineDriver, [scratch], { encoding: 'utf8', timeout: 600_000, env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1', UBSAN_OPTIONS } });
  assertClean('engine_core_test', run);
  assert.match(run.stdout, /^0 failed$/m);
});

test('the binding fuzz runs clean in Node with the sanitized addon (libasan preloaded)', { timeout: 1_800_000 }, () => {
  const { addon } = built;
  const libasan = spawnSync('gcc', ['-print-file-name=libasan.so'], { encoding: 'utf8' }).stdout.trim();
  assert.ok(libasan.startsWith('/'), `gcc does not know where libasan.so is (${libasan})`);
  // Leak checking is off for the Node host only: Node and V8 keep their heaps until exit by design, and LSan
  // would report those allocations rather than any of the addon's. Every other ASan check stays on.
  const { run, report } = runFuzzChild({
    LD_PRELOAD: libasan,
    ANGIO_ADDON_PATH: addon,
    ASAN_OPTIONS: 'detect_leaks=0',
    UBSAN_OPTIONS,
  });
  assertClean('fuzz child', run);
  assert.deepEqual(report.untyped, []);
  assert.deepEqual(report.cases, report.exports);
});
