// The fast path for the PNGs this app meets by the ten thousand (P-ADSD patches: 8-bit grey, stored as grey or as
// RGB with R = G = B, not interlaced): chunk
// CRCs checked and the image data inflated by Node's native zlib, scanlines unfiltered here (or, for an import's
// soundness check, only their filter types looked at). It answers only for a file it can vouch for completely; anything else (another format, an unknown critical chunk, any damage) returns
// null and the caller's general decoder (pngjs) decides, with its own error. So a file accepted here is one pngjs
// would accept too, with the same pixels (checked against pngjs in png-grey8.test.ts).
import { crc32, inflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Ancillary chunks that carry no pixels and that pngjs reads without conditions. */
const HARMLESS = new Set(['tEXt', 'zTXt', 'iTXt', 'tIME', 'pHYs']);

function chunkType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] as number, bytes[at + 1] as number, bytes[at + 2] as number, bytes[at + 3] as number);
}

interface Scanlines {
  width: number;
  height: number;
  /** 1 (grey) or 3 (RGB) samples of 8 bits per pixel. */
  channels: 1 | 3;
  /** Inflated image data: each row a filter byte then width × channels samples. */
  raw: Uint8Array;
}

/** The inflated scanlines of a well-formed, non-interlaced 8-bit grey or RGB PNG (every CRC right, the data exactly
 * as long as the header says); null for anything else. */
function readScanlines(bytes: Uint8Array): Scanlines | null {
  if (bytes.length < 57 || SIGNATURE.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let channels: 0 | 1 | 3 = 0;
  const idat: Uint8Array[] = [];
  let previous = '';
  let ended = false;
  for (let at = 8, index = 0; !ended; index++) {
    if (at + 12 > bytes.length) return null;
    const length = view.getUint32(at);
    if (length > bytes.length - at - 12) return null;
    const type = chunkType(bytes, at + 4);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if ((crc32(data, crc32(bytes.subarray(at + 4, at + 8))) >>> 0) !== view.getUint32(at + 8 + length)) return null;
    if (index === 0) {
      // IHDR first: depth 8, grey (type 0) or RGB (type 2), deflate, adaptive filtering, no interlace.
      if (type !== 'IHDR' || length !== 13) return null;
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      if (width === 0 || height === 0 || width * height > 8192 * 8192) return null;
      channels = data[9] === 0 ? 1 : data[9] === 2 ? 3 : 0;
      if (data[8] !== 8 || channels === 0 || data[10] !== 0 || data[11] !== 0 || data[12] !== 0) return null;
    } else if (type === 'IDAT') {
      if (idat.length > 0 && previous !== 'IDAT') return null; // the image data chunks are consecutive
      idat.push(data);
    } else if (type === 'IEND') {
      if (length !== 0 || at + 12 !== bytes.length) return null;
      ended = true;
    } else if (!HARMLESS.has(type)) {
      return null;
    }
    previous = type;
    at += 12 + length;
  }
  if (idat.length === 0) return null;
  const stride = width * channels + 1;
  let raw: Buffer;
  try {
    raw = inflateSync(idat.length === 1 ? idat[0]! : Buffer.concat(idat), { maxOutputLength: stride * height });
  } catch {
    return null;
  }
  if (raw.length !== stride * height) return null;
  return { width, height, channels: channels as 1 | 3, raw };
}

/** Whether a PNG is well formed 8-bit grey or RGB whose every scanline has a valid filter type: what an import
 * needs to know (the pixels are not needed yet), without unfiltering. Null when this path cannot tell. */
export function isSound8BitPng(bytes: Uint8Array): true | null {
  const lines = readScanlines(bytes);
  if (!lines) return null;
  const stride = lines.width * lines.channels + 1;
  for (let at = 0; at < lines.raw.length; at += stride) if ((lines.raw[at] as number) > 4) return null;
  return true;
}

/** 8-bit grey pixels of a well-formed, non-interlaced 8-bit PNG that is grey (colour type 0, or 2 with R = G = B
 * everywhere); null for anything else. */
export function decodeGrey8(bytes: Uint8Array): { width: number; height: number; pixels: Uint8Array } | null {
  const lines = readScanlines(bytes);
  if (!lines) return null;
  const { width, height, channels, raw } = lines;
  const samples = unfilter(raw, width * channels, height, channels);
  if (!samples) return null;
  if (channels === 1) return { width, height, pixels: samples };
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    const r = samples[3 * i] as number;
    if (samples[3 * i + 1] !== r || samples[3 * i + 2] !== r) return null; // colour: the general decoder's case
    pixels[i] = r;
  }
  return { width, height, pixels };
}

/** Reverses the five PNG filters (PNG spec 9.2) over rows of `rowBytes` samples, `bpp` bytes per pixel; null on an
 * unknown filter type. */
function unfilter(raw: Uint8Array, rowBytes: number, height: number, bpp: number): Uint8Array | null {
  const out = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)] as number;
    const line = y * (rowBytes + 1) + 1;
    const row = y * rowBytes;
    const up = row - rowBytes;
    for (let x = 0; x < rowBytes; x++) {
      const value = raw[line + x] as number;
      const a = x >= bpp ? (out[row + x - bpp] as number) : 0;
      const b = y > 0 ? (out[up + x] as number) : 0;
      let predicted: number;
      if (filter === 0) predicted = 0;
      else if (filter === 1) predicted = a;
      else if (filter === 2) predicted = b;
      else if (filter === 3) predicted = (a + b) >> 1;
      else if (filter === 4) {
        const c = x >= bpp && y > 0 ? (out[up + x - bpp] as number) : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else return null;
      out[row + x] = (value + predicted) & 0xff;
    }
  }
  return out;
}
