// Frames and clocks for the Viewer's store tests: a run of grey frames whose every pixel holds its frame index (so a
// test can tell which frame is on screen from its samples alone), and a hand-driven animation clock.
import type { PixelMeta } from '../../../src-preload/contract.ts';
import { fail, type FakeApi } from './fake-api.ts';

export type FrameMeta = PixelMeta<'library.frame'>;

export function grayMeta(overrides: Partial<FrameMeta> = {}): FrameMeta {
  return {
    width: 4,
    height: 2,
    format: 'gray8',
    bitsAllocated: 8,
    bitsStored: 8,
    photometric: 'MONOCHROME2',
    rescale: { slope: 1, intercept: 0 },
    window: null,
    frames: 1,
    frameTimeMs: null,
    ...overrides,
  };
}

/** Frame `index` of a gray8 run: every pixel is `index` (mod 256). */
export function frameBytes(meta: FrameMeta, index: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(meta.width * meta.height).fill(index % 256);
}

/**
 * Answers library.frame for one instance with frames of `meta`; `hold` keeps answers back until the test releases
 * them, so it can count requests in flight. Returns how to release them and what was asked.
 */
export function serveRun(fake: FakeApi, instanceId: number, meta: FrameMeta, options: { hold?: boolean; failing?: number[] } = {}) {
  const held: (() => void)[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  fake.pixels('library.frame', async ({ instanceId: asked, frame }) => {
    if (asked !== instanceId) throw new Error(`library.frame asked for instance ${asked}, not ${instanceId}`);
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    if (options.hold && frame !== 0) await new Promise<void>((resolve) => held.push(resolve));
    inFlight--;
    if (options.failing?.includes(frame)) return fail('internal', `frame ${frame} is damaged`);
    return { meta, data: frameBytes(meta, frame) };
  });
  return {
    release(): number {
      const count = held.length;
      for (const resolve of held.splice(0)) resolve();
      return count;
    },
    waiting: () => held.length,
    mostInFlight: () => mostInFlight,
  };
}

/** requestAnimationFrame and performance.now under the test's hand: `advance(ms)` moves time and runs one frame. */
export function manualClock() {
  let now = 1_000;
  let next = 1;
  const callbacks = new Map<number, FrameRequestCallback>();
  const saved = { raf: globalThis.requestAnimationFrame, caf: globalThis.cancelAnimationFrame, now: Object.getOwnPropertyDescriptor(performance, 'now') };
  globalThis.requestAnimationFrame = (callback) => {
    callbacks.set(next, callback);
    return next++;
  };
  globalThis.cancelAnimationFrame = (id) => void callbacks.delete(id);
  Object.defineProperty(performance, 'now', { value: () => now, configurable: true, writable: true });
  return {
    advance(ms: number): void {
      now += ms;
      const due = [...callbacks.values()];
      callbacks.clear();
      for (const callback of due) callback(now);
    },
    pending: () => callbacks.size,
    restore(): void {
      globalThis.requestAnimationFrame = saved.raf;
      globalThis.cancelAnimationFrame = saved.caf;
      if (saved.now) Object.defineProperty(performance, 'now', saved.now);
      else delete (performance as { now?: unknown }).now;
    },
  };
}
