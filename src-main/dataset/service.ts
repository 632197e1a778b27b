// The dataset capability's service: reader profiles, labelling with undo/redo, agreement and adjudication, the
// curation grid's rows, versioned splits with the leakage check, the export a run trains on, model scores and the
// results. Dependencies come in (store, data folder, jobs, the OS account, a clock) so tests build it on a temp folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { patchViewerFrame, type ViewerFrame } from '../ingest/index.ts';
import { decodePng } from '../png/index.ts';
import { AppError } from '../ipc/index.ts';
import type { JobRunner } from '../jobs/index.ts';
import type { SplitRatios } from '../splits/index.ts';
import { BlobStore, osAccount, type Store } from '../store/index.ts';
import { curationPage, curationRows, nextToLabel, type CurationFilter, type CurationPage, type CurationRow } from './curation-query.ts';
import { itemDetail, type ItemDetail } from './item-detail.ts';
import { countLabels, loadItemFacts, type LabelCounts } from './item-facts.ts';
import { historyDepth, recordLabels, redoNext, undoLast, type ActionOutcome, type CurationLabel } from './label-actions.ts';
import { scoreItems } from './score-items.ts';
import { readerAgreement, type ReaderAgreement } from './reader-agreement.ts';
import { addReader, lastReaderId, listReaders, rememberReader, requireReader, type Reader } from './readers.ts';
import { resultsOverview, runPredictions, runTestImageFile, type ResultsOverview, type RunPredictions } from './run-results.ts';
import { exportSplit, type ExportClasses, type ExportedSplit } from './split-export.ts';
import { buildSplit, fixLeaks, importSourceSplit, listSplits, lockSplit, requireSplit, setActiveSplit, splitDetail, type SplitDetail, type SplitSummary } from './split-versions.ts';

export interface DatasetDeps {
  store: Store;
  dataDir: string;
  jobs?: JobRunner;
  /** The OS account reader profiles are bound to (default: the logged-in user). */
  account?: string;
  now?: () => Date;
}

export interface LabelChange extends ActionOutcome {
  /** The changed items' rows as the acting reader now sees them. */
  rows: CurationRow[];
  counts: LabelCounts;
  history: { undo: number; redo: number };
}

export class DatasetService {
  private readonly deps: DatasetDeps;
  private readonly account: string;
  private readonly now: () => Date;
  private blobStore: BlobStore | undefined;

  constructor(deps: DatasetDeps) {
    this.deps = deps;
    this.account = deps.account ?? osAccount();
    this.now = deps.now ?? (() => new Date());
  }

  private get store(): Store {
    return this.deps.store;
  }

  private get blobs(): BlobStore {
    // The ingest service's content-addressed store, under the same data folder.
    this.blobStore ??= new BlobStore(join(this.deps.dataDir, 'blobs'));
    return this.blobStore;
  }

  readers(): { account: string; readers: Reader[]; lastReaderId: number | null } {
    return { account: this.account, readers: listReaders(this.store, this.account), lastReaderId: lastReaderId(this.store, this.account) };
  }

  addReader(name: string, senior: boolean): Reader {
    const reader = addReader(this.store, this.account, name, senior, this.now());
    rememberReader(this.store, this.account, reader.id); // the person who just added themselves reads next
    return reader;
  }

  /** The reader chosen now: the next launch starts under this name. */
  rememberReader(readerId: number): Reader {
    return rememberReader(this.store, this.account, readerId);
  }

  private reader(readerId: number): Reader {
    return requireReader(this.store, this.account, readerId);
  }

  private afterChange(outcome: ActionOutcome, readerId: number): LabelChange {
    const facts = loadItemFacts(this.store);
    return { ...outcome, rows: curationRows(this.store, facts, readerId, outcome.itemIds), counts: countLabels(facts), history: historyDepth(this.store, readerId) };
  }

  label(readerId: number, itemIds: readonly number[], label: CurationLabel | null): LabelChange {
    return this.afterChange(recordLabels(this.store, this.reader(readerId), 'reader', itemIds, label, this.now()), readerId);
  }

  adjudicate(readerId: number, itemIds: readonly number[], label: CurationLabel | null): LabelChange {
    return this.afterChange(recordLabels(this.store, this.reader(readerId), 'adjudication', itemIds, label, this.now()), readerId);
  }

  undo(readerId: number): LabelChange {
    return this.afterChange(undoLast(this.store, this.reader(readerId), this.now()), readerId);
  }

  redo(readerId: number): LabelChange {
    return this.afterChange(redoNext(this.store, this.reader(readerId), this.now()), readerId);
  }

  history(readerId: number): { undo: number; redo: number } {
    return historyDepth(this.store, this.reader(readerId).id);
  }

  items(filter: CurationFilter): CurationPage {
    if (filter.readerId !== undefined) this.reader(filter.readerId);
    if (filter.byReaderId !== undefined) this.reader(filter.byReaderId);
    return curationPage(this.store, loadItemFacts(this.store), filter);
  }

  /** One item as the viewer names it (kind, source, patient, reference label, part of the active split). */
  item(itemId: number): ItemDetail {
    return itemDetail(this.store, itemId);
  }

  nextToLabel(readerId: number, afterId: number | null) {
    return nextToLabel(this.store, loadItemFacts(this.store), this.reader(readerId).id, afterId);
  }

  agreement(): ReaderAgreement {
    return readerAgreement(loadItemFacts(this.store), listReaders(this.store, this.account));
  }

  splits(): SplitSummary[] {
    return listSplits(this.store);
  }

  split(splitId: number): SplitDetail {
    return splitDetail(this.store, splitId, loadItemFacts(this.store));
  }

  private readerName(readerId: number | null): string | null {
    return readerId === null ? null : this.reader(readerId).name;
  }

  buildSplit(options: { name: string; ratios: SplitRatios; seed: number; readerId: number | null }): SplitDetail {
    const id = buildSplit(this.store, loadItemFacts(this.store), options, this.readerName(options.readerId), this.now());
    return this.split(id);
  }

  importSplit(options: { name: string; readerId: number | null }): SplitDetail {
    return this.split(importSourceSplit(this.store, loadItemFacts(this.store), options, this.readerName(options.readerId), this.now()));
  }

  lockSplit(splitId: number, readerId: number | null): SplitDetail {
    lockSplit(this.store, splitId, loadItemFacts(this.store), this.readerName(readerId), this.now());
    return this.split(splitId);
  }

  fixLeaks(splitId: number, readerId: number | null): SplitDetail {
    return this.split(fixLeaks(this.store, splitId, loadItemFacts(this.store), this.readerName(readerId), this.now()));
  }

  activateSplit(splitId: number): SplitSummary {
    setActiveSplit(this.store, splitId);
    return requireSplit(this.store, splitId);
  }

  /** The folders a run on this (locked) split reads; pass them to training.start as its dataset. */
  trainingSource(splitId: number, classes: ExportClasses = 'binary'): ExportedSplit {
    return exportSplit(this.store, this.blobs, this.deps.dataDir, splitId, classes);
  }

  /** Records which split a run trained on (a run on the default P-ADSD folders has none). */
  linkRun(runId: string, splitId: number, classes: ExportClasses = 'binary'): void {
    const exported = this.trainingSource(splitId, classes);
    this.store.db.prepare('INSERT INTO run_splits (run_id, split_id, export_dir) VALUES (?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET split_id = excluded.split_id').run(runId, splitId, exported.labeledRoot);
  }

  runSplits(): { runId: string; splitId: number }[] {
    return this.store.db.prepare('SELECT run_id AS runId, split_id AS splitId FROM run_splits').all() as { runId: string; splitId: number }[];
  }

  /** Scores the catalog's patches with a finished run's model, as a job (progress, cancel). */
  scoreItems(runId: string, scope: 'all' | 'unlabelled'): string {
    const { jobs } = this.deps;
    if (!jobs) throw new AppError('jobs-unavailable', 'Scoring needs a job runner; this host has none.');
    const ids = scope === 'all' ? 'all' : loadItemFacts(this.store).filter((f) => f.reference === null || f.reference === 'disputed').map((f) => f.id);
    return jobs.start('dataset.score', (job) => scoreItems(this.store, this.blobs, runId, ids, { signal: job.signal, progress: (done, total) => job.progress('scoring', done, total), now: this.now }));
  }

  results(runId?: string): Promise<ResultsOverview> {
    return resultsOverview(this.store, this.deps.dataDir, runId);
  }

  predictions(runId: string): Promise<RunPredictions> {
    return runPredictions(this.store, this.deps.dataDir, runId);
  }

  /** One of a run's test images as one viewer frame, for rows whose image is not in the library. */
  async testImage(runId: string, imageId: string): Promise<ViewerFrame> {
    const file = await runTestImageFile(this.store, this.deps.dataDir, runId, imageId);
    return patchViewerFrame(decodePng(readFileSync(file), file));
  }
}
