// The Viewer in Debian's Chromium against the real services: the 96-frame XA cine plays at the file's frame time
// under Playwright's clock, window/level renders the same grey levels as dcmtk's dcmj2pnm on XA1_UNC, keyboard
// stepping, window/level by mouse drag, "use this frame", and the playback rate measured (reported, not asserted).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { decodePng } from '../src-main/png/png.ts';
import { runOracle } from '../src-main/testing/oracle-tool.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { ARTIFACTS_DIR, keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { canvasChannel } from './support/canvas.ts';
import { importFolder, openImage, waitForAllFrames, waitInPage } from './support/library-ui.ts';

const XA_DIR = join(sharedDataDir(), 'dicom', 'xa');
const CINE_FRAME_TIME_MS = 33; // (0018,1063) of XA_cine_96f_jpeg_baseline.dcm, read again below with dcmdump
const CINE_ROW = '[data-frames="96"]';
const XA1_UNC_ROW = '[data-transfer-syntax="1.2.840.10008.1.2.1"]';

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];

before(async () => {
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  pageErrors = watchPageErrors(page);
  // The page's clock is Playwright's from the start: it flows in real time until a test pauses it.
  await page.clock.install();
  await page.goto(harness.url);
  assert.equal(await importFolder(page, XA_DIR), 'succeeded');
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

const shownFrame = async (p: Page) => Number(await p.getByTestId('frame-canvas').getAttribute('data-frame'));
const waitForShownFrame = (p: Page, frame: number) =>
  waitInPage(p, (f) => document.querySelector('[data-testid="frame-canvas"]')?.getAttribute('data-frame') === String(f), frame);

test('the cine run opens at frame 1 with its projection, frame time and all 96 frames loaded', async () => {
  const cine = join(XA_DIR, 'XA_cine_96f_jpeg_baseline.dcm');
  const dump = runOracle('dcmdump', ['+P', '0018,1063', cine], { subject: cine }).stdout;
  assert.match(dump, new RegExp(`\\[${CINE_FRAME_TIME_MS}\\]`), `frame time in the file: ${dump}`);
  await openImage(page, CINE_ROW);
  await waitForAllFrames(page);
  assert.equal(await shownFrame(page), 0);
  assert.match((await page.getByTestId('frame-readout').textContent()) ?? '', /Frame 1 \/ 96 · 0\.000 s/);
  assert.equal(await page.locator('[data-field="projection"]').textContent(), 'RAO 32 CRA 2');
  assert.match((await page.getByTestId('cine').textContent()) ?? '', /30\.3 fps/);
  assert.match((await page.getByTestId('ecg').textContent()) ?? '', /No ECG was recorded/);
  await keepScreenshot(page, 'viewer-cine-opened');
});

test('under a controlled clock, the frame shown t ms after Play is floor(t / frame time), wrapping when looping', async () => {
  await page.keyboard.press('Home');
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + 1_000);
  await page.locator('[data-action="play"]').click();
  // rAF ticks every 16 ms of page time: elapsed times 24 ms into a frame keep the last tick inside the same frame.
  let elapsed = 0;
  for (const t of [30 * CINE_FRAME_TIME_MS + 24, 57 * CINE_FRAME_TIME_MS + 24, 100 * CINE_FRAME_TIME_MS + 24]) {
    await page.clock.runFor(t - elapsed);
    elapsed = t;
    const expected = Math.floor(t / CINE_FRAME_TIME_MS) % 96;
    await waitForShownFrame(page, expected);
    assert.equal(await shownFrame(page), expected, `after ${t} ms`);
    assert.equal(await page.getByTestId('frame-readout').getAttribute('data-frame'), String(expected));
    if (expected === 30) await keepScreenshot(page, 'viewer-cine-playing-frame-31');
  }
  await page.keyboard.press(' ');
  assert.equal(await page.locator('[data-action="play"]').getAttribute('aria-pressed'), 'false');
  await page.clock.runFor(500);
  assert.equal(await shownFrame(page), 4, 'paused: the frame stays');
  await page.clock.resume();
});

test('arrow keys step one frame and pause; the slider seeks', async () => {
  await page.getByTestId('viewport').focus();
  await page.keyboard.press('ArrowRight');
  await waitForShownFrame(page, 5);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await waitForShownFrame(page, 3);
  await page.locator('input[aria-label="Frame"]').evaluate((slider: HTMLInputElement) => {
    slider.value = '60';
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await waitForShownFrame(page, 60);
  assert.match((await page.getByTestId('frame-readout').textContent()) ?? '', /Frame 61 \/ 96 · 1\.980 s/);
});

test('"use this frame" adds the frame to the dataset with the run\'s patient', async () => {
  await page.locator('[data-action="use-frame"]').click();
  const notice = page.getByTestId('notice-ok');
  await notice.waitFor();
  const text = (await notice.textContent()) ?? '';
  const match = /Frame 61 is now dataset item #(\d+) for patient (P-[0-9A-F]+)/.exec(text);
  assert.ok(match, text);
  const row = harness.ctx.store.db
    .prepare('SELECT d.frame_index AS frame, p.pseudonym FROM dataset_items d JOIN patients p ON d.patient_id = p.id WHERE d.id = ?')
    .get(Number(match[1])) as { frame: number; pseudonym: string };
  assert.deepEqual({ ...row }, { frame: 60, pseudonym: match[2] });
  await keepScreenshot(page, 'viewer-use-frame');
  await page.locator('[data-action="use-frame"]').click();
  await page.getByTestId('notice-ok').filter({ hasText: 'already in the dataset' }).waitFor();
});

/** The red channel of the frame canvas's backing store (full resolution). */
async function canvasGrey(p: Page): Promise<{ width: number; height: number; grey: Uint8Array }> {
  const { width, height, values } = await canvasChannel(p, 'frame-canvas', 0);
  return { width, height, grey: values };
}

async function setWindow(p: Page, center: number, width: number): Promise<void> {
  const paints = Number(await p.getByTestId('frame-canvas').getAttribute('data-paints'));
  await p.locator('[data-field="window-center"]').fill(String(center));
  await p.locator('[data-field="window-width"]').fill(String(width));
  await p.locator('[data-action="apply-window"]').click();
  await waitInPage(p, (before) => Number(document.querySelector('[data-testid="frame-canvas"]')?.getAttribute('data-paints')) > before, paints);
}

test('window/level renders XA1_UNC with the same grey levels as dcmtk (dcmj2pnm +Ww), within 1', async () => {
  await openImage(page, XA1_UNC_ROW);
  const out = mkdtempSync(join(tmpdir(), 'angio-dcmtk-'));
  for (const [center, width] of [
    [200, 300],
    [120.5, 64],
    [256, 513],
  ] as const) {
    await setWindow(page, center, width);
    const shown = await canvasGrey(page);
    const png = join(out, `xa1-${center}-${width}.png`);
    const source = join(XA_DIR, 'XA1_UNC.dcm');
    runOracle('dcmj2pnm', ['+Ww', String(center), String(width), '+on', source, png], { subject: source });
    const oracle = decodePng(new Uint8Array(readFileSync(png)), png);
    assert.deepEqual([shown.width, shown.height], [oracle.width, oracle.height]);
    let worst = 0;
    let differing = 0;
    for (let i = 0; i < shown.grey.length; i++) {
      const d = Math.abs(shown.grey[i]! - (oracle.pixels[i] as number));
      if (d > worst) worst = d;
      if (d > 0) differing++;
    }
    assert.ok(worst <= 1, `window ${center}/${width}: worst difference ${worst} grey levels (${differing} pixels differ)`);
    if (center === 200) await keepScreenshot(page, 'viewer-xa1-window-200-300');
  }
});

test('dragging on the image changes window/level; invert and reset act on the view', async () => {
  await setWindow(page, 200, 300);
  const viewport = page.getByTestId('viewport');
  const box = (await viewport.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 40, { steps: 6 });
  await page.mouse.up();
  const width = Number(await page.locator('[data-field="window-width"]').inputValue());
  const center = Number(await page.locator('[data-field="window-center"]').inputValue());
  assert.ok(width > 300, `dragging right widens the window: ${width}`);
  assert.ok(center > 200, `dragging down raises the level: ${center}`);
  await keepScreenshot(page, 'viewer-xa1-after-drag');
  await page.keyboard.press('i');
  assert.equal(await page.locator('[data-action="invert"]').getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await keepScreenshot(page, 'viewer-xa1-inverted-zoomed');
  await page.keyboard.press('r');
  assert.equal(await page.locator('[data-action="invert"]').getAttribute('aria-pressed'), 'false');
  assert.equal(await page.locator('[data-preset="angio"]').getAttribute('aria-pressed'), 'true');
});

test('playback speed of the 512² cine in real time (reported, not asserted)', async () => {
  const live = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const liveErrors = watchPageErrors(live);
  await live.goto(harness.url);
  await openImage(live, CINE_ROW);
  await waitForAllFrames(live);
  const seconds = 4;
  const result = await live.evaluate(async (ms) => {
    const canvas = document.querySelector('[data-testid="frame-canvas"]') as HTMLCanvasElement;
    const paints = () => Number(canvas.dataset.paints);
    (document.querySelector('[data-action="play"]') as HTMLButtonElement).click();
    await new Promise((resolve) => setTimeout(resolve, 300)); // let playback settle
    const startPaints = paints();
    const startFrame = Number(canvas.dataset.frame);
    const t0 = performance.now();
    let frames = 0;
    let last = canvas.dataset.frame;
    let maxGap = 0;
    let lastChange = t0;
    await new Promise<void>((resolve) => {
      const watch = () => {
        const now = performance.now();
        if (canvas.dataset.frame !== last) {
          frames++;
          maxGap = Math.max(maxGap, now - lastChange);
          lastChange = now;
          last = canvas.dataset.frame;
        }
        if (now - t0 >= ms) resolve();
        else requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
    });
    const elapsed = performance.now() - t0;
    (document.querySelector('[data-action="play"]') as HTMLButtonElement).click();
    return { elapsed, frames, paints: paints() - startPaints, startFrame, endFrame: Number(canvas.dataset.frame), maxGap };
  }, seconds * 1000);
  const fps = (result.frames / result.elapsed) * 1000;
  const report = {
    cine: 'XA_cine_96f_jpeg_baseline.dcm (512×512, 8-bit, 96 frames, frame time 33 ms = 30.3 fps)',
    measuredSeconds: +(result.elapsed / 1000).toFixed(2),
    framesShown: result.frames,
    framesPerSecond: +fps.toFixed(1),
    nominalFramesPerSecond: +(1000 / CINE_FRAME_TIME_MS).toFixed(1),
    longestGapMs: +result.maxGap.toFixed(1),
    chromium: browser.version(),
  };
  console.log(`playback: ${JSON.stringify(report)}`);
  writeFileSync(join(ARTIFACTS_DIR, 'viewer-playback-fps.json'), `${JSON.stringify(report, null, 2)}\n`);
  await keepScreenshot(live, 'viewer-cine-live-playback');
  assert.ok(result.frames > 0, 'playback advanced at all');
  assert.deepEqual(liveErrors, []);
  await live.close();
});

test('the viewer page ran without script errors', () => {
  assert.deepEqual(pageErrors, []);
});
