// What the dataset screens know about each item, read in a few set queries: the source's split and label, every
// reader's label, the adjudication, and the reference label they resolve to. The reference rule, in order:
// a senior reader's adjudication; else the readers' label when they all agree ("disputed" when they do not);
// else the label the import carried (P-ADSD folders, a manifest's label column); else unlabelled.
import type { Store } from '../store/index.ts';
import type { CurationLabel } from './label-actions.ts';

export type ReferenceLabel = CurationLabel | 'disputed' | null;

export interface ItemFacts {
  id: number;
  kind: string;
  patientId: number | null;
  /** The patient's pseudonym; null when the item has no patient id (P-ADSD patches). */
  patient: string | null;
  sourceSplit: string | null;
  sourceLabel: CurationLabel | null;
  sourceName: string | null;
  readers: Map<number, CurationLabel>;
  adjudicated: CurationLabel | null;
  reference: ReferenceLabel;
}

const POSITIVE = new Set(['positive', 'pos', '1', 'stenosis', 'yes', 'true']);
const NEGATIVE = new Set(['negative', 'neg', '0', 'no stenosis', 'no-stenosis', 'normal', 'no', 'false']);

/** Import labels come as folder names or manifest values; the curation vocabulary is four words. */
export function normaliseSourceLabel(name: string | null): CurationLabel | null {
  if (name === null) return null;
  const value = name.trim().toLowerCase();
  if (POSITIVE.has(value)) return 'positive';
  if (NEGATIVE.has(value)) return 'negative';
  if (value === 'unsure' || value === 'exclude') return value;
  return null;
}

export function resolveReference(readers: ReadonlyMap<number, CurationLabel>, adjudicated: CurationLabel | null, sourceLabel: CurationLabel | null): ReferenceLabel {
  if (adjudicated !== null) return adjudicated;
  if (readers.size > 0) {
    const labels = new Set(readers.values());
    return labels.size === 1 ? ([...labels][0] as CurationLabel) : 'disputed';
  }
  return sourceLabel;
}

/** 1 / 0 for training, null for everything that is not a usable class label. */
export const binaryLabel = (label: ReferenceLabel): 0 | 1 | null => (label === 'positive' ? 1 : label === 'negative' ? 0 : null);

export function loadItemFacts(store: Store, onlyIds?: readonly number[]): ItemFacts[] {
  const rows = store.db
    .prepare(
      `SELECT d.id, d.kind, d.patient_id AS patientId, p.pseudonym AS patient, d.source_split AS sourceSplit, l.name AS sourceLabel,
         d.source_name AS sourceName, a.label AS adjudicated
       FROM dataset_items d LEFT JOIN patients p ON p.id = d.patient_id LEFT JOIN labels l ON l.id = d.label_id
       LEFT JOIN adjudications a ON a.item_id = d.id ORDER BY d.id`,
    )
    .all() as { id: number; kind: string; patientId: number | null; patient: string | null; sourceSplit: string | null; sourceLabel: string | null; sourceName: string | null; adjudicated: CurationLabel | null }[];
  const wanted = onlyIds ? new Set(onlyIds) : null;
  const byId = new Map<number, ItemFacts>();
  for (const row of rows) {
    if (wanted && !wanted.has(row.id)) continue;
    byId.set(row.id, { ...row, sourceLabel: normaliseSourceLabel(row.sourceLabel), readers: new Map(), reference: null });
  }
  for (const label of store.db.prepare('SELECT item_id AS itemId, reader_id AS readerId, label FROM item_labels').all() as { itemId: number; readerId: number; label: CurationLabel }[]) {
    byId.get(label.itemId)?.readers.set(label.readerId, label.label);
  }
  for (const item of byId.values()) item.reference = resolveReference(item.readers, item.adjudicated, item.sourceLabel);
  return [...byId.values()];
}

export interface LabelCounts {
  total: number;
  positive: number;
  negative: number;
  unsure: number;
  exclude: number;
  disputed: number;
  unlabelled: number;
}

export function countLabels(items: readonly { reference: ReferenceLabel }[]): LabelCounts {
  const counts: LabelCounts = { total: items.length, positive: 0, negative: 0, unsure: 0, exclude: 0, disputed: 0, unlabelled: 0 };
  for (const item of items) counts[item.reference ?? 'unlabelled']++;
  return counts;
}
