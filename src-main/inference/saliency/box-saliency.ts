// Occlusion saliency of one box of a frame (a lesion candidate), laid on a map the size of the frame: the box is read
// as the patch it was scored as, so its map explains that score; outside the box the map is empty (transparent).
import { toGrey8, type GreyImage } from '../preprocess.ts';
import type { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { occlusionSaliency, type SaliencyResult } from './occlusion.ts';

export interface FrameBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The box's pixels as an 8-bit patch (the frame's own 8-bit window, as the scan saw it). */
export function boxPatch(image: GreyImage, box: FrameBox): GreyImage {
  const grey = toGrey8(image);
  const crop = new Uint8Array(box.width * box.height);
  for (let r = 0; r < box.height; r++) crop.set(grey.subarray((box.y + r) * image.width + box.x, (box.y + r) * image.width + box.x + box.width), r * box.width);
  return { width: box.width, height: box.height, pixels: crop };
}

/** The box's map (`inBox`, box-sized) placed on an empty map the size of the frame. */
export function mapOnFrame(inBox: SaliencyResult, image: { width: number; height: number }, box: FrameBox): SaliencyResult {
  const values = new Float32Array(image.width * image.height);
  const overlay = new Uint8Array(image.width * image.height * 4);
  for (let r = 0; r < box.height; r++) {
    const at = (box.y + r) * image.width + box.x;
    values.set(inBox.values.subarray(r * box.width, (r + 1) * box.width), at);
    overlay.set(inBox.overlay.subarray(r * box.width * 4, (r + 1) * box.width * 4), at * 4);
  }
  return { ...inBox, width: image.width, height: image.height, values, overlay };
}

export async function boxSaliency(runtime: ClassifierRuntime, image: GreyImage, box: FrameBox): Promise<SaliencyResult> {
  return mapOnFrame(await occlusionSaliency(runtime, boxPatch(image, box)), image, box);
}
