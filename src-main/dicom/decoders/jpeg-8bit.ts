// JPEG baseline, 8-bit samples: libjpeg-turbo (WebAssembly, @cornerstonejs/codec-libjpeg-turbo-8bit) for grey and YBR
// colour, which it converts to RGB as dcmdjpeg does. Colour labelled RGB goes to the IJG decoder, which can leave the
// components as stored (libjpeg-turbo would treat a stream without JFIF/Adobe markers as YCbCr, dcmtk and gdcm do not).
import type { DecodedSamples, FrameDecoder, FrameGeometry } from './types.ts';
import { expectedSamples } from './types.ts';
import { jpegIjgDecoder } from './jpeg-ijg.ts';
import { loadEmscriptenCodec } from './wasm-module.ts';

interface TurboDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
  delete(): void;
}
interface TurboModule {
  JPEGDecoder: new () => TurboDecoder;
}

const load = loadEmscriptenCodec<TurboModule>('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm');
let codec: TurboModule | undefined;

export const jpeg8BitDecoder: FrameDecoder = {
  name: 'libjpeg-turbo (8-bit)',
  async ready() {
    codec ??= await load();
    await jpegIjgDecoder.ready();
  },
  decode(encoded: Uint8Array, g: FrameGeometry): DecodedSamples {
    if (g.samplesPerPixel === 3 && !g.photometric.startsWith('YBR')) return jpegIjgDecoder.decode(encoded, g);
    if (!codec) throw new Error('libjpeg-turbo is not loaded; await ready() first');
    const decoder = new codec.JPEGDecoder();
    try {
      decoder.getEncodedBuffer(encoded.length).set(encoded);
      decoder.decode();
      const info = decoder.getFrameInfo();
      if (info.width !== g.columns || info.height !== g.rows || info.componentCount !== g.samplesPerPixel) {
        throw new Error(`JPEG stream is ${info.width}×${info.height}×${info.componentCount}, data set says ${g.columns}×${g.rows}×${g.samplesPerPixel}`);
      }
      const samples = new Uint8Array(expectedSamples(g));
      samples.set(decoder.getDecodedBuffer().subarray(0, samples.length));
      return { samples, photometric: g.samplesPerPixel === 3 ? 'RGB' : g.photometric };
    } finally {
      decoder.delete();
    }
  },
};
