// Batch comparison of our decoded stored values with an independent decoder's uncompressed output, for a whole corpus in
// one python3 run: numpy reads 8/16-bit samples raw (masked to Bits Stored, sign-extended), pydicom decodes the layouts
// it must unpack (1-bit, YBR_FULL_422, 32-bit). Exact counts, max error, RMS and PSNR are computed there, not here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPython } from '../../testing/python-oracle.ts';

export interface StoredValueCheck {
  /** The oracle's uncompressed copy of the file (dcmconv/dcmdjpeg/dcmdjpls/dcmdrle/gdcmconv --raw output). */
  oracle: string;
  /** Our samples of `frames`, all frames interleaved. */
  ours: ArrayLike<number>[];
  frames: number[];
  /**
   * Bits Stored of the file we decoded: an oracle that widened it (gdcm writes lossy J2K coded at 16 bits as 16) holds
   * the codestream's values, overshoot included, and is clamped back to that range, as the app and dcm2pnm do.
   */
  bitsStored?: number;
  /** An uncompressed file with the values before lossy encoding, for the PSNR against the truth. */
  truth?: string;
}

export interface StoredValueResult {
  /** Samples compared; -1 when the oracle holds a different number of samples. */
  count: number;
  maxAbs: number;
  rms: number;
  /** PSNR of ours against the oracle, in dB over the full stored range; null when identical. */
  psnr: number | null;
  /** PSNR of ours against `truth`; null when identical (or not comparable). */
  psnrTruth: number | null;
  /** Whether `truth` has the decoded file's layout (dcmcjpeg turns palette into RGB, for one). */
  truthComparable: boolean;
  photometric: string;
  oracleFrames: number;
}

export function compareStoredValues(checks: StoredValueCheck[]): StoredValueResult[] {
  // Our samples as float64 files for python to read: about 2 GB for the whole corpus, removed once it has answered.
  const dir = mkdtempSync(join(tmpdir(), 'angio-stored-'));
  try {
    const jobs = checks.map((check, index) => {
      const flat = new Float64Array(check.ours.reduce((n, frame) => n + frame.length, 0));
      let at = 0;
      for (const frame of check.ours) {
        flat.set(frame, at);
        at += frame.length;
      }
      const ours = join(dir, `${index}.f64`);
      writeFileSync(ours, flat);
      return { oracle: check.oracle, ours, frames: check.frames, bitsStored: check.bitsStored ?? null, truth: check.truth ?? null };
    });
    return runPython<StoredValueResult[]>(STORED_VALUES_SCRIPT, jobs, 900_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const STORED_VALUES_SCRIPT = `
import json, math, sys, numpy as np, pydicom
def stored(path, frames, kept_by_file=None):
    ds = pydicom.dcmread(path)
    bits = int(ds.BitsAllocated); kept = min(int(getattr(ds, 'BitsStored', bits)), kept_by_file or bits); spp = int(getattr(ds, 'SamplesPerPixel', 1))
    signed = int(getattr(ds, 'PixelRepresentation', 0)) == 1; rows, cols = int(ds.Rows), int(ds.Columns)
    count = int(getattr(ds, 'NumberOfFrames', 1) or 1); photometric = str(ds.PhotometricInterpretation)
    if bits in (8, 16) and photometric != 'YBR_FULL_422':
        dtype = ('<i' if signed else '<u') + str(bits // 8)
        raw = np.frombuffer(ds.PixelData, dtype='<u1' if bits == 8 else '<u2')[: count * rows * cols * spp].astype(np.int64)
        raw = raw.reshape(count, -1)
        if spp > 1 and int(getattr(ds, 'PlanarConfiguration', 0)) == 1:
            raw = raw.reshape(count, spp, rows * cols).transpose(0, 2, 1).reshape(count, -1)
        if spp == 1:
            written = min(int(getattr(ds, 'BitsStored', bits)), bits)
            if written > kept:
                raw = raw & ((1 << written) - 1)
                if signed:
                    raw = np.where(raw >= (1 << (written - 1)), raw - (1 << written), raw)
                raw = np.clip(raw, -(1 << (kept - 1)) if signed else 0, (1 << (kept - 1)) - 1 if signed else (1 << kept) - 1)
            else:
                raw = raw & ((1 << kept) - 1)
                if signed:
                    raw = np.where(raw >= (1 << (kept - 1)), raw - (1 << kept), raw)
    else:
        raw = ds.pixel_array.astype(np.int64).reshape(count, -1)
    peak = float((1 << kept) - 1) if spp == 1 else float((1 << bits) - 1)
    return raw[frames].reshape(-1), photometric, count, peak, int(getattr(ds, 'BitsStored', bits))
def psnr(d, peak):
    mse = float((d.astype(np.float64) ** 2).mean())
    return None if mse == 0 else 10 * math.log10(peak * peak / mse)
out = []
for job in json.load(sys.stdin):
    theirs, photometric, count, peak, kept = stored(job['oracle'], job['frames'], job['bitsStored'])
    ours = np.fromfile(job['ours'], dtype='<f8').astype(np.int64)
    if ours.size != theirs.size:
        out.append({'count': -1, 'maxAbs': -1, 'rms': -1, 'psnr': None, 'psnrTruth': None, 'truthComparable': False, 'photometric': photometric, 'oracleFrames': count}); continue
    d = ours - theirs
    truth, comparable = None, False
    if job['truth']:
        t, truth_photometric, _, _, truth_kept = stored(job['truth'], job['frames'], job['bitsStored'])
        # Comparable only when the encoder kept the layout: dcmcjpeg's lossy modes rescale deeper data to 8 bits and
        # turn palette colour into RGB.
        comparable = t.size == ours.size and truth_photometric[:3] == photometric[:3] and truth_kept == kept
        truth = psnr(ours - t, peak) if comparable else None
    out.append({'count': int(d.size), 'maxAbs': int(np.abs(d).max()), 'rms': float(np.sqrt((d.astype(np.float64) ** 2).mean())),
                'psnr': psnr(d, peak), 'psnrTruth': truth, 'truthComparable': comparable, 'photometric': photometric, 'oracleFrames': count})
print(json.dumps(out))
`;
