// Patient-level train/validation/test splits, stratified by label, seeded. Every item of a patient lands in the
// same split, so no patient leaks between training and evaluation. Items without a patient id become their own
// group (one image = one "patient"), and the split says so: the leakage guarantee then holds only per image.
import { AppError } from '../ipc/index.ts';
import { seededRandom, shuffleInPlace } from '../random/index.ts';

export type SplitName = 'train' | 'val' | 'test';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'val', 'test'];

export interface SplitItem {
  itemId: string;
  patientId: string | null;
  /** 1 = stenosis, 0 = no stenosis, null = unlabelled (kept with its patient, not counted for stratification). */
  label: 0 | 1 | null;
}

export interface SplitRatios {
  train: number;
  val: number;
  test: number;
}

export interface PatientSplit {
  seed: number;
  ratios: SplitRatios;
  assignment: Map<string, SplitName>;
  /** Groups (patients, or single images when no id exists) per split, with class counts. */
  groups: { groupId: string; split: SplitName; items: number; positives: number; negatives: number; imageLevel: boolean }[];
  /** Items that had no patient id and were grouped alone. */
  imageLevelItems: number;
  warnings: string[];
}

const groupKey = (item: SplitItem) => (item.patientId === null ? `image:${item.itemId}` : `patient:${item.patientId}`);

export function buildPatientSplit(items: readonly SplitItem[], ratios: SplitRatios, seed: number): PatientSplit {
  const total = ratios.train + ratios.val + ratios.test;
  if (!(total > 0) || [ratios.train, ratios.val, ratios.test].some((r) => r < 0 || !Number.isFinite(r))) {
    throw new AppError('split-ratios-invalid', `Split ratios must be non-negative and not all zero (got ${JSON.stringify(ratios)}).`);
  }
  if (items.length === 0) throw new AppError('split-empty', 'There are no dataset items to split. Import or label images first.');

  const groups = new Map<string, { items: SplitItem[]; positives: number; negatives: number; imageLevel: boolean }>();
  for (const item of items) {
    const key = groupKey(item);
    const group = groups.get(key) ?? { items: [], positives: 0, negatives: 0, imageLevel: item.patientId === null };
    group.items.push(item);
    if (item.label === 1) group.positives++;
    if (item.label === 0) group.negatives++;
    groups.set(key, group);
  }

  // Stratify at patient level: a patient's stratum is whether most of its labelled items are positive.
  const strata = new Map<string, string[]>();
  for (const [key, group] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const stratum = group.positives + group.negatives === 0 ? 'unlabelled' : group.positives >= group.negatives ? 'positive' : 'negative';
    strata.set(stratum, [...(strata.get(stratum) ?? []), key]);
  }

  const random = seededRandom(seed);
  const assignmentByGroup = new Map<string, SplitName>();
  for (const stratum of ['positive', 'negative', 'unlabelled']) {
    const keys = shuffleInPlace([...(strata.get(stratum) ?? [])], random);
    // Largest-remainder allocation of groups to splits, so small strata still follow the ratios as closely as possible.
    const quotas = SPLIT_NAMES.map((name) => (keys.length * ratios[name]) / total);
    const counts = quotas.map(Math.floor);
    const order = quotas.map((q, i) => [q - Math.floor(q), i] as const).sort((a, b) => b[0] - a[0]);
    for (let k = 0; counts.reduce((a, b) => a + b, 0) < keys.length; k++) counts[order[k % 3]![1]]!++;
    let cursor = 0;
    SPLIT_NAMES.forEach((name, index) => {
      for (const key of keys.slice(cursor, cursor + counts[index]!)) assignmentByGroup.set(key, name);
      cursor += counts[index]!;
    });
  }

  const assignment = new Map<string, SplitName>();
  const groupRows: PatientSplit['groups'] = [];
  let imageLevelItems = 0;
  for (const [key, group] of groups) {
    const split = assignmentByGroup.get(key)!;
    for (const item of group.items) assignment.set(item.itemId, split);
    if (group.imageLevel) imageLevelItems += group.items.length;
    groupRows.push({ groupId: key, split, items: group.items.length, positives: group.positives, negatives: group.negatives, imageLevel: group.imageLevel });
  }
  const warnings: string[] = [];
  if (imageLevelItems > 0) {
    warnings.push(
      `${imageLevelItems} of ${items.length} items have no patient id, so they were split image by image: images of one patient may sit in different splits and evaluation may be optimistic. Import a manifest with patient ids to split by patient.`,
    );
  }
  for (const name of SPLIT_NAMES) {
    const rows = groupRows.filter((row) => row.split === name);
    const positives = rows.reduce((sum, row) => sum + row.positives, 0);
    const negatives = rows.reduce((sum, row) => sum + row.negatives, 0);
    if (ratios[name] > 0 && (positives === 0 || negatives === 0)) {
      warnings.push(`The ${name} split has ${positives} positive and ${negatives} negative items: it needs both classes to train or evaluate.`);
    }
  }
  return { seed, ratios, assignment, groups: groupRows, imageLevelItems, warnings };
}
