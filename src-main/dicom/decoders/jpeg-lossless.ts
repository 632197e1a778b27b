// JPEG lossless, process 14 (predictors 1–7, point transform, 2–16 bits, restart intervals, interleaved or one scan
// per component): our C++ decoder in the native addon (src-main/native/jpeg), which dcmdjpeg's output holds exact.
import { projectRoot } from '../../app/index.ts';
import { loadAddon } from '../../native/index.ts';
import type { DecodedSamples, FrameDecoder, FrameGeometry } from './types.ts';
import { expectedSamples } from './types.ts';

interface LosslessAddon {
  version(): string;
  /** Samples interleaved, row-major; Uint8Array for 8 bits allocated (values modulo 256), Uint16Array for 16. */
  jpegLosslessDecode(
    stream: Uint8Array,
    bitsAllocated: 8 | 16,
  ): { width: number; height: number; components: number; precision: number; samples: Uint8Array | Uint16Array };
}

let addon: LosslessAddon | undefined;

export const jpegLosslessDecoder: FrameDecoder = {
  name: 'JPEG lossless (native addon)',
  ready() {
    if (addon) return Promise.resolve();
    const load = loadAddon<LosslessAddon>(projectRoot());
    if (!load.loaded) return Promise.reject(new Error(`JPEG lossless decoding needs the native addon: ${load.error}`));
    if (typeof load.addon.jpegLosslessDecode !== 'function') {
      return Promise.reject(new Error(`native addon at ${load.path} has no JPEG lossless decoder: rebuild it with \`npm run build:addon\``));
    }
    addon = load.addon;
    return Promise.resolve();
  },
  decode(encoded: Uint8Array, g: FrameGeometry): DecodedSamples {
    if (!addon) throw new Error('the JPEG lossless decoder is not loaded; await ready() first');
    if (g.bitsAllocated !== 8 && g.bitsAllocated !== 16) throw new Error(`JPEG lossless frames are 8 or 16 bits allocated, the data set says ${g.bitsAllocated}`);
    const image = addon.jpegLosslessDecode(encoded, g.bitsAllocated);
    if (image.width !== g.columns || image.height !== g.rows || image.components !== g.samplesPerPixel) {
      throw new Error(`JPEG lossless stream is ${image.width}×${image.height}×${image.components}, data set says ${g.columns}×${g.rows}×${g.samplesPerPixel}`);
    }
    if (image.samples.length !== expectedSamples(g)) throw new Error(`JPEG lossless stream decoded to ${image.samples.length} samples, ${expectedSamples(g)} expected`);
    return { samples: image.samples, photometric: g.photometric };
  },
};
