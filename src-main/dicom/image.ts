// What a data set says about its pixels (Image Pixel module, rescale, VOI, palette) and how to get one frame's
// stored sample values out of it. Pure over a parsed data set; the codecs are behind decoders/.
import dicomParser from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { DicomReadError, decimal, decimals, int16, text, texts, uint16, type ParsedDicom } from './dataset.ts';
import { DECODERS } from './decoders/index.ts';
import type { DecodedSamples, FrameGeometry } from './decoders/types.ts';
import type { DecoderKey } from './transfer-syntaxes.ts';

export interface WindowSetting {
  center: number;
  width: number;
  explanation?: string;
}

export interface LookupTable {
  /** Number of entries, first stored value mapped, bits per entry (PS3.3 C.11.1.1). */
  entries: number;
  firstMapped: number;
  bits: number;
  data: number[];
}

export interface ImageDescription extends FrameGeometry {
  highBit: number;
  numberOfFrames: number;
  rescale: { slope: number; intercept: number; type?: string };
  windows: WindowSetting[];
  voiLut?: LookupTable;
  palette?: { red: LookupTable; green: LookupTable; blue: LookupTable };
  /** 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID' (0028,1056); LINEAR when absent. */
  voiFunction: string;
}

export interface DecodedFrame {
  width: number;
  height: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 8 | 16;
  bitsStored: number;
  signed: boolean;
  /** Photometric interpretation of `pixels` (JPEG colour arrives as RGB). */
  photometric: string;
  /** Stored values: masked to Bits Stored, sign-extended when signed; colour interleaved. */
  pixels: Uint8Array | Uint16Array | Int8Array | Int16Array;
  nearLossless?: number;
}

const PIXEL_DATA = 'x7fe00010';

function readLut(ds: DataSet, descriptorTag: string, dataTag: string): LookupTable | undefined {
  const descriptor = ds.elements[descriptorTag];
  const data = ds.elements[dataTag];
  if (!descriptor || !data || descriptor.length < 6) return undefined;
  const entries = (uint16(ds, descriptorTag, 0) as number) || 65536;
  // The first-mapped value is US or SS depending on the image's pixel representation.
  const firstMapped = (uint16(ds, 'x00280103') ?? 0) === 1 ? (int16(ds, descriptorTag, 1) as number) : (uint16(ds, descriptorTag, 1) as number);
  const bits = uint16(ds, descriptorTag, 2) as number;
  const values: number[] = [];
  if (bits <= 8 && data.length === entries) {
    for (let i = 0; i < entries; i++) values.push(ds.byteArray[data.dataOffset + i] as number);
  } else {
    for (let i = 0; i < entries && 2 * i + 1 < data.length; i++) values.push(ds.uint16(dataTag, i) as number);
  }
  return { entries, firstMapped, bits, data: values };
}

function firstVoiLut(ds: DataSet): LookupTable | undefined {
  const sequence = ds.elements.x00283010;
  const item = sequence?.items?.[0]?.dataSet;
  return item ? readLut(item, 'x00283002', 'x00283006') : undefined;
}

/** The image's pixel description; throws DicomReadError when the data set has no usable pixel module. */
export function describeImage(parsed: ParsedDicom, source: string): ImageDescription {
  try {
    return readImageModule(parsed, source);
  } catch (error) {
    if (error instanceof DicomReadError) throw error;
    throw new DicomReadError('malformed', `${source}: the image description cannot be read (${describeThrown(error)}). The file is damaged; re-export it.`);
  }
}

function readImageModule(parsed: ParsedDicom, source: string): ImageDescription {
  const ds = parsed.dataSet;
  const rows = uint16(ds, 'x00280010');
  const columns = uint16(ds, 'x00280011');
  if (!ds.elements[PIXEL_DATA] || !rows || !columns) {
    throw new DicomReadError('no-pixel-data', `${source} is an image object without pixel data (no Pixel Data, Rows or Columns). Re-export it with its pixels.`);
  }
  const samplesPerPixel = uint16(ds, 'x00280002') ?? 1;
  const bitsAllocated = uint16(ds, 'x00280100') ?? 0;
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) {
    throw new DicomReadError('unsupported-syntax', `${source} has ${samplesPerPixel} samples per pixel; only 1 (grey) and 3 (colour) are supported.`);
  }
  if (bitsAllocated !== 8 && bitsAllocated !== 16) {
    throw new DicomReadError('unsupported-syntax', `${source} has ${bitsAllocated} bits allocated; only 8 and 16 are supported.`);
  }
  const bitsStored = uint16(ds, 'x00280101') ?? bitsAllocated;
  const frames = Number.parseInt(text(ds, 'x00280008') ?? '1', 10);
  const centers = decimals(ds, 'x00281050');
  const widths = decimals(ds, 'x00281051');
  const explanations = texts(ds, 'x00281055');
  const windows: WindowSetting[] = centers
    .map((center, i) => ({ center, width: widths[i] ?? widths[0] ?? 0, explanation: explanations[i] || undefined }))
    .filter((w) => w.width > 0);
  const photometric = (text(ds, 'x00280004') ?? (samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2')).trim().toUpperCase();
  const palette =
    photometric === 'PALETTE COLOR'
      ? (() => {
          const red = readLut(ds, 'x00281101', 'x00281201');
          const green = readLut(ds, 'x00281102', 'x00281202');
          const blue = readLut(ds, 'x00281103', 'x00281203');
          return red && green && blue ? { red, green, blue } : undefined;
        })()
      : undefined;
  return {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored: Math.min(bitsStored, bitsAllocated),
    highBit: uint16(ds, 'x00280102') ?? bitsStored - 1,
    pixelRepresentation: uint16(ds, 'x00280103') === 1 ? 1 : 0,
    planarConfiguration: uint16(ds, 'x00280006') === 1 ? 1 : 0,
    photometric,
    littleEndian: parsed.transferSyntax.littleEndian,
    numberOfFrames: Number.isFinite(frames) && frames > 0 ? frames : 1,
    rescale: { slope: decimal(ds, 'x00281053') ?? 1, intercept: decimal(ds, 'x00281052') ?? 0, type: text(ds, 'x00281054') },
    windows,
    voiLut: firstVoiLut(ds),
    palette,
    voiFunction: (text(ds, 'x00281056') ?? 'LINEAR').toUpperCase(),
  };
}

function checkFragments(ds: DataSet, element: Element, source: string): void {
  for (const fragment of element.fragments ?? []) {
    if (fragment.position + fragment.length > ds.byteArray.length) {
      throw new DicomReadError('truncated', `${source} is truncated: a pixel data fragment runs past the end of the file. Re-export it.`);
    }
  }
}

/** The encoded bytes of frame `index` (0-based): a slice of native pixel data or the frame's fragments. */
export function encodedFrame(parsed: ParsedDicom, image: ImageDescription, index: number, source: string): Uint8Array {
  try {
    return locateFrame(parsed, image, index, source);
  } catch (error) {
    // dicom-parser throws plain strings on damaged offset tables and fragments: give them a reason and a way on.
    if (error instanceof DicomReadError || error instanceof RangeError) throw error;
    throw new DicomReadError('malformed', `${source}: frame ${index + 1} cannot be located in the pixel data (${describeThrown(error)}). The file is damaged; re-export it.`);
  }
}

/** The text of anything thrown: dicom-parser throws strings, Emscripten codecs throw numbers (C++ exception pointers). */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'number') return `the codec failed with internal error ${error}`;
  return String(error);
}

function locateFrame(parsed: ParsedDicom, image: ImageDescription, index: number, source: string): Uint8Array {
  const ds = parsed.dataSet;
  const element = ds.elements[PIXEL_DATA] as Element;
  if (index < 0 || index >= image.numberOfFrames) throw new RangeError(`frame ${index} of ${source} does not exist (it has ${image.numberOfFrames})`);
  if (!parsed.transferSyntax.encapsulated) {
    const frameBytes = image.rows * image.columns * image.samplesPerPixel * (image.bitsAllocated / 8);
    const start = element.dataOffset + index * frameBytes;
    if (start + frameBytes > ds.byteArray.length || (index + 1) * frameBytes > element.length) {
      throw new DicomReadError('truncated', `${source} is truncated: frame ${index + 1} needs ${frameBytes} bytes of pixel data that the file does not have.`);
    }
    return ds.byteArray.subarray(start, start + frameBytes);
  }
  if (parsed.warnings.some((w) => /missing sequence delimiter/i.test(w))) {
    throw new DicomReadError('truncated', `${source} is truncated: its encapsulated pixel data has no sequence delimiter. Re-export it.`);
  }
  checkFragments(ds, element, source);
  const fragments = element.fragments ?? [];
  if (fragments.length === 0) throw new DicomReadError('malformed', `${source} has encapsulated pixel data without fragments.`);
  if (fragments.length === image.numberOfFrames) {
    const fragment = fragments[index] as { position: number; length: number };
    return ds.byteArray.subarray(fragment.position, fragment.position + fragment.length);
  }
  if (image.numberOfFrames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(ds, element, 0, fragments.length) as Uint8Array;
  const table =
    element.basicOffsetTable && element.basicOffsetTable.length === image.numberOfFrames
      ? element.basicOffsetTable
      : dicomParser.createJPEGBasicOffsetTable(ds, element);
  return dicomParser.readEncapsulatedImageFrame(ds, element, index, table) as Uint8Array;
}

/** Masks unsigned samples to Bits Stored and sign-extends signed ones (PS3.5 8.1.1). Pure. */
export function storedValues(
  samples: Uint8Array | Uint16Array,
  bitsStored: number,
  signed: boolean,
): Uint8Array | Uint16Array | Int8Array | Int16Array {
  const containerBits = samples.BYTES_PER_ELEMENT * 8;
  if (!signed) {
    if (bitsStored >= containerBits) return samples;
    const mask = (1 << bitsStored) - 1;
    for (let i = 0; i < samples.length; i++) samples[i] = (samples[i] as number) & mask;
    return samples;
  }
  const out = containerBits === 8 ? new Int8Array(samples.length) : new Int16Array(samples.length);
  const shift = 32 - bitsStored;
  for (let i = 0; i < samples.length; i++) out[i] = ((samples[i] as number) << shift) >> shift;
  return out;
}

/**
 * Runs one codec on one encoded frame. The default runs it here; ingest passes an isolated runner
 * (decode-isolation.ts) so that a codec that hangs or aborts on a damaged file costs a rejected file, not the app.
 */
export type FrameDecodeRunner = (decoder: DecoderKey, encoded: Uint8Array, geometry: FrameGeometry) => Promise<DecodedSamples>;

export const decodeInProcess: FrameDecodeRunner = async (key, encoded, geometry) => {
  const decoder = DECODERS[key];
  await decoder.ready();
  return decoder.decode(encoded, geometry);
};

/** Decodes frame `index` to stored values with the decoder the transfer syntax names. */
export async function decodeFrame(parsed: ParsedDicom, image: ImageDescription, index: number, source: string, run: FrameDecodeRunner = decodeInProcess): Promise<DecodedFrame> {
  const key = parsed.transferSyntax.decoder;
  const encoded = encodedFrame(parsed, image, index, source);
  let decoded;
  try {
    decoded = await run(key, encoded, image);
  } catch (error) {
    throw new DicomReadError('undecodable', `${source}: frame ${index + 1} cannot be decoded by ${DECODERS[key].name} (${describeThrown(error)}). The file is damaged; re-export it.`);
  }
  const signed = image.pixelRepresentation === 1 && image.samplesPerPixel === 1;
  return {
    width: image.columns,
    height: image.rows,
    samplesPerPixel: image.samplesPerPixel,
    bitsAllocated: image.bitsAllocated,
    bitsStored: image.bitsStored,
    signed,
    photometric: decoded.photometric,
    pixels: image.samplesPerPixel === 1 ? storedValues(decoded.samples, image.bitsStored, signed) : decoded.samples,
    nearLossless: decoded.nearLossless,
  };
}
