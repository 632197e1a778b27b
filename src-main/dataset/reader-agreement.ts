// Agreement between readers over the catalog's labels: Cohen's kappa for every pair of readers on the items both
// labelled, Fleiss' kappa over the items every reader labelled (three or more readers), and the disputed items a
// senior reader adjudicates (evaluation/agreement does the arithmetic).
import { cohensKappa, disagreements, fleissKappa } from '../evaluation/index.ts';
import type { ItemFacts } from './item-facts.ts';
import type { CurationLabel } from './label-actions.ts';
import type { Reader } from './readers.ts';

export interface ReaderAgreement {
  readers: { id: number; name: string; senior: boolean; items: number }[];
  pairs: { first: string; second: string; items: number; agreed: number; kappa: number | null }[];
  fleiss: { readers: number; items: number; kappa: number | null } | null;
  disagreements: { itemId: number; labels: Record<string, CurationLabel>; adjudicated: CurationLabel | null }[];
}

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

export function readerAgreement(facts: readonly ItemFacts[], readers: readonly Reader[]): ReaderAgreement {
  const names = new Map(readers.map((r) => [r.id, r.name]));
  const labelled = facts.filter((f) => f.readers.size > 0);
  const counts = new Map<number, number>();
  for (const f of labelled) for (const readerId of f.readers.keys()) counts.set(readerId, (counts.get(readerId) ?? 0) + 1);
  const active = readers.filter((r) => counts.has(r.id));

  const pairs: ReaderAgreement['pairs'] = [];
  for (let a = 0; a < active.length; a++) {
    for (let b = a + 1; b < active.length; b++) {
      const first: string[] = [];
      const second: string[] = [];
      for (const f of labelled) {
        const x = f.readers.get(active[a]!.id);
        const y = f.readers.get(active[b]!.id);
        if (x !== undefined && y !== undefined) (first.push(x), second.push(y));
      }
      if (first.length === 0) continue;
      pairs.push({ first: active[a]!.name, second: active[b]!.name, items: first.length, agreed: first.filter((x, i) => x === second[i]).length, kappa: finite(cohensKappa(first, second)) });
    }
  }

  let fleiss: ReaderAgreement['fleiss'] = null;
  if (active.length >= 3) {
    const rows = labelled.filter((f) => active.every((r) => f.readers.has(r.id))).map((f) => active.map((r) => f.readers.get(r.id)!));
    fleiss = { readers: active.length, items: rows.length, kappa: rows.length > 0 ? finite(fleissKappa(rows)) : null };
  }

  const adjudicated = new Map(labelled.map((f) => [f.id, f.adjudicated]));
  const disputed = disagreements(labelled.flatMap((f) => [...f.readers].map(([readerId, label]) => ({ itemId: String(f.id), reader: names.get(readerId) ?? `reader ${readerId}`, label }))));
  return {
    readers: active.map((r) => ({ id: r.id, name: r.name, senior: r.senior, items: counts.get(r.id) ?? 0 })),
    pairs,
    fleiss,
    disagreements: disputed.map((d) => ({ itemId: Number(d.itemId), labels: d.labels as Record<string, CurationLabel>, adjudicated: adjudicated.get(Number(d.itemId)) ?? null })),
  };
}
