// The decoder for each transfer syntax, chosen by lookup: transfer-syntaxes.ts names a key, this table maps it.
import type { DecoderKey } from '../transfer-syntaxes.ts';
import { jpeg8BitDecoder } from './jpeg-8bit.ts';
import { jpegIjgDecoder } from './jpeg-ijg.ts';
import { jpegLosslessDecoder } from './jpeg-lossless.ts';
import { jpegLsDecoder } from './jpeg-ls.ts';
import { jpeg2000Decoder } from './jpeg2000.ts';
import { nativeDecoder } from './native.ts';
import { rleDecoder } from './rle.ts';
import type { FrameDecoder } from './types.ts';

export const DECODERS: Readonly<Record<DecoderKey, FrameDecoder>> = {
  native: nativeDecoder,
  rle: rleDecoder,
  'jpeg-8bit': jpeg8BitDecoder,
  'jpeg-ijg': jpegIjgDecoder,
  'jpeg-lossless': jpegLosslessDecoder,
  'jpeg-ls': jpegLsDecoder,
  'jpeg-2000': jpeg2000Decoder,
};

export type { DecodedSamples, FrameDecoder, FrameGeometry } from './types.ts';
