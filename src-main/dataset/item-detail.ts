// One dataset item as the viewer names it: what it is (a PNG patch or a DICOM frame of which instance), where it
// came from, its patient, its reference label (item-facts.ts's rule) and its part of the active split.
import { AppError } from '../ipc/index.ts';
import type { SplitName } from '../splits/index.ts';
import type { Store } from '../store/index.ts';
import { normaliseSourceLabel, resolveReference, type ReferenceLabel } from './item-facts.ts';
import type { CurationLabel } from './label-actions.ts';
import { activeSplitId } from './split-versions.ts';

export interface ItemDetail {
  id: number;
  kind: 'dicom-frame' | 'png' | 'jpeg';
  instanceId: number | null;
  frameIndex: number | null;
  width: number | null;
  height: number | null;
  /** The patient's pseudonym; null for items without a patient id. */
  patient: string | null;
  sourceName: string | null;
  sourceSplit: string | null;
  label: ReferenceLabel;
  /** The item's part of the active split version, when there is one and the item is in it. */
  split: { id: number; name: string; version: number; part: SplitName } | null;
}

export function itemDetail(store: Store, itemId: number): ItemDetail {
  const row = store.db
    .prepare(
      `SELECT d.id, d.kind, d.instance_id AS instanceId, d.frame_index AS frameIndex, d.width, d.height, p.pseudonym AS patient,
         d.source_name AS sourceName, d.source_split AS sourceSplit, l.name AS sourceLabel, a.label AS adjudicated
       FROM dataset_items d LEFT JOIN patients p ON p.id = d.patient_id LEFT JOIN labels l ON l.id = d.label_id
       LEFT JOIN adjudications a ON a.item_id = d.id WHERE d.id = ?`,
    )
    .get(itemId) as (Omit<ItemDetail, 'label' | 'split'> & { sourceLabel: string | null; adjudicated: CurationLabel | null }) | undefined;
  if (!row) throw new AppError('item-not-found', `Dataset item ${itemId} is not in the catalog; it may have been removed. Refresh the list it came from.`);
  const readers = store.db.prepare('SELECT reader_id AS readerId, label FROM item_labels WHERE item_id = ?').all(itemId) as { readerId: number; label: CurationLabel }[];
  const { sourceLabel, adjudicated, ...item } = row;
  const splitId = activeSplitId(store);
  const split = splitId === null
    ? undefined
    : (store.db
        .prepare('SELECT s.id, s.name, s.version, i.part FROM dataset_split_items i JOIN dataset_splits s ON s.id = i.split_id WHERE i.split_id = ? AND i.item_id = ?')
        .get(splitId, itemId) as ItemDetail['split'] | undefined);
  return {
    ...item,
    label: resolveReference(new Map(readers.map((r) => [r.readerId, r.label])), adjudicated, normaliseSourceLabel(sourceLabel)),
    split: split ? { ...split } : null,
  };
}
