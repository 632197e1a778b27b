// The curation grid's state: the filtered rows (10,000 fit in memory; the grid draws only what is on screen), the
// cursor and multi-selection, label counts, the reader's undo/redo depth, reader agreement, and the actions that
// save each change at once (one call, one transaction in main) and fold the answer back into the rows.
import type { InvokeInput, InvokeOutput } from '../../../src-preload/contract.ts';
import { describeError, type AngioApi } from '../lib/api.ts';
import type { ReadersStore } from './readers.svelte.ts';

export type CurationRow = InvokeOutput<'dataset.items'>['rows'][number];
export type CurationFilter = InvokeInput<'dataset.items'>;
export type CurationLabel = 'positive' | 'negative' | 'unsure' | 'exclude';
export type LabelCounts = InvokeOutput<'dataset.items'>['counts'];
export type Agreement = InvokeOutput<'dataset.agreement'>;

/** Single keys for the four labels; Backspace clears the reader's label. */
export const LABEL_KEYS: Record<string, CurationLabel> = { p: 'positive', n: 'negative', u: 'unsure', x: 'exclude' };

export class CurationStore {
  private readonly api: AngioApi;
  filter = $state<Omit<CurationFilter, 'readerId'>>({});
  rows = $state.raw<CurationRow[]>([]);
  counts = $state<LabelCounts | null>(null);
  mine = $state<{ labelled: number } | null>(null);
  model = $state<InvokeOutput<'dataset.items'>['model']>(null);
  cursor = $state(0);
  selection = $state.raw<ReadonlySet<number>>(new Set());
  history = $state({ undo: 0, redo: 0 });
  agreement = $state.raw<Agreement | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  autoAdvance = $state(true);
  /** Finished runs whose model can rank the pool, and the scoring job under way. */
  models = $state<{ runId: string; label: string }[]>([]);
  scoring = $state<{ jobId: string; done: number; total: number } | null>(null);
  private anchor = 0;
  private readonly readers: ReadersStore;

  constructor(api: AngioApi, readers: ReadersStore) {
    this.api = api;
    this.readers = readers;
    this.api.on('job.progress', (event) => {
      if (this.scoring && event.jobId === this.scoring.jobId) this.scoring = { ...this.scoring, done: event.done, total: event.total };
    });
    this.api.on('job.finished', (event) => {
      if (!this.scoring || event.jobId !== this.scoring.jobId) return;
      this.scoring = null;
      if (event.status === 'failed') this.error = event.error?.message ?? 'Scoring failed.';
      else this.notice = event.status === 'succeeded' ? 'The pool is ranked by the model: "Label next" now walks uncertain items first, spread over different-looking images.' : 'Scoring was cancelled; the scores so far are kept, and ranking again continues from there.';
      void this.load();
    });
  }

  async loadModels(): Promise<void> {
    const result = await this.api.invoke['training.listRuns']({});
    if (result.ok) this.models = result.value.runs.filter((r) => r.status === 'succeeded').map((r) => ({ runId: r.id, label: `${r.method} · ${r.encoder} · seed ${r.seed} · ${r.createdAt.slice(0, 16).replace('T', ' ')}` }));
  }

  /** Scores the unlabelled pool with a finished run's model (a job), for the active-learning ranking. */
  async scoreWith(runId: string): Promise<void> {
    const result = await this.api.invoke['dataset.score']({ runId, scope: 'unlabelled' });
    if (!result.ok) return void (this.error = describeError(result));
    this.scoring = { jobId: result.value.jobId, done: 0, total: 0 };
  }

  get current(): CurationRow | null {
    return this.rows[this.cursor] ?? null;
  }

  private loads = 0;
  private latestLoad: Promise<void> = Promise.resolve();

  /** Reloads the rows for the current filter. Only the latest load lands: an older answer (say, after a scoring
   * job) must not replace newer rows, and a caller whose load was overtaken waits for the newer one, so the rows
   * are current when the promise settles ("label next" looks its item up in them). */
  load(): Promise<void> {
    const token = ++this.loads;
    this.latestLoad = this.fetchRows(token);
    return this.latestLoad;
  }

  private async fetchRows(token: number): Promise<void> {
    this.loading = true;
    const readerId = this.readers.activeId ?? undefined;
    const result = await this.api.invoke['dataset.items']({ ...this.filter, readerId });
    if (token !== this.loads) return this.latestLoad;
    this.loading = false;
    if (!result.ok) return void (this.error = describeError(result));
    this.error = null;
    this.rows = result.value.rows;
    this.counts = result.value.counts;
    this.mine = result.value.mine;
    this.model = result.value.model;
    this.cursor = Math.min(this.cursor, Math.max(0, this.rows.length - 1));
    this.selection = new Set();
    if (readerId !== undefined) {
      const history = await this.api.invoke['dataset.history']({ readerId });
      if (history.ok) this.history = history.value;
    }
    await this.loadAgreement();
  }

  async loadAgreement(): Promise<void> {
    const result = await this.api.invoke['dataset.agreement']({});
    if (result.ok) this.agreement = result.value;
  }

  setFilter(patch: Partial<Omit<CurationFilter, 'readerId'>>): Promise<void> {
    const next = { ...this.filter, ...patch };
    for (const key of Object.keys(next) as (keyof typeof next)[]) if (next[key] === undefined || next[key] === '') delete next[key];
    this.filter = next;
    this.cursor = 0;
    return this.load();
  }

  /** Click: plain moves the cursor and selects one; Ctrl/Cmd toggles; Shift selects the range from the anchor. */
  select(index: number, mode: 'single' | 'toggle' | 'range' = 'single'): void {
    const row = this.rows[index];
    if (!row) return;
    if (mode === 'toggle') {
      const next = new Set(this.selection);
      if (next.has(row.id)) next.delete(row.id);
      else next.add(row.id);
      this.selection = next;
      this.anchor = index;
    } else if (mode === 'range') {
      const [from, to] = [Math.min(this.anchor, index), Math.max(this.anchor, index)];
      this.selection = new Set(this.rows.slice(from, to + 1).map((r) => r.id));
    } else {
      this.selection = new Set([row.id]);
      this.anchor = index;
    }
    this.cursor = index;
  }

  selectAll(): void {
    this.selection = new Set(this.rows.map((r) => r.id));
  }

  move(delta: number, extend = false): void {
    const index = Math.max(0, Math.min(this.rows.length - 1, this.cursor + delta));
    this.select(index, extend ? 'range' : 'single');
  }

  /** What a label key acts on: the selection, or the item under the cursor. */
  private targets(): number[] {
    if (this.selection.size > 0) return [...this.selection];
    return this.current ? [this.current.id] : [];
  }

  private fold(change: InvokeOutput<'dataset.label'>): void {
    let delta = 0;
    if (change.rows.length > 0) {
      const byId = new Map(change.rows.map((r) => [r.id, r]));
      const before = new Map(this.rows.filter((r) => byId.has(r.id)).map((r) => [r.id, r.mine]));
      for (const row of change.rows) delta += Number(row.mine !== null) - Number((before.has(row.id) ? before.get(row.id) : null) !== null);
      this.rows = this.rows.map((r) => byId.get(r.id) ?? r);
    }
    this.counts = change.counts;
    this.history = change.history;
    if (this.mine) this.mine = { labelled: this.mine.labelled + delta };
  }

  private requireReader(): number | null {
    const id = this.readers.activeId;
    if (id === null) this.error = 'Choose or create a reader before labelling: every label records who gave it.';
    return id;
  }

  /** Label calls run one after another in key-press order; the cursor moves at once, so fast typing labels
   * consecutive items rather than one item many times. */
  private queue: Promise<unknown> = Promise.resolve();

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  label(label: CurationLabel | null, adjudicate = false): Promise<void> {
    const readerId = this.requireReader();
    const itemIds = this.targets();
    if (readerId === null || itemIds.length === 0) return Promise.resolve();
    if (this.selection.size <= 1 && this.autoAdvance && !adjudicate) this.move(1);
    return this.enqueue(async () => {
      const result = await this.api.invoke[adjudicate ? 'dataset.adjudicate' : 'dataset.label']({ readerId, itemIds, label });
      if (!result.ok) return void (this.error = describeError(result));
      this.error = null;
      this.fold(result.value);
      await this.loadAgreement();
    });
  }

  async adjudicateItem(itemId: number, label: CurationLabel): Promise<void> {
    const readerId = this.requireReader();
    if (readerId === null) return;
    const result = await this.api.invoke['dataset.adjudicate']({ readerId, itemIds: [itemId], label });
    if (!result.ok) return void (this.error = describeError(result));
    this.error = null;
    this.fold(result.value);
    await this.loadAgreement();
  }

  undo(redo = false): Promise<void> {
    const readerId = this.requireReader();
    if (readerId === null) return Promise.resolve();
    return this.enqueue(async () => {
      const result = await this.api.invoke[redo ? 'dataset.redo' : 'dataset.undo']({ readerId });
      if (!result.ok) return void (this.error = describeError(result));
      this.fold(result.value);
      const first = result.value.itemIds[0];
      const index = first === undefined ? -1 : this.rows.findIndex((r) => r.id === first);
      if (index >= 0) this.select(index);
      this.notice = result.value.actionId === null ? `Nothing to ${redo ? 'redo' : 'undo'}.` : `${redo ? 'Redid' : 'Undid'} the label of ${result.value.itemIds.length} item${result.value.itemIds.length === 1 ? '' : 's'}.`;
      await this.loadAgreement();
    });
  }

  /** "Label next": the active-learning ranking when a model has scored the pool, else the next unread item. */
  async next(): Promise<void> {
    const readerId = this.requireReader();
    if (readerId === null) return;
    const result = await this.api.invoke['dataset.next']({ readerId, afterId: this.current?.id ?? null });
    if (!result.ok) return void (this.error = describeError(result));
    const { itemId, by, remaining } = result.value;
    if (itemId === null) return void (this.notice = 'Nothing left for this reader to label.');
    let index = this.rows.findIndex((r) => r.id === itemId);
    if (index < 0) {
      // The item is outside the current filter: show everything, then go there.
      await this.setFilter({ label: undefined, split: undefined, prediction: undefined, uncertainty: undefined, patient: undefined, readerMode: undefined, byReaderId: undefined });
      index = this.rows.findIndex((r) => r.id === itemId);
    }
    if (index < 0) return void (this.error = `Item #${itemId} is next to label but the grid could not show it; reload the screen.`);
    this.select(index, 'single');
    this.notice = by === 'uncertainty' ? `Next in the model's label-next list: uncertain, unlike what is labelled (${remaining} left to read).` : `Next unread item (${remaining} left; no model has scored the pool yet).`;
  }
}
