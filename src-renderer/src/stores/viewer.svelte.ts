// The Viewer's state: which run is open and where it sits in the tree (or which dataset item: a DICOM frame opens
// its run at that frame, a PNG patch shows itself), its frames (raw stored values fetched over the binary path,
// prefetched with progress and cancel), window/level and inversion, zoom and pan, the cine clock, overlay planes,
// shutters and ECG, and "use this frame". Components only draw what this holds.
import type { InvokeOutput, PixelMeta } from '../../../src-preload/contract.ts';
import { api } from '../lib/api.ts';
import type { TestImageRef } from './navigation.svelte.ts';
import { clampCineRate, frameAtElapsed, frameAtStarts, originForFrame, resolveFrameTime, unevenFrameStarts } from '../lib/cine-clock.ts';
import { frameSamples, isColour, type FrameSamples } from '../lib/frame-samples.ts';
import { projectionLabel } from '../lib/projection.ts';
import { shutterMask } from '../lib/shutters.ts';
import { buildGreyLut, dragWindow, fullRangeWindow, percentileWindow, type GreyLut, type VoiWindow } from '../lib/voi.ts';

export type FrameMeta = PixelMeta<'library.frame'>;
export type InstanceContext = InvokeOutput<'viewer.instanceContext'>;
export type DatasetItem = InvokeOutput<'dataset.item'>;
export type EcgTrace = NonNullable<InvokeOutput<'viewer.ecg'>['ecg']>;
export type WindowPreset = 'file' | 'angio' | 'full' | 'custom';

/** The angiography facts ingest stored for an instance, as the contract declares them. */
export type AngioFacts = NonNullable<InvokeOutput<'library.instance'>['angio']>;

export interface OverlayBitmap {
  group: number;
  width: number;
  height: number;
  originRow: number;
  originColumn: number;
  bits: Uint8Array;
}

export interface ShownFrame {
  index: number;
  samples: FrameSamples;
}

/** A frame kept for side-by-side comparison, with what it takes to draw it again as it was. */
export interface PinnedFrame {
  meta: FrameMeta;
  shown: ShownFrame;
  lut: GreyLut | null;
  invert: boolean;
  instanceId: number | null;
  label: string;
}

const PREFETCH_CONCURRENCY = 4;
export const ZOOM_LIMITS = { min: 0.1, max: 16 };

export class ViewerStore {
  instanceId = $state<number | null>(null);
  /** The dataset item shown (the Results table's click-through); null when a run was opened from the Library. */
  item = $state.raw<DatasetItem | null>(null);
  /** A run's test image shown from its folder (not in the library); null otherwise. */
  testImage = $state.raw<TestImageRef | null>(null);
  context = $state<InstanceContext | null>(null);
  facts = $state<AngioFacts | null>(null);
  frameTimesMs = $state<(number | null)[]>([]);
  meta = $state.raw<FrameMeta | null>(null);
  opening = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);

  current = $state(0);
  shown = $state.raw<ShownFrame | null>(null);
  loadedFrames = $state(0);
  loadStatus = $state<'idle' | 'loading' | 'done' | 'cancelled' | 'failed'>('idle');

  playing = $state(false);
  loop = $state(true);
  /** The cine rate the user chose (frames/s); null plays at the file's own rate. */
  chosenFps = $state<number | null>(null);
  /** A frame pinned beside the live one for comparison (another run's or this run's), drawn as it was pinned. */
  compare = $state.raw<PinnedFrame | null>(null);

  window = $state<VoiWindow>({ center: 128, width: 256 });
  preset = $state<WindowPreset>('full');
  invert = $state(false);
  zoom = $state(1);
  panX = $state(0);
  panY = $state(0);

  overlays = $state.raw<OverlayBitmap[]>([]);
  overlayVisible = $state<Record<number, boolean>>({});
  ecg = $state.raw<EcgTrace | null>(null);

  private cache: (FrameSamples | undefined)[] = [];
  private pending = new Map<number, Promise<FrameSamples | null>>();
  private generation = 0;
  private raf = 0;
  private origin = 0;
  private dragStart: VoiWindow | null = null;

  readonly frames: number = $derived(this.meta?.frames ?? 0);
  /** A dataset item with no DICOM instance behind it (a PNG patch): the instance-only parts (context, overlays,
   * ECG, annotations, "use this frame", inference) stay off. */
  readonly patch: boolean = $derived((this.item !== null || this.testImage !== null) && this.instanceId === null);
  readonly frameTime = $derived(resolveFrameTime(this.meta?.frameTimeMs ?? this.facts?.frameTimeMs, this.frameTimesMs));
  /** The file's rate; playback at another rate scales the file's clock, so uneven frame times keep their shape. */
  readonly fileFps: number = $derived(1000 / this.frameTime.ms);
  readonly playbackFps: number = $derived(this.chosenFps ?? this.fileFps);
  private readonly speed: number = $derived(this.playbackFps / this.fileFps);
  private readonly starts: number[] | null = $derived(unevenFrameStarts(this.frameTimesMs, this.frames, this.frameTime.ms));
  readonly colour: boolean = $derived(this.meta ? isColour(this.meta.format) : false);
  readonly signed: boolean = $derived(this.meta ? this.meta.format.startsWith('grayS') : false);
  /** MONOCHROME1 shows low values bright; the user's invert flips whatever the photometric interpretation gives. */
  readonly effectiveInvert: boolean = $derived((this.meta?.photometric === 'MONOCHROME1') !== this.invert);
  readonly lut: GreyLut | null = $derived(
    this.meta && !this.colour
      ? buildGreyLut({ bitsStored: this.meta.bitsStored, signed: this.signed, rescale: this.meta.rescale, window: this.window, voiFunction: this.meta.voiFunction, invert: this.effectiveInvert })
      : null,
  );
  readonly mask: Uint8Array | null = $derived(this.meta ? shutterMask(this.meta.width, this.meta.height, this.facts?.shutter ?? null) : null);
  readonly projection: string | null = $derived(this.facts ? projectionLabel(this.facts.positionerPrimaryAngle, this.facts.positionerSecondaryAngle) : null);
  /** Time of the current frame from the run's start, in ms: the stored frame times when present. */
  readonly currentTimeMs: number = $derived(this.frameTimesMs[this.current] ?? this.current * this.frameTime.ms);
  readonly fullRange: VoiWindow | null = $derived(this.meta ? fullRangeWindow({ bitsStored: this.meta.bitsStored, signed: this.signed }, this.meta.rescale) : null);

  // --- opening a run -------------------------------------------------------------------------------------------

  async open(instanceId: number): Promise<void> {
    if (this.instanceId === instanceId && this.meta) return;
    this.close();
    const generation = ++this.generation;
    this.instanceId = instanceId;
    this.opening = true;
    const [context, detail, first] = await Promise.all([
      api().invoke['viewer.instanceContext']({ instanceId }),
      api().invoke['library.instance']({ instanceId }),
      api().pixels['library.frame']({ instanceId, frame: 0 }),
    ]);
    if (generation !== this.generation) return;
    this.opening = false;
    for (const answer of [context, detail, first]) {
      if (!answer.ok) {
        this.error = `This image could not be opened: ${answer.error.message} Choose another series in the Library, or import the file again.`;
        return;
      }
    }
    if (!context.ok || !detail.ok || !first.ok) return;
    this.context = context.value;
    this.facts = detail.value.angio;
    this.frameTimesMs = detail.value.frameTimesMs;
    this.meta = first.value.meta;
    const samples = frameSamples(first.value.meta.format, first.value.data);
    this.cache = new Array(first.value.meta.frames);
    this.cache[0] = samples;
    this.loadedFrames = 1;
    this.current = 0;
    this.shown = { index: 0, samples };
    this.applyPreset(first.value.meta.window ? 'file' : 'angio');
    void this.loadOverlays(generation, context.value);
    void this.loadEcg(generation, instanceId);
    void this.prefetch(generation);
  }

  /** A dataset item: a DICOM frame opens its run at that frame; a PNG patch is shown itself, as one frame. */
  async openItem(itemId: number): Promise<void> {
    if (this.item?.id === itemId && this.meta) return;
    this.close();
    const generation = ++this.generation;
    this.opening = true;
    const detail = await api().invoke['dataset.item']({ itemId });
    if (generation !== this.generation) return;
    if (!detail.ok) {
      this.opening = false;
      this.error = `Dataset item #${itemId} could not be opened: ${detail.error.message}`;
      return;
    }
    const item = detail.value;
    if (item.kind === 'dicom-frame' && item.instanceId !== null) {
      const instanceId = item.instanceId;
      await this.open(instanceId);
      // Superseded by another open, or the run could not be read (open says why).
      if (this.instanceId !== instanceId || !this.meta) return;
      this.item = item;
      this.setFrame(item.frameIndex ?? 0);
      return;
    }
    const image = await api().pixels['library.itemImage']({ itemId });
    if (generation !== this.generation) return;
    this.opening = false;
    if (!image.ok) {
      this.error = `Dataset item #${itemId} could not be shown: ${image.error.message}`;
      return;
    }
    this.item = item;
    this.showSingle(image.value);
  }

  /** A run's test image straight from its folder (a folder-trained run's Results row), shown as one frame. */
  async openTestImage(ref: TestImageRef): Promise<void> {
    if (this.testImage?.imageId === ref.imageId && this.meta) return;
    this.close();
    const generation = ++this.generation;
    this.opening = true;
    const image = await api().pixels['results.testImage']({ runId: ref.runId, imageId: ref.imageId });
    if (generation !== this.generation) return;
    this.opening = false;
    if (!image.ok) {
      this.error = `${ref.file} could not be shown: ${image.error.message}`;
      return;
    }
    this.testImage = ref;
    this.showSingle(image.value);
  }

  private showSingle(image: { meta: FrameMeta; data: ArrayBuffer }): void {
    this.meta = image.meta;
    const samples = frameSamples(image.meta.format, image.data);
    this.cache = [samples];
    this.loadedFrames = 1;
    this.loadStatus = 'done';
    this.current = 0;
    this.shown = { index: 0, samples };
    // A patch is shown as stored: every value, nothing clipped (A still stretches it to its percentiles).
    this.applyPreset('full');
  }

  close(): void {
    this.generation++;
    this.pause();
    this.instanceId = null;
    this.item = null;
    this.testImage = null;
    this.context = null;
    this.facts = null;
    this.meta = null;
    this.shown = null;
    this.cache = [];
    this.pending.clear();
    this.chosenFps = null;
    this.loadedFrames = 0;
    this.loadStatus = 'idle';
    this.overlays = [];
    this.overlayVisible = {};
    this.ecg = null;
    this.error = null;
    this.notice = null;
    this.resetView();
    this.invert = false;
  }

  private async fetchFrame(generation: number, index: number): Promise<FrameSamples | null> {
    const cached = this.cache[index];
    if (cached) return cached;
    let request = this.pending.get(index);
    if (!request) {
      const instanceId = this.instanceId as number;
      request = api()
        .pixels['library.frame']({ instanceId, frame: index })
        .then((answer) => {
          if (generation !== this.generation) return null;
          this.pending.delete(index);
          if (!answer.ok) {
            this.error = `Frame ${index + 1} could not be read: ${answer.error.message} The other frames still play; re-import the file if this persists.`;
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

  /** Loads every frame of the run in the background so that playback never waits on main. */
  private async prefetch(generation: number): Promise<void> {
    if (this.frames <= 1) {
      this.loadStatus = 'done';
      return;
    }
    this.loadStatus = 'loading';
    let next = 0;
    const worker = async (): Promise<void> => {
      while (generation === this.generation && this.loadStatus === 'loading') {
        const index = next++;
        if (index >= this.frames) return;
        if (!this.cache[index]) await this.fetchFrame(generation, index);
      }
    };
    await Promise.all(Array.from({ length: PREFETCH_CONCURRENCY }, worker));
    if (generation === this.generation && this.loadStatus === 'loading') this.loadStatus = this.loadedFrames >= this.frames ? 'done' : 'failed';
  }

  /** Stops loading frames ahead; frames still load one by one when shown. */
  cancelLoading(): void {
    if (this.loadStatus === 'loading') this.loadStatus = 'cancelled';
  }

  resumeLoading(): void {
    if (this.loadStatus === 'cancelled' || this.loadStatus === 'failed') void this.prefetch(this.generation);
  }

  private async loadOverlays(generation: number, context: InstanceContext): Promise<void> {
    const bitmaps: OverlayBitmap[] = [];
    for (const plane of context.overlays) {
      const answer = await api().pixels['viewer.overlay']({ instanceId: context.instanceId, group: plane.group });
      if (generation !== this.generation) return;
      if (!answer.ok) {
        this.error = `Overlay plane ${plane.group.toString(16)} could not be read: ${answer.error.message}`;
        continue;
      }
      const { width, height, originRow, originColumn } = answer.value.meta;
      bitmaps.push({ group: plane.group, width, height, originRow, originColumn, bits: new Uint8Array(answer.value.data) });
    }
    this.overlays = bitmaps;
    this.overlayVisible = Object.fromEntries(bitmaps.map((b) => [b.group, true]));
  }

  private async loadEcg(generation: number, instanceId: number): Promise<void> {
    if (!this.facts?.ecg) return;
    const answer = await api().invoke['viewer.ecg']({ instanceId });
    if (generation !== this.generation) return;
    if (answer.ok) this.ecg = answer.value.ecg;
    else this.error = `The ECG recorded with this run could not be read: ${answer.error.message}`;
  }

  // --- frames and the cine clock -------------------------------------------------------------------------------

  setFrame(index: number): void {
    if (!this.meta) return;
    const frame = Math.min(Math.max(0, Math.round(index)), this.frames - 1);
    this.current = frame;
    const cached = this.cache[frame];
    if (cached) {
      this.shown = { index: frame, samples: cached };
      return;
    }
    const generation = this.generation;
    void this.fetchFrame(generation, frame).then((samples) => {
      if (samples && generation === this.generation && this.current === frame) this.shown = { index: frame, samples };
    });
  }

  step(delta: number): void {
    this.pause();
    if (this.frames === 0) return;
    const next = this.current + delta;
    this.setFrame(this.loop ? ((next % this.frames) + this.frames) % this.frames : next);
  }

  play(): void {
    if (this.playing || this.frames <= 1) return;
    if (!this.loop && this.current >= this.frames - 1) this.setFrame(0);
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

  /** Clock origin so that the current frame is the one shown now, in the file's time scaled by the chosen rate. */
  private restartClock(): void {
    const fileTime = this.starts ? this.starts[this.current]! : this.current * this.frameTime.ms;
    this.origin = this.speed === 1 && !this.starts ? originForFrame(performance.now(), this.current, this.frameTime.ms) : performance.now() - fileTime / this.speed;
  }

  private tick = (): void => {
    if (!this.playing) return;
    const fileElapsed = (performance.now() - this.origin) * this.speed;
    const position = this.starts ? frameAtStarts(fileElapsed, this.starts, this.frameTime.ms, this.loop) : frameAtElapsed(fileElapsed, this.frameTime.ms, this.frames, this.loop);
    if (position.frame !== this.current) this.setFrame(position.frame);
    if (position.ended) {
      this.pause();
      return;
    }
    this.raf = requestAnimationFrame(this.tick);
  };

  // --- window/level ------------------------------------------------------------------------------------------

  applyPreset(preset: Exclude<WindowPreset, 'custom'>): void {
    const meta = this.meta;
    if (!meta) return;
    const range = { bitsStored: meta.bitsStored, signed: this.signed };
    if (preset === 'file' && meta.window) this.window = { ...meta.window };
    else if (preset === 'angio' && this.shown && !this.colour) this.window = percentileWindow(this.shown.samples, range, meta.rescale);
    else this.window = fullRangeWindow(range, meta.rescale);
    this.preset = preset === 'file' && !meta.window ? 'full' : preset;
  }

  setWindow(window: VoiWindow): void {
    if (!Number.isFinite(window.center) || !Number.isFinite(window.width)) return;
    this.window = { center: window.center, width: Math.max(1, window.width) };
    this.preset = 'custom';
  }

  beginWindowDrag(): void {
    this.dragStart = { ...this.window };
  }

  /** A drag across 512 screen pixels spans the stored value range. */
  dragWindowBy(dx: number, dy: number): void {
    if (!this.dragStart || !this.fullRange) return;
    this.setWindow(dragWindow(this.dragStart, dx, dy, Math.max(this.fullRange.width / 512, 0.25)));
  }

  endWindowDrag(): void {
    this.dragStart = null;
  }

  toggleInvert(): void {
    this.invert = !this.invert;
  }

  // --- zoom and pan (pan in CSS pixels from the centred position; zoom relative to fit) -----------------------

  zoomAt(factor: number, dxFromCentre = 0, dyFromCentre = 0): void {
    const zoom = Math.min(ZOOM_LIMITS.max, Math.max(ZOOM_LIMITS.min, this.zoom * factor));
    const f = zoom / this.zoom;
    this.panX = f * (this.panX - dxFromCentre) + dxFromCentre;
    this.panY = f * (this.panY - dyFromCentre) + dyFromCentre;
    this.zoom = zoom;
  }

  panBy(dx: number, dy: number): void {
    this.panX += dx;
    this.panY += dy;
  }

  resetView(): void {
    this.zoom = 1;
    this.panX = 0;
    this.panY = 0;
  }

  /** Back to how the image opened: its default window, no inversion, fitted and centred. */
  reset(): void {
    this.invert = false;
    this.resetView();
    this.applyPreset(this.meta?.window ? 'file' : 'angio');
  }

  // --- compare ---------------------------------------------------------------------------------------------

  /** Pins the frame shown now (with its window and inversion) beside the live view; open another run or step on to compare. */
  pinForCompare(): void {
    if (!this.meta || !this.shown) return;
    const where = this.context ? `series ${this.context.seriesNumber ?? '—'} ${this.context.modality ?? ''}`.trim() : this.item ? `dataset item #${this.item.id}` : 'image';
    this.compare = {
      meta: this.meta,
      shown: this.shown,
      lut: this.lut,
      invert: this.effectiveInvert,
      instanceId: this.instanceId,
      label: `${where} · frame ${this.shown.index + 1}/${this.frames}`,
    };
  }

  closeCompare(): void {
    this.compare = null;
  }

  toggleOverlay(group: number): void {
    this.overlayVisible[group] = !this.overlayVisible[group];
  }

  toggleAllOverlays(): void {
    const show = !Object.values(this.overlayVisible).some(Boolean);
    for (const o of this.overlays) this.overlayVisible[o.group] = show;
  }

  // --- dataset ---------------------------------------------------------------------------------------------

  async useFrame(): Promise<void> {
    if (this.instanceId === null || !this.meta) return;
    this.pause();
    const frame = this.current;
    const answer = await api().invoke['viewer.useFrame']({ instanceId: this.instanceId, frame, reader: null });
    if (!answer.ok) {
      this.error = `Frame ${frame + 1} could not be added to the dataset: ${answer.error.message}`;
      return;
    }
    const { itemId, created, pseudonym } = answer.value;
    this.notice = created
      ? `Frame ${frame + 1} is now dataset item #${itemId} for patient ${pseudonym}.`
      : `Frame ${frame + 1} is already in the dataset (item #${itemId}, patient ${pseudonym}).`;
  }

  dismissError(): void {
    this.error = null;
  }
}
