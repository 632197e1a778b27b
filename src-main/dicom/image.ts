// What a data set says about its pixels (Image Pixel module, rescale, VOI, palette) and how to get one frame's
// stored sample values out of it. Pure over a parsed data set; the codecs are behind decoders/.
import dicomParser from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { DicomReadError, decimal, decimals, int16, text, texts, uint16, type ParsedDicom } from './dataset.ts';
import { DECODERS } from './decoders/index.ts';
import { bitAlignedFrame } from './decoders/packed-bits.ts';
import { readSegmentedLut } from './segmented-lut.ts';
import { nativeFrameBits, type DecodedSamples, type FrameGeometry } from './decoders/types.ts';
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
  /** Modality LUT Sequence (0028,3000): replaces the rescale when present (PS3.3 C.11.1). */
  modalityLut?: LookupTable;
  palette?: { red: LookupTable; green: LookupTable; blue: LookupTable };
  /** 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID' (0028,1056); LINEAR when absent. */
  voiFunction: string;
}

export interface DecodedFrame {
  width: number;
  height: number;
  samplesPerPixel: 1 | 3;
  bitsAllocated: 1 | 8 | 16 | 32;
  bitsStored: number;
  signed: boolean;
  /** Photometric interpretation of `pixels` (JPEG colour arrives as RGB, YBR_FULL_422 with its chroma expanded as YBR_FULL). */
  photometric: string;
  /** Stored values: masked to Bits Stored, sign-extended when signed; colour interleaved; 1-bit pixels one 0/1 byte each. */
  pixels: Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array;
  nearLossless?: number;
}

const PIXEL_DATA = 'x7fe00010';

function readLut(ds: DataSet, descriptorTag: string, dataTag: string, signedFirstMapped = uint16(ds, 'x00280103') === 1): LookupTable | undefined {
  const descriptor = ds.elements[descriptorTag];
  const data = ds.elements[dataTag];
  if (!descriptor || !data || descriptor.length < 6) return undefined;
  const entries = (uint16(ds, descriptorTag, 0) as number) || 65536;
  // The first-mapped value is US or SS: explicit VR says which; implicit VR leaves it to the pixel representation.
  const signed = descriptor.vr === 'SS' || (descriptor.vr !== 'US' && signedFirstMapped);
  const firstMapped = signed ? (int16(ds, descriptorTag, 1) as number) : (uint16(ds, descriptorTag, 1) as number);
  const bits = uint16(ds, descriptorTag, 2) as number;
  const values: number[] = [];
  if (bits <= 8 && data.length === entries) {
    for (let i = 0; i < entries; i++) values.push(ds.byteArray[data.dataOffset + i] as number);
  } else {
    for (let i = 0; i < entries && 2 * i + 1 < data.length; i++) values.push(ds.uint16(dataTag, i) as number);
  }
  return { entries, firstMapped, bits, data: values };
}

/** The first item's table of a LUT sequence: VOI LUT (0028,3010) or Modality LUT (0028,3000). */
function firstLutOf(ds: DataSet, sequenceTag: string): LookupTable | undefined {
  const item = ds.elements[sequenceTag]?.items?.[0]?.dataSet;
  // The item holds no Pixel Representation of its own: the image's says whether the first mapped value is signed.
  return item ? readLut(item, 'x00283002', 'x00283006', uint16(ds, 'x00280103') === 1) : undefined;
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

/** 8 and 16 bits in any syntax; 1-bit grey (masks, segmentations) and 32-bit colour as native little-endian pixel data. */
function checkBitsAllocated(bits: number, samplesPerPixel: number, parsed: ParsedDicom, source: string): asserts bits is 1 | 8 | 16 | 32 {
  if (bits === 8 || bits === 16) return;
  const unsupported = (why: string) => new DicomReadError('unsupported-syntax', `${source} has ${bits} bits allocated; ${why}`);
  if (bits !== 1 && bits !== 32) throw unsupported('only 1, 8, 16 and 32 are supported.');
  if (bits === 1 && samplesPerPixel !== 1) throw unsupported('1-bit pixels are read as grey only.');
  if (bits === 32 && samplesPerPixel !== 3) throw unsupported('32-bit samples are read for colour only.');
  const syntax = parsed.transferSyntax;
  // RLE segments carry any sample size; big endian keeps OB pixel data as written (dcmconv +tb does), but swaps OW in
  // 16-bit words, which would scramble 1-bit runs and 32-bit samples: rare enough to refuse rather than guess.
  if (syntax.decoder === 'rle' && bits === 32) return;
  const keptAsWritten = syntax.littleEndian || pixelDataVr(parsed) === 'OB';
  if (syntax.encapsulated || !keptAsWritten) {
    throw unsupported(`the app reads such pixels only uncompressed little endian (or big endian OB), or 32-bit as RLE, not ${syntax.name}. Convert the file with dcmconv +te.`);
  }
}

function pixelDataVr(parsed: ParsedDicom): string | undefined {
  return parsed.dataSet.elements[PIXEL_DATA]?.vr;
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
  checkBitsAllocated(bitsAllocated, samplesPerPixel, parsed, source);
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
          const channel = (n: number) => readLut(ds, `x0028110${n}`, `x0028120${n}`) ?? readSegmentedLut(ds, `x0028110${n}`, `x0028122${n}`);
          const [red, green, blue] = [channel(1), channel(2), channel(3)];
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
    // OB is never byte-swapped: 32-bit samples in a big endian file's OB pixel data keep the little endian order.
    littleEndian: parsed.transferSyntax.littleEndian || (bitsAllocated === 32 && pixelDataVr(parsed) === 'OB'),
    numberOfFrames: Number.isFinite(frames) && frames > 0 ? frames : 1,
    rescale: { slope: decimal(ds, 'x00281053') ?? 1, intercept: decimal(ds, 'x00281052') ?? 0, type: text(ds, 'x00281054') },
    windows,
    voiLut: firstLutOf(ds, 'x00283010'),
    modalityLut: firstLutOf(ds, 'x00283000'),
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

/**
 * 8-bit samples in big-endian OW Pixel Data sit two to a 16-bit word, each word stored high byte first (PS3.5 A.3):
 * `length` of them from `start`, in sample order. Pairs count from the element's first byte, so a frame may start inside a word.
 */
function bytesOfBigEndianWords(pixelData: Uint8Array, start: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = pixelData[(start + i) ^ 1] ?? 0;
  return out;
}

function locateFrame(parsed: ParsedDicom, image: ImageDescription, index: number, source: string): Uint8Array {
  const ds = parsed.dataSet;
  const element = ds.elements[PIXEL_DATA] as Element;
  if (index < 0 || index >= image.numberOfFrames) throw new RangeError(`frame ${index} of ${source} does not exist (it has ${image.numberOfFrames})`);
  if (!parsed.transferSyntax.encapsulated) {
    const frameBits = nativeFrameBits(image);
    const end = Math.ceil(((index + 1) * frameBits) / 8);
    if (element.dataOffset + end > ds.byteArray.length || end > element.length) {
      throw new DicomReadError('truncated', `${source} is truncated: frame ${index + 1} needs ${Math.ceil(frameBits / 8)} bytes of pixel data that the file does not have.`);
    }
    const pixelData = ds.byteArray.subarray(element.dataOffset, element.dataOffset + end);
    if (image.bitsAllocated === 1) return bitAlignedFrame(pixelData, index * frameBits, frameBits);
    const start = index * (frameBits / 8);
    if (image.bitsAllocated === 8 && !parsed.transferSyntax.littleEndian && element.vr === 'OW') {
      return bytesOfBigEndianWords(ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length), start, end - start);
    }
    return pixelData.subarray(start);
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
  samples: Uint8Array | Uint16Array | Uint32Array,
  bitsStored: number,
  signed: boolean,
): Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array {
  const containerBits = samples.BYTES_PER_ELEMENT * 8;
  if (!signed) {
    if (bitsStored >= containerBits) return samples;
    // 2 ** n, not 1 << n: a 31-bit mask overflows a 32-bit shift.
    const mask = 2 ** bitsStored - 1;
    for (let i = 0; i < samples.length; i++) samples[i] = ((samples[i] as number) & mask) >>> 0;
    return samples;
  }
  const out = containerBits === 8 ? new Int8Array(samples.length) : containerBits === 16 ? new Int16Array(samples.length) : new Int32Array(samples.length);
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
