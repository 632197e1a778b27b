// Pseudonymous names for where imported files came from: folder and file names often carry the patient's name or
// record number, so the catalog, logs and messages say "source-3f9a…/file-8c1d…" (a keyed hash of the path) and
// only the vault keeps the path itself.
import { createHmac } from 'node:crypto';
import type { PseudonymKey } from './pseudonyms.ts';

const digest = (key: PseudonymKey, purpose: string, value: string, length: number): string =>
  createHmac('sha256', key.secret).update(`${purpose}\u0000${value}`).digest('hex').slice(0, length);

/** The id of an imported folder (its absolute path): the same folder always gets the same id. */
export const sourceId = (key: PseudonymKey, rootPath: string): string => `source-${digest(key, 'source', rootPath, 12)}`;

/** The id of one file of a source (its path relative to the source's folder). */
export const sourceFileId = (key: PseudonymKey, source: string, relativePath: string): string => `${source}/file-${digest(key, 'file', `${source}\u0000${relativePath}`, 12)}`;

/** `text` with every original name replaced by its id (longest first, so a folder inside a path goes with it). */
export function withIds(text: string, names: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [name, id] of [...names].sort((a, b) => b[0].length - a[0].length)) if (name) out = out.split(name).join(id);
  return out;
}
