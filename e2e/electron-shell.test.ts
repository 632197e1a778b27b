// The desktop shell, on the built main bundle with `electron` replaced at the module boundary: one instance only,
// the window remembered across launches, the menu and about box, the data and log folders, and the hardening
// rules (navigation, window.open, webviews, permissions, requests, CSP header, IPC sender and message checks).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../src-main/app/paths.ts';
import { RENDERER_CSP } from '../src-main/electron/csp.ts';
import { IPC_INVOKE, IPC_SEND, PIXEL_SCHEME } from '../src-preload/ipc-names.ts';
import { emitApp, fakeConfig, fakeEvent, launchMain, quitMain, recorded } from './support/fake-electron/launch-main.ts';

const rendererDir = pathToFileURL(join(projectRoot(), 'out', 'renderer')).href;
const rendererUrl = `${rendererDir}/index.html`;
const userDataOf = (root: string) => join(root, 'userData');
const freshRoot = () => mkdtempSync(join(tmpdir(), 'angio-shell-'));
type Answer = { ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string } };
const invoke = (sender: unknown, channel: unknown, input: unknown) => recorded.invokeHandlers.get(IPC_INVOKE)!(sender, channel, input) as Promise<Answer>;
const topFrame = { senderFrame: { url: rendererUrl, parent: null } };
const readLog = (root: string) => readFileSync(join(userDataOf(root), 'logs', 'main.log'), 'utf8');

test('a second instance quits at once and the first comes to the front with its files', async () => {
  const root = freshRoot();
  const second = await launchMain({ singleInstanceLock: false, root });
  assert.equal(second.quitCalls, 1);
  assert.equal(second.windows.length, 0, 'the second instance opened a window');
  assert.equal(second.invokeHandlers.size, 0, 'the second instance started services');

  // The first launch was itself asked to open a file (a .dcm double-clicked in the file manager).
  const argv = process.argv;
  process.argv = [argv[0]!, '/data/run0/IM0000.dcm'];
  let first: Awaited<ReturnType<typeof launchMain>>;
  try {
    first = await launchMain({ singleInstanceLock: true, root });
  } finally {
    process.argv = argv;
  }
  const window = first.windows[0]!;
  const trusted = { senderFrame: { url: rendererUrl, parent: null } };
  const atLaunch = await invoke(trusted, 'system.openRequests', {});
  assert.deepEqual(atLaunch.value, { paths: ['/data/run0/IM0000.dcm'] }, 'the renderer takes the launch file once it asks');
  window.minimized = true;
  emitApp('second-instance', fakeEvent(), ['/opt/angio/angio', '--flag', '/data/run1/IM0001.dcm'], '/');
  assert.equal(window.minimized, false);
  assert.equal(window.focused, true);
  assert.match(readLog(root), /second launch asked to open 1 file\(s\)/);
  assert.doesNotMatch(readLog(root), /IM0001/, 'file names can name a patient: never in the log');
  const announced = first.sent.filter((args) => args[1] === 'system.openFiles').map((args) => args[2]);
  assert.deepEqual(announced.at(-1), { paths: ['/data/run1/IM0001.dcm'] }, 'a running renderer hears of the new file');
  assert.deepEqual((await invoke(trusted, 'system.openRequests', {})).value, { paths: ['/data/run1/IM0001.dcm'] });
  await quitMain();
});

test('the window is hardened and the sandbox is on for every renderer', async () => {
  const launched = await launchMain({ root: freshRoot(), isPackaged: true });
  assert.equal(launched.sandboxEnabled, true, 'app.enableSandbox() was not called');
  const prefs = launched.windows[0]!.options.webPreferences as Record<string, unknown>;
  assert.deepEqual(
    { contextIsolation: prefs.contextIsolation, sandbox: prefs.sandbox, nodeIntegration: prefs.nodeIntegration, nodeIntegrationInSubFrames: prefs.nodeIntegrationInSubFrames, webSecurity: prefs.webSecurity, allowRunningInsecureContent: prefs.allowRunningInsecureContent, webviewTag: prefs.webviewTag, spellcheck: prefs.spellcheck, devTools: prefs.devTools },
    { contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false, spellcheck: false, devTools: false },
  );
  assert.equal(launched.windows[0]!.loadedUrl, rendererUrl, 'the window must load the built renderer from disk, nothing remote');
  await quitMain();
});

test('the window comes back where it was left, maximised or not, and never off-screen', async () => {
  const root = freshRoot();
  const stateFile = join(userDataOf(root), 'window-state.json');
  const first = await launchMain({ root });
  assert.deepEqual(first.windows[0]!.options.x, 240, 'a first launch centres the window');
  first.windows[0]!.setBounds({ x: 100, y: 50, width: 1300, height: 820 });
  first.windows[0]!.close();
  await quitMain();
  assert.deepEqual(JSON.parse(readFileSync(stateFile, 'utf8')).bounds, { x: 100, y: 50, width: 1300, height: 820 });
  assert.deepEqual(readdirSync(userDataOf(root)).filter((name) => name.endsWith('.tmp')), [], 'a temporary file was left behind');

  const second = await launchMain({ root });
  const options = second.windows[0]!.options;
  assert.deepEqual([options.x, options.y, options.width, options.height], [100, 50, 1300, 820]);
  second.windows[0]!.maximize();
  second.windows[0]!.close();
  await quitMain();

  const third = await launchMain({ root });
  assert.equal(third.windows[0]!.maximized, true);
  await quitMain();

  writeFileSync(stateFile, JSON.stringify({ bounds: { x: 4000, y: 50, width: 1300, height: 820 }, maximized: false }));
  const unplugged = await launchMain({ root });
  assert.equal(unplugged.windows[0]!.options.x, 240, 'a window on a monitor that is gone must come back on screen');
  await quitMain();
});

test('the menu has the standard roles and the about box lists every version', async () => {
  const root = freshRoot();
  const launched = await launchMain({ root, messageBoxResponse: 1 });
  const template = launched.applicationMenu!.template;
  const flat = (items: Record<string, unknown>[]): Record<string, unknown>[] => items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flat(item.submenu) : [])]);
  const roles = flat(template).map((item) => item.role).filter(Boolean);
  for (const role of ['editMenu', 'windowMenu', 'help', 'togglefullscreen', 'zoomIn', 'resetZoom']) assert.ok(roles.includes(role), `the menu lacks the ${role} role`);
  const about = flat(template).find((item) => item.id === 'about') as { click: () => void };
  about.click();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const box = launched.messageBoxes[0] as { title: string; message: string; detail: string };
  assert.match(box.title, /^About Angio SSL-Quantum$/);
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
  assert.match(box.message, new RegExp(pkg.version.replaceAll('.', '\\.')));
  for (const line of [/^Electron /m, /^Chromium /m, new RegExp(`^Node ${process.versions.node}$`, 'm'), new RegExp(`^V8 ${process.versions.v8.replaceAll('.', '\\.')}$`, 'm'), /^Native engine /m, /^Data folder /m, /^Log file .*main\.log$/m]) {
    assert.match(box.detail, line);
  }
  assert.equal(launched.clipboard, box.detail, '"Copy versions" must put the versions on the clipboard');
  const openLogs = flat(template).find((item) => item.id === 'open-logs') as { click: () => void };
  openLogs.click();
  assert.deepEqual(launched.openedPaths, [join(userDataOf(root), 'logs')]);
  await quitMain();
});

test('data and logs go to the user-data folder unless the environment or settings.json move them', async () => {
  const root = freshRoot();
  await launchMain({ root });
  const byDefault = await invoke(topFrame, 'system.info', {});
  assert.equal(byDefault.value!.dataDir, join(userDataOf(root), 'data'));
  assert.match(readLog(root), /starting; .*data .*\(default\)/);
  await quitMain();

  const settingsDir = freshRoot();
  writeFileSync(join(userDataOf(root), 'settings.json'), JSON.stringify({ dataDir: settingsDir }));
  await launchMain({ root });
  assert.equal((await invoke(topFrame, 'system.info', {})).value!.dataDir, settingsDir);
  await quitMain();

  const envData = freshRoot();
  const envLogs = freshRoot();
  const profile = freshRoot();
  const launched = await launchMain({ root }, { ANGIO_DATA_DIR: envData, ANGIO_LOG_DIR: envLogs, ANGIO_USER_DATA_DIR: profile });
  assert.equal(launched.setPaths.get('userData'), profile, 'ANGIO_USER_DATA_DIR must move the profile');
  assert.equal((await invoke(topFrame, 'system.info', {})).value!.dataDir, envData);
  assert.match(readFileSync(join(envLogs, 'main.log'), 'utf8'), /starting/);
  await quitMain();
});

test('navigation, redirects, new windows and webviews are refused', async () => {
  const launched = await launchMain({ root: freshRoot() });
  const contents = launched.windows[0]!.webContents;
  const navigate = (url: string) => {
    const event = fakeEvent();
    contents.emit('will-navigate', event, url);
    return event.defaultPrevented ? 'blocked' : 'allowed';
  };
  assert.equal(navigate(`${rendererUrl}#/viewer`), 'allowed', 'in-app routes must keep working');
  assert.equal(navigate('https://evil.example/'), 'blocked');
  assert.equal(navigate('file:///etc/passwd'), 'blocked');
  assert.equal(navigate(`${rendererDir}/assets/other.html`), 'blocked', 'another file of the app is not the app');
  const frameNavigation = fakeEvent({ url: rendererUrl, isMainFrame: false });
  contents.emit('will-frame-navigate', frameNavigation);
  assert.equal(frameNavigation.defaultPrevented, true, 'a subframe must not load even the app document');
  const redirect = fakeEvent();
  contents.emit('will-redirect', redirect, 'https://evil.example/');
  assert.equal(redirect.defaultPrevented, true);
  assert.deepEqual(contents.windowOpenHandler!({ url: 'https://evil.example/' }), { action: 'deny' });
  const webview = fakeEvent();
  contents.emit('will-attach-webview', webview, {}, {});
  assert.equal(webview.defaultPrevented, true);
  await quitMain();
});

test('every permission is denied and only the app\'s own files may be requested', async () => {
  const launched = await launchMain({ root: freshRoot() });
  for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
    let granted: boolean | null = null;
    launched.permissionRequestHandler!(null, permission, (answer: boolean) => (granted = answer));
    assert.equal(granted, false, `${permission} was granted`);
    assert.equal(launched.permissionCheckHandler!(null, permission), false);
  }
  assert.equal(launched.devicePermissionHandler!({ deviceType: 'usb' }), false);
  assert.equal(launched.spellCheckerEnabled, false, 'the spell checker downloads dictionaries from the internet');

  const request = (url: string) => {
    let cancel: boolean | null = null;
    launched.beforeRequest!({ url }, (response: { cancel: boolean }) => (cancel = response.cancel));
    return cancel ? 'cancelled' : 'allowed';
  };
  assert.equal(request(`${rendererDir}/assets/index.js`), 'allowed');
  assert.equal(request(`${PIXEL_SCHEME}://pixels/diagnostics.testPattern?params=%7B%7D`), 'allowed');
  assert.equal(request('data:image/png;base64,AAAA'), 'allowed');
  for (const url of ['https://fonts.googleapis.com/css', 'http://127.0.0.1:8080/', 'ws://127.0.0.1:9000/ipc', 'file:///etc/passwd', `${rendererDir}/../main/index.js`, 'ftp://pacs.example/']) {
    assert.equal(request(url), 'cancelled', `${url} was allowed`);
  }

  let headers: Record<string, string[]> = {};
  launched.headersReceived!({ url: rendererUrl, responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } }, (response: { responseHeaders: Record<string, string[]> }) => (headers = response.responseHeaders));
  assert.deepEqual(headers, { 'X-Other': ['1'], 'Content-Security-Policy': [RENDERER_CSP] }, 'a looser CSP from a response must be replaced');
  await quitMain();
});

test('IPC is answered only for the app\'s top frame, and every message is checked against the contract', async () => {
  const root = freshRoot();
  await launchMain({ root });
  const refused = async (sender: unknown, why: string) => assert.equal((await invoke(sender, 'system.info', {})).error?.code, 'forbidden', why);
  await refused({ senderFrame: { url: rendererUrl, parent: { url: rendererUrl } } }, 'a subframe');
  await refused({ senderFrame: { url: 'file:///tmp/evil.html', parent: null } }, 'another file:// page');
  await refused({ senderFrame: { url: `${rendererDir}/assets/other.html`, parent: null } }, 'another file beside the renderer');
  await refused({ senderFrame: { url: `${rendererDir}/index.html.evil`, parent: null } }, 'a look-alike path');
  await refused({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'a remote page');
  await refused({ senderFrame: null }, 'a destroyed frame');
  await refused({}, 'no frame at all');
  assert.equal((await invoke({ senderFrame: { url: `${rendererUrl}#/library`, parent: null } }, 'system.info', {})).ok, true, 'the app on another route');

  assert.equal((await invoke(topFrame, 'system.info', { extra: 1 })).error?.code, 'invalid-input');
  assert.equal((await invoke(topFrame, 'diagnostics.start', { delayMs: 'soon' })).error?.code, 'invalid-input');
  for (const channel of ['no.such.channel', '__proto__', 'constructor', 42, null]) {
    assert.equal((await invoke(topFrame, channel, {})).error?.code, 'unknown-channel', `${String(channel)} reached a handler`);
  }

  const send = recorded.sendHandlers.get(IPC_SEND)!;
  send({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'renderer.log', { level: 'error', message: 'from-a-foreign-frame' });
  send(topFrame, 'renderer.log', { level: 'info', message: 'x'.repeat(5_000) });
  send(topFrame, 'renderer.log', { level: 'info', message: 'from-the-app' });
  const log = readLog(root);
  assert.doesNotMatch(log, /renderer: from-a-foreign-frame/);
  assert.match(log, /refused send renderer\.log from https:\/\/evil\.example/);
  assert.match(log, /refused renderer\.log: Invalid message/);
  assert.match(log, /renderer: from-the-app/);

  const pixels = recorded.protocolHandlers.get(PIXEL_SCHEME)!;
  const bad = (await pixels(new Request(`${PIXEL_SCHEME}://pixels/diagnostics.testPattern?params=${encodeURIComponent('{"width":-1,"height":2}')}`))) as Response;
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { code: string }).code, 'invalid-input');
  await quitMain();
});

test('Electron is never resolved: the fake stood in for every launch', () => {
  assert.ok(fakeConfig.root.length > 0);
  assert.equal(process.versions.electron, undefined);
});
