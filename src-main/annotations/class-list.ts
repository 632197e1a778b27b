// The class list boxes are labelled with: binary by default (one class, "stenosis"), each class with optional
// grades. Stored as one setting; boxes, exports, patches and detection metrics all carry the class and grade.
import { AppError } from '../ipc/index.ts';
import { type Store, writeAudit } from '../store/index.ts';

export interface AnnotationClass {
  name: string;
  /** Grades a reader may add (empty: the class has none). */
  grades: string[];
}

export interface ClassList {
  classes: AnnotationClass[];
  /** Whether the grade is offered when drawing; off keeps the published binary labelling. */
  gradesEnabled: boolean;
}

export const CLASS_LIST_SETTING = 'annotations.classList';

/** Diameter-stenosis grades cardiologists read visually. */
export const STENOSIS_GRADES = ['<50%', '50–70%', '>70%'];

export const DEFAULT_CLASS_LIST: ClassList = { classes: [{ name: 'stenosis', grades: STENOSIS_GRADES }], gradesEnabled: false };

export function readClassList(store: Store): ClassList {
  const row = store.db.prepare('SELECT value FROM settings WHERE key = ?').get(CLASS_LIST_SETTING) as { value: string } | undefined;
  if (!row) return structuredClone(DEFAULT_CLASS_LIST);
  try {
    return checkClassList(JSON.parse(row.value) as ClassList);
  } catch {
    return structuredClone(DEFAULT_CLASS_LIST);
  }
}

export function checkClassList(list: ClassList): ClassList {
  const names = list.classes.map((c) => c.name.trim());
  if (names.length === 0 || names.some((n) => n === '')) {
    throw new AppError('class-list-invalid', 'The class list needs at least one class, each with a name. Add "stenosis" back or name the empty class.');
  }
  const lower = names.map((n) => n.toLowerCase());
  if (new Set(lower).size !== lower.length) {
    throw new AppError('class-list-invalid', `Class names must differ (ignoring case); got ${names.join(', ')}.`);
  }
  return { classes: list.classes.map((c) => ({ name: c.name.trim(), grades: [...new Set(c.grades.map((g) => g.trim()).filter(Boolean))] })), gradesEnabled: list.gradesEnabled };
}

export function writeClassList(store: Store, list: ClassList, reader: string | null): ClassList {
  const checked = checkClassList(list);
  store.transaction(() => {
    store.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(CLASS_LIST_SETTING, JSON.stringify(checked));
    writeAudit(store, { action: 'annotations.classList', objectType: 'setting', objectId: CLASS_LIST_SETTING, reader, detail: checked });
  });
  return checked;
}

/** The class name as the list spells it, and a grade it offers; throws what the user can fix otherwise. */
export function resolveLabel(list: ClassList, label: string, grade: string | null): { label: string; grade: string | null } {
  const found = list.classes.find((c) => c.name.toLowerCase() === label.trim().toLowerCase());
  if (!found) {
    throw new AppError('unknown-class', `"${label}" is not in the class list (${list.classes.map((c) => c.name).join(', ')}). Add it to the class list or relabel the box.`, { label });
  }
  if (grade === null || grade.trim() === '') return { label: found.name, grade: null };
  const normal = (g: string) => g.replace(/\s+/g, '').replace(/[-‒–—]/g, '–').toLowerCase();
  const knownGrade = found.grades.find((g) => normal(g) === normal(grade));
  if (!knownGrade) {
    throw new AppError('unknown-grade', `"${grade}" is not a grade of ${found.name} (${found.grades.join(', ') || 'it has no grades'}).`, { label, grade });
  }
  return { label: found.name, grade: knownGrade };
}
