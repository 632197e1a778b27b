// JPEG lossless, process 14 (any predictor, including selection value 1): jpeg-lossless-decoder-js.
import type { DecodedSamples, FrameDecoder, FrameGeometry } from './types.ts';
import { expectedSamples, samplesFromBytes } from './types.ts';
import { requireCodec } from './wasm-module.ts';

interface LosslessModule {
  Decoder: new () => { decompress(buffer: ArrayBuffer, offset?: number, length?: number): ArrayBuffer };
}

let codec: LosslessModule | undefined;

/**
 * The stream with two stuffed 0xFF bytes (16 one-bits of scan padding) before its EOI marker, in place of any 0xFF fill
 * bytes there. The decoder looks ahead for each Huffman code and drops the last sample when that look-ahead meets a
 * marker (dcmcjpeg and gdcm write 8-bit streams that end so); it stops after the last sample, so the padding is never
 * decoded. A 0xFF right before a marker is always fill: a data byte 0xFF is followed by 0x00.
 */
function withScanPadding(encoded: Uint8Array): Uint8Array<ArrayBuffer> {
  let eoi = encoded.length - 2;
  while (eoi >= 0 && eoi >= encoded.length - 16 && !(encoded[eoi] === 0xff && encoded[eoi + 1] === 0xd9)) eoi--;
  if (eoi < 0 || eoi < encoded.length - 16) return encoded.slice();
  let dataEnd = eoi;
  while (dataEnd > 0 && encoded[dataEnd - 1] === 0xff) dataEnd--;
  const tail = encoded.subarray(eoi);
  const padded = new Uint8Array(dataEnd + 4 + tail.length);
  padded.set(encoded.subarray(0, dataEnd), 0);
  padded.set([0xff, 0x00, 0xff, 0x00], dataEnd);
  padded.set(tail, dataEnd + 4);
  return padded;
}

export const jpegLosslessDecoder: FrameDecoder = {
  name: 'jpeg-lossless-decoder-js',
  ready() {
    codec ??= requireCodec<LosslessModule>('jpeg-lossless-decoder-js');
    return Promise.resolve();
  },
  decode(encoded: Uint8Array, g: FrameGeometry): DecodedSamples {
    if (!codec) throw new Error('the JPEG lossless decoder is not loaded; await ready() first');
    const copy = withScanPadding(encoded); // a copy: the decoder reads from offset 0 of the ArrayBuffer it is given
    const out = new Uint8Array(new codec.Decoder().decompress(copy.buffer, 0, copy.length));
    const count = expectedSamples(g);
    const bytesPerSample = out.length / count;
    if (bytesPerSample !== 1 && bytesPerSample !== 2) throw new Error(`JPEG lossless stream decoded to ${out.length} bytes, not a ${g.columns}×${g.rows}×${g.samplesPerPixel} frame`);
    // An 8-bit stream in a 16-bit container (or the reverse) is widened/narrowed sample by sample.
    const source = bytesPerSample === 1 ? out : new Uint16Array(out.buffer, 0, count);
    const samples = bytesPerSample * 8 === g.bitsAllocated ? samplesFromBytes(out, g.bitsAllocated, count) : g.bitsAllocated === 8 ? Uint8Array.from(source) : Uint16Array.from(source);
    return { samples, photometric: g.photometric };
  },
};
