// Reads a DICOM byte stream into a dicom-parser data set the way a tolerant reader (dcmtk) does: Part 10 files with
// or without a transfer syntax in the meta, raw data sets without a meta, deflated data sets. Pure: bytes in, data set out.
import { inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { AppError } from '../ipc/app-error.ts';
import {
  DEFLATED_LITTLE_ENDIAN,
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

/** Guesses implicit vs explicit little endian from the first element of a raw data set, as dcmtk does. */
export function guessRawTransferSyntax(bytes: Uint8Array, offset: number): string {
  if (bytes.length < offset + 8) return IMPLICIT_LITTLE_ENDIAN;
  const vr = String.fromCharCode(bytes[offset + 4] as number, bytes[offset + 5] as number);
  return VR_CODES.has(vr) ? EXPLICIT_LITTLE_ENDIAN : IMPLICIT_LITTLE_ENDIAN;
}

function hasPreamble(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/** A plausible first data element: group 0x0000–0x0008 or 0x0002 meta, little endian. */
function looksLikeRawDataSet(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const group = (bytes[0] as number) | ((bytes[1] as number) << 8);
  return group === 0x0008 || group === 0x0002 || group === 0x0000 || group === 0x0010;
}

function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'exception' in error) return messageOf((error as { exception: unknown }).exception);
  return error instanceof Error ? error.message : String(error);
}

function inflater(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(bytes.subarray(position));
  const whole = new Uint8Array(position + inflated.length);
  whole.set(bytes.subarray(0, position), 0);
  whole.set(inflated, position);
  return whole;
}

/** Where the meta ends and which transfer syntax it names (null when the meta lacks (0002,0010)). */
function readMeta(bytes: Uint8Array): { end: number; transferSyntaxUid: string | null } {
  let position = 132;
  let transferSyntaxUid: string | null = null;
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
    }
    position += header + length;
  }
  return { end: position, transferSyntaxUid };
}

/** Parses a DICOM byte stream; throws DicomReadError with a reason when it cannot be read at all. */
export function readDicom(input: Uint8Array, source: string): ParsedDicom {
  // A plain Uint8Array view: Buffer.slice() shares memory and dicom-parser allocates deprecated Buffer()s for Buffers.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const warnings: string[] = [];
  let hasFileMeta = hasPreamble(bytes);
  let body = bytes;
  let uid: string;
  if (hasFileMeta) {
    const meta = readMeta(bytes);
    if (meta.transferSyntaxUid) {
      uid = meta.transferSyntaxUid;
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
    dataSet = hasFileMeta
      ? dicomParser.parseDicom(body, { inflater: uid === DEFLATED_LITTLE_ENDIAN ? inflater : undefined } as never)
      : dicomParser.parseDicom(body, { TransferSyntaxUID: uid } as never);
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
