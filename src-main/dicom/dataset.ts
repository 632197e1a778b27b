// Reads a DICOM byte stream into a dicom-parser data set the way a tolerant reader (dcmtk) does: Part 10 files with
// or without a transfer syntax in the meta, raw data sets without a meta, deflated data sets. Pure: bytes in, data set out.
import { inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { AppError } from '../ipc/index.ts';
import {
  DEFLATED_LITTLE_ENDIAN,
  EXPLICIT_BIG_ENDIAN,
  EXPLICIT_LITTLE_ENDIAN,
  IMPLICIT_LITTLE_ENDIAN,
  lookupTransferSyntax,
  type TransferSyntax,
} from './transfer-syntaxes.ts';

export type { DataSet, Element };

export interface ParsedDicom {
  dataSet: DataSet;
  transferSyntax: TransferSyntax;
  /** Whether the file had a Part 10 preamble and meta; files without one are read as raw data sets. */
  hasFileMeta: boolean;
  /** Things a tolerant reader accepted but a strict one would not. */
  warnings: string[];
}

/** Why a byte stream could not be read; `reason` is a stable code the import log stores. */
export type ReadFailure = 'not-dicom' | 'truncated' | 'unsupported-syntax' | 'malformed' | 'undecodable' | 'no-pixel-data';

export class DicomReadError extends AppError {
  readonly reason: ReadFailure;
  constructor(reason: ReadFailure, message: string) {
    super(`dicom-${reason}`, message, { reason });
    this.reason = reason;
  }
}

const VR_CODES = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
);

/** Groups a raw data set plausibly starts with: command, file meta, identifying, patient. */
const FIRST_GROUPS = new Set([0x0000, 0x0002, 0x0008, 0x0010]);

/** The byte order of a raw data set's first tag: big endian when only that reading gives a plausible first group. */
function firstTagIsBigEndian(bytes: Uint8Array, offset: number): boolean {
  const little = (bytes[offset] as number) | ((bytes[offset + 1] as number) << 8);
  const big = ((bytes[offset] as number) << 8) | (bytes[offset + 1] as number);
  return !FIRST_GROUPS.has(little) && FIRST_GROUPS.has(big);
}

/**
 * Guesses the transfer syntax of a raw data set from its first element, as dcmtk does: explicit VR when a VR code
 * follows the tag, big endian when the group only makes sense read that way (explicit VR big endian is the only big
 * endian syntax).
 */
export function guessRawTransferSyntax(bytes: Uint8Array, offset: number): string {
  if (bytes.length < offset + 8) return IMPLICIT_LITTLE_ENDIAN;
  const vr = String.fromCharCode(bytes[offset + 4] as number, bytes[offset + 5] as number);
  if (!VR_CODES.has(vr)) return IMPLICIT_LITTLE_ENDIAN;
  return firstTagIsBigEndian(bytes, offset) ? EXPLICIT_BIG_ENDIAN : EXPLICIT_LITTLE_ENDIAN;
}

function hasPreamble(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/** A plausible first data element: a group of FIRST_GROUPS, read little or big endian. */
function looksLikeRawDataSet(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const group = (bytes[0] as number) | ((bytes[1] as number) << 8);
  return FIRST_GROUPS.has(group) || firstTagIsBigEndian(bytes, 0);
}

function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'exception' in error) return messageOf((error as { exception: unknown }).exception);
  return error instanceof Error ? error.message : String(error);
}

/**
 * A deflated file as the explicit little endian file it encodes: the meta as written, then the inflated data set, with
 * the meta's transfer syntax value overwritten in place (NUL-padded to its length) by explicit VR little endian.
 * dicom-parser's own inflater hook restarts parsing at byte 0 of what it returns and reads the preamble as elements,
 * which fails on some files; this way it parses the data set from the meta's end like any other file.
 */
function inflatedFile(bytes: Uint8Array, meta: MetaSummary): Uint8Array {
  const inflated = inflateRawSync(bytes.subarray(meta.end));
  const whole = new Uint8Array(meta.end + inflated.length);
  whole.set(bytes.subarray(0, meta.end), 0);
  whole.set(inflated, meta.end);
  const value = new Uint8Array(meta.transferSyntaxLength);
  value.set(new TextEncoder().encode(EXPLICIT_LITTLE_ENDIAN));
  whole.set(value, meta.transferSyntaxOffset);
  return whole;
}

interface MetaSummary {
  end: number;
  transferSyntaxUid: string | null;
  /** Where the transfer syntax value lies in the file, and its length. */
  transferSyntaxOffset: number;
  transferSyntaxLength: number;
}

/** Where the meta ends and which transfer syntax it names (null when the meta lacks (0002,0010)). */
function readMeta(bytes: Uint8Array): MetaSummary {
  let position = 132;
  let transferSyntaxUid: string | null = null;
  let transferSyntaxOffset = 0;
  let transferSyntaxLength = 0;
  while (position + 8 <= bytes.length) {
    const group = (bytes[position] as number) | ((bytes[position + 1] as number) << 8);
    if (group !== 0x0002) break;
    const element = (bytes[position + 2] as number) | ((bytes[position + 3] as number) << 8);
    const vr = String.fromCharCode(bytes[position + 4] as number, bytes[position + 5] as number);
    let length: number;
    let header: number;
    if (['OB', 'OW', 'OF', 'SQ', 'UT', 'UN', 'UC', 'UR', 'OD', 'OL', 'OV', 'SV', 'UV'].includes(vr)) {
      length = new DataView(bytes.buffer, bytes.byteOffset + position + 8, 4).getUint32(0, true);
      header = 12;
    } else {
      length = (bytes[position + 6] as number) | ((bytes[position + 7] as number) << 8);
      header = 8;
    }
    if (element === 0x0010) {
      transferSyntaxUid = new TextDecoder('latin1').decode(bytes.subarray(position + header, position + header + length)).replace(/[\0 ]+$/, '');
      transferSyntaxOffset = position + header;
      transferSyntaxLength = length;
    }
    position += header + length;
  }
  return { end: position, transferSyntaxUid, transferSyntaxOffset, transferSyntaxLength };
}

/** Parses a DICOM byte stream; throws DicomReadError with a reason when it cannot be read at all. */
export function readDicom(input: Uint8Array, source: string): ParsedDicom {
  // A plain Uint8Array view: Buffer.slice() shares memory and dicom-parser allocates deprecated Buffer()s for Buffers.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const warnings: string[] = [];
  let hasFileMeta = hasPreamble(bytes);
  let body = bytes;
  let uid: string;
  let deflatedMeta: MetaSummary | null = null;
  if (hasFileMeta) {
    const meta = readMeta(bytes);
    if (meta.transferSyntaxUid) {
      uid = meta.transferSyntaxUid;
      if (uid === DEFLATED_LITTLE_ENDIAN) deflatedMeta = meta;
    } else {
      uid = guessRawTransferSyntax(bytes, meta.end);
      warnings.push(`file meta has no transfer syntax; read as ${uid}`);
      body = bytes.subarray(meta.end);
      hasFileMeta = false;
    }
  } else if (looksLikeRawDataSet(bytes)) {
    uid = guessRawTransferSyntax(bytes, 0);
    warnings.push(`no file meta; read as ${uid}`);
  } else {
    throw new DicomReadError('not-dicom', `${source} is not a DICOM file (no DICM preamble and no recognisable data set). Check that it is a DICOM export.`);
  }
  const transferSyntax = lookupTransferSyntax(uid);
  if (!transferSyntax) {
    throw new DicomReadError('unsupported-syntax', `${source} uses transfer syntax ${uid}, which this app cannot decode. Convert it to an uncompressed or JPEG syntax (e.g. dcmconv, gdcmconv) and import it again.`);
  }
  let dataSet: DataSet;
  try {
    if (deflatedMeta) body = inflatedFile(bytes, deflatedMeta);
    dataSet = hasFileMeta ? dicomParser.parseDicom(body) : dicomParser.parseDicom(body, { TransferSyntaxUID: uid } as never);
  } catch (error) {
    const message = messageOf(error);
    const truncated = /beyond|end of|buffer|past|overflow|RangeError|Offset is outside/i.test(message);
    throw new DicomReadError(
      truncated ? 'truncated' : 'malformed',
      `${source} could not be read (${truncated ? 'the file is truncated' : 'malformed data'}: ${message}). Re-export it from the source system.`,
    );
  }
  warnings.push(...(dataSet.warnings ?? []));
  return { dataSet, transferSyntax, hasFileMeta, warnings };
}

// ---- value accessors: small, total functions over a data set (undefined when absent or empty) ----

export const tagKey = (group: number, element: number): string =>
  `x${group.toString(16).padStart(4, '0')}${element.toString(16).padStart(4, '0')}`;

export function text(ds: DataSet, tag: string): string | undefined {
  const element = ds.elements[tag];
  if (!element || element.length === 0) return undefined;
  const value = ds.string(tag);
  return value === undefined || value === '' ? undefined : value;
}

export function texts(ds: DataSet, tag: string): string[] {
  const element = ds.elements[tag];
  if (!element || element.length === 0) return [];
  const all = new TextDecoder('latin1').decode(ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length));
  return all.split('\\').map((s) => s.replace(/[\0 ]+$/, '').trim());
}

/** Decimal/integer strings (DS, IS), every value; NaN-free. */
export function decimals(ds: DataSet, tag: string): number[] {
  return texts(ds, tag)
    .map((s) => Number.parseFloat(s))
    .filter((n) => Number.isFinite(n));
}

export function decimal(ds: DataSet, tag: string): number | undefined {
  return decimals(ds, tag)[0];
}

export function uint16(ds: DataSet, tag: string, index = 0): number | undefined {
  const element = ds.elements[tag];
  if (!element || element.length < 2 * (index + 1)) return undefined;
  return ds.uint16(tag, index);
}

export function int16(ds: DataSet, tag: string, index = 0): number | undefined {
  const element = ds.elements[tag];
  if (!element || element.length < 2 * (index + 1)) return undefined;
  return ds.int16(tag, index);
}

/** The raw value bytes of an element (no copy). */
export function valueBytes(ds: DataSet, element: Element): Uint8Array {
  return ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length);
}
