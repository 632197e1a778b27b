// The Viewer's model side: the chosen model, the prediction of a frame, full-frame scanning, and which map is laid
// over the image (saliency or scan heatmap, with its opacity). Only a map made from the frame on screen is shown.
import type { AngioApi } from '../lib/api.ts';
import type { MapKind, MapOverlay, ScanRegion } from '../lib/map-overlay.ts';
import { ModelChoice } from './model-choice.svelte.ts';
import { PredictionStore, type Candidate, type FrameCandidates } from './prediction.svelte.ts';
import { ScanStore } from './scan.svelte.ts';
import type { ViewerStore } from './viewer/index.ts';

export type SideTab = 'image' | 'predict' | 'scan';
export const SIDE_TABS: readonly SideTab[] = ['image', 'predict', 'scan'];

export class InferenceView {
  readonly model: ModelChoice;
  readonly prediction: PredictionStore;
  readonly scan: ScanStore;
  tab = $state<SideTab>('image');
  /** The map drawn over the frame; 'none' hides both. */
  layer = $state<MapKind | 'none'>('saliency');
  opacity = $state(0.6);
  private readonly viewer: ViewerStore;

  constructor(api: AngioApi, viewer: ViewerStore) {
    this.viewer = viewer;
    this.model = new ModelChoice(api);
    this.prediction = new PredictionStore(api, this.model);
    this.scan = new ScanStore(api, this.model);
  }

  /**
   * The frame on screen as the model sees it: the open image and the current frame. A dataset PNG patch has no
   * library image, so main reads it by item id; its key here is the negative item id, never a real image's id.
   */
  readonly at = $derived.by((): { instanceId: number; frame: number; itemId?: number } | null => {
    if (!this.viewer.meta) return null;
    if (this.viewer.instanceId !== null) return { instanceId: this.viewer.instanceId, frame: this.viewer.current };
    const item = this.viewer.item;
    return item ? { instanceId: -item.id, frame: 0, itemId: item.id } : null;
  });

  readonly heatmap: MapOverlay | null = $derived.by(() => (this.at ? this.scan.heatmapFor(this.at.instanceId, this.at.frame) : null));

  readonly saliency: MapOverlay | null = $derived.by(() => {
    const map = this.prediction.saliency;
    return map && this.at && map.instanceId === this.at.instanceId && map.frame === this.at.frame ? map : null;
  });

  /** The Predict reading of the frame on screen when it was scanned (a frame larger than the model's patch). */
  readonly located: FrameCandidates | null = $derived.by(() => {
    const found = this.prediction.located;
    return found && this.at && found.instanceId === this.at.instanceId && found.frame === this.at.frame ? found : null;
  });

  /** Lesion candidates outlined on the frame, with the prediction's layer (S hides them with the saliency). */
  readonly shownCandidates: Candidate[] = $derived(this.layer === 'saliency' && this.located ? this.located.value.candidates : []);

  /** What the map layer draws now. */
  readonly shownMap: MapOverlay | null = $derived(this.layer === 'saliency' ? this.saliency : this.layer === 'heatmap' ? this.heatmap : null);

  /** Outlines on the frame: the heatmap's top regions, or the run scan's for this frame while no heatmap is made. */
  readonly shownRegions: ScanRegion[] = $derived.by(() => {
    if (this.layer !== 'heatmap' || !this.at) return [];
    return this.heatmap?.regions ?? this.scan.runFrame(this.at.instanceId, this.at.frame)?.regions ?? [];
  });

  predictFrame(): void {
    if (!this.at) return;
    this.tab = 'predict';
    this.layer = 'saliency';
    void this.prediction.predict(this.at.instanceId, this.at.frame, this.at.itemId);
  }

  /** A patch is read whole by Predict; only library images (frames) are scanned. */
  readonly scannable = $derived(!!this.at && this.at.itemId === undefined);

  scanFrame(): void {
    if (!this.at || !this.scannable) return;
    this.tab = 'scan';
    this.layer = 'heatmap';
    void this.scan.scanFrame(this.at.instanceId, this.at.frame);
  }

  scanRun(): void {
    if (!this.at || !this.scannable) return;
    this.tab = 'scan';
    this.layer = 'heatmap';
    void this.scan.scanRun(this.at.instanceId);
  }

  /** Called whenever the frame on screen changes: scans it when following the run with the heatmap shown. */
  followFrame(): void {
    if (!this.at || !this.scannable || this.viewer.cine.playing || this.layer !== 'heatmap' || !this.scan.follow || !this.model.summary) return;
    void this.scan.scanFrame(this.at.instanceId, this.at.frame);
  }

  toggleLayer(kind: MapKind): void {
    this.layer = this.layer === kind ? 'none' : kind;
  }

  nextTab(): void {
    this.tab = SIDE_TABS[(SIDE_TABS.indexOf(this.tab) + 1) % SIDE_TABS.length]!;
  }
}
