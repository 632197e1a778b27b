// Inter-reader agreement on labels: Cohen's kappa for two readers, Fleiss' kappa for several, and the items on
// which readers disagree (for a senior reader to adjudicate).

/** Cohen's kappa over items both readers labelled; categories are any strings (positive/negative/unsure/…). */
export function cohensKappa(first: readonly string[], second: readonly string[]): number {
  if (first.length !== second.length) throw new Error(`readers labelled different item counts: ${first.length} vs ${second.length}`);
  const n = first.length;
  if (n === 0) return Number.NaN;
  const categories = [...new Set([...first, ...second])];
  let agree = 0;
  for (let i = 0; i < n; i++) if (first[i] === second[i]) agree++;
  const observed = agree / n;
  let expected = 0;
  for (const category of categories) {
    const a = first.filter((label) => label === category).length / n;
    const b = second.filter((label) => label === category).length / n;
    expected += a * b;
  }
  return expected === 1 ? 1 : (observed - expected) / (1 - expected);
}

/** Fleiss' kappa: `ratings[i]` holds the labels every reader gave item i (same number of readers per item). */
export function fleissKappa(ratings: readonly (readonly string[])[]): number {
  if (ratings.length === 0) return Number.NaN;
  const raters = ratings[0]!.length;
  if (raters < 2 || ratings.some((row) => row.length !== raters)) throw new Error('Fleiss kappa needs the same number (≥2) of readers for every item');
  const categories = [...new Set(ratings.flat())];
  const n = ratings.length;
  let meanAgreement = 0;
  const share = new Map<string, number>(categories.map((c) => [c, 0]));
  for (const row of ratings) {
    let pairs = 0;
    for (const category of categories) {
      const count = row.filter((label) => label === category).length;
      pairs += count * (count - 1);
      share.set(category, share.get(category)! + count);
    }
    meanAgreement += pairs / (raters * (raters - 1));
  }
  meanAgreement /= n;
  const chance = categories.reduce((sum, c) => sum + (share.get(c)! / (n * raters)) ** 2, 0);
  return chance === 1 ? 1 : (meanAgreement - chance) / (1 - chance);
}

export interface ReaderLabel {
  itemId: string;
  reader: string;
  label: string;
}

/** Items on which the readers who labelled them do not all agree. */
export function disagreements(labels: readonly ReaderLabel[]): { itemId: string; labels: Record<string, string> }[] {
  const byItem = new Map<string, Record<string, string>>();
  for (const entry of labels) byItem.set(entry.itemId, { ...(byItem.get(entry.itemId) ?? {}), [entry.reader]: entry.label });
  return [...byItem.entries()].filter(([, byReader]) => new Set(Object.values(byReader)).size > 1).map(([itemId, byReader]) => ({ itemId, labels: byReader }));
}
