// electron-builder afterPack hook (runs after the app is copied into its platform folder, before signing):
// 1. copies the libtorch shared libraries next to the unpacked native addon, so the loader finds them at run time
//    (Windows: the addon's folder is searched for its DLLs; Linux/macOS: the addon's rpath is $ORIGIN/@loader_path);
// 2. flips the Electron fuses of the packaged binary. CommonJS because electron-builder requires hooks.
'use strict';
const { copyFileSync, existsSync, readdirSync, readFileSync } = require('node:fs');
const { delimiter, join } = require('node:path');

/** Where the addon is unpacked inside the package (asarUnpack in package.json "build"). */
const ADDON_DIR = join('app.asar.unpacked', 'src-main', 'native', 'build', 'Release');
const SHARED_LIBRARY = { linux: /\.so(\.\d+)*$/, win32: /\.dll$/i, darwin: /\.dylib$/ };

/**
 * The fuses, by name (FuseV1Options). Turned off: everything that lets a local user or another program make the
 * signed binary run arbitrary code (RunAsNode, NODE_OPTIONS, --inspect) or load an app other than ours.
 */
const FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  // Checked on macOS and Windows (Electron ≥ 30); electron-builder embeds the hash. Linux has no integrity check.
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  // The renderer is served from file:// (module scripts, fetch of its own assets) and needs these privileges;
  // turn this off once the renderer moves to a custom app:// protocol.
  GrantFileProtocolExtraPrivileges: true,
  WasmTrapHandlers: true,
};

/** The @electron/fuses configuration for one platform/arch (`fuses` is the loaded @electron/fuses module). */
function fuseConfig(fuses, platform, arch) {
  const config = { version: fuses.FuseVersion.V1, resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64' };
  for (const [name, value] of Object.entries(FUSES)) {
    if (!(name in fuses.FuseV1Options)) throw new Error(`@electron/fuses does not know the fuse ${name}; update it or this hook`);
    config[fuses.FuseV1Options[name]] = value;
  }
  return config;
}

const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

function layout(context) {
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const product = context.packager.appInfo.productFilename;
  if (platform === 'darwin') {
    const app = join(context.appOutDir, `${product}.app`);
    return { platform, binary: app, resources: join(app, 'Contents', 'Resources') };
  }
  if (platform === 'win32') return { platform, binary: join(context.appOutDir, `${product}.exe`), resources: join(context.appOutDir, 'resources') };
  return { platform, binary: join(context.appOutDir, context.packager.executableName), resources: join(context.appOutDir, 'resources') };
}

/** Copies <ANGIO_LIBTORCH_DIR>/lib's shared libraries (and onnxruntime's, if ANGIO_EXTRA_NATIVE_LIBS names folders). */
function copyNativeLibraries(context, env = process.env, log = console) {
  const { platform, resources } = layout(context);
  const target = join(resources, ADDON_DIR);
  if (!existsSync(join(target, 'angio_native.node'))) {
    if (env.ANGIO_REQUIRE_ADDON === '1') throw new Error(`the native addon is not in the package (${target}): run \`npm run build:addon\` first`);
    log.warn(`after-pack: no native addon at ${target}; the app will run without the engine`);
    return [];
  }
  const folders = [env.ANGIO_LIBTORCH_DIR && join(env.ANGIO_LIBTORCH_DIR, 'lib'), ...(env.ANGIO_EXTRA_NATIVE_LIBS ?? '').split(delimiter)].filter(Boolean);
  if (folders.length === 0) {
    if (env.ANGIO_REQUIRE_LIBTORCH === '1') throw new Error('ANGIO_LIBTORCH_DIR is not set: point it at the unpacked libtorch for this platform');
    log.warn('after-pack: ANGIO_LIBTORCH_DIR is not set; the addon will need a system-wide libtorch');
    return [];
  }
  const copied = [];
  for (const folder of folders) {
    if (!existsSync(folder)) throw new Error(`after-pack: native library folder ${folder} does not exist`);
    for (const name of readdirSync(folder).filter((file) => SHARED_LIBRARY[platform].test(file))) {
      copyFileSync(join(folder, name), join(target, name));
      copied.push(name);
    }
  }
  log.info?.(`after-pack: copied ${copied.length} native libraries next to the addon`);
  // The loader finds them only if the addon looks in its own folder (binding.gyp: -Wl,-rpath,'$$ORIGIN' on Linux,
  // -Wl,-rpath,@loader_path on macOS). Windows searches the addon's folder by itself.
  const ownFolder = { linux: '$ORIGIN', darwin: '@loader_path' }[platform];
  if (ownFolder && !readFileSync(join(target, 'angio_native.node')).includes(ownFolder)) {
    const message = `the addon has no ${ownFolder} rpath, so the bundled libraries will not be found at run time; add it to binding.gyp`;
    if (env.ANGIO_REQUIRE_LIBTORCH === '1') throw new Error(`after-pack: ${message}`);
    log.warn(`after-pack: ${message}`);
  }
  return copied;
}

async function afterPack(context) {
  copyNativeLibraries(context);
  const fuses = await import('@electron/fuses');
  const { platform, binary } = layout(context);
  await fuses.flipFuses(binary, fuseConfig(fuses, platform, ARCH_NAMES[context.arch] ?? String(context.arch)));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.fuseConfig = fuseConfig;
module.exports.layout = layout;
module.exports.copyNativeLibraries = copyNativeLibraries;
module.exports.ADDON_DIR = ADDON_DIR;
