// Nested, stratified, seeded label subsets of the labelled training split: every smaller subset lies inside every
// larger one (50 ⊂ 100 ⊂ …), so a learning curve measures what more labels add rather than which labels were drawn.
import { AppError } from '../../ipc/index.ts';
import { seededRandom, shuffleInPlace } from '../../random/index.ts';

/** Indices into `labels` (1 = stenosis, 0 = none) for each asked size, in ascending index order. */
export function nestedStratifiedSubsets(labels: ArrayLike<number>, sizes: readonly number[], seed: number): Map<number, number[]> {
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let i = 0; i < labels.length; i += 1) (labels[i] === 1 ? positives : negatives).push(i);
  // One seeded order per class; each subset takes a prefix of both, which is what makes the subsets nested.
  const random = seededRandom(0x1abe1 + seed);
  shuffleInPlace(positives, random);
  shuffleInPlace(negatives, random);
  const share = positives.length / labels.length;
  const subsets = new Map<number, number[]>();
  let previous: { positives: number; negatives: number } | null = null;
  for (const size of [...sizes].sort((a, b) => a - b)) {
    if (!Number.isInteger(size) || size < 2 || size > labels.length) {
      throw new AppError('experiment-config-invalid', `A label subset of ${size} cannot be drawn from ${labels.length} labelled training images (it needs at least one of each class).`);
    }
    const takePositives = Math.min(positives.length, Math.max(1, Math.round(size * share)), size - 1);
    const take = { positives: takePositives, negatives: size - takePositives };
    if (take.negatives > negatives.length || (previous && (take.positives < previous.positives || take.negatives < previous.negatives))) {
      throw new AppError('experiment-config-invalid', `The label subsets ${sizes.join(', ')} cannot be both stratified and nested; use sizes further apart.`);
    }
    subsets.set(size, [...positives.slice(0, take.positives), ...negatives.slice(0, take.negatives)].sort((a, b) => a - b));
    previous = take;
  }
  return subsets;
}
