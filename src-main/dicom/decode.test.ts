// Every image under shared/data/dicom decodes to the same stored values as dcmtk (JPEG, JPEG-LS, RLE, uncompressed)
// or gdcm (JPEG 2000): exactly for lossless syntaxes, within stated tolerances for lossy ones.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { readDicom } from './dataset.ts';
import { decodeFrame, describeImage, type DecodedFrame } from './image.ts';
import { compareWithPydicom, writeUnalignedBitFrames } from './testing/independent-decoders.ts';
import { compareWithOracle, oracleDecompress } from './testing/oracle.ts';

const dicomDir = join(sharedDataDir(), 'dicom');

async function decodeAll(relative: string): Promise<{ frames: DecodedFrame[]; decoder: ReturnType<typeof readDicom>['transferSyntax'] }> {
  const path = relative.startsWith('/') ? relative : join(dicomDir, relative);
  const parsed = readDicom(readFileSync(path), relative);
  const image = describeImage(parsed, relative);
  const frames: DecodedFrame[] = [];
  for (let i = 0; i < image.numberOfFrames; i++) frames.push(await decodeFrame(parsed, image, i, relative));
  return { frames, decoder: parsed.transferSyntax };
}

const LOSSLESS = [
  'xa/XA1_UNC.dcm',
  'xa/XA1_JPLL.dcm',
  'xa/XA1_JLSL.dcm',
  'xa/XA1_J2KR.dcm',
  'xa/XA1_RLE.dcm',
  'misc/MR_small.dcm',
  'misc/MR_small_implicit.dcm',
  'misc/MR_small_bigendian.dcm',
  'misc/MR_small_padded.dcm',
  'misc/MR_small_RLE.dcm',
  'misc/MR_small_jpeg_ls_lossless.dcm',
  'misc/MR_small_jp2klossless.dcm',
  'misc/ExplVR_BigEnd.dcm',
  'misc/JPGLosslessP14SV1_1s_1f_8b.dcm',
  'misc/bad_sequence.dcm',
  'misc/OT-PAL-8-face.dcm',
  'misc/SC_rgb.dcm',
  'misc/SC_rgb_2frame.dcm',
  'misc/SC_rgb_rle.dcm',
  'misc/SC_ybr_full_uncompressed.dcm',
  'misc/emri_small.dcm',
  'misc/emri_small_RLE.dcm',
  'misc/emri_small_big_endian.dcm',
  'misc/emri_small_jpeg_ls_lossless.dcm',
  'misc/image_dfl.dcm',
];

for (const relative of LOSSLESS) {
  test(`${relative} decodes to exactly the oracle's stored values`, async () => {
    const { frames, decoder } = await decodeAll(relative);
    assert.equal(decoder.lossy, false);
    const oracle = compareWithOracle(oracleDecompress(decoder.decoder, join(dicomDir, relative)), frames.map((f) => f.pixels));
    assert.equal(oracle.frames, frames.length, 'frame count differs from the oracle');
    assert.ok(oracle.count > 0);
    assert.equal(oracle.maxAbs, 0, `${relative}: ${oracle.count} samples, max |ours − oracle| = ${oracle.maxAbs}, RMS ${oracle.rms}`);
  });
}

test('XA1 JPEG-LS near-lossless stays within its NEAR value of the uncompressed XA1', async () => {
  const { frames } = await decodeAll('xa/XA1_JLSN.dcm');
  const near = frames[0]?.nearLossless ?? -1;
  assert.ok(near > 0, `expected a lossy NEAR parameter, codec reported ${near}`);
  const reference = compareWithOracle(oracleDecompress('native', join(dicomDir, 'xa/XA1_UNC.dcm')), frames.map((f) => f.pixels));
  assert.ok(reference.maxAbs >= 0 && reference.maxAbs <= near, `max error ${reference.maxAbs} exceeds NEAR ${near}`);
  const dcmtk = compareWithOracle(oracleDecompress('jpeg-ls', join(dicomDir, 'xa/XA1_JLSN.dcm')), frames.map((f) => f.pixels));
  assert.equal(dcmtk.maxAbs, 0, 'CharLS and dcmdjpls should agree exactly on the same near-lossless stream');
});

// Lossy decoders may round differently from the oracle's (IDCT, upsampling): bounded in stored-value units.
const LOSSY: { file: string; maxAbs: number; rms: number }[] = [
  { file: 'xa/XA1_JPLY.dcm', maxAbs: 2, rms: 0.5 },
  { file: 'xa/XA1_J2KI.dcm', maxAbs: 2, rms: 0.5 },
  { file: 'xa/XA_cine_96f_jpeg_baseline.dcm', maxAbs: 2, rms: 0.5 },
  { file: 'misc/JPEG-lossy.dcm', maxAbs: 2, rms: 0.5 },
  { file: 'misc/SC_rgb_jpeg_dcmtk.dcm', maxAbs: 2, rms: 0.5 },
];

for (const { file, maxAbs, rms } of LOSSY) {
  test(`${file} (lossy) is within max ${maxAbs} / RMS ${rms} of the oracle's decode`, async () => {
    const { frames, decoder } = await decodeAll(file);
    const oracle = compareWithOracle(oracleDecompress(decoder.decoder, join(dicomDir, file)), frames.map((f) => f.pixels));
    assert.equal(oracle.frames, frames.length);
    assert.ok(oracle.maxAbs >= 0, 'sample count differs from the oracle');
    assert.ok(oracle.maxAbs <= maxAbs, `${file}: max error ${oracle.maxAbs} > ${maxAbs}`);
    assert.ok(oracle.rms <= rms, `${file}: RMS ${oracle.rms} > ${rms}`);
    assert.equal(frames[0]?.photometric, oracle.photometric, 'photometric after decoding differs from the oracle');
  });
}

test('lossy XA1 decodes stay close to the uncompressed original (sanity, not an oracle)', async () => {
  for (const file of ['xa/XA1_JPLY.dcm', 'xa/XA1_J2KI.dcm']) {
    const { frames } = await decodeAll(file);
    const truth = compareWithOracle(oracleDecompress('native', join(dicomDir, 'xa/XA1_UNC.dcm')), frames.map((f) => f.pixels));
    assert.ok(truth.rms < 8, `${file}: RMS ${truth.rms} from the uncompressed original`);
  }
});

// dcmconv +te leaves these layouts as stored (bits packed across frames, Y1 Y2 Cb Cr, 32-bit words), so the oracle is
// pydicom's pixel_array: an independent decoder that unpacks bits, expands 4:2:2 chroma to one Y Cb Cr per pixel
// (pydicom 2 converts nothing to RGB) and keeps 32-bit samples whole as uint32.
const PYDICOM_DECODED: { file: string; frames: number; photometric: string; dtype: string }[] = [
  { file: 'misc/label_seg_1bit.dcm', frames: 3, photometric: 'MONOCHROME2', dtype: 'uint8' },
  { file: 'misc/SC_ybr_full_422_uncompressed.dcm', frames: 1, photometric: 'YBR_FULL', dtype: 'uint8' },
  { file: 'misc/SC_rgb_32bit.dcm', frames: 1, photometric: 'RGB', dtype: 'uint32' },
];

for (const { file, frames: frameCount, photometric, dtype } of PYDICOM_DECODED) {
  test(`${file} decodes to exactly pydicom's stored values`, async () => {
    const { frames, decoder } = await decodeAll(file);
    assert.equal(decoder.lossy, false);
    assert.equal(frames.length, frameCount);
    assert.equal(frames[0]?.photometric, photometric, 'photometric interpretation of the decoded samples');
    const oracle = compareWithPydicom(join(dicomDir, file), frames.map((f) => f.pixels));
    assert.equal(oracle.dtype, dtype, 'pydicom decoded a different sample type than expected');
    assert.equal(oracle.frames, frames.length, 'frame count differs from pydicom');
    assert.ok(oracle.count > 0, `${file}: pydicom decoded a different number of samples than ours`);
    assert.equal(oracle.maxAbs, 0, `${file}: ${oracle.count} samples, max |ours − pydicom| = ${oracle.maxAbs}`);
  });
}

test('32-bit RGB samples keep all 32 bits (the file holds values above 2^31)', async () => {
  const { frames } = await decodeAll('misc/SC_rgb_32bit.dcm');
  const pixels = frames[0]?.pixels as Uint32Array;
  assert.ok(pixels instanceof Uint32Array);
  assert.ok(pixels.some((v) => v > 2 ** 31 && v % 256 !== 0), 'a sample whose high and low bytes both matter');
});

test('1-bit frames that start inside a byte decode like pydicom (frame n starts at bit n·rows·columns)', async () => {
  // 5 × 7 = 35 bits per frame: frames 2 to 5 start at bits 35, 70, 105, 140, none of them on a byte boundary.
  const file = writeUnalignedBitFrames(5, 7, 5, 7);
  const { frames } = await decodeAll(file);
  assert.equal(frames.length, 5);
  assert.ok(frames.every((f) => f.pixels.length === 35 && f.pixels.every((v) => v === 0 || v === 1)));
  const oracle = compareWithPydicom(file, frames.map((f) => f.pixels));
  assert.equal(oracle.count, 5 * 35, 'pydicom decoded a different number of samples than ours');
  assert.equal(oracle.maxAbs, 0, `max |ours − pydicom| = ${oracle.maxAbs}`);
});
