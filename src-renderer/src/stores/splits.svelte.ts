// Split versions and the one being looked at: build (ratios, seed), import the given split, lock, the leakage
// check and its one-click fix. Main computes everything; this folds answers into what the screen draws.
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import { api, describeError } from '../lib/api.ts';
import type { ReadersStore } from './readers.svelte.ts';

export type SplitSummary = InvokeOutput<'dataset.splits'>['splits'][number];
export type SplitDetail = InvokeOutput<'dataset.split'>;

export class SplitsStore {
  splits = $state<SplitSummary[]>([]);
  detail = $state.raw<SplitDetail | null>(null);
  ratios = $state({ train: 70, val: 15, test: 15 });
  seed = $state(42);
  name = $state('main');
  busy = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  private readonly readers: ReadersStore;

  constructor(readers: ReadersStore) {
    this.readers = readers;
  }

  async refresh(): Promise<void> {
    this.notice = null;
    const result = await api().invoke['dataset.splits']({});
    if (!result.ok) return void (this.error = describeError(result));
    this.splits = result.value.splits;
    const show = this.detail ? this.splits.find((s) => s.id === this.detail!.split.id) : this.splits.find((s) => s.active);
    if (show) await this.open(show.id);
  }

  async open(splitId: number): Promise<void> {
    const result = await api().invoke['dataset.split']({ splitId });
    if (!result.ok) return void (this.error = describeError(result));
    this.detail = result.value;
  }

  private async act(work: () => Promise<{ ok: true; value: SplitDetail } | { ok: false; error: { code: string; message: string } }>, done: (detail: SplitDetail) => string): Promise<void> {
    this.busy = true;
    this.error = null;
    const result = await work();
    this.busy = false;
    if (!result.ok) return void (this.error = describeError(result));
    this.detail = result.value;
    this.notice = done(result.value);
    const list = await api().invoke['dataset.splits']({});
    if (list.ok) this.splits = list.value.splits;
  }

  build(): Promise<void> {
    return this.act(
      () => api().invoke['dataset.buildSplit']({ name: this.name, ratios: { ...this.ratios }, seed: this.seed, readerId: this.readers.activeId }),
      (d) => `Built ${d.split.name} v${d.split.version} (seed ${d.split.seed}): ${d.split.items} items.`,
    );
  }

  importGiven(): Promise<void> {
    return this.act(() => api().invoke['dataset.importSplit']({ name: 'imported', readerId: this.readers.activeId }), (d) => `Imported the given split as ${d.split.name} v${d.split.version}.`);
  }

  lock(): Promise<void> {
    const id = this.detail?.split.id;
    if (id === undefined) return Promise.resolve();
    return this.act(() => api().invoke['dataset.lockSplit']({ splitId: id, readerId: this.readers.activeId }), (d) => `Locked ${d.split.name} v${d.split.version}: runs on it can be reproduced.`);
  }

  fix(): Promise<void> {
    const id = this.detail?.split.id;
    if (id === undefined) return Promise.resolve();
    return this.act(
      () => api().invoke['dataset.fixLeaks']({ splitId: id, readerId: this.readers.activeId }),
      (d) => (d.split.id === id ? `Fixed ${d.split.name} v${d.split.version} in place (a draft).` : `Fixed as ${d.split.name} v${d.split.version}, a new draft; lock it to train on it.`),
    );
  }

  async activate(splitId: number): Promise<void> {
    const result = await api().invoke['dataset.activateSplit']({ splitId });
    if (!result.ok) return void (this.error = describeError(result));
    await this.open(splitId);
    const list = await api().invoke['dataset.splits']({});
    if (list.ok) this.splits = list.value.splits;
  }
}
