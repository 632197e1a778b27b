// What the Viewer paints in Chromium for every image file of the corpus (../shared/data/dicom, xa and misc): each
// file imported through the Library, opened in the Viewer, and its first frame (first, middle and last of a
// multi-frame file) read back from the canvas and compared with dcm2pnm under the window the Viewer opens with (the
// file's first window, its VOI LUT, or the Viewer's own default as +Ww), within one grey level. YBR_FULL is held to
// pydicom's conversion exactly and to dcm2pnm within dcmtk's own truncation, as in src-main/ingest/corpus-coverage.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { readDicom, text } from '../src-main/dicom/dataset.ts';
import { decodeFrame, describeImage } from '../src-main/dicom/image.ts';
import { dcm2pnmFrames, implicitVrCopy, pydicomYbrAsRgb, type PnmImage } from '../src-main/dicom/testing/independent-decoders.ts';
import { oracleDecompress } from '../src-main/dicom/testing/oracle.ts';
import { canvasFramesChecked, dcm2pnmWindow, openingWindow, viewerFrameOf } from '../src-main/ingest/testing/viewer-screen.ts';
import { runOracle } from '../src-main/testing/oracle-tool.ts';
import { sha256Hex } from '../src-main/store/blobs.ts';
import { launchChromium } from './support/browser.ts';
import { CorpusCanvas, maxDifference, roundsByInstanceUid } from './support/corpus-canvas.ts';

const dicomDir = join(sharedDataDir(), 'dicom');
/** dcmtk's per-term integer YBR tables land up to 2 levels from the equations pydicom follows (see the unit test). */
const YBR_DCM2PNM_LEVELS = 2;

interface Planned {
  file: string;
  path: string;
  /** The name it is imported under. */
  name: string;
  sha: string;
  uid: string;
  frames: number;
  /** Frames read back from the canvas: the first; first, middle and last of a multi-frame file. */
  picked: number[];
  dcm2pnm: string[];
  /** How the test names the rendering: dcm2pnm's window flags, or colour. */
  how: string;
  ybr: boolean;
  /** What dcm2pnm renders: the file itself when uncompressed, else an independent decoder's uncompressed copy. */
  rendered: () => string;
}

/** Files the app decodes in Node; non-images and damaged files are the unit test's (their rejection is checked there). */
async function plan(): Promise<Planned[]> {
  const planned: Planned[] = [];
  for (const folder of ['xa', 'misc']) {
    for (const name of readdirSync(join(dicomDir, folder)).sort()) {
      const file = `${folder}/${name}`;
      const path = join(dicomDir, file);
      const bytes = readFileSync(path);
      let parsed, image, first;
      try {
        parsed = readDicom(bytes, file);
        image = describeImage(parsed, file);
        first = await decodeFrame(parsed, image, 0, file);
      } catch {
        continue;
      }
      const { source, window } = openingWindow(viewerFrameOf(first, image), image);
      const n = image.numberOfFrames;
      const decoder = parsed.transferSyntax.decoder;
      planned.push({
        file,
        path,
        name: basename(path),
        sha: sha256Hex(bytes),
        uid: text(parsed.dataSet, 'x00080018') ?? file,
        frames: n,
        picked: canvasFramesChecked(n),
        dcm2pnm: dcm2pnmWindow(source, window),
        how: source === 'colour' ? 'dcm2pnm (colour)' : `dcm2pnm ${dcm2pnmWindow(source, window).join(' ')} (${source})`,
        ybr: first.photometric.startsWith('YBR_FULL'),
        rendered: () => {
          const source = decoder === 'native' ? path : uncompressed(decoder, path);
          // dcm2pnm reads 32-bit samples only as OW.
          return first.bitsAllocated === 32 ? implicitVrCopy(source) : source;
        },
      });
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

/** Files sharing a SOP Instance UID (one file in several encodings) go into successive libraries. */
const rounds = roundsByInstanceUid(files);

let browser: Browser;
let canvas: CorpusCanvas;
const worst = { grey: 0, files: 0, frames: 0 };

before(async () => {
  browser = await launchChromium();
  canvas = new CorpusCanvas(browser);
});

after(async () => {
  await canvas?.close();
  await browser?.close();
});

for (const [round, members] of rounds.entries()) {
  for (const planned of members) {
    const frames = planned.picked.map((i) => i + 1).join(', ');
    const bound = planned.ybr ? `${YBR_DCM2PNM_LEVELS} levels of ${planned.how} and exactly pydicom's YBR→RGB` : `1 level of ${planned.how}`;
    test(`${planned.file}: the canvas (frame ${frames} of ${planned.frames}) is within ${bound}`, async () => {
      await canvas.enterRound(round, members);
      await canvas.open(planned.sha, planned.file);
      const expected: PnmImage[] = dcm2pnmFrames(planned.rendered(), planned.dcm2pnm);
      assert.equal(expected.length, planned.frames, `dcm2pnm rendered ${expected.length} frames`);
      const pydicom = planned.ybr ? pydicomYbrAsRgb(planned.path) : null;
      let max = 0;
      for (const index of planned.picked) {
        await canvas.showFrame(index);
        const reference = expected[index]!;
        const shown = await canvas.painted(reference.channels);
        assert.deepEqual([shown.width, shown.height], [reference.width, reference.height], `frame ${index + 1}: canvas size`);
        max = Math.max(max, maxDifference(shown.pixels, reference.pixels));
        if (pydicom) {
          const size = shown.pixels.length;
          const ours = pydicom.slice(index * size, (index + 1) * size);
          assert.equal(maxDifference(shown.pixels, ours), 0, `frame ${index + 1}: the canvas differs from pydicom's convert_color_space`);
        }
      }
      process.stdout.write(`# ${planned.file}: max |canvas − ${planned.how}| ${max} over frame ${frames}\n`);
      assert.ok(max <= (planned.ybr ? YBR_DCM2PNM_LEVELS : 1), `${planned.file}: the canvas is ${max} levels from dcm2pnm`);
      if (!planned.ybr) worst.grey = Math.max(worst.grey, max);
      worst.files++;
      worst.frames += planned.picked.length;
    });
  }
}

test('every image file of the corpus was painted, and the pages ran without script errors', async () => {
  await canvas.close();
  process.stdout.write(`# Chromium: ${worst.files} files, ${worst.frames} frames, worst max |canvas − dcm2pnm| ${worst.grey} (YBR_FULL apart), ${rounds.length} libraries\n`);
  assert.ok(files.length >= 30, `only ${files.length} image files decoded`);
  assert.equal(worst.files, files.length);
  assert.deepEqual(canvas.pageErrors, []);
});
