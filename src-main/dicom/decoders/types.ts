// The one interface every transfer-syntax decoder implements: encoded frame bytes in, interleaved samples out.
// Samples are in the container Bits Allocated implies (Uint8Array for 1 and 8, Uint16Array for 16, Uint32Array for
// 32), native byte order. 1 and 32 bits allocated exist only as native pixel data; the codecs see 8 or 16.

export interface FrameGeometry {
  rows: number;
  columns: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 1 | 8 | 16 | 32;
  bitsStored: number;
  pixelRepresentation: 0 | 1;
  /** 0 = interleaved (RGBRGB…), 1 = planar (RR…GG…BB…), as the data set says. */
  planarConfiguration: 0 | 1;
  photometric: string;
  /** Only the native decoder needs it: explicit big endian stores 16-bit samples byte-swapped. */
  littleEndian: boolean;
}

export interface DecodedSamples {
  /** rows × columns × samplesPerPixel samples, interleaved (1-bit pixels unpacked to one 0/1 byte each). */
  samples: Uint8Array | Uint16Array | Uint32Array;
  /** The photometric interpretation of `samples` (a JPEG codec may have converted YCbCr to RGB). */
  photometric: string;
  /** JPEG-LS NEAR parameter when the codec reports one (0 = lossless). */
  nearLossless?: number;
}

export interface FrameDecoder {
  readonly name: string;
  /** Loads the codec (wasm instantiation) once; later calls return at once. */
  ready(): Promise<void>;
  /** Decodes one frame synchronously; `ready()` must have resolved. Throws with what went wrong. */
  decode(encoded: Uint8Array, geometry: FrameGeometry): DecodedSamples;
}

export function expectedSamples(g: FrameGeometry): number {
  return g.rows * g.columns * g.samplesPerPixel;
}

/** YBR_FULL_422 native pixel data keeps one Cb and one Cr per two pixels of a row: Y1 Y2 Cb Cr (PS3.3 C.7.6.3.1.2). */
export const isSubsampledYbr = (g: FrameGeometry): boolean => g.samplesPerPixel === 3 && g.photometric === 'YBR_FULL_422';

/** Bits one frame of native (uncompressed) pixel data occupies; 1-bit frames need not start on a byte (PS3.5 8.1.1). */
export function nativeFrameBits(g: FrameGeometry): number {
  const stored = isSubsampledYbr(g) ? g.rows * g.columns * 2 : expectedSamples(g);
  return stored * g.bitsAllocated;
}

/** Planar (RR…GG…BB…) to interleaved (RGBRGB…); a copy. */
export function interleave<T extends Uint8Array | Uint16Array | Uint32Array>(planar: T, pixels: number, channels: number): T {
  const out = new (planar.constructor as { new (n: number): T })(pixels * channels);
  for (let c = 0; c < channels; c++) {
    const base = c * pixels;
    for (let i = 0; i < pixels; i++) out[i * channels + c] = planar[base + i] as number;
  }
  return out;
}

/** Copies `bytes` into a fresh container of the geometry's sample size (little endian bytes). */
export function samplesFromBytes(bytes: Uint8Array, bitsAllocated: FrameGeometry['bitsAllocated'], count: number): Uint8Array | Uint16Array {
  if (bitsAllocated === 8) return bytes.slice(0, count);
  const out = new Uint16Array(count);
  new Uint8Array(out.buffer).set(bytes.subarray(0, count * 2));
  return out;
}
