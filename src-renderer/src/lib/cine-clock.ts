// The cine clock: which frame a run shows a given time after playback started. Frame index = floor(elapsed /
// frame time), so a paused or faked clock (Playwright's page.clock) decides exactly which frame is on screen.

export interface CinePosition {
  frame: number;
  /** True when a run that does not loop has reached its last frame. */
  ended: boolean;
}

export function frameAtElapsed(elapsedMs: number, frameTimeMs: number, frames: number, loop: boolean): CinePosition {
  if (frames <= 1 || !(frameTimeMs > 0)) return { frame: 0, ended: frames <= 1 };
  const index = Math.floor(Math.max(0, elapsedMs) / frameTimeMs);
  if (loop) return { frame: index % frames, ended: false };
  return index >= frames - 1 ? { frame: frames - 1, ended: true } : { frame: index, ended: false };
}

/** The clock origin that makes `frame` the current frame at `now` (so playback resumes where it was paused). */
export function originForFrame(now: number, frame: number, frameTimeMs: number): number {
  return now - frame * frameTimeMs;
}

export const ASSUMED_FRAME_TIME_MS = 1000 / 15;

/**
 * The run's frame time: Frame Time (0018,1063) when the file states it, else the step of the stored frame times,
 * else 15 frames/s (the viewer says it assumed this).
 */
export function resolveFrameTime(frameTimeMs: number | null | undefined, frameTimesMs: (number | null)[]): { ms: number; assumed: boolean } {
  if (frameTimeMs && frameTimeMs > 0) return { ms: frameTimeMs, assumed: false };
  const [t0, t1] = frameTimesMs;
  if (t0 != null && t1 != null && t1 > t0) return { ms: t1 - t0, assumed: false };
  return { ms: ASSUMED_FRAME_TIME_MS, assumed: true };
}

export const CINE_RATE_LIMITS = { min: 1, max: 60 };

/** A chosen cine rate, kept within 1–60 frames/s and to one decimal; null when the input is not a number. */
export function clampCineRate(fps: number): number | null {
  if (!Number.isFinite(fps)) return null;
  return Math.round(Math.min(CINE_RATE_LIMITS.max, Math.max(CINE_RATE_LIMITS.min, fps)) * 10) / 10;
}

/**
 * When each frame starts (ms from the run's start) if the stored frame times (from the Frame Time Vector,
 * 0018,1065) space the frames unevenly; null when every step is the run's frame time, so the even clock applies.
 */
export function unevenFrameStarts(frameTimesMs: (number | null)[], frames: number, frameTimeMs: number): number[] | null {
  if (frames <= 1 || frameTimesMs.length < frames) return null;
  const starts: number[] = [];
  for (let i = 0; i < frames; i++) {
    const t = frameTimesMs[i];
    if (t == null || (i > 0 && !(t > starts[i - 1]!))) return null;
    starts.push(t - (frameTimesMs[0] as number));
  }
  const even = starts.every((t, i) => Math.abs(t - i * frameTimeMs) < 0.5);
  return even ? null : starts;
}

/**
 * The frame `elapsedMs` into playback over uneven frame starts: the last frame that has started. One pass lasts until
 * the last frame has been shown for the run's frame time.
 */
export function frameAtStarts(elapsedMs: number, starts: readonly number[], frameTimeMs: number, loop: boolean): CinePosition {
  const frames = starts.length;
  const pass = starts[frames - 1]! + frameTimeMs;
  let t = Math.max(0, elapsedMs);
  if (loop) t %= pass;
  else if (t >= starts[frames - 1]!) return { frame: frames - 1, ended: true };
  let low = 0;
  let high = frames - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= t) low = mid;
    else high = mid - 1;
  }
  return { frame: low, ended: false };
}
