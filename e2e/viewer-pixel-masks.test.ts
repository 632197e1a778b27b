// Clean Pixel Data in the Viewer, in Debian's Chromium against the real services: an XA image's burned-in flag and
// what research exports will say, a mask rectangle typed and saved for its series (kept in the catalog), and one
// dragged with the mouse on a zoomed and panned frame, saved in image pixels (the frame canvas's own on-screen box
// and backing size are the oracle for where the mouse was in the image), then removed on the frame.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { launchChromium, watchPageErrors } from './support/browser.ts';
import { importFolder, openImage } from './support/library-ui.ts';

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let folder: string;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'angio-e2e-masks-'));
  copyFileSync(join(sharedDataDir(), 'dicom', 'xa', 'XA1_JPLY.dcm'), join(folder, 'XA1_JPLY.dcm'));
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  assert.equal(await importFolder(page, folder), 'succeeded');
});

after(async () => {
  await browser?.close();
  await harness?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test('the Viewer shows the series\' burned-in flag and saves a mask rectangle for it', async () => {
  const instanceId = await openImage(page, '');
  const panel = page.getByTestId('pixel-masks');
  await panel.locator('[data-field="burned-in"]').waitFor();
  const seriesId = (harness.ctx.store.db.prepare('SELECT series_id AS id FROM instances WHERE id = ?').get(instanceId) as { id: number }).id;
  const flag = await panel.locator('[data-field="burned-in"]').textContent();
  if (flag !== 'NO') assert.match((await panel.locator('[data-field="pixel-note"]').textContent()) ?? '', /may show identifying text/);
  const inputs = panel.locator('input[type="number"]');
  await inputs.nth(0).fill('4');
  await inputs.nth(1).fill('6');
  await inputs.nth(2).fill('30');
  await inputs.nth(3).fill('12');
  await panel.locator('[data-action="add-mask"]').click();
  await panel.locator('[data-action="save-masks"]').click();
  await panel.locator('[data-field="pixel-note"]', { hasText: 'masks set for the series were applied' }).waitFor();
  const row = harness.ctx.store.db.prepare('SELECT rects_json AS rects FROM series_pixel_masks WHERE series_id = ?').get(seriesId) as { rects: string } | undefined;
  assert.deepEqual(JSON.parse(row?.rects ?? '[]'), [{ x: 4, y: 6, width: 30, height: 12 }]);
  assert.deepEqual(pageErrors, []);
});

/** Waits until the catalog holds exactly `masks` for the series (the save answers asynchronously). */
async function savedMasks(seriesId: number, masks: unknown[]): Promise<void> {
  const read = () => JSON.parse((harness.ctx.store.db.prepare('SELECT rects_json AS rects FROM series_pixel_masks WHERE series_id = ?').get(seriesId) as { rects: string } | undefined)?.rects ?? '[]');
  for (let tries = 0; tries < 100 && JSON.stringify(read()) !== JSON.stringify(masks); tries++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.deepEqual(read(), masks);
}

/** Screen point of image point (x, y), from the frame canvas's on-screen box and its backing store (image size). */
async function frameToScreen(page: Page, x: number, y: number): Promise<{ sx: number; sy: number; toImage: (sx: number, sy: number) => { x: number; y: number } }> {
  const canvas = page.getByTestId('frame-canvas');
  const box = await canvas.boundingBox();
  const size = await canvas.evaluate((c: HTMLCanvasElement) => ({ width: c.width, height: c.height }));
  assert.ok(box, 'the frame canvas is on screen');
  const sx = box.x + (x * box.width) / size.width;
  const sy = box.y + (y * box.height) / size.height;
  return { sx: Math.round(sx), sy: Math.round(sy), toImage: (px, py) => ({ x: ((px - box.x) * size.width) / box.width, y: ((py - box.y) * size.height) / box.height }) };
}

test('a rectangle dragged on the zoomed, panned frame is saved in image pixels and removed on the frame', async () => {
  const instanceId = Number(await page.getByTestId('stage').getAttribute('data-instance-id'));
  const seriesId = (harness.ctx.store.db.prepare('SELECT series_id AS id FROM instances WHERE id = ?').get(instanceId) as { id: number }).id;
  const { width, height } = await page.getByTestId('frame-canvas').evaluate((c: HTMLCanvasElement) => ({ width: c.width, height: c.height }));
  // Zoom in twice and pan, so screen and image pixels differ by more than the fit.
  await page.getByRole('button', { name: 'Zoom in (+)' }).click();
  await page.getByRole('button', { name: 'Zoom in (+)' }).click();
  const viewport = (await page.getByTestId('viewport').boundingBox())!;
  await page.keyboard.down('Shift');
  await page.mouse.move(viewport.x + viewport.width / 2, viewport.y + viewport.height / 2);
  await page.mouse.down();
  await page.mouse.move(viewport.x + viewport.width / 2 + 60, viewport.y + viewport.height / 2 + 35, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');

  const panel = page.getByTestId('pixel-masks');
  await panel.locator('[data-action="draw-masks"]').click();
  await page.locator('[data-testid="mask-layer"][data-drawing="true"]').waitFor();
  // Aim at pixel centres well inside the frame; the oracle reads back where those screen points fall in the image.
  const from = await frameToScreen(page, Math.floor(width * 0.4) + 0.5, Math.floor(height * 0.45) + 0.5);
  const to = await frameToScreen(page, Math.floor(width * 0.55) + 0.5, Math.floor(height * 0.52) + 0.5);
  const a = from.toImage(from.sx, from.sy);
  const b = from.toImage(to.sx, to.sy);
  const expected = { x: Math.floor(Math.min(a.x, b.x)), y: Math.floor(Math.min(a.y, b.y)), width: Math.ceil(Math.max(a.x, b.x)) - Math.floor(Math.min(a.x, b.x)), height: Math.ceil(Math.max(a.y, b.y)) - Math.floor(Math.min(a.y, b.y)) };
  await page.mouse.move(from.sx, from.sy);
  await page.mouse.down();
  await page.mouse.move(to.sx, to.sy, { steps: 6 });
  await page.mouse.up();

  // The drawn box is shown translucent where the mouse went, and listed in the panel with the same numbers.
  const drawn = page.locator('[data-mask-rect="1"]');
  await drawn.waitFor();
  const shown = (await drawn.boundingBox())!;
  assert.ok(Math.abs(shown.x - Math.min(from.sx, to.sx)) <= 3 && Math.abs(shown.y - Math.min(from.sy, to.sy)) <= 3, `box at ${JSON.stringify(shown)}`);
  assert.equal(await drawn.evaluate((el) => Number.parseFloat(getComputedStyle(el).backgroundColor.split(',')[3] ?? '1') < 1), true, 'the mask is translucent');
  await panel.locator('[data-mask="1"]', { hasText: `x ${expected.x}, y ${expected.y}, ${expected.width}×${expected.height}` }).waitFor();
  const typed = { x: 4, y: 6, width: 30, height: 12 };
  await panel.locator('[data-action="save-masks"]').click();
  await savedMasks(seriesId, [typed, expected]);

  // Removed on the frame, saved: only the typed one is left, and the frame shows one box.
  await page.getByRole('button', { name: `Remove mask 2 (x ${expected.x}, y ${expected.y}, ${expected.width}×${expected.height})` }).click();
  await panel.locator('[data-action="save-masks"]').click();
  await savedMasks(seriesId, [typed]);
  assert.equal(await page.getByTestId('mask-layer').getAttribute('data-masks'), '1');
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="mask-layer"][data-drawing="false"]').waitFor();
  assert.deepEqual(pageErrors, []);
});
