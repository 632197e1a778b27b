// JPEG extended (8- and 12-bit, process 2 & 4): the IJG libraries built to WebAssembly in dcmjs-codecs, the same
// lineage as dcmtk's dcmjpeg. libjpeg-turbo's 8-bit build cannot read 12-bit streams.
import type { DecodedSamples, FrameDecoder, FrameGeometry } from './types.ts';
import { expectedSamples, samplesFromBytes } from './types.ts';
import { requireCodec, resolveCodecFile } from './wasm-module.ts';

interface CodecContext {
  getDecodedBuffer(): Uint8Array | undefined;
  getPhotometricInterpretation(): string | undefined;
}
interface DcmjsCodecs {
  Context: new (attrs: Record<string, unknown>) => CodecContext;
  NativeCodecs: {
    initializeAsync(options: { webAssemblyModulePathOrUrl?: string }): Promise<void>;
    isInitialized(): boolean;
    decodeJpeg(context: CodecContext, parameters?: { convertColorspaceToRgb?: boolean }): CodecContext;
  };
}

let codecs: DcmjsCodecs | undefined;
let loading: Promise<void> | undefined;

export const jpegIjgDecoder: FrameDecoder = {
  name: 'IJG libjpeg 8/12-bit (dcmjs-codecs)',
  ready() {
    loading ??= (async () => {
      const module = requireCodec<DcmjsCodecs>('dcmjs-codecs');
      if (!module.NativeCodecs.isInitialized()) {
        await module.NativeCodecs.initializeAsync({ webAssemblyModulePathOrUrl: resolveCodecFile('dcmjs-codecs/build/dcmjs-native-codecs.wasm') });
      }
      codecs = module;
    })();
    return loading;
  },
  decode(encoded: Uint8Array, g: FrameGeometry): DecodedSamples {
    if (!codecs) throw new Error('the IJG codec is not loaded; await ready() first');
    const context = new codecs.Context({
      width: g.columns,
      height: g.rows,
      bitsAllocated: g.bitsAllocated,
      bitsStored: g.bitsStored,
      samplesPerPixel: g.samplesPerPixel,
      pixelRepresentation: g.pixelRepresentation,
      planarConfiguration: 0,
      photometricInterpretation: g.photometric,
      encodedBuffer: encoded,
    });
    // As dcmdjpeg does: YCbCr becomes RGB when the photometric interpretation says YBR; colour labelled RGB is RGB as stored.
    const decoded = codecs.NativeCodecs.decodeJpeg(context, { convertColorspaceToRgb: g.photometric.startsWith('YBR') });
    const bytes = decoded.getDecodedBuffer();
    const count = expectedSamples(g);
    if (!bytes || bytes.length < count * (g.bitsAllocated / 8)) throw new Error(`IJG decoder produced ${bytes?.length ?? 0} bytes for a ${g.columns}×${g.rows} frame`);
    return { samples: samplesFromBytes(bytes, g.bitsAllocated, count), photometric: decoded.getPhotometricInterpretation() ?? g.photometric };
  },
};
