// The curation grid's rows: every item with its reference label, this reader's label, split, patient and the
// current model's score, filtered and ordered in one pass (10,000 items take a few milliseconds), plus the label
// counts the screen keeps visible and the active-learning "label next" walk.
import type { SplitName } from '../splits/index.ts';
import type { Store } from '../store/index.ts';
import { countLabels, type ItemFacts, type LabelCounts, type ReferenceLabel } from './item-facts.ts';
import type { CurationLabel } from './label-actions.ts';
import { currentModelScores, uncertaintyOf, type ModelScores } from './model-scores.ts';
import { activeSplitId, splitAssignment } from './split-versions.ts';

export { uncertaintyOf };

export type LabelFilter = CurationLabel | 'disputed' | 'unlabelled';

export interface CurationFilter {
  label?: LabelFilter;
  split?: SplitName | 'none';
  prediction?: 'positive' | 'negative' | 'unscored';
  /** Uncertainty of the current model: high ≥ 0.8, medium 0.4–0.8, low < 0.4 (1 at the threshold, 0 at 0 or 1). */
  uncertainty?: 'high' | 'medium' | 'low';
  /** Patient pseudonym (substring), or "none" for items without a patient id. */
  patient?: string;
  /** The reader asking: rows carry that reader's own label as `mine`. */
  readerId?: number;
  /** With readerMode: only items this reader has (or has not) labelled; defaults to the asking reader. */
  byReaderId?: number;
  readerMode?: 'labelled' | 'unlabelled';
  order?: 'id' | 'uncertainty' | 'score';
}

export interface CurationRow {
  id: number;
  label: ReferenceLabel;
  /** The asking reader's own label. */
  mine: CurationLabel | null;
  readers: number;
  split: SplitName | null;
  patient: string | null;
  score: number | null;
  uncertainty: number | null;
}

export interface CurationPage {
  rows: CurationRow[];
  counts: LabelCounts;
  mine: { labelled: number } | null;
  splitId: number | null;
  model: { runId: string; threshold: number; scored: number } | null;
}

function partOf(store: Store): (item: ItemFacts) => SplitName | null {
  const splitId = activeSplitId(store);
  if (splitId === null) return (item) => (['train', 'val', 'test'].includes(item.sourceSplit ?? '') ? (item.sourceSplit as SplitName) : null);
  const assignment = splitAssignment(store, splitId);
  return (item) => assignment.get(item.id)?.part ?? null;
}

function toRows(store: Store, facts: readonly ItemFacts[], readerId: number | undefined, model: ModelScores | null): CurationRow[] {
  const part = partOf(store);
  return facts.map((f) => {
    const score = model?.scores.get(f.id) ?? null;
    return {
      id: f.id,
      label: f.reference,
      mine: readerId === undefined ? null : (f.readers.get(readerId) ?? null),
      readers: f.readers.size,
      split: part(f),
      patient: f.patient,
      score,
      uncertainty: score === null || !model ? null : uncertaintyOf(score, model.threshold),
    };
  });
}

function matches(row: CurationRow, filter: CurationFilter, threshold: number | null): boolean {
  if (filter.label && (row.label ?? 'unlabelled') !== filter.label) return false;
  if (filter.split && (row.split ?? 'none') !== filter.split) return false;
  if (filter.prediction) {
    if (filter.prediction === 'unscored' ? row.score !== null : row.score === null) return false;
    if (filter.prediction !== 'unscored' && (row.score! >= threshold!) !== (filter.prediction === 'positive')) return false;
  }
  if (filter.uncertainty) {
    if (row.uncertainty === null) return false;
    const band = row.uncertainty >= 0.8 ? 'high' : row.uncertainty >= 0.4 ? 'medium' : 'low';
    if (band !== filter.uncertainty) return false;
  }
  if (filter.patient !== undefined && filter.patient !== '') {
    if (filter.patient === 'none' ? row.patient !== null : !(row.patient ?? '').toLowerCase().includes(filter.patient.toLowerCase())) return false;
  }
  return true;
}

/** The rows of some items as `readerId` sees them (what a label action sends back). */
export function curationRows(store: Store, facts: readonly ItemFacts[], readerId: number, itemIds: readonly number[]): CurationRow[] {
  const wanted = new Set(itemIds);
  return toRows(store, facts.filter((f) => wanted.has(f.id)), readerId, currentModelScores(store));
}

export function curationPage(store: Store, facts: readonly ItemFacts[], filter: CurationFilter): CurationPage {
  const model = currentModelScores(store);
  const all = toRows(store, facts, filter.readerId, model);
  const byReader = filter.byReaderId ?? filter.readerId;
  const readBy = filter.readerMode && byReader !== undefined ? new Set(facts.filter((f) => f.readers.has(byReader)).map((f) => f.id)) : null;
  const rows = all.filter((row) => matches(row, filter, model?.threshold ?? null) && (readBy === null || readBy.has(row.id) === (filter.readerMode === 'labelled')));
  if (filter.order === 'uncertainty') rows.sort((a, b) => (b.uncertainty ?? -1) - (a.uncertainty ?? -1) || a.id - b.id);
  else if (filter.order === 'score') rows.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.id - b.id);
  return {
    rows,
    counts: countLabels(facts),
    mine: filter.readerId === undefined ? null : { labelled: all.filter((r) => r.mine !== null).length },
    splitId: activeSplitId(store),
    model: model ? { runId: model.runId, threshold: model.threshold, scored: model.scores.size } : null,
  };
}

/** The next item this reader should label: the next of the current model's "label next" list (label-ranking.ts),
 * then the most uncertain unlabelled item, or without a model the next unlabelled item in catalog order after `afterId`. */
export function nextToLabel(store: Store, facts: readonly ItemFacts[], readerId: number, afterId: number | null): { itemId: number | null; by: 'uncertainty' | 'order'; remaining: number } {
  const model = currentModelScores(store);
  // The pool: items no import labelled and no senior settled, that this reader has not read yet (other readers'
  // labels do not take an item out: several readers read the same images).
  const pool = new Set(facts.filter((f) => f.sourceLabel === null && f.adjudicated === null && !f.readers.has(readerId)).map((f) => f.id));
  const candidates = toRows(store, facts, readerId, model).filter((r) => pool.has(r.id));
  if (model && candidates.some((r) => r.uncertainty !== null)) {
    // The run's ranked list (uncertain and diverse) first, in its order; past its end, by uncertainty alone.
    const rank = (id: number) => model.ranks.get(id) ?? Number.POSITIVE_INFINITY;
    const ranked = candidates.filter((r) => r.uncertainty !== null).sort((a, b) => rank(a.id) - rank(b.id) || b.uncertainty! - a.uncertainty! || a.id - b.id);
    return { itemId: ranked[0]?.id ?? null, by: 'uncertainty', remaining: ranked.length };
  }
  const next = candidates.find((r) => afterId === null || r.id > afterId) ?? candidates[0];
  return { itemId: next?.id ?? null, by: 'order', remaining: candidates.length };
}
