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
