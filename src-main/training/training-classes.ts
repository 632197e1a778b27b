// The classes a model learns, as a labelled folder declares them: binary (negative/ and positive/, the P-ADSD
// layout) when the root has no classes.json, otherwise that file's ordered list (class 0 is always no stenosis).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../ipc/index.ts';

export const CLASSES_FILE = 'classes.json';

const TrainingClassListSchema = z.object({
  format: z.literal('angio-classes-1'),
  classes: z
    .array(z.object({ name: z.string().min(1), folder: z.string().regex(/^[A-Za-z0-9._-]+$/, 'folder names use letters, digits, dot, dash and underscore') }))
    .min(2)
    .max(64),
});

export type TrainingClassList = z.output<typeof TrainingClassListSchema>;

export const BINARY_CLASSES: TrainingClassList = {
  format: 'angio-classes-1',
  classes: [
    { name: 'no stenosis', folder: 'negative' },
    { name: 'stenosis', folder: 'positive' },
  ],
};

export function isGraded(list: TrainingClassList): boolean {
  return list.classes.length > 2;
}

export function classNames(list: TrainingClassList): string[] {
  return list.classes.map((c) => c.name);
}

export function readTrainingClassList(labeledRoot: string): TrainingClassList {
  const path = join(labeledRoot, CLASSES_FILE);
  if (!existsSync(path)) return BINARY_CLASSES;
  let parsed;
  try {
    parsed = TrainingClassListSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new AppError('dataset-classes-invalid', `${path} is not valid JSON (${(error as Error).message}): export the split again.`);
  }
  if (!parsed.success) {
    throw new AppError('dataset-classes-invalid', `${path} is not a class list: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}. Export the split again.`);
  }
  const list = parsed.data;
  if (list.classes[0]?.folder !== 'negative') {
    throw new AppError('dataset-classes-invalid', `${path} must list the no-stenosis class (folder "negative") first; it lists ${list.classes[0]?.folder}.`);
  }
  if (new Set(list.classes.map((c) => c.folder)).size !== list.classes.length) {
    throw new AppError('dataset-classes-invalid', `${path} names a folder twice: every class needs its own folder.`);
  }
  return list;
}

/**
 * Per-class inverse-frequency weights (sklearn's "balanced", over the classes present) when the largest class
 * outnumbers the smallest by ≥ 1.2×, else none; an absent class weighs 0, since no target ever picks it.
 */
export function classWeightsFor(classCounts: readonly number[], mode: 'auto' | 'none'): number[] | undefined {
  const present = classCounts.filter((n) => n > 0);
  if (mode === 'none' || present.length < 2) return undefined;
  if (Math.max(...present) / Math.min(...present) < 1.2) return undefined;
  const total = present.reduce((a, b) => a + b, 0);
  return classCounts.map((n) => (n === 0 ? 0 : total / (present.length * n)));
}

export function classCounts(classes: ArrayLike<number>, classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i] as number;
    counts[c] = (counts[c] ?? 0) + 1;
  }
  return counts;
}
