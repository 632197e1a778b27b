// PNG/JPEG patch sets: the P-ADSD layout (…/<split>/<label>/file.png, unlabeled/…) or any folder with an optional
// manifest.csv (path, patient_id[, label, study_id, split]). Items without a patient id are flagged "no patient id".
import { AppError } from '../ipc/index.ts';
import { patientPseudonym, remapUid, type PseudonymKey } from '../deid/index.ts';
import type { Store } from '../store/index.ts';
import { upsertLabel, upsertPatient, upsertStudy } from './catalog-writes.ts';

export const SPLIT_NAMES: Record<string, string> = { train: 'train', training: 'train', val: 'val', valid: 'val', validation: 'val', test: 'test', testing: 'test' };

export interface PatchFacts {
  split: string | null;
  label: string | null;
  patientId: string | null;
  studyId: string | null;
}

/** Folder names that are labels wherever they sit (a folder of positives chosen on its own, or beside negatives). */
export const LABEL_FOLDERS: ReadonlySet<string> = new Set(['positive', 'negative']);

/** Split and label from a path such as labeled/train/positive/0004.png; unlabeled/… carries neither. */
export function factsFromPath(relativePath: string): PatchFacts {
  const parts = relativePath.split('/').slice(0, -1).map((p) => p.toLowerCase());
  let split: string | null = null;
  let label: string | null = null;
  for (let i = 0; i < parts.length; i++) {
    const split2 = SPLIT_NAMES[parts[i] as string];
    if (split2) {
      split = split2;
      const next = parts[i + 1];
      if (next && !SPLIT_NAMES[next]) label = next;
    }
  }
  if (label === null) label = [...parts].reverse().find((p) => LABEL_FOLDERS.has(p)) ?? null;
  if (parts.includes('unlabeled') || parts.includes('unlabelled')) label = null;
  return { split, label, patientId: null, studyId: null };
}

/**
 * The chosen folder's own names that carry facts, as a prefix for its files' relative paths: choosing
 * labeled/val (or labeled/val/positive) must label and split its patches as choosing labeled would. Only a split or
 * label folder counts, so an unrelated ancestor (a folder called "test" higher up) says nothing.
 */
export function rootFactsPrefix(rootFolders: readonly string[]): string {
  const [parent, own] = rootFolders.slice(-2).map((p) => p.toLowerCase());
  const last = own ?? parent;
  if (!last) return '';
  if (SPLIT_NAMES[last]) return `${last}/`;
  if (LABEL_FOLDERS.has(last)) return own !== undefined && parent !== undefined && SPLIT_NAMES[parent] ? `${parent}/${last}/` : `${last}/`;
  return '';
}

export interface ManifestRow {
  path: string;
  patientId: string | null;
  label: string | null;
  studyId: string | null;
  split: string | null;
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

/** Parses manifest.csv; refuses paths that leave the imported folder (absolute, `..`, drive letters). */
export function parseManifest(csv: string, source = 'manifest.csv'): ManifestRow[] {
  // Spreadsheet programs save CSV with a byte-order mark; it is not part of the first column's name.
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const col = (name: string): number => header.indexOf(name);
  if (col('path') < 0 || col('patient_id') < 0) {
    throw new AppError('manifest-columns', `${source} needs the columns path and patient_id (optionally label, study_id, split); found: ${header.join(', ')}.`);
  }
  return lines.slice(1).map((line, i) => {
    const fields = splitCsvLine(line);
    const get = (name: string): string | null => (col(name) >= 0 ? fields[col(name)] || null : null);
    const path = (get('path') ?? '').replace(/\\/g, '/');
    if (!path || path.startsWith('/') || /^[a-z]:/i.test(path) || path.split('/').includes('..')) {
      throw new AppError('manifest-path-outside', `${source} line ${i + 2}: the path "${path}" points outside the imported folder; use paths relative to the folder.`);
    }
    const split = get('split');
    return { path: path.replace(/^\.\//, ''), patientId: get('patient_id'), label: get('label'), studyId: get('study_id'), split: split ? (SPLIT_NAMES[split.toLowerCase()] ?? split.toLowerCase()) : null };
  });
}

/** Width and height from a PNG IHDR or a JPEG SOF header; null when the bytes are neither. */
export function imageSize(bytes: Uint8Array): { width: number; height: number; format: 'png' | 'jpeg' } | null {
  if (bytes.length >= 24 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47 && bytes[12] === 0x49 && bytes[13] === 0x48) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, 24);
    return { width: view.getUint32(16), height: view.getUint32(20), format: 'png' };
  }
  if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let at = 2;
    while (at + 9 < bytes.length) {
      if (bytes[at] !== 0xff) return null;
      const marker = bytes[at + 1] as number;
      const length = ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: ((bytes[at + 5] as number) << 8) | (bytes[at + 6] as number), width: ((bytes[at + 7] as number) << 8) | (bytes[at + 8] as number), format: 'jpeg' };
      }
      at += 2 + length;
    }
  }
  return null;
}

export interface PatchRowIds {
  patientId: number | null;
  studyId: number | null;
  labelId: number | null;
  flags: string;
}

/** Catalog ids for a patch's facts; patient ids are pseudonymised like DICOM ones. Inside the caller's transaction. */
export function patchRowIds(store: Store, key: PseudonymKey, facts: PatchFacts, labelCache: Map<string, number>): PatchRowIds {
  let labelId: number | null = null;
  if (facts.label) {
    labelId = labelCache.get(facts.label) ?? upsertLabel(store, facts.label);
    labelCache.set(facts.label, labelId);
  }
  if (!facts.patientId) return { patientId: null, studyId: null, labelId, flags: 'no patient id' };
  const pseudonym = patientPseudonym(key, `patch:${facts.patientId}`);
  const patientId = upsertPatient(store, pseudonym, '');
  const studyId = facts.studyId ? upsertStudy(store, patientId, remapUid(key, `patch-study:${facts.patientId}:${facts.studyId}`), null, null) : null;
  return { patientId, studyId, labelId, flags: '' };
}
