// The Viewer's state: which image is open (a library run, a dataset item, or a run's test image) and where it sits,
// composed of its parts: the frames and their loading (source), how they are drawn (display), cine playback
// (cine), and the overlay planes and ECG (overlays); plus comparison and "use this frame". Components only draw
// what these hold.
import type { AngioApi } from '../../lib/api.ts';
import { projectionLabel } from '../../lib/projection.ts';
import { shutterMask } from '../../lib/shutters.ts';
import type { TestImageRef } from '../navigation.svelte.ts';
import { CinePlayer } from './cine.svelte.ts';
import { ViewDisplay } from './display.svelte.ts';
import { FrameSource, type FrameReader } from './frames.svelte.ts';
import { RunOverlays } from './overlays.svelte.ts';
import type { AngioFacts, DatasetItem, FrameImage, FrameMeta, InstanceContext, PinnedFrame, ShownFrame } from './types.ts';

export class ViewerStore {
  instanceId = $state<number | null>(null);
  /** The dataset item shown (the Results table's click-through); null when a run was opened from the Library. */
  item = $state.raw<DatasetItem | null>(null);
  /** A run's test image shown from its folder (not in the library); null otherwise. */
  testImage = $state.raw<TestImageRef | null>(null);
  context = $state<InstanceContext | null>(null);
  facts = $state<AngioFacts | null>(null);
  opening = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  /** A frame pinned beside the live one for comparison (another run's or this run's), drawn as it was pinned. */
  compare = $state.raw<PinnedFrame | null>(null);

  readonly source: FrameSource;
  readonly display: ViewDisplay;
  readonly cine: CinePlayer;
  readonly overlays: RunOverlays;

  /** Bumped by every open and close, so an answer for an image no longer wanted is dropped. */
  private generation = 0;
  private readonly api: AngioApi;

  constructor(api: AngioApi) {
    this.api = api;
    const report = (message: string) => (this.error = message);
    this.source = new FrameSource(report);
    this.display = new ViewDisplay(this.source);
    this.cine = new CinePlayer(this.source);
    this.overlays = new RunOverlays(api, report);
  }

  get meta(): FrameMeta | null {
    return this.source.meta;
  }

  get frames(): number {
    return this.source.count;
  }

  get current(): number {
    return this.source.current;
  }

  get shown(): ShownFrame | null {
    return this.source.shown;
  }

  /** A dataset item with no DICOM instance behind it (a PNG patch): the instance-only parts (context, overlays,
   * ECG, annotations, "use this frame", inference) stay off. */
  readonly patch: boolean = $derived((this.item !== null || this.testImage !== null) && this.instanceId === null);
  readonly mask: Uint8Array | null = $derived.by(() => (this.meta ? shutterMask(this.meta.width, this.meta.height, this.facts?.shutter ?? null) : null));
  readonly projection: string | null = $derived(this.facts ? projectionLabel(this.facts.positionerPrimaryAngle, this.facts.positionerSecondaryAngle) : null);

  async open(instanceId: number): Promise<void> {
    if (this.instanceId === instanceId && this.meta) return;
    this.close();
    const generation = ++this.generation;
    this.instanceId = instanceId;
    this.opening = true;
    const [context, detail, first] = await Promise.all([
      this.api.invoke['viewer.instanceContext']({ instanceId }),
      this.api.invoke['library.instance']({ instanceId }),
      this.api.pixels['library.frame']({ instanceId, frame: 0 }),
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
    this.cine.frameTimesMs = detail.value.frameTimesMs;
    this.cine.storedFrameTimeMs = detail.value.angio?.frameTimeMs;
    this.showOpening(first.value, (frame) => this.api.pixels['library.frame']({ instanceId, frame }));
    void this.overlays.loadPlanes(context.value);
    if (this.facts?.ecg) void this.overlays.loadEcg(instanceId);
    void this.source.loadAll();
  }

  /** A dataset item: a DICOM frame opens its run at that frame; a PNG patch is shown itself, as one frame. */
  async openItem(itemId: number): Promise<void> {
    if (this.item?.id === itemId && this.meta) return;
    this.close();
    const generation = ++this.generation;
    this.opening = true;
    const detail = await this.api.invoke['dataset.item']({ itemId });
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
      this.source.setFrame(item.frameIndex ?? 0);
      return;
    }
    const image = await this.api.pixels['library.itemImage']({ itemId });
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
    const image = await this.api.pixels['results.testImage']({ runId: ref.runId, imageId: ref.imageId });
    if (generation !== this.generation) return;
    this.opening = false;
    if (!image.ok) {
      this.error = `${ref.file} could not be shown: ${image.error.message}`;
      return;
    }
    this.testImage = ref;
    this.showSingle(image.value);
  }

  /** A run's first frame, shown with the window the run opens with; `read` fetches the others (loadAll). */
  showOpening(first: FrameImage, read: FrameReader | null = null): void {
    this.source.startRun(first, read);
    this.display.applyDefault();
  }

  private showSingle(image: FrameImage): void {
    this.source.showSingle(image);
    // A patch is shown as stored: every value, nothing clipped (A still stretches it to its percentiles).
    this.display.applyPreset('full');
  }

  close(): void {
    this.generation++;
    this.cine.clear();
    this.source.clear();
    this.overlays.clear();
    this.display.clear();
    this.instanceId = null;
    this.item = null;
    this.testImage = null;
    this.context = null;
    this.facts = null;
    this.error = null;
    this.notice = null;
  }

  /** Pins the frame shown now (with its window and inversion) beside the live view; open another run or step on to compare. */
  pinForCompare(): void {
    if (!this.meta || !this.shown) return;
    const where = this.context ? `series ${this.context.seriesNumber ?? '—'} ${this.context.modality ?? ''}`.trim() : this.item ? `dataset item #${this.item.id}` : 'image';
    this.compare = {
      meta: this.meta,
      shown: this.shown,
      lut: this.display.lut,
      invert: this.display.effectiveInvert,
      instanceId: this.instanceId,
      label: `${where} · frame ${this.shown.index + 1}/${this.frames}`,
    };
  }

  closeCompare(): void {
    this.compare = null;
  }

  /** Adds the frame on screen to the dataset (or says which item it already is). */
  async useFrame(): Promise<void> {
    if (this.instanceId === null || !this.meta) return;
    this.cine.pause();
    const frame = this.current;
    const answer = await this.api.invoke['viewer.useFrame']({ instanceId: this.instanceId, frame, reader: null });
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
