// The graded class list a split is exported with, derived from the annotation class list: no stenosis first,
// then each class's grades (a class without grades is one class), so "stenosis" with the default grades gives
// no stenosis / stenosis <50% / stenosis 50–70% / stenosis >70%, in order of severity.
import { createHash } from 'node:crypto';
import { readClassList, type ClassList } from '../annotations/index.ts';
import { AppError } from '../ipc/index.ts';
import type { Store } from '../store/index.ts';
import type { TrainingClassList } from '../training/index.ts';

interface GradedClass {
  name: string;
  folder: string;
  className: string;
  grade: string | null;
}

function gradedClasses(list: ClassList): GradedClass[] {
  const classes: GradedClass[] = [];
  for (const c of list.classes) {
    if (c.grades.length === 0) classes.push({ name: c.name, folder: '', className: c.name, grade: null });
    for (const grade of c.grades) classes.push({ name: `${c.name} ${grade}`, folder: '', className: c.name, grade });
  }
  // Folder names stay portable (no <, >, % on Windows): the name lives in classes.json.
  return classes.map((c, i) => ({ ...c, folder: `class-${i + 1}` }));
}

export function gradedTrainingClasses(store: Store): TrainingClassList {
  const graded = gradedClasses(readClassList(store));
  if (graded.length < 2) {
    throw new AppError('class-list-binary', 'The class list has one class and no grades, so a graded model would be the binary one: add grades (or classes) to the class list, or train binary.');
  }
  return { format: 'angio-classes-1', classes: [{ name: 'no stenosis', folder: 'negative' }, ...graded.map(({ name, folder }) => ({ name, folder }))] };
}

/** The class index of a labelled item: 0 for negatives, the patch's class and grade for positives; null when ungraded. */
export function itemClassIndex(list: TrainingClassList, label: 0 | 1, className: string | null, grade: string | null): number | null {
  if (label === 0) return 0;
  if (className === null) return null;
  const wanted = grade === null ? className : `${className} ${grade}`;
  const index = list.classes.findIndex((c, i) => i > 0 && c.name.toLowerCase() === wanted.toLowerCase());
  return index > 0 ? index : null;
}

/** Short content hash of the class list: a changed list exports to a new folder instead of reusing a stale one. */
export function classListTag(list: TrainingClassList): string {
  return createHash('sha256').update(JSON.stringify(list.classes)).digest('hex').slice(0, 8);
}
