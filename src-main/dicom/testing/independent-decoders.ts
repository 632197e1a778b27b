// Oracles for pixel layouts that dcmconv +te leaves as stored (1-bit packed, YBR_FULL_422, 32-bit samples), so the raw
// comparison of oracle.ts cannot read them: pydicom's own decoder, and dcmtk's dcm2pnm for what a screen shows.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOracle } from '../../testing/oracle-tool.ts';
import { cachedOutput } from '../../testing/tool-cache.ts';
import { runPython } from '../../testing/python-oracle.ts';
import { writeOurSamples } from './oracle.ts';

export interface PydicomComparison {
  /** Samples compared; -1 when pydicom decoded a different number than ours. */
  count: number;
  maxAbs: number;
  frames: number;
  /** numpy dtype of pydicom's pixel_array (uint32 keeps all 32 bits of a 32-bit sample). */
  dtype: string;
  photometric: string;
}

/**
 * Compares our stored values (all frames, interleaved) with pydicom's pixel_array of the same file: an independent
 * decoder that unpacks 1-bit data across frame boundaries, expands YBR_FULL_422 chroma (without converting it to
 * RGB) and reads 32-bit samples whole. Ours travel as float64, which holds every 32-bit value exactly.
 */
export function compareWithPydicom(file: string, ours: ArrayLike<number>[]): PydicomComparison {
  const raw = writeOurSamples(ours, 'f64');
  return runPython<PydicomComparison>(
    `
import json, sys, numpy as np, pydicom
args = json.load(sys.stdin)
ds = pydicom.dcmread(args['file'])
arr = ds.pixel_array
theirs = arr.reshape(-1).astype(np.int64)
ours = np.fromfile(args['ours'], dtype='<f8')
same = ours.size == theirs.size and bool(np.all(ours == np.round(ours)))
d = ours.astype(np.int64) - theirs if same else None
print(json.dumps({'count': int(d.size) if same else -1, 'maxAbs': int(np.abs(d).max()) if same else -1,
                  'frames': int(getattr(ds, 'NumberOfFrames', 1) or 1), 'dtype': str(arr.dtype),
                  'photometric': str(ds.PhotometricInterpretation)}))
`,
    { file, ours: raw },
  );
}

/**
 * Writes, with pydicom, a 1-bit multi-frame MONOCHROME2 file whose frames (rows·columns bits each, chosen odd) start
 * inside a byte: seeded random pixels packed by pydicom's pack_bits. Returns its path.
 */
export function writeUnalignedBitFrames(rows: number, columns: number, frames: number, seed: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'angio-1bit-')), 'unaligned-1bit.dcm');
  runPython(
    `
import json, sys, numpy as np, pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.pixel_data_handlers.numpy_handler import pack_bits
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
a = json.load(sys.stdin)
pixels = (np.random.default_rng(a['seed']).random((a['frames'], a['rows'], a['columns'])) < 0.4).astype(np.uint8)
ds = Dataset()
ds.file_meta = FileMetaDataset()
ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.7'
ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
ds.Rows, ds.Columns, ds.NumberOfFrames = a['rows'], a['columns'], a['frames']
ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, 'MONOCHROME2'
ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 1, 1, 0, 0
ds.PixelData = pack_bits(pixels)
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.save_as(a['path'], write_like_original=False)
print(json.dumps(len(ds.PixelData)))
`,
    { rows, columns, frames, seed, path },
  );
  return path;
}

export interface PnmImage {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Uint8Array;
}

/** Reads a binary PGM (P5) or PPM (P6) image with a maximum value of 255, as dcm2pnm writes them. */
export function readPnm(bytes: Uint8Array): PnmImage {
  const header = /^(P[56])\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(new TextDecoder('latin1').decode(bytes.subarray(0, 64)));
  if (!header || header[4] !== '255') throw new Error('dcm2pnm wrote something other than an 8-bit binary PGM/PPM');
  const [, magic, width, height] = header as unknown as [string, string, string, string];
  const channels = magic === 'P6' ? 3 : 1;
  const length = Number(width) * Number(height) * channels;
  const start = (header[0] as string).length;
  return { width: Number(width), height: Number(height), channels, pixels: bytes.slice(start, start + length) };
}

/** Every frame of `file` as dcm2pnm renders it to 8 bits (`options` are its rendering flags, e.g. +Wm). */
export function dcm2pnmFrames(file: string, options: readonly string[] = []): PnmImage[] {
  const dir = mkdtempSync(join(tmpdir(), 'angio-dcm2pnm-'));
  const flags = ['--write-raw-pnm', '--all-frames', ...options];
  cachedOutput({ tool: 'dcm2pnm', options: flags, inputs: [file] }, dir, () => runOracle('dcm2pnm', [...flags, file, join(dir, 'frame')], { subject: file }));
  const names = readdirSync(dir).filter((name) => /^frame\.\d+\.p[gp]m$/.test(name));
  names.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  if (names.length === 0) throw new Error(`dcm2pnm wrote no frames for ${file}`);
  return names.map((name) => readPnm(new Uint8Array(readFileSync(join(dir, name)))));
}

/** An implicit VR little endian copy by dcmconv: dcmtk reads 32-bit samples for rendering only with Pixel Data as OW. */
export function implicitVrCopy(file: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'angio-implicit-')), 'implicit.dcm');
  runOracle('dcmconv', ['+ti', file, copy], { subject: file });
  return copy;
}

/** pydicom's pixel_array of a YBR_FULL or YBR_FULL_422 file through its convert_color_space to RGB, flattened. */
export function pydicomYbrAsRgb(file: string): number[] {
  return runPython<number[]>(
    `
import json, sys, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import convert_color_space
ds = pydicom.dcmread(json.load(sys.stdin)['file'])
print(json.dumps(convert_color_space(ds.pixel_array, 'YBR_FULL', 'RGB').astype(np.int64).reshape(-1).tolist()))
`,
    { file },
  );
}
