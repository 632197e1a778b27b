// Lossy JPEG 2000 written at a higher precision than Bits Stored (gdcm codes 12-bit data at 16 bits) overshoots the
// stored range near edges. The app clamps those values to the range instead of wrapping them when it masks to Bits
// Stored: held to gdcm's own decode of the same stream (gdcmconv --raw, read as whole 16-bit samples by pydicom),
// clamped to the stored range, exactly.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { runOracle } from '../testing/oracle-tool.ts';
import { runPython } from '../testing/python-oracle.ts';
import { writeOurSamples } from './testing/oracle.ts';
import { readDicom } from './dataset.ts';
import { decodeFrame, describeImage } from './image.ts';

const work = mkdtempSync(join(tmpdir(), 'angio-j2k-precision-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('lossy J2K overshoot beyond Bits Stored clamps to the stored range, as gdcm decodes it, instead of wrapping', async () => {
  const original = join(sharedDataDir(), 'dicom', 'misc', 'mlut_18.dcm');
  const lossy = join(work, 'lossy.dcm');
  const raw = join(work, 'raw.dcm');
  runOracle('gdcmconv', ['--j2k', '--lossy', '-q', '40', original, lossy], { subject: original });
  runOracle('gdcmconv', ['--raw', lossy, raw], { subject: lossy });

  const parsed = readDicom(readFileSync(lossy), 'lossy.dcm');
  const image = describeImage(parsed, 'lossy.dcm');
  const frame = await decodeFrame(parsed, image, 0, 'lossy.dcm');
  assert.equal(parsed.transferSyntax.uid, '1.2.840.10008.1.2.4.91');

  const oracle = runPython<{ bitsStored: number; signed: boolean; overshoot: number; count: number; maxAbs: number }>(
    `
import json, sys, numpy as np, pydicom
a = json.load(sys.stdin)
coded = pydicom.dcmread(a['lossy'], stop_before_pixels=True)
raw = pydicom.dcmread(a['raw'])
signed = int(coded.PixelRepresentation) == 1
bits = int(coded.BitsStored)
assert int(raw.BitsAllocated) == 16
theirs = np.frombuffer(raw.PixelData, dtype='<i2' if signed else '<u2').astype(np.int64)
low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
overshoot = int(np.count_nonzero((theirs < low) | (theirs > high)))
clamped = np.clip(theirs, low, high)
ours = np.fromfile(a['ours'], dtype='<i4').astype(np.int64)
same = ours.size == clamped.size
print(json.dumps({'bitsStored': bits, 'signed': signed, 'overshoot': overshoot,
                  'count': int(ours.size), 'maxAbs': int(np.abs(ours - clamped).max()) if same else -1}))
`,
    { lossy, raw, ours: writeOurSamples([frame.pixels], 'i32') },
  );
  assert.equal(oracle.bitsStored, 12);
  assert.ok(oracle.overshoot > 0, 'gdcm decodes no value outside the stored range: the case is not exercised');
  assert.equal(oracle.count, frame.width * frame.height);
  assert.equal(oracle.maxAbs, 0, 'our decode differs from gdcm\'s, clamped to the stored range');
});
