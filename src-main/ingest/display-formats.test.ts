// What the viewer and the thumbnails show for 1-bit masks, YBR_FULL_422 and 32-bit RGB, judged by dcmtk's dcm2pnm and
// pydicom at test time: 0 black and 1 white, YBR as RGB after its chroma is expanded, deep colour as its top 8 bits.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { readDicom } from '../dicom/dataset.ts';
import { renderGrey8 } from '../dicom/display.ts';
import { decodeFrame, describeImage, type DecodedFrame, type ImageDescription } from '../dicom/image.ts';
import { dcm2pnmFrames, implicitVrCopy, pydicomYbrAsRgb, writeUnalignedBitFrames } from '../dicom/testing/independent-decoders.ts';
import { frameToGrey } from './render.ts';
import { toLuma } from './thumbnail.ts';
import { dicomViewerFrame } from './viewer-frame.ts';

const dicomDir = join(sharedDataDir(), 'dicom');

async function decodeAll(path: string): Promise<{ image: ImageDescription; frames: DecodedFrame[] }> {
  const parsed = readDicom(readFileSync(path), path);
  const image = describeImage(parsed, path);
  const frames: DecodedFrame[] = [];
  for (let i = 0; i < image.numberOfFrames; i++) frames.push(await decodeFrame(parsed, image, i, path));
  return { image, frames };
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

const viewerOptions = { frames: 1, frameTimeMs: null };

const BIT_FILES: { name: string; path: () => string }[] = [
  { name: 'label_seg_1bit.dcm', path: () => join(dicomDir, 'misc/label_seg_1bit.dcm') },
  // 5 × 7 bits a frame: frames after the first start inside a byte.
  { name: 'a pydicom-written file of unaligned frames', path: () => writeUnalignedBitFrames(5, 7, 4, 11) },
];

for (const { name, path } of BIT_FILES) {
  test(`1-bit ${name}: every frame shows 0 black and 1 white, as dcm2pnm's min–max window does`, async () => {
    const file = path();
    const { image, frames } = await decodeAll(file);
    // dcm2pnm without a window shows 1 as mid grey (128); its min–max window spans 0 and 1 on every frame that has both.
    const dcmtk = dcm2pnmFrames(file, ['+Wm']);
    assert.equal(dcmtk.length, frames.length, 'dcm2pnm rendered a different number of frames');
    for (const [index, frame] of frames.entries()) {
      const viewer = dicomViewerFrame(frame, image, viewerOptions);
      assert.equal(viewer.meta.format, 'gray8');
      assert.deepEqual([viewer.meta.bitsAllocated, viewer.meta.bitsStored], [1, 1]);
      assert.deepEqual([...viewer.bytes], [...frame.pixels], 'the viewer receives the stored 0/1 values');
      assert.ok(viewer.meta.window, 'a 1-bit frame opens with the window spanning 0 and 1');
      const shown = renderGrey8(viewer.bytes, { rescale: viewer.meta.rescale, window: viewer.meta.window, invert: false });
      const expected = dcmtk[index]?.pixels as Uint8Array;
      const hasBoth = frame.pixels.includes(0) && frame.pixels.includes(1);
      // On a frame of one value dcm2pnm's min–max window is degenerate: only its black for all-zero frames holds.
      if (hasBoth || !frame.pixels.includes(1)) {
        assert.equal(maxDifference(shown, expected), 0, `frame ${index}: viewer window differs from dcm2pnm`);
        assert.equal(maxDifference(frameToGrey(frame, image).pixels, expected), 0, `frame ${index}: thumbnail grey differs from dcm2pnm`);
      }
      assert.ok(shown.every((grey, i) => grey === 255 * (frame.pixels[i] as number)), `frame ${index}: 0 → black, 1 → white`);
    }
  });
}

test('YBR_FULL_422 shows as RGB: exactly pydicom\'s convert_color_space, within one level of dcm2pnm', async () => {
  const file = join(dicomDir, 'misc/SC_ybr_full_422_uncompressed.dcm');
  const { image, frames } = await decodeAll(file);
  const frame = frames[0] as DecodedFrame;
  const viewer = dicomViewerFrame(frame, image, viewerOptions);
  assert.deepEqual([viewer.meta.format, viewer.meta.photometric], ['rgb8', 'RGB']);
  assert.equal(maxDifference(viewer.bytes, pydicomYbrAsRgb(file)), 0, 'viewer RGB differs from pydicom');
  const dcmtk = dcm2pnmFrames(file)[0];
  assert.equal(dcmtk?.channels, 3);
  assert.ok(maxDifference(viewer.bytes, dcmtk.pixels) <= 1, 'viewer RGB more than one level from dcm2pnm');
  assert.ok(maxDifference(frameToGrey(frame, image).pixels, toLuma(dcmtk.pixels)) <= 1, 'thumbnail grey more than one level from dcm2pnm');
});

test('32-bit RGB shows as its top 8 bits per channel, exactly as dcm2pnm renders it', async () => {
  const file = join(dicomDir, 'misc/SC_rgb_32bit.dcm');
  const { image, frames } = await decodeAll(file);
  const frame = frames[0] as DecodedFrame;
  const viewer = dicomViewerFrame(frame, image, viewerOptions);
  assert.deepEqual([viewer.meta.format, viewer.meta.photometric, viewer.meta.bitsAllocated], ['rgb8', 'RGB', 32]);
  // dcm2pnm (dcmtk 3.6.7) renders 32-bit samples only from OW pixel data; the file's is OB: dcmconv's copy is OW.
  const dcmtk = dcm2pnmFrames(implicitVrCopy(file))[0];
  assert.equal(dcmtk?.channels, 3);
  assert.equal(maxDifference(viewer.bytes, dcmtk.pixels), 0, 'viewer RGB differs from dcm2pnm');
  assert.equal(maxDifference(frameToGrey(frame, image).pixels, toLuma(dcmtk.pixels)), 0, 'thumbnail grey differs from dcm2pnm');
});
