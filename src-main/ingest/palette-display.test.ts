// Palette colour reaches the viewer and the thumbnails as the colours its indices name, judged at test time by pydicom's
// apply_color_lut (every table layout, segmented included) and dcmtk's dcm2pnm (which has no segmented tables).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { readDicom } from '../dicom/dataset.ts';
import { decodeFrame, describeImage, type DecodedFrame, type ImageDescription, type LookupTable } from '../dicom/image.ts';
import { dcm2pnmFrames } from '../dicom/testing/independent-decoders.ts';
import { pydicomPaletteRgb, writePaletteFile, type PaletteKind } from '../dicom/testing/palette-oracles.ts';
import { frameToGrey } from './render.ts';
import { toLuma } from './thumbnail.ts';
import { dicomViewerFrame } from './viewer-frame.ts';

const face = join(sharedDataDir(), 'dicom', 'misc', 'OT-PAL-8-face.dcm');

async function firstFrame(path: string): Promise<{ image: ImageDescription; frame: DecodedFrame }> {
  const parsed = readDicom(readFileSync(path), path);
  const image = describeImage(parsed, path);
  return { image, frame: await decodeFrame(parsed, image, 0, path) };
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

/** pydicom's colours on an 8-bit screen: 16-bit table entries keep their high byte. */
function pydicomOnScreen(file: string): number[] {
  const { bits, rgb } = pydicomPaletteRgb(file);
  return bits === 16 ? rgb.map((v) => v >> 8) : rgb;
}

const FILES: { name: string; path: () => string; dcmtk: boolean }[] = [
  { name: 'OT-PAL-8-face.dcm (200 16-bit entries)', path: () => face, dcmtk: true },
  { name: '8-bit entries from first-mapped value 16', path: () => writePaletteFile('entries-8bit-first-16'), dcmtk: true },
  { name: '16-bit indices, descriptor count 0 = 65536 entries', path: () => writePaletteFile('entries-65536'), dcmtk: true },
  // dcmtk 3.6.7: "segmented palettes not yet supported"; pydicom expands them.
  { name: 'OT-PAL-8-face re-encoded as a segmented palette', path: () => writePaletteFile('segmented' satisfies PaletteKind, face), dcmtk: false },
];

for (const { name, path, dcmtk } of FILES) {
  test(`palette ${name}: the viewer gets RGB equal to pydicom's apply_color_lut${dcmtk ? ' and dcm2pnm' : ''}`, async () => {
    const file = path();
    const { image, frame } = await firstFrame(file);
    assert.equal(frame.photometric, 'PALETTE COLOR');
    assert.ok(image.palette, 'the palette tables were read');
    const viewer = dicomViewerFrame(frame, image, { frames: 1, frameTimeMs: null });
    assert.deepEqual([viewer.meta.format, viewer.meta.photometric], ['rgb8', 'RGB']);
    const pydicom = pydicomOnScreen(file);
    assert.equal(maxDifference(viewer.bytes, pydicom), 0, 'viewer RGB differs from pydicom');
    const thumbnail = frameToGrey(frame, image).pixels;
    assert.equal(maxDifference(thumbnail, toLuma(pydicom)), 0, 'thumbnail grey differs from the luma of pydicom\'s colours');
    if (!dcmtk) return;
    const rendered = dcm2pnmFrames(file)[0];
    assert.equal(rendered?.channels, 3);
    const screen = maxDifference(viewer.bytes, rendered.pixels);
    process.stdout.write(`# ${name}: max |viewer − dcm2pnm| ${screen}\n`);
    assert.ok(screen <= 1, `viewer RGB is ${screen} levels from dcm2pnm`);
    assert.ok(maxDifference(thumbnail, toLuma(rendered.pixels)) <= 1, 'thumbnail grey more than one level from dcm2pnm');
  });
}

test('a segmented table expands to the same entries as the plain table it was written from, where segments copy it', async () => {
  const plain = (await firstFrame(face)).image.palette;
  const segmented = (await firstFrame(writePaletteFile('segmented', face))).image.palette;
  assert.ok(plain && segmented);
  for (const channel of ['red', 'green', 'blue'] as const) {
    const table: LookupTable = plain[channel];
    const expanded: LookupTable = segmented[channel];
    assert.deepEqual([expanded.entries, expanded.firstMapped, expanded.bits], [table.entries, table.firstMapped, table.bits]);
    // Discrete runs copy the plain table; the ramp (10–49) and its indirect copy (50–99) are the writer's own.
    assert.deepEqual(expanded.data.slice(0, 10), table.data.slice(0, 10));
    assert.equal(expanded.data[49], table.data[49]);
    assert.deepEqual(expanded.data.slice(50, 100), expanded.data.slice(0, 50));
    assert.deepEqual(expanded.data.slice(100), table.data.slice(100));
  }
});
