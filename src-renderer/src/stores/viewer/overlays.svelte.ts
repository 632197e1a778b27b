// What the file recorded beside the image: its overlay planes (60xx bitmaps, each shown or hidden) and the ECG
// trace taken with the run. Both are read after the first frame is on screen, so the image never waits on them.
import type { AngioApi } from '../../lib/api.ts';
import type { EcgTrace, InstanceContext, OverlayBitmap } from './types.ts';

export class RunOverlays {
  planes = $state.raw<OverlayBitmap[]>([]);
  visible = $state<Record<number, boolean>>({});
  ecg = $state.raw<EcgTrace | null>(null);

  /** Bumped when another image opens, so planes still arriving for the old one are dropped. */
  private generation = 0;
  private readonly api: AngioApi;
  private readonly onError: (message: string) => void;

  constructor(api: AngioApi, onError: (message: string) => void) {
    this.api = api;
    this.onError = onError;
  }

  /** Reads every overlay plane of the instance; all start visible. A plane that cannot be read is reported and left out. */
  async loadPlanes(context: InstanceContext): Promise<void> {
    const generation = this.generation;
    const bitmaps: OverlayBitmap[] = [];
    for (const plane of context.overlays) {
      const answer = await this.api.pixels['viewer.overlay']({ instanceId: context.instanceId, group: plane.group });
      if (generation !== this.generation) return;
      if (!answer.ok) {
        this.onError(`Overlay plane ${plane.group.toString(16)} could not be read: ${answer.error.message}`);
        continue;
      }
      const { width, height, originRow, originColumn } = answer.value.meta;
      bitmaps.push({ group: plane.group, width, height, originRow, originColumn, bits: new Uint8Array(answer.value.data) });
    }
    this.planes = bitmaps;
    this.visible = Object.fromEntries(bitmaps.map((b) => [b.group, true]));
  }

  async loadEcg(instanceId: number): Promise<void> {
    const generation = this.generation;
    const answer = await this.api.invoke['viewer.ecg']({ instanceId });
    if (generation !== this.generation) return;
    if (answer.ok) this.ecg = answer.value.ecg;
    else this.onError(`The ECG recorded with this run could not be read: ${answer.error.message}`);
  }

  toggle(group: number): void {
    this.visible[group] = !this.visible[group];
  }

  /** Hides every plane when any shows, else shows them all. */
  toggleAll(): void {
    const show = !Object.values(this.visible).some(Boolean);
    for (const o of this.planes) this.visible[o.group] = show;
  }

  clear(): void {
    this.generation++;
    this.planes = [];
    this.visible = {};
    this.ecg = null;
  }
}
