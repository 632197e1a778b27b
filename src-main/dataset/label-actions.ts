// Labelling as recorded actions: one key press on a selection is one action, saved in one transaction with its
// before/after values, so undo and redo survive a restart and every change is audited with reader and time.
// Adjudications (a senior reader's final word on disputed items) are actions too, on their own target.
import { AppError } from '../ipc/index.ts';
import { type Store, writeAudit } from '../store/index.ts';
import type { Reader } from './readers.ts';

export const CURATION_LABELS = ['positive', 'negative', 'unsure', 'exclude'] as const;
export type CurationLabel = (typeof CURATION_LABELS)[number];
export type LabelTarget = 'reader' | 'adjudication';

export interface ActionOutcome {
  actionId: number | null;
  /** Items whose value changed (unchanged items of a selection are not recorded). */
  itemIds: number[];
}

const APPLIED = 0;
const UNDONE = 1;
const SUPERSEDED = 2;

function requireItems(store: Store, itemIds: readonly number[]): void {
  const known = store.db.prepare('SELECT 1 FROM dataset_items WHERE id = ?');
  const missing = itemIds.filter((id) => !known.get(id));
  if (missing.length > 0) throw new AppError('item-not-found', `Dataset item${missing.length > 1 ? 's' : ''} ${missing.slice(0, 5).join(', ')} not found; refresh the grid.`, { missing });
}

function currentValue(store: Store, target: LabelTarget, itemId: number, readerId: number): CurationLabel | null {
  const row = (target === 'reader'
    ? store.db.prepare('SELECT label FROM item_labels WHERE item_id = ? AND reader_id = ?').get(itemId, readerId)
    : store.db.prepare('SELECT label FROM adjudications WHERE item_id = ?').get(itemId)) as { label: CurationLabel } | undefined;
  return row?.label ?? null;
}

function writeValue(store: Store, target: LabelTarget, itemId: number, reader: Reader, value: CurationLabel | null, at: string): void {
  if (target === 'reader') {
    if (value === null) store.db.prepare('DELETE FROM item_labels WHERE item_id = ? AND reader_id = ?').run(itemId, reader.id);
    else {
      store.db
        .prepare('INSERT INTO item_labels (item_id, reader_id, label, labelled_at) VALUES (?, ?, ?, ?) ON CONFLICT (item_id, reader_id) DO UPDATE SET label = excluded.label, labelled_at = excluded.labelled_at')
        .run(itemId, reader.id, value, at);
    }
  } else if (value === null) store.db.prepare('DELETE FROM adjudications WHERE item_id = ?').run(itemId);
  else {
    store.db
      .prepare('INSERT INTO adjudications (item_id, label, reader_id, decided_at) VALUES (?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET label = excluded.label, reader_id = excluded.reader_id, decided_at = excluded.decided_at')
      .run(itemId, value, reader.id, at);
  }
}

/** Sets (or with null clears) the reader's label, or the adjudicated label, on every item of a selection. */
export function recordLabels(store: Store, reader: Reader, target: LabelTarget, itemIds: readonly number[], label: CurationLabel | null, now: Date): ActionOutcome {
  if (target === 'adjudication' && !reader.senior) {
    throw new AppError('reader-not-senior', `${reader.name} is not a senior reader; only a senior reader can adjudicate disagreements.`);
  }
  const unique = [...new Set(itemIds)];
  if (unique.length === 0) return { actionId: null, itemIds: [] };
  return store.transaction(() => {
    requireItems(store, unique);
    const at = now.toISOString();
    const changes = unique.map((itemId) => ({ itemId, before: currentValue(store, target, itemId, reader.id) })).filter((c) => c.before !== label);
    if (changes.length === 0) return { actionId: null, itemIds: [] };
    // A new action ends the redo chain of this reader.
    store.db.prepare('UPDATE label_actions SET state = ? WHERE reader_id = ? AND state = ?').run(SUPERSEDED, reader.id, UNDONE);
    const actionId = Number(
      store.db.prepare('INSERT INTO label_actions (reader_id, target, label, items, at, state) VALUES (?, ?, ?, ?, ?, ?)').run(reader.id, target, label, changes.length, at, APPLIED).lastInsertRowid,
    );
    const insertChange = store.db.prepare('INSERT INTO label_changes (action_id, item_id, before, after) VALUES (?, ?, ?, ?)');
    for (const change of changes) {
      insertChange.run(actionId, change.itemId, change.before, label);
      writeValue(store, target, change.itemId, reader, label, at);
    }
    writeAudit(store, { action: target === 'reader' ? 'label.set' : 'label.adjudicate', objectType: 'dataset-items', objectId: String(actionId), reader: reader.name, detail: { label, items: changes.map((c) => c.itemId) } }, now);
    return { actionId, itemIds: changes.map((c) => c.itemId) };
  });
}

function replay(store: Store, reader: Reader, direction: 'undo' | 'redo', now: Date): ActionOutcome {
  return store.transaction(() => {
    const action = (direction === 'undo'
      ? store.db.prepare('SELECT id, target FROM label_actions WHERE reader_id = ? AND state = ? ORDER BY id DESC LIMIT 1').get(reader.id, APPLIED)
      : store.db.prepare('SELECT id, target FROM label_actions WHERE reader_id = ? AND state = ? ORDER BY id ASC LIMIT 1').get(reader.id, UNDONE)) as { id: number; target: LabelTarget } | undefined;
    if (!action) return { actionId: null, itemIds: [] };
    const changes = store.db.prepare('SELECT item_id AS itemId, before, after FROM label_changes WHERE action_id = ? ORDER BY item_id').all(action.id) as { itemId: number; before: CurationLabel | null; after: CurationLabel | null }[];
    const at = now.toISOString();
    for (const change of changes) writeValue(store, action.target, change.itemId, reader, direction === 'undo' ? change.before : change.after, at);
    store.db.prepare('UPDATE label_actions SET state = ? WHERE id = ?').run(direction === 'undo' ? UNDONE : APPLIED, action.id);
    writeAudit(store, { action: `label.${direction}`, objectType: 'dataset-items', objectId: String(action.id), reader: reader.name, detail: { items: changes.map((c) => c.itemId) } }, now);
    return { actionId: action.id, itemIds: changes.map((c) => c.itemId) };
  });
}

export const undoLast = (store: Store, reader: Reader, now: Date): ActionOutcome => replay(store, reader, 'undo', now);
export const redoNext = (store: Store, reader: Reader, now: Date): ActionOutcome => replay(store, reader, 'redo', now);

/** How many actions this reader can undo and redo (for the toolbar). */
export function historyDepth(store: Store, readerId: number): { undo: number; redo: number } {
  const count = (state: number) => (store.db.prepare('SELECT count(*) AS n FROM label_actions WHERE reader_id = ? AND state = ?').get(readerId, state) as { n: number }).n;
  return { undo: count(APPLIED), redo: count(UNDONE) };
}
