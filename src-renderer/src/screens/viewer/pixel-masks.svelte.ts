// The open series' Clean Pixel Data masks as the Viewer edits them: the saved ones, the unsaved draft, and whether
// the mask tool (drag rectangles on the frame) is on. Shared by the side panel (typed coordinates, list, Save) and
// the layer over the frame (drawn rectangles), so both show and change the same draft.
import type { InvokeOutput } from '../../../../src-preload/contract.ts';
import type { AngioApi } from '../../lib/api.ts';

export type PixelCleaning = InvokeOutput<'viewer.pixelMasks'>;
export type MaskRect = PixelCleaning['masks'][number];

/** The channel's limit on masks per series. */
export const MAX_MASKS = 64;

export class PixelMasksDraft {
  private readonly api: AngioApi;

  constructor(api: AngioApi) {
    this.api = api;
  }

  seriesId = $state<number | null>(null);
  cleaning = $state<PixelCleaning | null>(null);
  draft = $state<MaskRect[]>([]);
  error = $state<string | null>(null);
  saving = $state(false);
  /** The mask tool: while on, a drag on the frame adds a rectangle instead of panning or drawing a box. */
  drawing = $state(false);

  get changed(): boolean {
    return JSON.stringify(this.draft) !== JSON.stringify(this.cleaning?.masks ?? []);
  }

  async load(seriesId: number): Promise<void> {
    this.seriesId = seriesId;
    this.cleaning = null;
    this.error = null;
    this.draft = [];
    const answer = await this.api.invoke['viewer.pixelMasks']({ seriesId });
    if (seriesId !== this.seriesId) return;
    if (answer.ok) this.accept(answer.value);
    else this.error = answer.error.message;
  }

  add(rect: MaskRect): void {
    if (this.draft.length < MAX_MASKS) this.draft = [...this.draft, { ...rect }];
  }

  remove(index: number): void {
    this.draft = this.draft.filter((_, i) => i !== index);
  }

  async save(): Promise<void> {
    const seriesId = this.seriesId;
    if (seriesId === null) return;
    this.saving = true;
    // A plain copy: IPC cannot clone the reactive proxy the draft lives in.
    const answer = await this.api.invoke['viewer.setPixelMasks']({ seriesId, masks: $state.snapshot(this.draft), reader: null });
    this.saving = false;
    if (seriesId !== this.seriesId) return;
    if (answer.ok) this.accept(answer.value);
    else this.error = answer.error.message;
  }

  private accept(value: PixelCleaning): void {
    this.cleaning = value;
    this.draft = value.masks.map((m) => ({ ...m }));
    this.error = null;
  }
}
