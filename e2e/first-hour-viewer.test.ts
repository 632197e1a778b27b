// The Viewer's conventions as OHIF, Weasis and Horos users expect them, walked in Debian's Chromium at 1280×800
// against the real services: the wheel steps frames and Ctrl+wheel zooms; the cine rate is the file's by default,
// can be set within 1–60 frames/s, and a run with a Frame Time Vector plays each frame for its own time; the study's
// runs sit in a thumbnail strip; a frame pinned with C stays beside the live view while another run is opened; and
// every key the hint line lists does something (B and P among them).
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { runOracle } from '../src-main/testing/oracle-tool.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { importFolder, openImage, waitForAllFrames, waitInPage } from './support/library-ui.ts';

const CINE = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');
// A second run of the same study whose frames are spaced by a Frame Time Vector: 33 ms for the first 48 steps, then
// 100 ms (written with dcmtk's dcmodify, read back with dcmdump below).
const VECTOR = [0, ...Array.from({ length: 95 }, (_, i) => (i < 48 ? 33 : 100))];

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let scratch: string;
let cineId: number;
let vectorId: number;

type Row = Record<string, unknown>;
const query = (sql: string, ...args: (string | number)[]): Row[] => harness.ctx.store.db.prepare(sql).all(...args) as Row[];
const shownFrame = async () => Number(await page.locator('[data-testid="stage"] [data-testid="frame-canvas"]').getAttribute('data-frame'));
const waitForShownFrame = (frame: number) =>
  waitInPage(page, (f) => document.querySelector('[data-testid="stage"] [data-testid="frame-canvas"]')?.getAttribute('data-frame') === String(f), frame);
const zoomShown = async () => Number(/(\d+)%/.exec((await page.locator('[data-testid="stage"] .hud.tr').textContent()) ?? '')![1]);

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'angio-first-hour-viewer-'));
  copyFileSync(CINE, join(scratch, 'cine.dcm'));
  const uneven = join(scratch, 'cine-vector.dcm');
  copyFileSync(CINE, uneven);
  runOracle('dcmodify', ['-nb', '-gse', '-gin', '-ea', '(0018,1063)', '-i', `(0018,1065)=${VECTOR.join('\\')}`, '-i', '(0020,0011)=2', uneven], { subject: uneven });
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  pageErrors = watchPageErrors(page);
  await page.clock.install();
  await page.goto(harness.url);
  assert.equal(await importFolder(page, scratch), 'succeeded');
  const runs = query("SELECT i.id, s.series_number AS number FROM instances i JOIN series s ON s.id = i.series_id WHERE i.kind = 'image' ORDER BY s.series_number");
  assert.equal(runs.length, 2, 'both runs imported');
  cineId = runs.find((r) => r.number !== 2)!.id as number;
  vectorId = runs.find((r) => r.number === 2)!.id as number;
});

after(async () => {
  await browser?.close();
  await harness?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('the mouse wheel steps frames and Ctrl+wheel zooms about the pointer', { timeout: 120_000 }, async () => {
  await openImage(page, `[data-instance-id="${cineId}"]`);
  await waitForAllFrames(page);
  const box = (await page.getByTestId('viewport').first().boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const zoomBefore = await zoomShown();
  for (let i = 0; i < 3; i++) await page.mouse.wheel(0, 100);
  await waitForShownFrame(3);
  await page.mouse.wheel(0, -100);
  await waitForShownFrame(2);
  assert.equal(await zoomShown(), zoomBefore, 'the wheel alone does not zoom');
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -100);
  await page.keyboard.up('Control');
  await waitInPage(page, (z) => Number(/(\d+)%/.exec(document.querySelector('[data-testid="stage"] .hud.tr')?.textContent ?? '')?.[1]) > z, zoomBefore);
  assert.ok(Math.abs((await zoomShown()) - zoomBefore * 1.15) <= 1, 'Ctrl+wheel zooms by one step (×1.15)');
  assert.equal(await shownFrame(), 2, 'Ctrl+wheel does not step');
  await page.keyboard.press('0');
});

test('the cine rate is the file\'s by default, can be set within 1–60 frames/s, and playback follows it', { timeout: 120_000 }, async () => {
  const dump = runOracle('dcmdump', ['+P', '0018,1063', CINE], { subject: CINE }).stdout;
  const frameTimeMs = Number(/\[([\d.]+)\]/.exec(dump)![1]);
  const rate = page.getByTestId('cine-fps');
  assert.equal(Number(await rate.inputValue()), Number((1000 / frameTimeMs).toFixed(1)), 'the file\'s rate');
  for (const [typed, kept] of [['0', '1'], ['240', '60'], ['10', '10']] as const) {
    await rate.fill(typed);
    await rate.press('Enter');
    await rate.blur();
    assert.equal(await rate.inputValue(), kept, `${typed} fps is kept as ${kept}`);
  }
  await keepScreenshot(page, 'first-hour-viewer-rate-10fps');

  await page.getByTestId('viewport').first().focus();
  await page.keyboard.press('Home');
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);
  await page.locator('[data-action="play"]').click();
  let elapsed = 0;
  for (const t of [250, 1_250, 3_750]) {
    await page.clock.runFor(t - elapsed);
    elapsed = t;
    await waitForShownFrame(Math.floor(t / 100));
  }
  await page.keyboard.press(' ');
  await page.clock.resume();
  await page.locator('[data-action="file-rate"]').click();
  assert.equal(Number(await rate.inputValue()), Number((1000 / frameTimeMs).toFixed(1)), 'back to the file\'s rate');
});

test('the study\'s runs are a thumbnail strip; a run with a Frame Time Vector plays each frame for its own time', { timeout: 120_000 }, async () => {
  const strip = page.getByTestId('series-strip');
  const oracle = query("SELECT i.id FROM instances i JOIN series s ON s.id = i.series_id WHERE i.kind = 'image' AND s.study_id = (SELECT s2.study_id FROM instances i2 JOIN series s2 ON s2.id = i2.series_id WHERE i2.id = ?) ORDER BY i.id", cineId).map((r) => String(r.id));
  await strip.locator('button[data-instance-id]').nth(oracle.length - 1).waitFor();
  const listed = await strip.locator('button[data-instance-id]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-instance-id')!));
  assert.deepEqual([...listed].sort(), oracle.sort(), 'every image of the study, from the catalog');
  assert.equal(await strip.locator('[aria-current="true"]').getAttribute('data-instance-id'), String(cineId));
  await strip.locator('[data-testid="thumbnail"][data-loaded="true"]').nth(oracle.length - 1).waitFor();
  await strip.locator(`button[data-instance-id="${vectorId}"]`).click();
  await page.locator(`[data-testid="stage"][data-instance-id="${vectorId}"] [data-testid="frame-canvas"][data-frame]`).waitFor();
  assert.equal(await strip.locator('[aria-current="true"]').getAttribute('data-instance-id'), String(vectorId));
  await waitForAllFrames(page);

  // The vector as the file holds it (dcmdump), and each frame's start from it: frame k starts at the sum of steps 1..k.
  const vectorDump = runOracle('dcmdump', ['+L', '+P', '0018,1065', join(scratch, 'cine-vector.dcm')], { subject: 'the vector run' }).stdout;
  const steps = /\[([^\]]+)\]/.exec(vectorDump)![1]!.split('\\').map(Number);
  assert.equal(steps.length, 96);
  const starts = steps.map((_, k) => steps.slice(1, k + 1).reduce((a, b) => a + b, 0));
  await page.getByTestId('viewport').first().focus();
  await page.keyboard.press('Home');
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);
  await page.locator('[data-action="play"]').click();
  let elapsed = 0;
  for (const frame of [20, 47, 60, 90]) {
    // 24 ms into the frame: rAF ticks every 16 ms, and the shortest step is 33 ms.
    const t = starts[frame]! + 24;
    await page.clock.runFor(t - elapsed);
    elapsed = t;
    await waitForShownFrame(frame);
    if (frame === 60) await keepScreenshot(page, 'first-hour-viewer-frame-time-vector');
  }
  await page.keyboard.press(' ');
  await page.clock.resume();
  const readout = (await page.getByTestId('frame-readout').textContent()) ?? '';
  assert.match(readout, new RegExp(`Frame 91 / 96 · ${(starts[90]! / 1000).toFixed(3)} s`));
});

test('C pins the frame beside the live view; another run opens beside it; Close ends the comparison', { timeout: 120_000 }, async () => {
  await page.getByTestId('viewport').first().focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
  await waitForShownFrame(9);
  await page.keyboard.press('c');
  const pane = page.getByTestId('compare-pane');
  await pane.waitFor();
  assert.equal(await pane.getAttribute('data-instance-id'), String(vectorId));
  assert.equal(await pane.getAttribute('data-frame'), '9');
  assert.match((await page.getByTestId('compare-label').textContent()) ?? '', /series 2 .*frame 10\/96/);
  await page.getByTestId('series-strip').locator(`button[data-instance-id="${cineId}"]`).click();
  await page.locator(`[data-testid="stage"][data-instance-id="${cineId}"] [data-testid="frame-canvas"][data-frame]`).waitFor();
  assert.equal(await pane.getAttribute('data-instance-id'), String(vectorId), 'the pinned run stays while another is opened');
  assert.equal(await pane.locator('[data-testid="frame-canvas"]').getAttribute('data-frame'), '9', 'the pinned frame was drawn');
  const [live, pinned] = await Promise.all([page.locator('[data-testid="stage"]').boundingBox(), pane.boundingBox()]);
  assert.ok(live && pinned && pinned.x >= live.x + live.width - 1 && Math.abs(pinned.y - live.y) < 2, 'side by side');
  await keepScreenshot(page, 'first-hour-viewer-compare');
  await pane.locator('[data-action="close-compare"]').click();
  await pane.waitFor({ state: 'detached' });
});

/** What a key name in the hint line means to Playwright. */
const KEY_NAMES: Record<string, string> = { Space: ' ', '←': 'ArrowLeft', '→': 'ArrowRight', '−': '-' };

test('every key the hint line lists is handled in the Viewer, B and P choose the box and point tools', { timeout: 120_000 }, async () => {
  const listed = await page.locator('[data-screen="viewer"] .keys kbd').allTextContents();
  for (const key of ['B', 'P', 'K', 'Q', 'C']) assert.ok(listed.includes(key), `${key} is in the hint line`);
  // A listener added after the app's sees whether any of them handled the key (they prevent its default).
  await page.evaluate(() => {
    const handled: Record<string, boolean> = {};
    (window as unknown as { handled: typeof handled }).handled = handled;
    window.addEventListener('keydown', (event) => (handled[(event.shiftKey ? 'Shift+' : '') + event.key] = event.defaultPrevented));
  });
  const unhandled: string[] = [];
  for (const label of listed) {
    if (label === 'Ctrl') continue; // a modifier of the wheel, checked above
    const key = KEY_NAMES[label] ?? (label.startsWith('Shift+') ? label : label.length === 1 ? label.toLowerCase() : label);
    await page.getByTestId('viewport').first().focus();
    await page.keyboard.press(key);
    const seen = label.startsWith('Shift+') ? `Shift+${label.slice(6)}` : key;
    if (!(await page.evaluate((k) => (window as unknown as { handled: Record<string, boolean> }).handled[k], seen))) unhandled.push(label);
    if (label === 'B') assert.equal(await page.locator('[data-action="tool-box"]').getAttribute('aria-pressed'), 'true', 'B: the box tool');
    if (label === 'P') assert.equal(await page.locator('[data-action="tool-point"]').getAttribute('aria-pressed'), 'true', 'P: the point tool');
    // Tools and panes a key turned on go off again so the next key starts from the plain view.
    await page.keyboard.press('Escape');
    if (label === 'Space') await page.keyboard.press(' ');
    if (label === 'C') await page.keyboard.press('c');
  }
  assert.deepEqual(unhandled, [], 'keys listed but not handled');
  assert.deepEqual(pageErrors, []);
});
