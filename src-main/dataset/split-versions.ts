// Versioned train/val/test splits over the catalog's dataset items. A split is built (patient-level, stratified,
// seeded: splits/buildPatientSplit) or taken from the import (P-ADSD folders, a manifest's split column); a locked
// version never changes (the database refuses), so a run names exactly the images it saw. The leakage check
// looks at the split plus items imported after it that carry a split of their own.
import { AppError } from '../ipc/index.ts';
import { buildPatientSplit, findLeaks, leakFixes, SPLIT_NAMES, type AssignedItem, type SplitName, type SplitRatios } from '../splits/index.ts';
import { type Store, writeAudit } from '../store/index.ts';
import { binaryLabel, type ItemFacts } from './item-facts.ts';

export const ACTIVE_SPLIT_SETTING = 'dataset.activeSplit';

export type SplitLevel = 'patient' | 'image' | 'mixed';
export type SplitOrigin = 'built' | 'source' | 'fixed';

export interface SplitSummary {
  id: number;
  name: string;
  version: number;
  origin: SplitOrigin;
  seed: number | null;
  ratios: SplitRatios | null;
  level: SplitLevel;
  warnings: string[];
  parentId: number | null;
  createdAt: string;
  createdBy: string | null;
  lockedAt: string | null;
  lockedBy: string | null;
  items: number;
  active: boolean;
}

export interface PartCounts { items: number; positives: number; negatives: number; unlabelled: number; patients: number; imageLevelItems: number }

export interface SplitGroupRow {
  /** Patient pseudonym; null for the items of this part that have no patient id (counted together). */
  patient: string | null;
  part: SplitName;
  items: number;
  positives: number;
  negatives: number;
  unlabelled: number;
}

export interface LeakRow { patient: string; parts: Partial<Record<SplitName, number>>; itemIds: number[] }

export interface SplitDetail {
  split: SplitSummary;
  parts: Record<SplitName, PartCounts>;
  groups: SplitGroupRow[];
  leakage: {
    status: 'green' | 'red';
    leaks: LeakRow[];
    /** Items imported after this split that carry their own split (they take part in the check). */
    arrivals: number;
    /** Items not in the split and without a split of their own (new unlabelled images, say). */
    unassigned: number;
  };
  /** Items in the split whose reference label changed since it was built or locked. */
  labelDrift: number;
}

interface SplitRow {
  id: number; name: string; version: number; origin: SplitOrigin; seed: number | null; ratios_json: string | null; level: SplitLevel;
  warnings_json: string; parent_id: number | null; created_at: string; created_by: string | null; locked_at: string | null; locked_by: string | null; items: number;
}

const SPLIT_SELECT = `SELECT s.*, (SELECT count(*) FROM dataset_split_items i WHERE i.split_id = s.id) AS items FROM dataset_splits s`;

export function activeSplitId(store: Store): number | null {
  const row = store.db.prepare('SELECT value FROM settings WHERE key = ?').get(ACTIVE_SPLIT_SETTING) as { value: string } | undefined;
  return row ? Number(row.value) : null;
}

export function setActiveSplit(store: Store, splitId: number): void {
  requireSplit(store, splitId);
  store.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(ACTIVE_SPLIT_SETTING, String(splitId));
}

function toSummary(row: SplitRow, active: number | null): SplitSummary {
  return {
    id: row.id, name: row.name, version: row.version, origin: row.origin, seed: row.seed,
    ratios: row.ratios_json ? (JSON.parse(row.ratios_json) as SplitRatios) : null, level: row.level,
    warnings: JSON.parse(row.warnings_json) as string[], parentId: row.parent_id, createdAt: row.created_at, createdBy: row.created_by,
    lockedAt: row.locked_at, lockedBy: row.locked_by, items: row.items, active: row.id === active,
  };
}

export function listSplits(store: Store): SplitSummary[] {
  const active = activeSplitId(store);
  return (store.db.prepare(`${SPLIT_SELECT} ORDER BY s.id DESC`).all() as unknown as SplitRow[]).map((row) => toSummary(row, active));
}

export function requireSplit(store: Store, splitId: number): SplitSummary {
  const row = store.db.prepare(`${SPLIT_SELECT} WHERE s.id = ?`).get(splitId) as SplitRow | undefined;
  if (!row) throw new AppError('split-not-found', `Split ${splitId} does not exist; pick one from the list of splits.`);
  return toSummary(row, activeSplitId(store));
}

/** item → part of a split version. */
export function splitAssignment(store: Store, splitId: number): Map<number, { part: SplitName; label: 0 | 1 | null }> {
  const rows = store.db.prepare('SELECT item_id AS itemId, part, label FROM dataset_split_items WHERE split_id = ?').all(splitId) as { itemId: number; part: SplitName; label: 0 | 1 | null }[];
  return new Map(rows.map((r) => [r.itemId, { part: r.part, label: r.label }]));
}

function nextVersion(store: Store, name: string): number {
  return ((store.db.prepare('SELECT max(version) AS v FROM dataset_splits WHERE name = ?').get(name) as { v: number | null }).v ?? 0) + 1;
}

function levelOf(items: readonly ItemFacts[]): SplitLevel {
  const without = items.filter((i) => i.patient === null).length;
  return without === 0 ? 'patient' : without === items.length ? 'image' : 'mixed';
}

interface NewSplit {
  name: string;
  origin: SplitOrigin;
  seed: number | null;
  ratios: SplitRatios | null;
  level: SplitLevel;
  warnings: string[];
  parentId: number | null;
  assignment: Map<number, SplitName>;
  labels: Map<number, 0 | 1 | null>;
}

function insertSplit(store: Store, split: NewSplit, reader: string | null, now: Date): number {
  const version = nextVersion(store, split.name);
  const id = Number(
    store.db
      .prepare('INSERT INTO dataset_splits (name, version, origin, seed, ratios_json, level, warnings_json, parent_id, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(split.name, version, split.origin, split.seed, split.ratios ? JSON.stringify(split.ratios) : null, split.level, JSON.stringify(split.warnings), split.parentId, now.toISOString(), reader)
      .lastInsertRowid,
  );
  const insert = store.db.prepare('INSERT INTO dataset_split_items (split_id, item_id, part, label) VALUES (?, ?, ?, ?)');
  for (const [itemId, part] of split.assignment) insert.run(id, itemId, part, split.labels.get(itemId) ?? null);
  setActiveSplit(store, id);
  writeAudit(store, { action: `split.${split.origin}`, objectType: 'split', objectId: `${split.name} v${version}`, reader, detail: { id, items: split.assignment.size, seed: split.seed, ratios: split.ratios } }, now);
  return id;
}

/** Items a split takes: everything but the excluded ones. Disputed items join unlabelled, with a warning. */
function splittable(facts: readonly ItemFacts[]): { items: ItemFacts[]; warnings: string[] } {
  const items = facts.filter((f) => f.reference !== 'exclude');
  const disputed = items.filter((f) => f.reference === 'disputed').length;
  return { items, warnings: disputed > 0 ? [`${disputed} items have disagreeing reader labels and no adjudication; they join the split unlabelled. Adjudicate them before locking.`] : [] };
}

export function buildSplit(store: Store, facts: readonly ItemFacts[], options: { name: string; ratios: SplitRatios; seed: number }, reader: string | null, now: Date): number {
  const { items, warnings } = splittable(facts);
  const built = buildPatientSplit(items.map((f) => ({ itemId: String(f.id), patientId: f.patient, label: binaryLabel(f.reference) })), options.ratios, options.seed);
  const assignment = new Map([...built.assignment].map(([id, part]) => [Number(id), part] as const));
  return store.transaction(() =>
    insertSplit(store, {
      name: options.name, origin: 'built', seed: options.seed, ratios: options.ratios, level: levelOf(items),
      warnings: [...built.warnings, ...warnings], parentId: null, assignment, labels: new Map(items.map((f) => [f.id, binaryLabel(f.reference)])),
    }, reader, now),
  );
}

const asPart = (split: string | null): SplitName | null => (split && (SPLIT_NAMES as readonly string[]).includes(split) ? (split as SplitName) : null);

/** The split the import carried: P-ADSD's folders or a manifest's split column. Items without one go with their
 * patient when the patient has a split, else to train (an unlabelled pool is pretraining material). */
export function importSourceSplit(store: Store, facts: readonly ItemFacts[], options: { name: string }, reader: string | null, now: Date): number {
  const { items, warnings } = splittable(facts);
  const withSplit = items.filter((f) => asPart(f.sourceSplit) !== null);
  if (withSplit.length === 0) throw new AppError('split-none-imported', 'No imported item carries a split (from P-ADSD folders or a manifest split column). Build a split instead.');
  const patientPart = new Map<string, SplitName>();
  for (const f of withSplit) if (f.patient !== null && !patientPart.has(f.patient)) patientPart.set(f.patient, asPart(f.sourceSplit)!);
  const assignment = new Map<number, SplitName>();
  let defaulted = 0;
  for (const f of items) {
    const part = asPart(f.sourceSplit) ?? (f.patient !== null ? patientPart.get(f.patient) : undefined);
    if (part) assignment.set(f.id, part);
    else {
      assignment.set(f.id, 'train');
      defaulted++;
    }
  }
  const level = levelOf(items);
  const allWarnings = [...warnings];
  if (level !== 'patient') {
    const count = items.filter((f) => f.patient === null).length;
    allWarnings.unshift(`${count} of ${items.length} items have no patient id: the imported split cannot be checked for patient leakage, and images of one patient may sit in different splits (evaluation may be optimistic).`);
  }
  if (defaulted > 0) allWarnings.push(`${defaulted} items carried no split and were put in train (for pretraining; they are unlabelled or have no patient split to follow).`);
  return store.transaction(() =>
    insertSplit(store, { name: options.name, origin: 'source', seed: null, ratios: null, level, warnings: allWarnings, parentId: null, assignment, labels: new Map(items.map((f) => [f.id, binaryLabel(f.reference)])) }, reader, now),
  );
}

/** Freezes a version: reference labels are copied in, then nothing about it can change. */
export function lockSplit(store: Store, splitId: number, facts: readonly ItemFacts[], reader: string | null, now: Date): void {
  const split = requireSplit(store, splitId);
  if (split.lockedAt) throw new AppError('split-locked', `${split.name} v${split.version} is already locked (${split.lockedAt}). Build or fix to make a new version.`);
  const byId = new Map(facts.map((f) => [f.id, f]));
  store.transaction(() => {
    const update = store.db.prepare('UPDATE dataset_split_items SET label = ? WHERE split_id = ? AND item_id = ?');
    for (const [itemId] of splitAssignment(store, splitId)) update.run(binaryLabel(byId.get(itemId)?.reference ?? null), splitId, itemId);
    store.db.prepare('UPDATE dataset_splits SET locked_at = ?, locked_by = ? WHERE id = ?').run(now.toISOString(), reader, splitId);
    writeAudit(store, { action: 'split.lock', objectType: 'split', objectId: `${split.name} v${split.version}`, reader, detail: { id: splitId, items: split.items } }, now);
  });
}

function effectiveAssignment(store: Store, splitId: number, facts: readonly ItemFacts[]) {
  const assignment = splitAssignment(store, splitId);
  const assigned: AssignedItem[] = [];
  let arrivals = 0;
  let unassigned = 0;
  const arrivalParts = new Map<number, SplitName>();
  for (const f of facts) {
    const inSplit = assignment.get(f.id);
    if (inSplit) assigned.push({ itemId: String(f.id), patientId: f.patient, split: inSplit.part });
    else if (f.reference === 'exclude') continue;
    else if (asPart(f.sourceSplit)) {
      arrivals++;
      arrivalParts.set(f.id, asPart(f.sourceSplit)!);
      assigned.push({ itemId: String(f.id), patientId: f.patient, split: asPart(f.sourceSplit)! });
    } else unassigned++;
  }
  return { assignment, assigned, arrivals, unassigned, arrivalParts };
}

export function splitDetail(store: Store, splitId: number, facts: readonly ItemFacts[]): SplitDetail {
  const split = requireSplit(store, splitId);
  const byId = new Map(facts.map((f) => [f.id, f]));
  const { assignment, assigned, arrivals, unassigned } = effectiveAssignment(store, splitId, facts);
  const emptyPart = (): PartCounts => ({ items: 0, positives: 0, negatives: 0, unlabelled: 0, patients: 0, imageLevelItems: 0 });
  const parts: Record<SplitName, PartCounts> = { train: emptyPart(), val: emptyPart(), test: emptyPart() };
  const groups = new Map<string, SplitGroupRow>();
  let labelDrift = 0;
  for (const [itemId, { part, label }] of assignment) {
    const fact = byId.get(itemId);
    const patient = fact?.patient ?? null;
    const key = `${part}|${patient ?? ''}`;
    const group = groups.get(key) ?? { patient, part, items: 0, positives: 0, negatives: 0, unlabelled: 0 };
    group.items++;
    parts[part].items++;
    if (label === 1) (group.positives++, parts[part].positives++);
    else if (label === 0) (group.negatives++, parts[part].negatives++);
    else (group.unlabelled++, parts[part].unlabelled++);
    if (patient === null) parts[part].imageLevelItems++;
    groups.set(key, group);
    if (fact && binaryLabel(fact.reference) !== label) labelDrift++;
  }
  for (const group of groups.values()) if (group.patient !== null) parts[group.part].patients++;
  const leaks = findLeaks(assigned).map((leak) => ({
    patient: leak.patientId,
    parts: Object.fromEntries(Object.entries(leak.splits).map(([part, ids]) => [part, ids.length])) as Partial<Record<SplitName, number>>,
    itemIds: Object.values(leak.splits).flat().map(Number),
  }));
  const order = (row: SplitGroupRow) => `${SPLIT_NAMES.indexOf(row.part)}|${row.patient === null ? '~' : row.patient}`;
  return {
    split,
    parts,
    groups: [...groups.values()].sort((a, b) => (order(a) < order(b) ? -1 : 1)),
    leakage: { status: leaks.length === 0 ? 'green' : 'red', leaks, arrivals, unassigned },
    labelDrift,
  };
}

/** One click: every leaking patient moves to the split holding most of its items (splits/leakFixes), and items
 * that arrived with a split of their own join. A locked split stays as it was; the fix is a new draft version. */
export function fixLeaks(store: Store, splitId: number, facts: readonly ItemFacts[], reader: string | null, now: Date): number {
  const split = requireSplit(store, splitId);
  const { assignment, assigned, arrivalParts } = effectiveAssignment(store, splitId, facts);
  const moves = leakFixes(findLeaks(assigned));
  if (moves.size === 0 && arrivalParts.size === 0) return splitId;
  const byId = new Map(facts.map((f) => [f.id, f]));
  return store.transaction(() => {
    if (!split.lockedAt) {
      const insert = store.db.prepare('INSERT INTO dataset_split_items (split_id, item_id, part, label) VALUES (?, ?, ?, ?)');
      for (const [itemId, part] of arrivalParts) insert.run(splitId, itemId, moves.get(String(itemId)) ?? part, binaryLabel(byId.get(itemId)?.reference ?? null));
      const update = store.db.prepare('UPDATE dataset_split_items SET part = ? WHERE split_id = ? AND item_id = ?');
      for (const [itemId, part] of moves) if (!arrivalParts.has(Number(itemId))) update.run(part, splitId, Number(itemId));
      writeAudit(store, { action: 'split.fix', objectType: 'split', objectId: `${split.name} v${split.version}`, reader, detail: { id: splitId, moved: moves.size, added: arrivalParts.size } }, now);
      return splitId;
    }
    const next = new Map<number, SplitName>();
    const labels = new Map<number, 0 | 1 | null>();
    for (const [itemId, { part, label }] of assignment) (next.set(itemId, part), labels.set(itemId, label));
    for (const [itemId, part] of arrivalParts) (next.set(itemId, part), labels.set(itemId, binaryLabel(byId.get(itemId)?.reference ?? null)));
    for (const [itemId, part] of moves) next.set(Number(itemId), part);
    const warnings = [...split.warnings.filter((w) => !w.startsWith('Fixed from')), `Fixed from v${split.version}: ${moves.size} items moved to remove patient leakage, ${arrivalParts.size} newly imported items added.`];
    return insertSplit(store, { name: split.name, origin: 'fixed', seed: split.seed, ratios: split.ratios, level: levelOf([...next.keys()].map((id) => byId.get(id)!).filter(Boolean)), warnings, parentId: splitId, assignment: next, labels }, reader, now);
  });
}
