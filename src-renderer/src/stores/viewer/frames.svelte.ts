// The open image's frames: the meta, the frame on screen, and every other frame of a run loaded in the background
// (a few requests at a time, with progress, cancel and resume) so that playback never waits on main. A frame asked
// for before its turn is fetched at once; a request already under way is shared, never repeated.
import type { Result } from '../../../../src-preload/contract.ts';
import { frameSamples, type FrameSamples } from '../../lib/frame-samples.ts';
import type { FrameImage, FrameMeta, LoadStatus, ShownFrame } from './types.ts';

/** Reads frame `index` of the open run from main. */
export type FrameReader = (index: number) => Promise<Result<FrameImage>>;

const PREFETCH_CONCURRENCY = 4;

export class FrameSource {
  meta = $state.raw<FrameMeta | null>(null);
  current = $state(0);
  shown = $state.raw<ShownFrame | null>(null);
  loadedFrames = $state(0);
  loadStatus = $state<LoadStatus>('idle');

  readonly count: number = $derived(this.meta?.frames ?? 0);

  private cache: (FrameSamples | undefined)[] = [];
  private pending = new Map<number, Promise<FrameSamples | null>>();
  private read: FrameReader | null = null;
  /** Bumped whenever another image replaces this one, so late answers for the old one are dropped. */
  private generation = 0;
  private readonly onError: (message: string) => void;

  constructor(onError: (message: string) => void) {
    this.onError = onError;
  }

  /** A run whose first frame is here; loadAll fetches the others through `read` (none without one). */
  startRun(first: FrameImage, read: FrameReader | null): void {
    this.clear();
    this.read = read;
    this.meta = first.meta;
    this.cache = new Array(first.meta.frames);
    this.showFirst(frameSamples(first.meta.format, first.data));
  }

  /** One image with no run behind it (a PNG patch, a test image): nothing more to load. */
  showSingle(image: FrameImage): void {
    this.clear();
    this.meta = image.meta;
    this.cache = [];
    this.showFirst(frameSamples(image.meta.format, image.data));
    this.loadStatus = 'done';
  }

  private showFirst(samples: FrameSamples): void {
    this.cache[0] = samples;
    this.loadedFrames = 1;
    this.current = 0;
    this.shown = { index: 0, samples };
  }

  clear(): void {
    this.generation++;
    this.read = null;
    this.meta = null;
    this.shown = null;
    this.current = 0;
    this.cache = [];
    this.pending.clear();
    this.loadedFrames = 0;
    this.loadStatus = 'idle';
  }

  /** Shows frame `index` (clamped to the run): at once when loaded, else as soon as it arrives. */
  setFrame(index: number): void {
    if (!this.meta) return;
    const frame = Math.min(Math.max(0, Math.round(index)), this.count - 1);
    this.current = frame;
    const cached = this.cache[frame];
    if (cached) {
      this.shown = { index: frame, samples: cached };
      return;
    }
    const generation = this.generation;
    void this.fetch(generation, frame).then((samples) => {
      if (samples && generation === this.generation && this.current === frame) this.shown = { index: frame, samples };
    });
  }

  /** Loads every frame of the run in the background. */
  async loadAll(): Promise<void> {
    const generation = this.generation;
    if (this.count <= 1) {
      this.loadStatus = 'done';
      return;
    }
    this.loadStatus = 'loading';
    let next = 0;
    const worker = async (): Promise<void> => {
      while (generation === this.generation && this.loadStatus === 'loading') {
        const index = next++;
        if (index >= this.count) return;
        if (!this.cache[index]) await this.fetch(generation, index);
      }
    };
    await Promise.all(Array.from({ length: PREFETCH_CONCURRENCY }, worker));
    if (generation === this.generation && this.loadStatus === 'loading') this.loadStatus = this.loadedFrames >= this.count ? 'done' : 'failed';
  }

  /** Stops loading frames ahead; frames still load one by one when shown. */
  cancelLoading(): void {
    if (this.loadStatus === 'loading') this.loadStatus = 'cancelled';
  }

  resumeLoading(): void {
    if (this.loadStatus === 'cancelled' || this.loadStatus === 'failed') void this.loadAll();
  }

  private fetch(generation: number, index: number): Promise<FrameSamples | null> {
    const cached = this.cache[index];
    if (cached) return Promise.resolve(cached);
    const read = this.read;
    if (!read) return Promise.resolve(null);
    let request = this.pending.get(index);
    if (!request) {
      request = read(index).then((answer) => {
        if (generation !== this.generation) return null;
        this.pending.delete(index);
        if (!answer.ok) {
          this.onError(`Frame ${index + 1} could not be read: ${answer.error.message} The other frames still play; re-import the file if this persists.`);
          return null;
        }
        const samples = frameSamples(answer.value.meta.format, answer.value.data);
        this.cache[index] = samples;
        this.loadedFrames++;
        return samples;
      });
      this.pending.set(index, request);
    }
    return request;
  }
}
