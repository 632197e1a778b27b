// The installers' configuration (package.json "build"): valid against the schema shipped in electron-builder, the
// targets and policies IT asks for, real icons, the fuse settings of the afterPack hook — and a real electron-builder
// run (--dir, with a stand-in Electron distribution since the binary cannot be downloaded here) that shows the
// packaged layout: app in app.asar, the addon and its libtorch libraries unpacked side by side, the fuses flipped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../src-main/app/paths.ts';
import { runOracle } from '../src-main/testing/oracle-tool.ts';
import { BUNDLED_WORKERS } from '../src-main/workers/worker-entry.ts';

const root = projectRoot();
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown> & { build: Record<string, any>; dependencies: Record<string, string> };
const config = pkg.build;
const afterPack = require(join(root, 'build', 'after-pack.cjs')) as {
  FUSES: Record<string, boolean>;
  fuseConfig(fuses: unknown, platform: string, arch: string): Record<string, unknown>;
  ADDON_DIR: string;
};

test('the electron-builder config is valid against the JSON schema that ships with electron-builder', async () => {
  const { default: Ajv } = await import('ajv');
  const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  assert.equal(validate(config), true, JSON.stringify(validate.errors, null, 2));
  assert.equal(validate({ ...config, nsis: { ...config.nsis, perMachine: 'yes' } }), false, 'the schema check accepts anything');
  assert.equal(validate({ ...config, autoUpdatr: true }), false, 'a misspelt option must be caught');
});

test('targets: deb and AppImage, a per-machine NSIS installer, a dmg; no auto-update; signing only from the environment', () => {
  const targets = (platform: string) => (config[platform].target as { target: string }[]).map((t) => t.target).sort();
  assert.deepEqual(targets('linux'), ['AppImage', 'deb']);
  assert.deepEqual(targets('win'), ['nsis']);
  assert.deepEqual(targets('mac'), ['dmg']);
  assert.equal(config.nsis.perMachine, true);
  assert.equal(config.nsis.oneClick, false, 'an assisted installer is what supports /S and /D= for IT');
  assert.equal(config.nsis.deleteAppDataOnUninstall, false, 'uninstalling must never delete the catalog');
  assert.equal(config.publish, null, 'auto-update must be off by default');
  assert.equal(config.win.verifyUpdateCodeSignature, false);
  assert.ok(!Object.keys(pkg.dependencies).includes('electron-updater'));
  const secrets = JSON.stringify(config).match(/"(cscLink|cscKeyPassword|certificateFile|certificatePassword|certificateSha1|appleId|appleIdPassword|password|identity)"/gi);
  assert.equal(secrets, null, 'code-signing material belongs in CSC_LINK / CSC_KEY_PASSWORD / APPLE_* environment variables, not the config');
  assert.equal(config.mac.hardenedRuntime, true);
  const entitlements = readFileSync(join(root, config.mac.entitlements), 'utf8');
  assert.deepEqual([...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]), ['com.apple.security.cs.allow-jit']);
});

test('.dcm files open with the app, and the native code is unpacked from the ASAR', () => {
  const dcm = (config.fileAssociations as { ext: string; mimeType?: string }[]).find((association) => association.ext === 'dcm');
  assert.ok(dcm, 'no file association for .dcm');
  assert.equal(dcm.mimeType, 'application/dicom');
  const unpack = config.asarUnpack as string[];
  assert.ok(unpack.includes('src-main/native/build/Release/**'), 'the addon folder (addon + libtorch libraries) must be unpacked');
  assert.ok(unpack.some((pattern) => pattern.startsWith('node_modules/onnxruntime-node/bin')), "onnxruntime's native library must be unpacked");
  assert.equal(config.npmRebuild, false, 'N-API addons need no rebuild for Electron; a rebuild would try to download headers');
  assert.equal(config.afterPack, 'build/after-pack.cjs');
});

function png(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(1, 4).toString('ascii'), 'PNG', `${file} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('the icons are real: PNGs of every Linux size, a multi-size ICO and an ICNS with a 1024 px image', () => {
  assert.deepEqual(png(join(root, 'resources', 'icon.png')), { width: 1024, height: 1024 });
  for (const size of [16, 32, 48, 64, 128, 256, 512]) assert.deepEqual(png(join(root, config.linux.icon, `${size}x${size}.png`)), { width: size, height: size });

  const ico = readFileSync(join(root, config.win.icon));
  assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2)], [0, 1], 'ICO header');
  const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
  assert.ok(sizes.includes(16) && sizes.includes(256), `ICO sizes ${sizes}`);
  const first = ico.readUInt32LE(6 + 12);
  assert.equal(ico.subarray(first + 1, first + 4).toString('ascii'), 'PNG');

  const icns = readFileSync(join(root, config.mac.icon));
  assert.equal(icns.subarray(0, 4).toString('ascii'), 'icns');
  assert.equal(icns.readUInt32BE(4), icns.length);
  const types: string[] = [];
  for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4)) types.push(icns.subarray(offset, offset + 4).toString('ascii'));
  assert.ok(types.includes('ic10') && types.includes('ic07'), `ICNS types ${types}`);
});

test('the afterPack hook turns off RunAsNode, NODE_OPTIONS and --inspect, and turns on cookie encryption and ASAR checks', async () => {
  const fuses = await import('@electron/fuses');
  const linux = afterPack.fuseConfig(fuses, 'linux', 'x64');
  const O = fuses.FuseV1Options;
  assert.deepEqual(linux, {
    version: fuses.FuseVersion.V1,
    resetAdHocDarwinSignature: false,
    [O.RunAsNode]: false,
    [O.EnableCookieEncryption]: true,
    [O.EnableNodeOptionsEnvironmentVariable]: false,
    [O.EnableNodeCliInspectArguments]: false,
    [O.EnableEmbeddedAsarIntegrityValidation]: true,
    [O.OnlyLoadAppFromAsar]: true,
    [O.LoadBrowserProcessSpecificV8Snapshot]: false,
    [O.GrantFileProtocolExtraPrivileges]: true,
    [O.WasmTrapHandlers]: true,
  });
  assert.equal(afterPack.fuseConfig(fuses, 'darwin', 'arm64').resetAdHocDarwinSignature, true, 'arm64 macOS needs its ad-hoc signature redone');
  const numbered = Object.keys(fuses.FuseV1Options).filter((key) => !/^\d+$/.test(key));
  assert.deepEqual(Object.keys(afterPack.FUSES).sort(), numbered.sort(), 'every fuse @electron/fuses knows is decided explicitly');
});

/** A stand-in Electron distribution: a "binary" carrying a fuse wire with every fuse on, as Electron ships it. */
function fakeElectronDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'angio-electron-dist-'));
  mkdirSync(join(dist, 'resources'));
  mkdirSync(join(dist, 'locales'));
  const wire = Buffer.concat([Buffer.from('stand-in electron\0dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX', 'binary'), Buffer.from([1, 9]), Buffer.from('111111111'), Buffer.from(' end')]);
  writeFileSync(join(dist, 'electron'), wire);
  chmodSync(join(dist, 'electron'), 0o755);
  writeFileSync(join(dist, 'LICENSE'), 'MIT');
  writeFileSync(join(dist, 'version'), '45.4.1');
  return dist;
}

test('electron-builder packs the app: code in app.asar, addon with libtorch unpacked, fuses flipped', { skip: process.platform !== 'linux' && 'packs for Linux only', timeout: 300_000 }, async (t) => {
  assert.ok(existsSync(join(root, 'out', 'main', 'index.js')), 'build the bundles first (npm run build)');
  const output = mkdtempSync(join(tmpdir(), 'angio-dist-'));
  const libtorch = mkdtempSync(join(tmpdir(), 'angio-libtorch-'));
  const electronDist = fakeElectronDist();
  t.after(() => {
    for (const dir of [output, libtorch, electronDist]) rmSync(dir, { recursive: true, force: true });
  });
  mkdirSync(join(libtorch, 'lib', 'cmake'), { recursive: true });
  for (const name of ['libtorch.so', 'libtorch_cpu.so', 'libc10.so', 'libgomp-a34b3233.so.1']) writeFileSync(join(libtorch, 'lib', name), 'not really a library');
  writeFileSync(join(libtorch, 'lib', 'libtorch.a'), 'static: not shipped');
  const addonBuilt = existsSync(join(root, 'src-main', 'native', 'build', 'Release', 'angio_native.node'));

  const run = spawnSync(
    join(root, 'node_modules', '.bin', 'electron-builder'),
    ['--linux', 'dir', '--publish', 'never', `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`],
    { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false', ANGIO_LIBTORCH_DIR: libtorch }, timeout: 280_000 },
  );
  assert.equal(run.status, 0, `electron-builder failed:\n${run.stdout}\n${run.stderr}`);
  const app = join(output, 'linux-unpacked');
  const resources = join(app, 'resources');

  const asar = await import('@electron/asar');
  const files = new Set(asar.listPackage(join(resources, 'app.asar'), { isPack: false }).map((file) => file.replaceAll('\\', '/')));
  for (const file of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html']) assert.ok(files.has(file), `${file} is not in app.asar`);
  for (const worker of Object.keys(BUNDLED_WORKERS)) assert.ok(files.has(`/out/main/${worker}.js`), `the ${worker} entry is not in app.asar`);
  assert.ok(![...files].some((file) => file.startsWith('/src-main/') && file.endsWith('.ts')), 'TypeScript sources were packed');
  assert.ok(![...files].some((file) => file.startsWith('/node_modules/electron-builder/') || file.startsWith('/node_modules/electron/')), 'dev dependencies were packed');
  const packedPackage = JSON.parse(asar.extractFile(join(resources, 'app.asar'), 'package.json').toString('utf8'));
  assert.equal(packedPackage.main, 'out/main/index.js');

  assert.ok(!existsSync(join(resources, 'app-update.yml')), 'an update feed was configured');
  assert.deepEqual(png(join(resources, 'icon.png')), { width: 1024, height: 1024 });
  const unpacked = join(resources, afterPack.ADDON_DIR);
  if (addonBuilt) {
    assert.ok(existsSync(join(unpacked, 'angio_native.node')), 'the addon is not unpacked');
    for (const name of ['libtorch.so', 'libtorch_cpu.so', 'libc10.so', 'libgomp-a34b3233.so.1']) assert.ok(existsSync(join(unpacked, name)), `${name} is not beside the addon`);
    assert.ok(!existsSync(join(unpacked, 'libtorch.a')), 'a static library was shipped');
    // The loader finds the libraries beside the addon only through its run path ($ORIGIN, set in binding.gyp).
    const addon = join(unpacked, 'angio_native.node');
    const dynamic = runOracle('readelf', ['-d', addon], { subject: addon }).stdout;
    assert.match(dynamic, /\((RUNPATH|RPATH)\)\s+Library (runpath|rpath): \[[^\]]*\$ORIGIN/, `the addon has no $ORIGIN run path:\n${dynamic}`);
  }
  assert.ok(existsSync(join(resources, 'app.asar.unpacked', 'node_modules', 'onnxruntime-node', 'bin')) || !pkg.dependencies['onnxruntime-node'], "onnxruntime's binaries are not unpacked");
  assert.ok(!existsSync(join(resources, 'app.asar.unpacked', 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'darwin')), 'macOS binaries in a Linux package');

  const fuses = await import('@electron/fuses');
  const wire = await fuses.getCurrentFuseWire(join(app, config.linux.executableName));
  const state = (option: number) => (wire as Record<number, number>)[option];
  const O = fuses.FuseV1Options;
  assert.equal(state(O.RunAsNode), fuses.FuseState.DISABLE);
  assert.equal(state(O.EnableNodeOptionsEnvironmentVariable), fuses.FuseState.DISABLE);
  assert.equal(state(O.EnableNodeCliInspectArguments), fuses.FuseState.DISABLE);
  assert.equal(state(O.EnableCookieEncryption), fuses.FuseState.ENABLE);
  assert.equal(state(O.EnableEmbeddedAsarIntegrityValidation), fuses.FuseState.ENABLE);
  assert.equal(state(O.OnlyLoadAppFromAsar), fuses.FuseState.ENABLE);
});
