// Colour and MONOCHROME1 JPEG 2000 decode to gdcm's stored values (gdcmconv --raw) and show as dcmtk's dcm2pnm renders
// gdcm's uncompressed copy: YBR_RCT exactly, YBR_ICT within a stated PSNR, RG3's MONOCHROME1 CR exactly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { frameToGrey } from '../ingest/render.ts';
import { toLuma } from '../ingest/thumbnail.ts';
import { dicomViewerFrame } from '../ingest/viewer-frame.ts';
import { readDicom } from './dataset.ts';
import { decodeFrame, describeImage, type DecodedFrame, type ImageDescription } from './image.ts';
import { dcm2pnmFrames } from './testing/independent-decoders.ts';
import { compareWithOracle, oracleDecompress } from './testing/oracle.ts';

const misc = join(sharedDataDir(), 'dicom', 'misc');

async function decodeFirst(name: string): Promise<{ image: ImageDescription; frame: DecodedFrame }> {
  const path = join(misc, name);
  const parsed = readDicom(readFileSync(path), name);
  assert.equal(parsed.transferSyntax.decoder, 'jpeg-2000');
  const image = describeImage(parsed, name);
  return { image, frame: await decodeFrame(parsed, image, 0, name) };
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

const psnr8 = (rms: number): number => (rms === 0 ? Infinity : 20 * Math.log10(255 / rms));

// Lossy decoders may round the inverse wavelet and ICT differently: OpenJPEG against gdcm (also OpenJPEG) must stay
// above this PSNR; the stream's own loss against the lossless original is only reported.
const ICT_MIN_PSNR_DB = 45;

for (const { name, lossless } of [
  { name: 'VL1_J2KR.dcm', lossless: true },
  { name: 'VL1_J2KI.dcm', lossless: false },
]) {
  test(`${name} (${lossless ? 'YBR_RCT' : 'YBR_ICT'}) decodes to gdcm's RGB ${lossless ? 'exactly' : `within ${ICT_MIN_PSNR_DB} dB PSNR`}`, async () => {
    const { image, frame } = await decodeFirst(name);
    const gdcm = oracleDecompress('jpeg-2000', join(misc, name));
    const oracle = compareWithOracle(gdcm, [frame.pixels]);
    assert.equal(oracle.count, image.rows * image.columns * 3, 'sample count differs from gdcm');
    assert.equal(frame.photometric, oracle.photometric, 'the decoded samples are labelled as gdcm labels them');
    assert.equal(frame.photometric, 'RGB');
    const psnr = psnr8(oracle.rms);
    process.stdout.write(`# ${name}: max |ours − gdcm| ${oracle.maxAbs}, RMS ${oracle.rms.toFixed(4)}, PSNR ${psnr.toFixed(1)} dB\n`);
    if (lossless) assert.equal(oracle.maxAbs, 0, `${name}: max |ours − gdcm| = ${oracle.maxAbs}`);
    else assert.ok(psnr >= ICT_MIN_PSNR_DB, `${name}: PSNR ${psnr.toFixed(2)} dB < ${ICT_MIN_PSNR_DB} dB against gdcm`);

    // What the screen and the thumbnails show: dcmtk has no JPEG 2000 codec, so it renders gdcm's uncompressed copy.
    const dcmtk = dcm2pnmFrames(gdcm)[0];
    assert.equal(dcmtk?.channels, 3);
    const viewer = dicomViewerFrame(frame, image, { frames: 1, frameTimeMs: null });
    assert.deepEqual([viewer.meta.format, viewer.meta.photometric], ['rgb8', 'RGB']);
    const screenLimit = lossless ? 0 : 2;
    assert.ok(maxDifference(viewer.bytes, dcmtk.pixels) <= screenLimit, `viewer RGB more than ${screenLimit} from dcm2pnm`);
    assert.ok(maxDifference(frameToGrey(frame, image).pixels, toLuma(dcmtk.pixels)) <= screenLimit + 1, 'thumbnail grey differs from dcm2pnm');
  });
}

test('VL1_J2KI stays close to the lossless VL1_J2KR it was compressed from (sanity, not an oracle)', async () => {
  const { frame } = await decodeFirst('VL1_J2KI.dcm');
  const truth = compareWithOracle(oracleDecompress('jpeg-2000', join(misc, 'VL1_J2KR.dcm')), [frame.pixels]);
  process.stdout.write(`# VL1_J2KI against VL1_J2KR: max ${truth.maxAbs}, PSNR ${psnr8(truth.rms).toFixed(1)} dB\n`);
  assert.ok(psnr8(truth.rms) >= 30, `PSNR ${psnr8(truth.rms).toFixed(2)} dB: the colours are scrambled`);
});

test('RG3_J2KR (MONOCHROME1 CR) decodes exactly and shows white = low, as dcm2pnm with its window', async () => {
  const { image, frame } = await decodeFirst('RG3_J2KR.dcm');
  const gdcm = oracleDecompress('jpeg-2000', join(misc, 'RG3_J2KR.dcm'));
  const oracle = compareWithOracle(gdcm, [frame.pixels]);
  assert.equal(oracle.count, image.rows * image.columns);
  assert.equal(oracle.maxAbs, 0, `max |ours − gdcm| = ${oracle.maxAbs}`);
  assert.deepEqual([frame.photometric, oracle.photometric], ['MONOCHROME1', 'MONOCHROME1']);
  const dcmtk = dcm2pnmFrames(gdcm, ['+Wi', '1'])[0];
  assert.equal(dcmtk?.channels, 1);
  assert.ok(maxDifference(frameToGrey(frame, image).pixels, dcmtk.pixels) <= 1, 'thumbnail grey more than one level from dcm2pnm');
});
