// The transfer syntaxes the app reads, keyed by UID: byte order, VR encoding, and which frame decoder handles them.
// Adding a syntax is one row here plus (for a new compression) one decoder in decoders/.

export type DecoderKey = 'native' | 'rle' | 'jpeg-8bit' | 'jpeg-ijg' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg-2000';

export interface TransferSyntax {
  uid: string;
  name: string;
  littleEndian: boolean;
  explicitVr: boolean;
  /** The data set after the file meta is deflate-compressed (PS3.5 A.5). */
  deflated: boolean;
  /** Pixel data is a sequence of fragments (PS3.5 A.4). */
  encapsulated: boolean;
  /** The decoded pixels may differ from the originals. */
  lossy: boolean;
  decoder: DecoderKey;
}

function row(uid: string, name: string, decoder: DecoderKey, options: Partial<TransferSyntax> = {}): TransferSyntax {
  const encapsulated = decoder !== 'native';
  return { uid, name, littleEndian: true, explicitVr: true, deflated: false, encapsulated, lossy: false, decoder, ...options };
}

export const TRANSFER_SYNTAXES: ReadonlyMap<string, TransferSyntax> = new Map(
  [
    row('1.2.840.10008.1.2', 'Implicit VR Little Endian', 'native', { explicitVr: false }),
    row('1.2.840.10008.1.2.1', 'Explicit VR Little Endian', 'native'),
    row('1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian', 'native', { deflated: true }),
    row('1.2.840.10008.1.2.2', 'Explicit VR Big Endian', 'native', { littleEndian: false }),
    row('1.2.840.10008.1.2.5', 'RLE Lossless', 'rle'),
    // Baseline is always 8-bit; extended may be 8 or 12: the decoder key is refined from the JPEG header's precision.
    row('1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)', 'jpeg-8bit', { lossy: true }),
    row('1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', 'jpeg-ijg', { lossy: true }),
    // Retired since 2006 but still written by dcmcjpeg +es/+ep and read by dcmdjpeg: the IJG decoder reads both.
    row('1.2.840.10008.1.2.4.53', 'JPEG Spectral Selection (Process 6 & 8, retired)', 'jpeg-ijg', { lossy: true }),
    row('1.2.840.10008.1.2.4.55', 'JPEG Full Progression (Process 10 & 12, retired)', 'jpeg-ijg', { lossy: true }),
    row('1.2.840.10008.1.2.4.57', 'JPEG Lossless (Process 14)', 'jpeg-lossless'),
    row('1.2.840.10008.1.2.4.70', 'JPEG Lossless (Process 14, SV1)', 'jpeg-lossless'),
    row('1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', 'jpeg-ls'),
    row('1.2.840.10008.1.2.4.81', 'JPEG-LS Near-Lossless', 'jpeg-ls', { lossy: true }),
    row('1.2.840.10008.1.2.4.90', 'JPEG 2000 Lossless', 'jpeg-2000'),
    row('1.2.840.10008.1.2.4.91', 'JPEG 2000', 'jpeg-2000', { lossy: true }),
  ].map((ts) => [ts.uid, ts]),
);

export const IMPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2';
export const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const EXPLICIT_BIG_ENDIAN = '1.2.840.10008.1.2.2';
export const DEFLATED_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';

export function lookupTransferSyntax(uid: string): TransferSyntax | undefined {
  return TRANSFER_SYNTAXES.get(uid.replace(/\0/g, '').trim());
}
