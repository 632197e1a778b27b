// Modality LUT Sequence, VOI LUT Sequence and non-linear window functions reach the screen: what the viewer receives
// equals pydicom's apply_modality_lut / apply_voi_lut, and the renderer's final 8-bit grey (src-renderer's voi.ts on
// that frame) and the thumbnail grey stay within one level of dcmtk's dcm2pnm (pydicom for LINEAR_EXACT, which
// dcmtk 3.6.7 does not implement).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { frameSamples } from '../../src-renderer/src/lib/frame-samples.ts';
import { buildGreyLut, renderGrey, windowSpanning, type VoiWindow } from '../../src-renderer/src/lib/voi.ts';
import { sharedDataDir } from '../app/paths.ts';
import { readDicom } from '../dicom/dataset.ts';
import { decodeFrame, describeImage, type DecodedFrame, type ImageDescription } from '../dicom/image.ts';
import { dcm2pnmFrames } from '../dicom/testing/independent-decoders.ts';
import { pydicomGrey, writeLutFile } from '../dicom/testing/lut-oracles.ts';
import { frameToGrey } from './render.ts';
import { dicomViewerFrame, type ViewerFrame } from './viewer-frame.ts';

const misc = join(sharedDataDir(), 'dicom', 'misc');

async function firstFrame(path: string): Promise<{ image: ImageDescription; frame: DecodedFrame; viewer: ViewerFrame }> {
  const parsed = readDicom(readFileSync(path), path);
  const image = describeImage(parsed, path);
  const frame = await decodeFrame(parsed, image, 0, path);
  return { image, frame, viewer: dicomViewerFrame(frame, image, { frames: 1, frameTimeMs: null }) };
}

/** What the Viewer paints: the renderer's own grey LUT over the frame it received, with `window` or the frame's own. */
function screenGrey(viewer: ViewerFrame, window?: VoiWindow): Uint8Array {
  const { meta } = viewer;
  const shown = window ?? meta.window;
  assert.ok(shown, 'a window to paint with');
  const samples = frameSamples(meta.format, viewer.bytes.slice().buffer);
  const lut = buildGreyLut({
    bitsStored: meta.bitsStored,
    signed: meta.format.startsWith('grayS'),
    rescale: meta.rescale,
    window: shown,
    voiFunction: meta.voiFunction,
    invert: meta.photometric === 'MONOCHROME1',
  });
  const rgba = new Uint32Array(samples.length);
  renderGrey(samples, lut, rgba);
  return Uint8Array.from(rgba, (pixel) => pixel & 0xff);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

function report(name: string, what: string, difference: number): number {
  process.stdout.write(`# ${name}: ${what} ${difference}\n`);
  return difference;
}

function dcmtkGrey(file: string, options: string[]): Uint8Array {
  const rendered = dcm2pnmFrames(file, options)[0];
  assert.equal(rendered?.channels, 1);
  return rendered.pixels;
}

test('mlut_18 (Modality LUT Sequence): the viewer gets pydicom\'s modality values; min–max grey within one level of dcm2pnm +Wm', async () => {
  const file = join(misc, 'mlut_18.dcm');
  const { image, frame, viewer } = await firstFrame(file);
  assert.ok(image.modalityLut, 'the Modality LUT Sequence is read');
  const pydicom = pydicomGrey(file);
  assert.deepEqual([viewer.meta.format, viewer.meta.bitsStored, viewer.meta.rescale], ['gray16', 16, { slope: 1, intercept: 0 }]);
  assert.equal(maxDifference(frameSamples('gray16', viewer.bytes.slice().buffer), pydicom.modality), 0, 'modality values differ from pydicom');
  const minMax = windowSpanning(
    pydicom.modality.reduce((a, b) => Math.min(a, b)),
    pydicom.modality.reduce((a, b) => Math.max(a, b)),
  );
  const dcmtk = dcmtkGrey(file, ['+Wm']);
  assert.ok(report('mlut_18', 'max |screen − dcm2pnm +Wm|', maxDifference(screenGrey(viewer, minMax), dcmtk)) <= 1);
  assert.ok(report('mlut_18', 'max |thumbnail − dcm2pnm +Wm|', maxDifference(frameToGrey(frame, image).pixels, dcmtk)) <= 1);
});

// The VOI LUT's output is sent with the window that shows it as is: output / (2^bits − 1) of white.
const VOI_LUT_FILES = [
  { name: 'vlut_04.dcm', path: () => join(misc, 'vlut_04.dcm') },
  { name: 'a 12-bit VOI LUT mapped from 100 on MONOCHROME1 (pydicom)', path: () => writeLutFile('voi-lut-12bit-mono1') },
];

for (const { name, path } of VOI_LUT_FILES) {
  test(`${name}: the viewer gets pydicom's VOI LUT output; screen and thumbnail within one level of dcm2pnm +Wl 1`, async () => {
    const file = path();
    const { image, frame, viewer } = await firstFrame(file);
    assert.ok(image.voiLut, 'the VOI LUT Sequence is read');
    assert.deepEqual(image.windows, [], 'no window: the VOI LUT is what the file asks for');
    const pydicom = pydicomGrey(file);
    assert.equal(viewer.meta.bitsStored, image.voiLut.bits);
    assert.equal(maxDifference(frameSamples(viewer.meta.format, viewer.bytes.slice().buffer), pydicom.voi), 0, 'VOI LUT output differs from pydicom');
    const dcmtk = dcmtkGrey(file, ['+Wl', '1']);
    assert.ok(report(name, 'max |screen − dcm2pnm +Wl 1|', maxDifference(screenGrey(viewer), dcmtk)) <= 1);
    assert.ok(report(name, 'max |thumbnail − dcm2pnm +Wl 1|', maxDifference(frameToGrey(frame, image).pixels, dcmtk)) <= 1);
  });
}

test('a curved signed Modality LUT under the file\'s window: screen and thumbnail within one level of dcm2pnm +Wi 1', async () => {
  const file = writeLutFile('modality-lut-signed');
  const { image, frame, viewer } = await firstFrame(file);
  assert.equal(image.modalityLut?.firstMapped, -2048, 'the SS first-mapped value of the item is read signed');
  const pydicom = pydicomGrey(file);
  assert.equal(maxDifference(frameSamples(viewer.meta.format, viewer.bytes.slice().buffer), pydicom.modality), 0, 'modality values differ from pydicom');
  assert.deepEqual(viewer.meta.window, { center: 20000, width: 30000 });
  const dcmtk = dcmtkGrey(file, ['+Wi', '1']);
  assert.ok(report('signed Modality LUT', 'max |screen − dcm2pnm +Wi 1|', maxDifference(screenGrey(viewer), dcmtk)) <= 1);
  assert.ok(report('signed Modality LUT', 'max |thumbnail − dcm2pnm +Wi 1|', maxDifference(frameToGrey(frame, image).pixels, dcmtk)) <= 1);
});

test('a SIGMOID window: screen and thumbnail within one level of dcm2pnm +Wi 1 (which reads the function from the file)', async () => {
  const file = writeLutFile('window-sigmoid');
  const { image, frame, viewer } = await firstFrame(file);
  assert.equal(viewer.meta.voiFunction, 'SIGMOID');
  const dcmtk = dcmtkGrey(file, ['+Wi', '1']);
  const linear = screenGrey({ ...viewer, meta: { ...viewer.meta, voiFunction: undefined } });
  assert.ok(maxDifference(linear, dcmtk) > 10, 'the file\'s function matters: a linear window would look different');
  assert.ok(report('SIGMOID', 'max |screen − dcm2pnm +Wi 1|', maxDifference(screenGrey(viewer), dcmtk)) <= 1);
  assert.ok(report('SIGMOID', 'max |thumbnail − dcm2pnm +Wi 1|', maxDifference(frameToGrey(frame, image).pixels, dcmtk)) <= 1);
});

test('a LINEAR_EXACT window: screen and thumbnail within one level of pydicom\'s apply_windowing', async () => {
  const file = writeLutFile('window-linear-exact');
  const { image, frame, viewer } = await firstFrame(file);
  assert.equal(viewer.meta.voiFunction, 'LINEAR_EXACT');
  const { voi, windowRange } = pydicomGrey(file);
  assert.ok(windowRange, 'pydicom windowed the frame');
  const span = windowRange.max - windowRange.min;
  const pydicom = voi.map((y) => Math.round(((y - windowRange.min) / span) * 255));
  assert.ok(report('LINEAR_EXACT', 'max |screen − pydicom|', maxDifference(screenGrey(viewer), pydicom)) <= 1);
  assert.ok(report('LINEAR_EXACT', 'max |thumbnail − pydicom|', maxDifference(frameToGrey(frame, image).pixels, pydicom)) <= 1);
});
