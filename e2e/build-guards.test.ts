// Checks what only Electron would otherwise catch, on the built bundles: the sandboxed preload is CommonJS that
// requires nothing but `electron` and exposes exactly the contract; the main bundle loads with `electron` replaced
// at the module boundary, answers every contract channel and opens a hardened window.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { projectRoot } from '../src-main/app/paths.ts';
import { invokeChannels, pixelRoutes, sendChannels } from '../src-preload/contract.ts';
import { IPC_INVOKE, IPC_SEND, PIXEL_SCHEME } from '../src-preload/ipc-names.ts';

const out = join(projectRoot(), 'out');

test('the preload bundle is CommonJS and requires only electron', () => {
  const source = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
  const required = [...source.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(required)], ['electron']);
  assert.doesNotMatch(source, /^\s*import\s[^(]/m, 'an ES import statement would fail in a sandboxed preload');
  assert.doesNotMatch(source, /\bimport\(/, 'a dynamic import would fail in a sandboxed preload');
});

test('the preload, run as a sandbox would, exposes exactly the contract API', () => {
  const source = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
  const exposed: Record<string, unknown> = {};
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
    ipcRenderer: { invoke: async () => ({ ok: true, value: null }), send: () => undefined, on: () => undefined, removeListener: () => undefined },
  };
  const sandboxRequire = (name: string) => {
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  vm.runInNewContext(source, { require: sandboxRequire, module, exports: module.exports, console, TextEncoder, TextDecoder, URL, URLSearchParams, fetch });
  const api = exposed.angio as Record<string, unknown>;
  assert.deepEqual(Object.keys(exposed), ['angio']);
  assert.deepEqual(Object.keys(api).sort(), ['invoke', 'on', 'pixels', 'send']);
  assert.deepEqual(Object.keys(api.invoke as object).sort(), Object.keys(invokeChannels).sort());
  assert.deepEqual(Object.keys(api.send as object).sort(), Object.keys(sendChannels).sort());
  assert.deepEqual(Object.keys(api.pixels as object).sort(), Object.keys(pixelRoutes).sort());
});

test('the main bundle loads without the real electron and answers every contract channel', async () => {
  process.env.ANGIO_DATA_DIR = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'angio-main-'));
  register(pathToFileURL(join(projectRoot(), 'e2e', 'support', 'fake-electron', 'hooks.ts')));
  const { recorded } = await import('./support/fake-electron/electron.ts');
  await import(pathToFileURL(join(out, 'main', 'index.js')).href);
  await new Promise((resolve) => setTimeout(resolve, 100));

  const invoke = recorded.invokeHandlers.get(IPC_INVOKE);
  assert.ok(invoke, 'main registered no invoke handler');
  assert.ok(recorded.sendHandlers.get(IPC_SEND), 'main registered no send handler');
  assert.ok(recorded.protocolHandlers.get(PIXEL_SCHEME), 'main registered no pixel protocol');

  const window = recorded.windows[0];
  assert.ok(window, 'main opened no window');
  const rendererUrl = window.loadedUrl ?? '';
  assert.match(rendererUrl, /^file:\/\/.*\/out\/renderer\/index\.html$/);
  const trusted = { senderFrame: { url: rendererUrl, parent: null } };
  for (const channel of Object.keys(invokeChannels)) {
    // A number fits no channel's input: the registry finds each handler (else 'unknown-channel') and the input check
    // refuses the call, so nothing starts (with {} the training channel would start a real run on the bundled worker
    // and keep this process busy for many minutes).
    const answer = (await invoke(trusted, channel, 7)) as { ok: boolean; error?: { code: string } };
    assert.notEqual(answer.error?.code, 'unknown-channel', `${channel} has no handler in the main bundle`);
    assert.equal(answer.ok, false, `${channel} accepted a number as its input`);
  }
  const info = (await invoke(trusted, 'system.info', {})) as { ok: boolean; value: { host: string } };
  assert.equal(info.ok, true);
  assert.equal(info.value.host, 'electron');

  const foreign = (await invoke({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'system.info', {})) as { ok: boolean; error: { code: string } };
  assert.equal(foreign.error.code, 'forbidden', 'IPC from a foreign frame must be refused');

  const prefs = window.options.webPreferences as Record<string, unknown>;
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal((window.webContents.windowOpenHandler?.({ url: 'https://evil.example/' }) as { action: string }).action, 'deny');
  let granted: boolean | null = null;
  recorded.permissionRequestHandler?.(null, 'media', (answer: boolean) => (granted = answer));
  assert.equal(granted, false, 'permission requests must be denied');
});
