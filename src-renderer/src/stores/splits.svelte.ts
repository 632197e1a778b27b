// Split versions and the one being looked at: build (ratios, seed), import the given split, lock, the leakage
// check and its one-click fix. Main computes everything; this folds answers into what the screen draws.
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import { describeError, type AngioApi } from '../lib/api.ts';
import type { ReadersStore } from './readers.svelte.ts';

export type SplitSummary = InvokeOutput<'dataset.splits'>['splits'][number];
export type SplitDetail = InvokeOutput<'dataset.split'>;
type NewVersion = 'build' | 'import';

/** How a split's level reads to a person: what was split by patient and what by image. */
export function levelWords(level: string): string {
  if (level === 'patient') return 'patient-level: every image of a patient in one split';
  if (level === 'image') return 'image-level: no item has a patient id, so images were split one by one';
  return 'mixed: items with a patient id split by patient, the rest image by image';
}

export class SplitsStore {
  private readonly api: AngioApi;
  splits = $state<SplitSummary[]>([]);
  detail = $state.raw<SplitDetail | null>(null);
  ratios = $state({ train: 70, val: 15, test: 15 });
  seed = $state(42);
  name = $state('main');
  busy = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  /** A new version waiting for the person's answer: it would replace the locked split that training uses. */
  replacing = $state<{ action: NewVersion; locked: SplitSummary } | null>(null);
  private readonly readers: ReadersStore;

  constructor(api: AngioApi, readers: ReadersStore) {
    this.api = api;
    this.readers = readers;
  }

  async refresh(): Promise<void> {
    this.notice = null;
    const result = await this.api.invoke['dataset.splits']({});
    if (!result.ok) return void (this.error = describeError(result));
    this.splits = result.value.splits;
    const show = this.detail ? this.splits.find((s) => s.id === this.detail!.split.id) : this.splits.find((s) => s.active);
    if (show) await this.open(show.id);
  }

  async open(splitId: number): Promise<void> {
    const result = await this.api.invoke['dataset.split']({ splitId });
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
    const list = await this.api.invoke['dataset.splits']({});
    if (list.ok) this.splits = list.value.splits;
  }

  /** A new version becomes the active one; when that would demote a locked split, the person is asked first. */
  build(): Promise<void> {
    return this.newVersion('build');
  }

  importGiven(): Promise<void> {
    return this.newVersion('import');
  }

  private newVersion(action: NewVersion): Promise<void> {
    const locked = this.splits.find((s) => s.active && s.lockedAt);
    if (locked) {
      this.replacing = { action, locked };
      return Promise.resolve();
    }
    return this.makeVersion(action);
  }

  /** The answer to "replace the locked split?": make the new version active, keep the locked one, or do nothing. */
  async answerReplace(answer: 'replace' | 'keep' | 'cancel'): Promise<void> {
    const pending = this.replacing;
    this.replacing = null;
    if (!pending || answer === 'cancel') return;
    await this.makeVersion(pending.action);
    if (answer === 'keep' && this.error === null) {
      const notice = this.notice;
      await this.activate(pending.locked.id);
      this.notice = `${notice} ${pending.locked.name} v${pending.locked.version} stays the active split.`;
    }
  }

  private makeVersion(action: NewVersion): Promise<void> {
    if (action === 'import') {
      return this.act(() => this.api.invoke['dataset.importSplit']({ name: 'imported', readerId: this.readers.activeId }), (d) => `Imported the given split as ${d.split.name} v${d.split.version} (${levelWords(d.split.level)}).`);
    }
    return this.act(
      () => this.api.invoke['dataset.buildSplit']({ name: this.name, ratios: { ...this.ratios }, seed: this.seed, readerId: this.readers.activeId }),
      (d) => `Built ${d.split.name} v${d.split.version} (seed ${d.split.seed}): ${d.split.items} items, ${levelWords(d.split.level)}.`,
    );
  }

  lock(): Promise<void> {
    const id = this.detail?.split.id;
    if (id === undefined) return Promise.resolve();
    return this.act(() => this.api.invoke['dataset.lockSplit']({ splitId: id, readerId: this.readers.activeId }), (d) => `Locked ${d.split.name} v${d.split.version}: runs on it can be reproduced.`);
  }

  fix(): Promise<void> {
    const id = this.detail?.split.id;
    if (id === undefined) return Promise.resolve();
    return this.act(
      () => this.api.invoke['dataset.fixLeaks']({ splitId: id, readerId: this.readers.activeId }),
      (d) => (d.split.id === id ? `Fixed ${d.split.name} v${d.split.version} in place (a draft).` : `Fixed as ${d.split.name} v${d.split.version}, a new draft; lock it to train on it.`),
    );
  }

  async activate(splitId: number): Promise<void> {
    const result = await this.api.invoke['dataset.activateSplit']({ splitId });
    if (!result.ok) return void (this.error = describeError(result));
    await this.open(splitId);
    const list = await this.api.invoke['dataset.splits']({});
    if (list.ok) this.splits = list.value.splits;
  }
}
