// Where the patches go: each test patch is pasted exactly once, a fixed number of positives and negatives per frame,
// at seeded random places inside the frame that keep a gap between patches, so every candidate near a patch is
// attributable to it and no patch covers another.
import { seededRandom, shuffleInPlace } from '../../random/index.ts';

export interface PatchRef {
  /** Path or any id of the patch. */
  id: string;
  label: 'positive' | 'negative';
  width: number;
  height: number;
}

export interface Placement extends PatchRef {
  x: number;
  y: number;
}

export interface FramePlan {
  /** Index of the host frame in the source run (0-based). */
  frame: number;
  placements: Placement[];
}

export interface PlanOptions {
  frameWidth: number;
  frameHeight: number;
  /** Host frames to use, in order; as many are used as the patches need. */
  frames: number[];
  positivesPerFrame: number;
  negativesPerFrame: number;
  /** Minimum distance in pixels between two pasted patches' boxes (and from the frame's edge: half of it). */
  gap: number;
  seed: number;
  /** Tries per patch before the frame is declared too small for it. */
  tries?: number;
}

const apart = (a: Placement, b: Placement, gap: number) =>
  a.x >= b.x + b.width + gap || b.x >= a.x + a.width + gap || a.y >= b.y + b.height + gap || b.y >= a.y + a.height + gap;

/** Every patch once, shuffled by `seed`; frames in the given order until the patches run out. */
export function planPlacements(positives: PatchRef[], negatives: PatchRef[], options: PlanOptions): FramePlan[] {
  const random = seededRandom(options.seed);
  const pos = shuffleInPlace([...positives], random);
  const neg = shuffleInPlace([...negatives], random);
  const margin = Math.floor(options.gap / 2);
  const plans: FramePlan[] = [];
  for (const frame of options.frames) {
    if (pos.length === 0 && neg.length === 0) break;
    const wanted = [...pos.splice(0, options.positivesPerFrame), ...neg.splice(0, options.negativesPerFrame)];
    // Largest first: they are the hardest to fit.
    wanted.sort((a, b) => b.width * b.height - a.width * a.height);
    const placements: Placement[] = [];
    for (const patch of wanted) {
      const spanX = options.frameWidth - 2 * margin - patch.width;
      const spanY = options.frameHeight - 2 * margin - patch.height;
      if (spanX < 0 || spanY < 0) throw new RangeError(`patch ${patch.id} (${patch.width}×${patch.height}) does not fit in a ${options.frameWidth}×${options.frameHeight} frame`);
      let placed: Placement | null = null;
      for (let attempt = 0; attempt < (options.tries ?? 1000) && !placed; attempt++) {
        const candidate = { ...patch, x: margin + random.below(spanX + 1), y: margin + random.below(spanY + 1) };
        if (placements.every((p) => apart(p, candidate, options.gap))) placed = candidate;
      }
      if (!placed) throw new RangeError(`no room for patch ${patch.id} in frame ${frame} beside ${placements.length} others; use fewer patches per frame or a smaller gap`);
      placements.push(placed);
    }
    plans.push({ frame, placements });
  }
  if (pos.length > 0 || neg.length > 0) throw new RangeError(`${pos.length} positive and ${neg.length} negative patches left over: give more frames`);
  return plans;
}
