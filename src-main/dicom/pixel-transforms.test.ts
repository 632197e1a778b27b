// Colour conversion and the display function against pydicom's own implementations, plus angiography metadata and
// the handling of damaged and non-image files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { runPython } from '../testing/python-oracle.ts';
import { DicomReadError, readDicom } from './dataset.ts';
import { applyWindow, renderGrey8 } from './display.ts';
import { decodeFrame, describeImage } from './image.ts';
import { ecgKeyFrame, readAngioMetadata } from './angio-metadata.ts';
import { classifyObject } from './object-kind.ts';
import { paletteToRgb, ybrFullToRgb } from './photometric.ts';
import { oracleDecompress } from './testing/oracle.ts';

const dicomDir = join(sharedDataDir(), 'dicom');
const load = (relative: string) => readDicom(readFileSync(join(dicomDir, relative)), relative);

async function firstFrame(relative: string) {
  const parsed = load(relative);
  const image = describeImage(parsed, relative);
  return { image, frame: await decodeFrame(parsed, image, 0, relative) };
}

function pydicomPixels(relativeOrPath: string, transform: string): number[] {
  return runPython<number[]>(
    `
import json, sys, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import convert_color_space, apply_color_lut, apply_modality_lut, apply_voi_lut
ds = pydicom.dcmread(json.load(sys.stdin)['path'], force=True)
if 'TransferSyntaxUID' not in ds.file_meta:
    ds.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
arr = ds.pixel_array
${transform}
print(json.dumps(out.astype(np.int64).reshape(-1).tolist()))
`,
    { path: relativeOrPath.startsWith('/') ? relativeOrPath : join(dicomDir, relativeOrPath) },
  );
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

test('YBR_FULL converts to RGB within one grey level of pydicom', async () => {
  const { frame } = await firstFrame('misc/SC_ybr_full_uncompressed.dcm');
  const ours = ybrFullToRgb(frame.pixels);
  const theirs = pydicomPixels('misc/SC_ybr_full_uncompressed.dcm', "out = convert_color_space(arr, 'YBR_FULL', 'RGB')");
  assert.ok(maxDifference(ours, theirs) <= 1);
});

test('PALETTE COLOR indices map through the red/green/blue tables as pydicom does', async () => {
  const { image, frame } = await firstFrame('misc/OT-PAL-8-face.dcm');
  assert.ok(image.palette, 'palette tables are read');
  const ours = paletteToRgb(frame.pixels, image.palette);
  const theirs = pydicomPixels('misc/OT-PAL-8-face.dcm', 'out = apply_color_lut(arr, ds) >> 8 if ds.RedPaletteColorLookupTableDescriptor[2] > 8 else apply_color_lut(arr, ds)');
  assert.equal(maxDifference(ours, theirs), 0);
});

test('the display function applies rescale and the linear window of PS3.3 C.11.2.1.2 like pydicom', async () => {
  const { image, frame } = await firstFrame('misc/bad_sequence.dcm');
  const window = image.windows[0];
  assert.ok(window, 'CT window read from the data set');
  assert.deepEqual(image.rescale, { slope: 1, intercept: -1024, type: 'HU' });
  const ours = renderGrey8(frame.pixels, { rescale: image.rescale, window, invert: false });
  const decompressed = oracleDecompress('jpeg-lossless', join(dicomDir, 'misc/bad_sequence.dcm'));
  const theirs = pydicomPixels(decompressed, 'out = np.round((apply_voi_lut(apply_modality_lut(arr, ds), ds, index=0) - float(ds.RescaleIntercept)) / (2 ** ds.BitsStored - 1) * 255.0)');
  // pydicom windows onto the modality range [intercept, intercept + 2^BitsStored − 1] (slope 1 here) as floats;
  // rescaled to 8 bits the two are at most one level apart.
  assert.ok(maxDifference(ours, theirs) <= 1);
  assert.equal(applyWindow(-2000, 40, 400), 0);
  assert.equal(applyWindow(2000, 40, 400), 1);
  const inverted = renderGrey8(frame.pixels, { rescale: image.rescale, window, invert: true });
  assert.equal((inverted[0] as number) + (ours[0] as number), 255, 'MONOCHROME1 inversion');
});

test('the XA cine carries frame time, positioner angles and R waves for playback and key frames', () => {
  const parsed = load('xa/XA_cine_96f_jpeg_baseline.dcm');
  const meta = readAngioMetadata(parsed.dataSet);
  const image = describeImage(parsed, 'cine');
  assert.equal(image.numberOfFrames, 96);
  assert.equal(meta.frameTimeMs, 33);
  assert.equal(meta.positionerPrimaryAngle, -32);
  assert.equal(meta.positionerSecondaryAngle, 2);
  assert.deepEqual(meta.rWaveFrames, [20, 53, 77]);
  assert.equal(ecgKeyFrame(meta, 96), 19);
  assert.equal(meta.burnedInAnnotation, null, 'absent flag means unknown');
});

test('every frame of a multi-frame object is addressable and distinct', async () => {
  const parsed = load('xa/XA_cine_96f_jpeg_baseline.dcm');
  const image = describeImage(parsed, 'cine');
  const first = await decodeFrame(parsed, image, 0, 'cine');
  const last = await decodeFrame(parsed, image, 95, 'cine');
  assert.equal(first.pixels.length, 512 * 512);
  assert.notEqual(maxDifference(first.pixels, last.pixels), 0);
  await assert.rejects(decodeFrame(parsed, image, 96, 'cine'), RangeError);
});

test('damaged files are rejected with their name and a reason, never a crash', async () => {
  const cases: [string, string][] = [
    ['misc/MR_truncated.dcm', 'truncated'],
    ['misc/emri_small_jpeg_2k_lossless_too_short.dcm', 'truncated'],
  ];
  for (const [file, reason] of cases) {
    await assert.rejects(
      (async () => {
        const parsed = load(file);
        const image = describeImage(parsed, file);
        for (let i = 0; i < image.numberOfFrames; i++) await decodeFrame(parsed, image, i, file);
      })(),
      (error: unknown) => error instanceof DicomReadError && error.reason === reason && error.message.includes(file),
    );
  }
  assert.throws(() => readDicom(new TextEncoder().encode('hello, this is not an image at all'), 'notes.txt'), (e: unknown) => e instanceof DicomReadError && e.reason === 'not-dicom');
});

test('tolerantly read objects: no-meta and no-transfer-syntax files parse; RT and meta-only objects are unsupported', () => {
  const rtPlan = load('misc/ExplVR_LitEndNoMeta.dcm');
  assert.equal(classifyObject(rtPlan.dataSet).kind, 'unsupported');
  assert.equal(classifyObject(load('misc/badVR.dcm').dataSet).kind, 'unsupported', 'RT Dose is listed, not decoded');
  assert.equal(classifyObject(load('misc/meta_missing_tsyntax.dcm').dataSet).kind, 'unsupported');
  assert.equal(classifyObject(load('misc/OT-PAL-8-face.dcm').dataSet).kind, 'image');
  assert.equal(classifyObject(load('misc/emri_small.dcm').dataSet).kind, 'image', 'Enhanced MR with pixels is an image');
});
