// Replacing a file so that a crash at any instant (kill -9, power loss) leaves the old file or the new one, never
// half of one: the bytes go to a temporary file beside it, are synced to disk, and only then renamed over it.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes and syncs a new file; `flag` 'wx' refuses to reuse an existing name. */
export function writeSyncedFile(path: string, content: string | Uint8Array, flag: 'w' | 'wx' = 'w', mode = 0o644): void {
  const fd = openSync(path, flag, mode);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes the renames and creations in `dir` durable too (a no-op where directories cannot be opened: Windows). */
export function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort: the file contents are already synced
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Atomic replace: a reader sees the old file or the new one, never a torn write. */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeSyncedFile(temporary, content, 'w', mode);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  syncDirectory(dirname(path));
}
