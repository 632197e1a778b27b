// Grey display oracles: pydicom writes the LUT and window files the shared data lacks (a curved signed Modality LUT,
// a 12-bit VOI LUT mapped from 100 on MONOCHROME1, SIGMOID and LINEAR_EXACT windows) and applies a file's Modality
// LUT / rescale, VOI LUT and window with its own apply_modality_lut, apply_voi_lut and apply_windowing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPython } from '../../testing/python-oracle.ts';

export type LutFileKind = 'modality-lut-signed' | 'voi-lut-12bit-mono1' | 'window-sigmoid' | 'window-linear-exact';

/** Writes a 96 × 80 grey file of `kind` with pydicom (12 bits stored, a seeded gradient with noise); returns its path. */
export function writeLutFile(kind: LutFileKind): string {
  const path = join(mkdtempSync(join(tmpdir(), 'angio-lut-')), `${kind}.dcm`);
  runPython(
    `
import json, sys, numpy as np, pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
a = json.load(sys.stdin)
kind = a['kind']
rng = np.random.default_rng(17)
ds = Dataset(); ds.file_meta = FileMetaDataset(); ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.7'
ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
ds.PatientID, ds.PatientName, ds.Modality = 'LUT-CHECK', 'Lut^Check', 'OT'
ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
ds.Rows, ds.Columns, ds.SamplesPerPixel = 80, 96, 1
ds.PhotometricInterpretation = 'MONOCHROME1' if kind == 'voi-lut-12bit-mono1' else 'MONOCHROME2'
signed = kind == 'modality-lut-signed'
ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 1 if signed else 0
ramp = np.linspace(0, 4095, 96)[None, :] + rng.normal(0, 60, (80, 96))
stored = np.clip(np.round(ramp), 0, 4095).astype(np.int64)
if signed:
    stored = stored - 2048
ds.PixelData = stored.astype('<i2' if signed else '<u2').tobytes()
def lut_item(descriptor, data, vr):
    item = Dataset()
    item.add_new(0x00283002, vr, descriptor)
    item.add_new(0x00283006, 'US', [int(v) for v in data])
    return item
if kind == 'modality-lut-signed':
    curve = np.round(65535 * (np.arange(4096) / 4095) ** 2)
    item = lut_item([4096, -2048, 16], curve, 'SS')
    item.ModalityLUTType = 'US'
    ds.ModalityLUTSequence = Sequence([item])
    ds.WindowCenter, ds.WindowWidth = 20000, 30000
elif kind == 'voi-lut-12bit-mono1':
    gamma = np.round(4095 * (np.arange(3000) / 2999) ** 0.5)
    ds.VOILUTSequence = Sequence([lut_item([3000, 100, 12], gamma, 'US')])
else:
    ds.WindowCenter, ds.WindowWidth = 2100, 1500
    ds.VOILUTFunction = 'SIGMOID' if kind == 'window-sigmoid' else 'LINEAR_EXACT'
ds.is_little_endian, ds.is_implicit_VR = True, False
ds.save_as(a['path'], write_like_original=False)
print('1')
`,
    { kind, path },
  );
  return path;
}

export interface PydicomGrey {
  /** apply_modality_lut of frame 1 (Modality LUT or rescale), flattened. */
  modality: number[];
  /** apply_voi_lut of those values with the file's first VOI LUT or window, flattened. */
  voi: number[];
  /** The range apply_windowing maps a window onto, for turning `voi` into [0, 1] when a window was used. */
  windowRange: { min: number; max: number } | null;
}

/** pydicom's grey pipeline on frame 1 of `file`; a VOI LUT wins over a window, as apply_voi_lut's prefer_lut says. */
export function pydicomGrey(file: string): PydicomGrey {
  return runPython<PydicomGrey>(
    `
import json, sys, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut
ds = pydicom.dcmread(json.load(sys.stdin)['file'], force=True)
if 'TransferSyntaxUID' not in ds.file_meta:
    ds.file_meta.TransferSyntaxUID = '1.2.840.10008.1.2' if ds.is_implicit_VR else '1.2.840.10008.1.2.1'
stored = ds.pixel_array.astype(np.int64)
bits = int(ds.BitsStored)
# pydicom 2 leaves signed samples narrower than their container as read: sign-extend from Bits Stored (PS3.5 8.1.1).
if int(ds.PixelRepresentation) == 1 and bits < int(ds.BitsAllocated):
    stored &= (1 << bits) - 1
    stored = np.where(stored >= 1 << (bits - 1), stored - (1 << bits), stored)
modality = apply_modality_lut(stored, ds)
voi = apply_voi_lut(modality, ds, index=0, prefer_lut=True)
window_range = None
if not ds.get('VOILUTSequence') and 'WindowCenter' in ds:
    if ds.get('ModalityLUTSequence'):
        lo, hi = 0, 2 ** int(ds.ModalityLUTSequence[0].LUTDescriptor[2]) - 1
    elif int(ds.PixelRepresentation) == 0:
        lo, hi = 0, 2 ** int(ds.BitsStored) - 1
    else:
        lo, hi = -2 ** (int(ds.BitsStored) - 1), 2 ** (int(ds.BitsStored) - 1) - 1
    slope, intercept = float(ds.get('RescaleSlope', 1)), float(ds.get('RescaleIntercept', 0))
    window_range = {'min': lo * slope + intercept, 'max': hi * slope + intercept}
print(json.dumps({'modality': np.asarray(modality, dtype=np.float64).reshape(-1).tolist(),
                  'voi': np.asarray(voi, dtype=np.float64).reshape(-1).tolist(), 'windowRange': window_range}))
`,
    { file },
  );
}
