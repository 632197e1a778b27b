// The frames each candidate of one frame appears on, across its cine run: the neighbouring frames are scanned
// outward from it (top regions only: the boxes, not their dropout or OOD reads) for as long as some candidate's group
// still reaches the newest frame, up to a bound in each direction so a report stays quick on long runs.
import type { GreyImage } from '../preprocess.ts';
import type { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { scanFrame } from './frame-scan.ts';
import { groupAcrossFrames, type FrameBoxed } from './lesion-groups.ts';

/** Frames scanned at most on each side of the read frame. */
export const RUN_REACH = 8;

export interface FrameRange {
  firstFrame: number;
  lastFrame: number;
}

export async function candidateFrameRanges(
  runtime: ClassifierRuntime,
  candidates: readonly FrameBoxed[],
  run: { frameCount: number; readFrame(index: number): Promise<GreyImage> },
  windowPixels: number,
  reach = RUN_REACH,
): Promise<FrameRange[]> {
  const frame = candidates[0]?.frame ?? 0;
  const keyed = candidates.map((c, index) => ({ ...c, key: index }));
  const boxes: (FrameBoxed & { key?: number })[] = [...keyed];
  const groupOf = (index: number) => groupAcrossFrames(boxes).find((g) => g.members.some((m) => m.key === index))!;
  for (const step of [-1, 1]) {
    for (let f = frame + step, taken = 0; f >= 0 && f < run.frameCount && taken < reach; f += step, taken++) {
      const scan = await scanFrame(runtime, await run.readFrame(f), { patchSize: windowPixels });
      boxes.push(...scan.regions.map((r) => ({ frame: f, x: r.x, y: r.y, width: r.size, height: r.size, probability: r.probability })));
      // Go on while some candidate's group still reaches this frame.
      if (!keyed.some((c) => groupOf(c.key).members.some((m) => m.frame === f))) break;
    }
  }
  return keyed.map((c) => {
    const group = groupOf(c.key);
    return { firstFrame: group.firstFrame, lastFrame: group.lastFrame };
  });
}
