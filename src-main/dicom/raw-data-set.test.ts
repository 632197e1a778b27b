// Data sets without a Part 10 preamble and file meta (as some modalities and archives store them) are read in the
// byte order and VR encoding their first element shows, as dcmtk reads them; big endian included.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { runOracle } from '../testing/oracle-tool.ts';
import { runPython } from '../testing/python-oracle.ts';
import { readDicom } from './dataset.ts';
import { decodeFrame, describeImage, type DecodedFrame } from './image.ts';
import { compareWithOracle } from './testing/oracle.ts';
import { EXPLICIT_BIG_ENDIAN, EXPLICIT_LITTLE_ENDIAN, IMPLICIT_LITTLE_ENDIAN } from './transfer-syntaxes.ts';

const misc = join(sharedDataDir(), 'dicom', 'misc');

/** dcmtk writes `source` as a bare data set (no preamble, no meta) in the syntax `writeFlag` names. */
function rawDataSet(source: string, writeFlag: '+tb' | '+te' | '+ti'): string {
  const raw = join(mkdtempSync(join(tmpdir(), 'angio-raw-')), 'raw.dcm');
  runOracle('dcmconv', ['-F', writeFlag, source, raw], { subject: source });
  return raw;
}

/** dcmtk's reading of the bare data set (told its syntax, not guessing it), written uncompressed little endian. */
function dcmtkReading(raw: string, readFlag: '-tb' | '-te' | '-ti'): string {
  const out = join(mkdtempSync(join(tmpdir(), 'angio-raw-oracle-')), 'oracle.dcm');
  runOracle('dcmconv', ['-f', readFlag, '+te', raw, out], { subject: raw });
  return out;
}

const SYNTAXES = [
  { write: '+tb', read: '-tb', uid: EXPLICIT_BIG_ENDIAN, name: 'explicit VR big endian' },
  { write: '+te', read: '-te', uid: EXPLICIT_LITTLE_ENDIAN, name: 'explicit VR little endian' },
  { write: '+ti', read: '-ti', uid: IMPLICIT_LITTLE_ENDIAN, name: 'implicit VR little endian' },
] as const;

for (const file of ['MR_small_bigendian.dcm', 'emri_small_big_endian.dcm', 'OT-PAL-8-face.dcm']) {
  for (const syntax of SYNTAXES) {
    test(`${file} as a bare ${syntax.name} data set is recognised and decodes to dcmtk's stored values`, async () => {
      const raw = rawDataSet(join(misc, file), syntax.write);
      const bytes = readFileSync(raw);
      const parsed = readDicom(bytes, raw);
      assert.equal(parsed.hasFileMeta, false);
      assert.equal(parsed.transferSyntax.uid, syntax.uid, `guessed ${parsed.transferSyntax.name}`);
      const image = describeImage(parsed, raw);
      const frames: DecodedFrame[] = [];
      for (let i = 0; i < image.numberOfFrames; i++) frames.push(await decodeFrame(parsed, image, i, raw));
      const oracle = compareWithOracle(dcmtkReading(raw, syntax.read), frames.map((f) => f.pixels));
      assert.equal(oracle.frames, frames.length, 'frame count differs from dcmtk');
      assert.ok(oracle.count > 0 && oracle.maxAbs >= 0, 'sample count differs from dcmtk');
      assert.equal(oracle.maxAbs, 0, `${file} (${syntax.name}): max |ours − dcmtk| = ${oracle.maxAbs}`);
    });
  }
}

/** pydicom writes 8-bit frames of an odd byte count as OW, so that in big endian frames start inside a 16-bit word. */
function oddFramesAsWords(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'angio-odd-')), 'odd-8bit.dcm');
  runPython(
    `
import json, sys, numpy as np, pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
a = json.load(sys.stdin)
ds = Dataset()
ds.file_meta = FileMetaDataset()
ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.7'
ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
ds.Rows, ds.Columns, ds.NumberOfFrames = 3, 5, 3
ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, 'MONOCHROME2'
ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
pixels = np.random.default_rng(5).integers(0, 256, 45, dtype=np.uint8).tobytes() + b'\\0'
ds.add_new(0x7FE00010, 'OW', pixels)
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.save_as(a['path'], write_like_original=False)
print('1')
`,
    { path },
  );
  return path;
}

test('8-bit OW frames of an odd byte count, big endian: every frame decodes to dcmtk\'s samples', async () => {
  const raw = rawDataSet(oddFramesAsWords(), '+tb');
  const parsed = readDicom(readFileSync(raw), raw);
  assert.equal(parsed.transferSyntax.uid, EXPLICIT_BIG_ENDIAN);
  const image = describeImage(parsed, raw);
  const frames: DecodedFrame[] = [];
  for (let i = 0; i < image.numberOfFrames; i++) frames.push(await decodeFrame(parsed, image, i, raw));
  const oracle = compareWithOracle(dcmtkReading(raw, '-tb'), frames.map((f) => f.pixels));
  assert.equal(oracle.count, 45, 'sample count differs from dcmtk');
  assert.equal(oracle.maxAbs, 0, `max |ours − dcmtk| = ${oracle.maxAbs}`);
});

test('bytes that start with no plausible element in either byte order are still "not DICOM"', () => {
  const text = new TextEncoder().encode('%PDF-1.7 this is not a data set, whatever its byte order');
  assert.throws(() => readDicom(text, 'report.pdf'), (error: Error & { reason?: string }) => error.reason === 'not-dicom');
});
