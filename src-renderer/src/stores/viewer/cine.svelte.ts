// Cine playback: play, pause, loop, step and the rate, on a clock that follows the file's frame times (even or
// uneven) scaled by the chosen rate, so playback at another rate keeps the run's rhythm. It only moves the frame
// source's current frame; drawing follows from that.
import { clampCineRate, frameAtElapsed, frameAtStarts, originForFrame, resolveFrameTime, unevenFrameStarts } from '../../lib/cine-clock.ts';
import type { FrameSource } from './frames.svelte.ts';

export class CinePlayer {
  playing = $state(false);
  loop = $state(true);
  /** The cine rate the user chose (frames/s); null plays at the file's own rate. */
  chosenFps = $state<number | null>(null);
  /** When each frame starts, in ms from the run's start, as ingest stored them; empty when none were stored. */
  frameTimesMs = $state<(number | null)[]>([]);
  /** The run's frame interval as ingest stored it, used when the frame's meta carries none. */
  storedFrameTimeMs = $state<number | null | undefined>(undefined);

  private raf = 0;
  private origin = 0;
  private readonly source: FrameSource;

  constructor(source: FrameSource) {
    this.source = source;
  }

  readonly frameTime = $derived.by(() => resolveFrameTime(this.source.meta?.frameTimeMs ?? this.storedFrameTimeMs, this.frameTimesMs));
  /** The file's rate; playback at another rate scales the file's clock, so uneven frame times keep their shape. */
  readonly fileFps: number = $derived.by(() => 1000 / this.frameTime.ms);
  readonly playbackFps: number = $derived.by(() => this.chosenFps ?? this.fileFps);
  private readonly speed: number = $derived.by(() => this.playbackFps / this.fileFps);
  private readonly starts: number[] | null = $derived.by(() => unevenFrameStarts(this.frameTimesMs, this.source.count, this.frameTime.ms));
  /** Time of the current frame from the run's start, in ms: the stored frame times when present. */
  readonly currentTimeMs: number = $derived.by(() => this.frameTimesMs[this.source.current] ?? this.source.current * this.frameTime.ms);

  step(delta: number): void {
    this.pause();
    const frames = this.source.count;
    if (frames === 0) return;
    const next = this.source.current + delta;
    this.source.setFrame(this.loop ? ((next % frames) + frames) % frames : next);
  }

  play(): void {
    const frames = this.source.count;
    if (this.playing || frames <= 1) return;
    if (!this.loop && this.source.current >= frames - 1) this.source.setFrame(0);
    this.playing = true;
    this.restartClock();
    this.raf = requestAnimationFrame(this.tick);
  }

  pause(): void {
    this.playing = false;
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  toggleLoop(): void {
    this.loop = !this.loop;
    if (this.playing) this.restartClock();
  }

  /** Plays at `fps` (1–60; the file's rate when null); playback goes on from the frame shown. */
  setRate(fps: number | null): void {
    const rate = fps === null ? null : clampCineRate(fps);
    if (fps !== null && rate === null) return;
    this.chosenFps = rate;
    if (this.playing) this.restartClock();
  }

  /** Stopped, at the file's rate, with no frame times: ready for the next image. */
  clear(): void {
    this.pause();
    this.chosenFps = null;
    this.frameTimesMs = [];
    this.storedFrameTimeMs = undefined;
  }

  /** Clock origin so that the current frame is the one shown now, in the file's time scaled by the chosen rate. */
  private restartClock(): void {
    const current = this.source.current;
    const fileTime = this.starts ? this.starts[current]! : current * this.frameTime.ms;
    this.origin = this.speed === 1 && !this.starts ? originForFrame(performance.now(), current, this.frameTime.ms) : performance.now() - fileTime / this.speed;
  }

  private tick = (): void => {
    if (!this.playing) return;
    const fileElapsed = (performance.now() - this.origin) * this.speed;
    const position = this.starts ? frameAtStarts(fileElapsed, this.starts, this.frameTime.ms, this.loop) : frameAtElapsed(fileElapsed, this.frameTime.ms, this.source.count, this.loop);
    if (position.frame !== this.source.current) this.source.setFrame(position.frame);
    if (position.ended) {
      this.pause();
      return;
    }
    this.raf = requestAnimationFrame(this.tick);
  };
}
