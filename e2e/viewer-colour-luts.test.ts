// What the Viewer paints in Chromium for colour JPEG 2000, palette colour, a Modality LUT, VOI LUTs and a SIGMOID
// window: the canvas's 8-bit channels against dcmtk's dcm2pnm (of gdcm's uncompressed copy for JPEG 2000, which
// dcmtk cannot decode), within one level.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { dcm2pnmFrames, type PnmImage } from '../src-main/dicom/testing/independent-decoders.ts';
import { writeLutFile } from '../src-main/dicom/testing/lut-oracles.ts';
import { oracleDecompress } from '../src-main/dicom/testing/oracle.ts';
import { sha256Hex } from '../src-main/store/blobs.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { launchChromium, watchPageErrors } from './support/browser.ts';
import { canvasChannel } from './support/canvas.ts';
import { importFolder, openImage, waitInPage } from './support/library-ui.ts';

const misc = join(sharedDataDir(), 'dicom', 'misc');

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
const files: Record<string, string> = {};

before(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'angio-colour-luts-'));
  for (const name of ['VL1_J2KR.dcm', 'OT-PAL-8-face.dcm', 'mlut_18.dcm', 'vlut_04.dcm']) {
    files[name] = join(folder, name);
    copyFileSync(join(misc, name), files[name]);
  }
  for (const kind of ['voi-lut-12bit-mono1', 'window-sigmoid'] as const) {
    files[kind] = join(folder, `${kind}.dcm`);
    copyFileSync(writeLutFile(kind), files[kind]);
  }
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
});

/** Opens the instance imported from `file` (found by the source's content hash). */
async function open(file: string): Promise<void> {
  const row = harness.ctx.store.db.prepare('SELECT id FROM instances WHERE source_sha256 = ?').get(sha256Hex(readFileSync(file))) as { id: number } | undefined;
  assert.ok(row, `${basename(file)} was imported`);
  await openImage(page, `[data-instance-id="${row.id}"]`);
}

async function painted(channels: 1 | 3): Promise<{ width: number; height: number; pixels: Uint8Array }> {
  const planes = [];
  for (let c = 0; c < channels; c++) planes.push(await canvasChannel(page, 'frame-canvas', c as 0 | 1 | 2));
  const { width, height } = planes[0] as { width: number; height: number };
  const pixels = new Uint8Array(width * height * channels);
  for (let c = 0; c < channels; c++) for (let i = 0; i < width * height; i++) pixels[i * channels + c] = planes[c]!.values[i]!;
  return { width, height, pixels };
}

async function worstAgainst(expected: PnmImage): Promise<number> {
  const shown = await painted(expected.channels);
  assert.deepEqual([shown.width, shown.height], [expected.width, expected.height]);
  let worst = 0;
  for (let i = 0; i < shown.pixels.length; i++) worst = Math.max(worst, Math.abs((shown.pixels[i] as number) - (expected.pixels[i] as number)));
  return worst;
}

function check(name: string, worst: number): void {
  process.stdout.write(`# ${name}: max |canvas − dcm2pnm| ${worst}\n`);
  assert.ok(worst <= 1, `${name}: the canvas is ${worst} levels from dcm2pnm`);
}

test('colour JPEG 2000 (YBR_RCT) paints the colours gdcm decodes, as dcm2pnm renders them', async () => {
  await open(files['VL1_J2KR.dcm']!);
  check('VL1_J2KR', await worstAgainst(dcm2pnmFrames(oracleDecompress('jpeg-2000', files['VL1_J2KR.dcm']!))[0]!));
});

test('palette colour paints the palette\'s colours, as dcm2pnm renders them', async () => {
  await open(files['OT-PAL-8-face.dcm']!);
  check('OT-PAL-8-face', await worstAgainst(dcm2pnmFrames(files['OT-PAL-8-face.dcm']!)[0]!));
});

for (const [name, options] of [
  ['vlut_04.dcm', ['+Wl', '1']],
  ['voi-lut-12bit-mono1', ['+Wl', '1']],
  ['window-sigmoid', ['+Wi', '1']],
] as const) {
  test(`${name} opens painted through the file's own VOI (dcm2pnm ${options.join(' ')})`, async () => {
    await open(files[name]!);
    check(name, await worstAgainst(dcm2pnmFrames(files[name]!, options)[0]!));
  });
}

test('mlut_18: a window typed in applies to the Modality LUT\'s output, as dcm2pnm +Ww does', async () => {
  await open(files['mlut_18.dcm']!);
  const paints = Number(await page.getByTestId('frame-canvas').getAttribute('data-paints'));
  await page.locator('[data-field="window-center"]').fill('30000');
  await page.locator('[data-field="window-width"]').fill('40000');
  await page.locator('[data-action="apply-window"]').click();
  await waitInPage(page, (before) => Number(document.querySelector('[data-testid="frame-canvas"]')?.getAttribute('data-paints')) > before, paints);
  check('mlut_18 +Ww 30000 40000', await worstAgainst(dcm2pnmFrames(files['mlut_18.dcm']!, ['+Ww', '30000', '40000'])[0]!));
});

test('the viewer page ran without script errors', () => {
  assert.deepEqual(pageErrors, []);
});
