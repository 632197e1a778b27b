// Test-time oracles for decoded pixels: dcmtk/gdcm decompress a file, Debian's pydicom+numpy read the raw result and
// compare it with what our decoder wrote. Nothing here is pasted output; every number is computed at test time.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOracle } from '../../testing/oracle-tool.ts';
import { runPython } from '../../testing/python-oracle.ts';
import type { DecoderKey } from '../transfer-syntaxes.ts';

/** The reference tool for each decoder: it writes an uncompressed little-endian copy of the input. */
export const ORACLE_TOOL: Record<DecoderKey, (input: string, output: string) => string[]> = {
  native: (i, o) => ['dcmconv', '+te', i, o],
  rle: (i, o) => ['dcmdrle', i, o],
  'jpeg-8bit': (i, o) => ['dcmdjpeg', i, o],
  'jpeg-ijg': (i, o) => ['dcmdjpeg', i, o],
  'jpeg-lossless': (i, o) => ['dcmdjpeg', i, o],
  'jpeg-ls': (i, o) => ['dcmdjpls', i, o],
  'jpeg-2000': (i, o) => ['gdcmconv', '--raw', i, o],
};

export function oracleDecompress(decoder: DecoderKey, input: string): string {
  const output = join(mkdtempSync(join(tmpdir(), 'angio-oracle-')), 'decoded.dcm');
  const [command, ...args] = ORACLE_TOOL[decoder](input, output) as [string, ...string[]];
  runOracle(command, args, { subject: input });
  return output;
}

export interface Comparison {
  count: number;
  maxAbs: number;
  rms: number;
  photometric: string;
  frames: number;
}

/**
 * Writes our samples (all frames, interleaved) to a new temporary file `ours.<sampleType>` for numpy to read as
 * '<i4' or '<f8'; returns its path.
 */
export function writeOurSamples(ours: ArrayLike<number>[], sampleType: 'i32' | 'f64'): string {
  const total = ours.reduce((n, frame) => n + frame.length, 0);
  const flat = sampleType === 'i32' ? new Int32Array(total) : new Float64Array(total);
  let at = 0;
  for (const frame of ours) {
    flat.set(frame, at);
    at += frame.length;
  }
  const raw = join(mkdtempSync(join(tmpdir(), 'angio-ours-')), `ours.${sampleType}`);
  writeFileSync(raw, flat);
  return raw;
}

/** Writes our samples as int32 and lets numpy compare them with the oracle file's stored values. */
export function compareWithOracle(oracleFile: string, ours: ArrayLike<number>[]): Comparison {
  const raw = writeOurSamples(ours, 'i32');
  return runPython<Comparison>(
    `
import json, sys, numpy as np, pydicom
args = json.load(sys.stdin)
ds = pydicom.dcmread(args['oracle'])
bits = int(ds.BitsAllocated); stored = int(getattr(ds, 'BitsStored', bits)); signed = int(getattr(ds, 'PixelRepresentation', 0)) == 1
spp = int(getattr(ds, 'SamplesPerPixel', 1)); rows = int(ds.Rows); cols = int(ds.Columns)
frames = int(getattr(ds, 'NumberOfFrames', 1) or 1)
raw = np.frombuffer(ds.PixelData, dtype='<u1' if bits == 8 else '<u2')[: frames * rows * cols * spp].astype(np.int64)
if spp > 1 and int(getattr(ds, 'PlanarConfiguration', 0)) == 1:
    raw = raw.reshape(frames, spp, rows * cols).transpose(0, 2, 1).reshape(-1)
if spp == 1:
    raw = raw & ((1 << stored) - 1)
    if signed:
        raw = np.where(raw >= (1 << (stored - 1)), raw - (1 << stored), raw)
ours = np.fromfile(args['ours'], dtype='<i4').astype(np.int64)
if ours.size != raw.size:
    print(json.dumps({'count': int(ours.size), 'maxAbs': -1, 'rms': -1, 'photometric': str(ds.PhotometricInterpretation), 'frames': frames})); sys.exit(0)
d = ours - raw
print(json.dumps({'count': int(d.size), 'maxAbs': int(np.abs(d).max()), 'rms': float(np.sqrt((d.astype(np.float64) ** 2).mean())),
                  'photometric': str(ds.PhotometricInterpretation), 'frames': frames}))
`,
    { oracle: oracleFile, ours: raw },
  );
}
