// JPEG lossless, process 14 (any predictor, including selection value 1): jpeg-lossless-decoder-js.
import type { DecodedSamples, FrameDecoder, FrameGeometry } from './types.ts';
import { expectedSamples, samplesFromBytes } from './types.ts';
import { requireCodec } from './wasm-module.ts';

interface LosslessModule {
  Decoder: new () => { decompress(buffer: ArrayBuffer, offset?: number, length?: number): ArrayBuffer };
}

let codec: LosslessModule | undefined;

export const jpegLosslessDecoder: FrameDecoder = {
  name: 'jpeg-lossless-decoder-js',
  ready() {
    codec ??= requireCodec<LosslessModule>('jpeg-lossless-decoder-js');
    return Promise.resolve();
  },
  decode(encoded: Uint8Array, g: FrameGeometry): DecodedSamples {
    if (!codec) throw new Error('the JPEG lossless decoder is not loaded; await ready() first');
    const copy = encoded.slice(); // the decoder reads from offset 0 of the ArrayBuffer it is given
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
