// The app frame in Debian's Chromium against the real services over the loopback harness: live system values,
// an event-streamed job, a binary pixel transfer, typed errors for invalid messages, and the harness's token.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { readSystemInfo } from '../src-main/system/system-info.ts';
import { testPattern } from '../src-main/diagnostics/self-check.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];

before(async () => {
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

test('the frame shows navigation for every screen and live system values from main', async () => {
  const expected = readSystemInfo(harness.ctx);
  const panel = page.getByTestId('system-panel');
  await panel.locator('[data-field="appVersion"]').waitFor();
  assert.equal(await panel.locator('[data-field="appVersion"]').textContent(), expected.appVersion);
  assert.equal(await panel.locator('[data-field="nodeVersion"]').textContent(), process.versions.node);
  assert.equal(await panel.locator('[data-field="dataDir"]').textContent(), harness.ctx.dataDir);
  assert.equal(await panel.locator('[data-field="host"]').textContent(), 'harness');
  const addonText = (await panel.locator('[data-field="addon"]').textContent())?.trim();
  assert.equal(addonText, expected.addon.loaded ? `loaded (v${expected.addon.version})` : 'not loaded');
  const labels = await page.locator('nav [data-route]').allTextContents();
  for (const screen of ['Library', 'Viewer', 'Curation', 'Splits', 'Training', 'Results', 'Reports']) {
    assert.ok(labels.some((label) => label.startsWith(screen)), `navigation lacks ${screen}: ${labels.join(', ')}`);
  }
  await page.keyboard.press('Alt+4');
  assert.equal(await page.locator('h1#screen-title').textContent(), 'Splits');
  await page.keyboard.press('Alt+1');
  await keepScreenshot(page, 'app-frame');
});

test('the self-check job streams progress and one event per check to the panel', async () => {
  await page.locator('[data-action="self-check"]').click();
  await page.locator('.checks[data-status="succeeded"], .checks[data-status="failed"]').waitFor({ timeout: 15_000 });
  const rows = await page.locator('.checks li').allTextContents();
  assert.deepEqual(rows.map((row) => row.slice(2)).sort(), ['catalog', 'data folder', 'native addon', 'shared data']);
  assert.ok(rows.filter((row) => row.startsWith('✓')).length >= 3, `checks: ${rows.join(' | ')}`);
  await keepScreenshot(page, 'self-check');
});

test('pixels cross as binary and arrive bit-exact', async () => {
  const samples = await page.evaluate(async () => {
    const angio = (window as unknown as { angio: import('../src-preload/api.ts').AngioApi }).angio;
    const result = await angio.pixels['diagnostics.testPattern']({ width: 300, height: 7 });
    if (!result.ok) throw new Error(result.error.message);
    return { meta: result.value.meta, samples: Array.from(new Uint16Array(result.value.data)) };
  });
  assert.deepEqual(samples.meta, { width: 300, height: 7, format: 'gray16' });
  assert.deepEqual(samples.samples, Array.from(testPattern(300, 7)));
  assert.match((await page.getByTestId('test-pattern-status').textContent()) ?? '', /64×16 gray16, 2048 bytes/);
});

test('an invalid message gets a typed error and the services keep answering', async () => {
  const answers = await page.evaluate(async () => {
    const angio = (window as unknown as { angio: Record<string, Record<string, (input: unknown) => Promise<unknown>>> }).angio;
    const badInput = await angio.invoke!['diagnostics.start']!({ delayMs: 'soon' });
    const extraKey = await angio.invoke!['system.info']!({ sneaky: true });
    const badPixels = await angio.pixels!['diagnostics.testPattern']!({ width: -1, height: 2 });
    const stillAlive = await angio.invoke!['system.info']!({});
    return { badInput, extraKey, badPixels, stillAlive };
  });
  for (const answer of [answers.badInput, answers.extraKey, answers.badPixels] as { ok: boolean; error: { code: string; message: string } }[]) {
    assert.equal(answer.ok, false);
    assert.equal(answer.error.code, 'invalid-input');
    assert.ok(answer.error.message.length > 10);
  }
  assert.equal((answers.stillAlive as { ok: boolean }).ok, true);
});

test('the preload-equivalent API exposes exactly the contract and nothing else', async () => {
  const shape = await page.evaluate(() => {
    const angio = (window as unknown as { angio: Record<string, unknown> }).angio;
    return Object.fromEntries(Object.entries(angio).map(([key, value]) => [key, typeof value === 'function' ? 'function' : Object.keys(value as object).sort()]));
  });
  const contract = await import('../src-preload/contract.ts');
  assert.deepEqual(shape, {
    invoke: Object.keys(contract.invokeChannels).sort(),
    send: Object.keys(contract.sendChannels).sort(),
    pixels: Object.keys(contract.pixelRoutes).sort(),
    on: 'function',
  });
});

test('the harness refuses requests without its token or from another origin', async () => {
  const base = new URL(harness.url);
  const noToken = await fetch(`${base.origin}/`);
  assert.equal(noToken.status, 401);
  const wrongToken = await fetch(`${base.origin}/?token=not-the-token`);
  assert.equal(wrongToken.status, 401);
  const { WebSocket } = await import('ws');
  const status = await new Promise<number | string>((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${harness.host.port}/ipc?token=${harness.host.token}`, { origin: 'http://evil.example' });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => resolve('opened'));
    socket.on('error', () => resolve('error'));
  });
  assert.equal(status, 401);
  assert.equal(base.hostname, '127.0.0.1');
});

test('the page ran without script errors', () => {
  assert.deepEqual(pageErrors, []);
});
