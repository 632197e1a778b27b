// The leakage check: a patient whose items sit in more than one split. Green by construction after a split;
// red when a later import adds an existing patient's images to another split. The fix moves every item of such a
// patient to the split that holds most of them (ties go to train, never to test, so evaluation stays clean).
import type { SplitName } from './patient-split.ts';

export interface AssignedItem {
  itemId: string;
  patientId: string | null;
  split: SplitName;
}

export interface Leak {
  patientId: string;
  splits: Partial<Record<SplitName, string[]>>;
}

export function findLeaks(items: readonly AssignedItem[]): Leak[] {
  const byPatient = new Map<string, Partial<Record<SplitName, string[]>>>();
  for (const item of items) {
    if (item.patientId === null) continue;
    const splits = byPatient.get(item.patientId) ?? {};
    (splits[item.split] ??= []).push(item.itemId);
    byPatient.set(item.patientId, splits);
  }
  return [...byPatient.entries()].filter(([, splits]) => Object.keys(splits).length > 1).map(([patientId, splits]) => ({ patientId, splits }));
}

const TIE_ORDER: readonly SplitName[] = ['train', 'val', 'test'];

/** The moves that resolve every leak: item → the split it should be in. */
export function leakFixes(leaks: readonly Leak[]): Map<string, SplitName> {
  const moves = new Map<string, SplitName>();
  for (const leak of leaks) {
    const target = TIE_ORDER.reduce((best, name) => ((leak.splits[name]?.length ?? 0) > (leak.splits[best]?.length ?? 0) ? name : best), 'train' as SplitName);
    for (const [name, itemIds] of Object.entries(leak.splits) as [SplitName, string[]][]) {
      if (name !== target) for (const itemId of itemIds) moves.set(itemId, target);
    }
  }
  return moves;
}
