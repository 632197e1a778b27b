// Colour conversions to RGB (PS3.3 C.7.6.3.1.2): YBR_FULL / YBR_FULL_422 by the JPEG/JFIF equations, PALETTE COLOR
// through its red/green/blue tables, deep colour samples down to 8 bits. MONOCHROME1 stays grey: its inversion is
// part of the display function.
import type { LookupTable } from './image.ts';

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** YBR_FULL (and YBR_FULL_422 once its chroma is expanded, as decoders deliver it) to interleaved RGB; 8-bit. */
export function ybrFullToRgb(ybr: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(ybr.length);
  for (let i = 0; i < ybr.length; i += 3) {
    const y = ybr[i] as number;
    const cb = (ybr[i + 1] as number) - 128;
    const cr = (ybr[i + 2] as number) - 128;
    out[i] = clamp8(y + 1.402 * cr);
    out[i + 1] = clamp8(y - 0.344136 * cb - 0.714136 * cr);
    out[i + 2] = clamp8(y + 1.772 * cb);
  }
  return out;
}

/** Samples of more than 8 stored bits to their top 8 bits, as dcmtk renders deep colour to an 8-bit screen. */
export function colourTo8Bit(samples: ArrayLike<number>, bitsStored: number): Uint8Array {
  const divisor = 2 ** Math.max(bitsStored - 8, 0); // a division: 32-bit values do not survive JavaScript's >>
  const out = new Uint8Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.min(255, Math.floor((samples[i] as number) / divisor));
  return out;
}

/** A decoded colour frame (RGB or YBR_FULL, any depth) as 8-bit interleaved RGB for display. */
export function colourFrameToRgb8(frame: { pixels: ArrayLike<number>; bitsStored: number; photometric: string }): Uint8Array {
  const rgbOrYbr = frame.pixels instanceof Uint8Array && frame.bitsStored <= 8 ? frame.pixels : colourTo8Bit(frame.pixels, frame.bitsStored);
  return frame.photometric.startsWith('YBR_FULL') ? ybrFullToRgb(rgbOrYbr) : rgbOrYbr;
}

function lutValue(lut: LookupTable, stored: number): number {
  const index = Math.min(Math.max(stored - lut.firstMapped, 0), lut.entries - 1);
  return lut.data[index] ?? 0;
}

/** Palette indices to 8-bit RGB: 16-bit table entries are scaled down by their top byte, as dcmtk renders them. */
export function paletteToRgb(indices: ArrayLike<number>, palette: { red: LookupTable; green: LookupTable; blue: LookupTable }): Uint8Array {
  const out = new Uint8Array(indices.length * 3);
  const tables = [palette.red, palette.green, palette.blue];
  for (let i = 0; i < indices.length; i++) {
    for (let c = 0; c < 3; c++) {
      const lut = tables[c] as LookupTable;
      const value = lutValue(lut, indices[i] as number);
      out[3 * i + c] = lut.bits > 8 ? value >> 8 : value;
    }
  }
  return out;
}
