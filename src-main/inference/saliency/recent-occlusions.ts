// The Viewer asks for an image's map twice, coarse and then fine, right after its readout: the occlusion scorings of
// the last few images are kept so neither map encodes the image again, and a map asked for twice is scored once.
// An entry is found by the model, where the image came from and its pixels, so an edited file is scored afresh.
import type { GreyImage } from '../preprocess.ts';
import type { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { StagedOcclusion } from './occlusion.ts';

/** A handful: the image on screen and the ones just stepped away from. */
const KEPT = 4;

function samePixels(a: GreyImage, b: GreyImage): boolean {
  if (a.width !== b.width || a.height !== b.height || a.pixels.constructor !== b.pixels.constructor) return false;
  for (let i = 0; i < a.pixels.length; i++) if (a.pixels[i] !== b.pixels[i]) return false;
  return true;
}

export class RecentOcclusions {
  private entries: { runtime: ClassifierRuntime; source: string; staged: StagedOcclusion }[] = [];

  /** The scoring of `image` (from `source`, e.g. path, frame and box) under `runtime`: the kept one, or a new one. */
  of(runtime: ClassifierRuntime, source: string, image: GreyImage): StagedOcclusion {
    const found = this.entries.find((e) => e.runtime === runtime && e.source === source && samePixels(e.staged.image, image));
    const entry = found ?? { runtime, source, staged: new StagedOcclusion(runtime, image) };
    this.entries = [entry, ...this.entries.filter((e) => e !== entry && !(e.runtime === runtime && e.source === source))].slice(0, KEPT);
    return entry.staged;
  }

  clear(): void {
    this.entries = [];
  }
}
