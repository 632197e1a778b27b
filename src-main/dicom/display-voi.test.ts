// The display function on MONOCHROME1: a VOI LUT (clipping below its first mapped value and past its last entry)
// and a window, each followed by the inversion, against dcmtk's dcm2pnm and pydicom's apply_voi_lut on the same files.
// The files are built at test time from a real XA sample (ingest/testing/angio-fixtures.py).
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decodePng } from '../png/png.ts';
import { frameToGrey } from '../ingest/render.ts';
import { writeAngioFixtures, type AngioFixtures } from '../ingest/testing/angio-fixtures.ts';
import { runOracle } from '../testing/oracle-tool.ts';
import { runPython } from '../testing/python-oracle.ts';
import { readDicom } from './dataset.ts';
import { renderGrey8 } from './display.ts';
import { decodeFrame, describeImage } from './image.ts';

let fixtures: AngioFixtures;

before(() => {
  fixtures = writeAngioFixtures();
});

after(() => rmSync(fixtures.dir, { recursive: true, force: true }));

async function firstFrame(path: string) {
  const parsed = readDicom(readFileSync(path), path);
  const image = describeImage(parsed, path);
  return { image, frame: await decodeFrame(parsed, image, 0, path) };
}

/** dcm2pnm's 8-bit rendering of frame 1 with the given VOI options (e.g. +Wl 1: the first VOI LUT). */
function dcmtkGrey(path: string, voiOptions: string[], name: string): Uint8Array {
  const png = join(fixtures.dir, `${name}.png`);
  runOracle('dcm2pnm', [...voiOptions, '+on', path, png], { subject: path, timeoutMs: 60_000 });
  const decoded = decodePng(new Uint8Array(readFileSync(png)), png);
  assert.equal(decoded.channels, 1, 'dcm2pnm wrote a grey PNG');
  return decoded.pixels as Uint8Array;
}

function worstDifference(ours: ArrayLike<number>, theirs: ArrayLike<number>): { worst: number; differing: number } {
  assert.equal(ours.length, theirs.length, 'image sizes differ');
  let worst = 0;
  let differing = 0;
  for (let i = 0; i < ours.length; i++) {
    const d = Math.abs((ours[i] as number) - (theirs[i] as number));
    if (d > worst) worst = d;
    if (d > 0) differing++;
  }
  return { worst, differing };
}

test('MONOCHROME1 through its VOI LUT renders like dcmtk (dcm2pnm +Wl 1) and pydicom apply_voi_lut, within one grey level', async () => {
  const path = fixtures.files.voiLut;
  const { image, frame } = await firstFrame(path);
  assert.equal(image.photometric, 'MONOCHROME1');
  assert.ok(image.voiLut, 'the VOI LUT sequence is read');
  assert.deepEqual(image.windows, [], 'no window: the LUT is the VOI');
  const ours = renderGrey8(frame.pixels, { rescale: image.rescale, voiLut: image.voiLut, invert: true });
  assert.deepEqual(frameToGrey(frame, image).pixels, ours, 'ingest renders thumbnails and key frames with the same function');

  const dcmtk = worstDifference(ours, dcmtkGrey(path, ['+Wl', '1'], 'voi-lut'));
  assert.ok(dcmtk.worst <= 1, `dcmtk: worst difference ${dcmtk.worst} grey levels (${dcmtk.differing} pixels differ)`);

  // pydicom maps through the LUT (clipping at both ends); scaled by the LUT's bit depth and inverted for MONOCHROME1.
  const pydicom = runPython<{ grey: number[]; belowFirst: number; pastLast: number }>(
    `
import json, sys, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import apply_voi_lut
ds = pydicom.dcmread(json.load(sys.stdin))
arr = ds.pixel_array
lut = ds.VOILUTSequence[0]
entries, first, bits = lut.LUTDescriptor
shown = np.round(apply_voi_lut(arr, ds, index=0).astype(np.float64) / (2 ** bits - 1) * 255)
if ds.PhotometricInterpretation == 'MONOCHROME1':
    shown = 255 - shown
print(json.dumps({'grey': shown.astype(int).reshape(-1).tolist(), 'belowFirst': int((arr < first).sum()), 'pastLast': int((arr >= first + entries).sum())}))
`,
    path,
  );
  assert.ok(pydicom.belowFirst > 0 && pydicom.pastLast > 0, 'the image has values on both sides of the LUT, so clipping is exercised');
  const theirs = worstDifference(ours, pydicom.grey);
  assert.ok(theirs.worst <= 1, `pydicom: worst difference ${theirs.worst} grey levels (${theirs.differing} pixels differ)`);
});

test('MONOCHROME1 with a window renders like dcmtk (dcm2pnm +Wi 1), within one grey level, and inverts MONOCHROME2', async () => {
  const path = fixtures.files.window;
  const { image, frame } = await firstFrame(path);
  assert.equal(image.photometric, 'MONOCHROME1');
  const window = image.windows[0];
  assert.ok(window, 'the window is read');
  const ours = renderGrey8(frame.pixels, { rescale: image.rescale, window, voiFunction: image.voiFunction, invert: true });
  assert.deepEqual(frameToGrey(frame, image).pixels, ours);
  const dcmtk = worstDifference(ours, dcmtkGrey(path, ['+Wi', '1'], 'window'));
  assert.ok(dcmtk.worst <= 1, `dcmtk: worst difference ${dcmtk.worst} grey levels (${dcmtk.differing} pixels differ)`);
  const upright = renderGrey8(frame.pixels, { rescale: image.rescale, window, voiFunction: image.voiFunction, invert: false });
  assert.ok(upright.every((grey, i) => grey + (ours[i] as number) === 255), 'MONOCHROME1 is the inverse of the same values shown as MONOCHROME2');
});
