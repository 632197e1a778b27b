// Palette colour oracles: pydicom writes palette files the shared data lacks (8-bit entries with a first-mapped value,
// 65536 entries, a segmented table) and applies a file's palette with its own apply_color_lut.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPython } from '../../testing/python-oracle.ts';

export type PaletteKind = 'entries-8bit-first-16' | 'entries-65536' | 'segmented';

/**
 * Writes a palette file with pydicom. 'entries-8bit-first-16': 8-bit indices, 200 8-bit entries mapped from 16.
 * 'entries-65536': 16-bit indices, descriptor count 0 (65536 entries) of 16 bits. 'segmented': `source` (a 16-bit
 * palette file) with each table re-encoded as discrete, linear and indirect segments (0028,1221–1223).
 */
export function writePaletteFile(kind: PaletteKind, source?: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'angio-palette-')), `${kind}.dcm`);
  runPython(
    `
import json, sys, numpy as np, pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian, generate_uid
a = json.load(sys.stdin)
rng = np.random.default_rng(3)
def palette_image(bits):
    ds = Dataset(); ds.file_meta = FileMetaDataset(); ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.7'
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.Rows, ds.Columns, ds.SamplesPerPixel, ds.PhotometricInterpretation = 32, 48, 1, 'PALETTE COLOR'
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = bits, bits, bits - 1, 0
    ds.is_little_endian, ds.is_implicit_VR = True, False
    return ds
if a['kind'] == 'entries-8bit-first-16':
    ds = palette_image(8)
    ds.PixelData = rng.integers(0, 256, 32 * 48, dtype=np.uint8).tobytes()
    for n in (1, 2, 3):
        ds.add_new(0x00281100 + n, 'US', [200, 16, 8])
        ds.add_new(0x00281200 + n, 'OW', rng.integers(0, 256, 200, dtype=np.uint8).tobytes())
elif a['kind'] == 'entries-65536':
    ds = palette_image(16)
    ds.PixelData = rng.integers(0, 65536, 32 * 48, dtype=np.uint16).astype('<u2').tobytes()
    for n in (1, 2, 3):
        ds.add_new(0x00281100 + n, 'US', [0, 0, 16])
        ds.add_new(0x00281200 + n, 'OW', rng.integers(0, 65536, 65536, dtype=np.uint16).astype('<u2').tobytes())
else:
    ds = pydicom.dcmread(a['source'], force=True)
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian if ds.is_implicit_VR else ExplicitVRLittleEndian
    for name, n in (('Red', 1), ('Green', 2), ('Blue', 3)):
        table = np.frombuffer(getattr(ds, name + 'PaletteColorLookupTableData'), dtype='<u2').astype(int).tolist()
        assert len(table) > 100
        # 10 discrete entries, a 40-entry ramp, an indirect copy of those two segments, the rest discrete.
        words = [0, 10] + table[:10] + [1, 40, table[49]] + [2, 2, 0, 0] + [0, len(table) - 100] + table[100:]
        delattr(ds, name + 'PaletteColorLookupTableData')
        ds.add_new(0x00281220 + n, 'OW', np.asarray(words, dtype='<u2').tobytes())
ds.save_as(a['path'], write_like_original=False)
print('1')
`,
    { kind, source, path },
  );
  return path;
}

/** pydicom's apply_color_lut on every pixel of frame 1: interleaved RGB in the table's own depth (8 or 16 bits). */
export function pydicomPaletteRgb(file: string): { bits: number; rgb: number[] } {
  return runPython(
    `
import json, sys, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import apply_color_lut
ds = pydicom.dcmread(json.load(sys.stdin)['file'], force=True)
if 'TransferSyntaxUID' not in ds.file_meta:
    ds.file_meta.TransferSyntaxUID = '1.2.840.10008.1.2' if ds.is_implicit_VR else '1.2.840.10008.1.2.1'
rgb = apply_color_lut(ds.pixel_array, ds)
print(json.dumps({'bits': int(rgb.dtype.itemsize * 8), 'rgb': rgb.astype(np.int64).reshape(-1).tolist()}))
`,
    { file },
  );
}
