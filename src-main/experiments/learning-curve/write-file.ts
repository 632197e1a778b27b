// A file replaced in one rename, so a reader (or an interrupted run) never sees half of it.
import { renameSync, writeFileSync } from 'node:fs';

export function writeFileAtomically(path: string, content: string | Uint8Array): void {
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}
