// The one interface every transfer-syntax decoder implements: encoded frame bytes in, interleaved samples out.
// Samples are in the container Bits Allocated implies (Uint8Array for 8, Uint16Array for 16), native byte order.

export interface FrameGeometry {
  rows: number;
  columns: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 8 | 16;
  bitsStored: number;
  pixelRepresentation: 0 | 1;
  /** 0 = interleaved (RGBRGB…), 1 = planar (RR…GG…BB…), as the data set says. */
  planarConfiguration: 0 | 1;
  photometric: string;
  /** Only the native decoder needs it: explicit big endian stores 16-bit samples byte-swapped. */
  littleEndian: boolean;
}

export interface DecodedSamples {
  /** rows × columns × samplesPerPixel samples, interleaved. */
  samples: Uint8Array | Uint16Array;
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

/** Planar (RR…GG…BB…) to interleaved (RGBRGB…); a copy. */
export function interleave<T extends Uint8Array | Uint16Array>(planar: T, pixels: number, channels: number): T {
  const out = new (planar.constructor as { new (n: number): T })(pixels * channels);
  for (let c = 0; c < channels; c++) {
    const base = c * pixels;
    for (let i = 0; i < pixels; i++) out[i * channels + c] = planar[base + i] as number;
  }
  return out;
}

/** Copies `bytes` into a fresh container of the geometry's sample size (little endian bytes). */
export function samplesFromBytes(bytes: Uint8Array, bitsAllocated: 8 | 16, count: number): Uint8Array | Uint16Array {
  if (bitsAllocated === 8) return bytes.slice(0, count);
  const out = new Uint16Array(count);
  new Uint8Array(out.buffer).set(bytes.subarray(0, count * 2));
  return out;
}
