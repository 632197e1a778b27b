// What the Viewer paints in Chromium for every image file of the corpus (../shared/data/dicom, xa and misc): each
// file imported through the Library, opened in the Viewer, and its first frame (first, middle and last of a
// multi-frame file) read back from the canvas and compared with dcm2pnm under the window the Viewer opens with (the
// file's first window, its VOI LUT, or the Viewer's own default as +Ww), within one grey level. YBR_FULL is held to
// pydicom's conversion exactly and to dcm2pnm within dcmtk's own truncation, as in src-main/ingest/corpus-coverage.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { oracleDecompress } from '../src-main/dicom/testing/oracle.ts';
import { runOracle } from '../src-main/testing/oracle-tool.ts';
import { launchChromium } from './support/browser.ts';
import { CorpusCanvas, throughTheLibrary } from './support/corpus-canvas.ts';
import { readFirstFrame, screenPlan, screenTests, ScreenTally, type FirstFrame, type ScreenPlan } from './support/screen-tests.ts';

const dicomDir = join(sharedDataDir(), 'dicom');

/** Files the app decodes in Node; non-images and damaged files are the unit test's (their rejection is checked there). */
async function plan(): Promise<ScreenPlan[]> {
  const planned: ScreenPlan[] = [];
  for (const folder of ['xa', 'misc']) {
    for (const name of readdirSync(join(dicomDir, folder)).sort()) {
      const file = `${folder}/${name}`;
      const path = join(dicomDir, file);
      let read: FirstFrame;
      try {
        read = await readFirstFrame(path, file);
      } catch {
        continue;
      }
      const decoder = read.parsed.transferSyntax.decoder;
      // dcm2pnm renders uncompressed data only: compressed files through an independent decoder's copy.
      planned.push(screenPlan(read, { label: file, path, name: basename(path), pydicomSource: path, uncompressed: () => (decoder === 'native' ? path : uncompressed(decoder, path)) }));
    }
  }
  return planned;
}

/** dcmtk's uncompressed copy, else gdcm's (which writes what dcmdjpeg refuses); JPEG 2000 is gdcm's only. */
function uncompressed(decoder: Parameters<typeof oracleDecompress>[0], path: string): string {
  try {
    return oracleDecompress(decoder, path);
  } catch (error) {
    if (decoder === 'jpeg-2000') throw error;
    const output = join(mkdtempSync(join(tmpdir(), 'angio-oracle-')), 'decoded.dcm');
    runOracle('gdcmconv', ['--raw', path, output], { subject: path });
    return output;
  }
}

const files = await plan();

let browser: Browser;
let canvas: CorpusCanvas;
const tally = new ScreenTally();
/** Files sharing a SOP Instance UID (one file in several encodings) go into successive libraries. */
const library = throughTheLibrary(files, () => canvas);

before(async () => {
  browser = await launchChromium();
  canvas = new CorpusCanvas(browser);
});

after(async () => {
  await canvas?.close();
  await browser?.close();
});

screenTests(library.ordered, library.paint, tally);

test('every image file of the corpus was painted, and the pages ran without script errors', async () => {
  await canvas.close();
  process.stdout.write(`# Chromium: ${tally.files} files, ${tally.frames} frames, worst max |canvas − dcm2pnm| ${tally.grey} (YBR_FULL apart), ${library.libraries} libraries\n`);
  assert.ok(files.length >= 30, `only ${files.length} image files decoded`);
  assert.equal(tally.files, files.length);
  assert.deepEqual(canvas.pageErrors, []);
});
