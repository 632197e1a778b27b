// Across a cine run a lesion shows on consecutive frames, its box drifting with the heartbeat: candidates whose boxes
// overlap on neighbouring frames are one lesion, seen on the frames of its group. Linking is transitive (a chain
// frame to frame), so a lesion that drifts far over the run stays one group while it is seen on every frame between.

export interface FrameBoxed {
  frame: number;
  x: number;
  y: number;
  width: number;
  height: number;
  probability: number;
}

export interface LesionGroup<T extends FrameBoxed> {
  /** First and last frame (0-based) the lesion is seen on; every frame between has one of its boxes. */
  firstFrame: number;
  lastFrame: number;
  /** Its boxes, by frame. */
  members: T[];
  /** The member with the highest probability. */
  best: T;
}

/** Boxes on neighbouring frames are one lesion when their intersection over union reaches this: touching corners of two windows are not. */
export const GROUP_OVERLAP = 0.1;

export function intersectionOverUnion(a: Omit<FrameBoxed, 'frame' | 'probability'>, b: Omit<FrameBoxed, 'frame' | 'probability'>): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}

/** Groups boxes from any frames of one run; groups come best first. */
export function groupAcrossFrames<T extends FrameBoxed>(boxes: readonly T[], minOverlap = GROUP_OVERLAP): LesionGroup<T>[] {
  const parent = boxes.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      if (Math.abs(boxes[i]!.frame - boxes[j]!.frame) === 1 && intersectionOverUnion(boxes[i]!, boxes[j]!) >= minOverlap) parent[root(i)] = root(j);
    }
  }
  const groups = new Map<number, T[]>();
  boxes.forEach((box, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), box]));
  return [...groups.values()]
    .map((members) => {
      members.sort((a, b) => a.frame - b.frame);
      const best = members.reduce((top, m) => (m.probability > top.probability ? m : top));
      return { firstFrame: members[0]!.frame, lastFrame: members.at(-1)!.frame, members, best };
    })
    .sort((a, b) => b.best.probability - a.best.probability);
}

/** Frames in a row: "frame 13" or "frames 12-17" (1-based, as the Viewer counts them). */
export function frameRangeWords(firstFrame: number, lastFrame: number): string {
  return firstFrame === lastFrame ? `frame ${firstFrame + 1}` : `frames ${firstFrame + 1}-${lastFrame + 1}`;
}
