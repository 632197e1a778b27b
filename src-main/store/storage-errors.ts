// Full disks and read-only data folders, from the file system (ENOSPC, EROFS, EACCES) or from SQLite (SQLITE_FULL,
// SQLITE_READONLY, SQLITE_CANTOPEN), become one of two typed errors the user can act on, instead of `internal`.
import { AppError } from '../ipc/index.ts';

const FULL = new Set(['ENOSPC', 'EDQUOT']);
const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM']);
// SQLite primary result codes (the low byte of extended codes).
const SQLITE_READONLY = 8;
const SQLITE_FULL = 13;

/** The typed error for a storage failure while doing `what` in `dataDir`, or null when it is something else. */
export function storageError(error: unknown, dataDir: string, what: string): AppError | null {
  if (error instanceof AppError) return null;
  const e = error as { code?: string; errcode?: number; message?: string };
  const sqlite = typeof e.errcode === 'number' ? e.errcode & 0xff : null;
  if ((e.code && FULL.has(e.code)) || sqlite === SQLITE_FULL || /database or disk is full/i.test(e.message ?? '')) {
    return new AppError('disk-full', `The disk holding the data folder ${dataDir} is full, so ${what} could not be saved; nothing already saved was changed. Free some space (or move the data folder in Settings) and try again.`, { cause: e.code ?? e.message });
  }
  if ((e.code && READ_ONLY.has(e.code)) || sqlite === SQLITE_READONLY || /readonly database|read-only file system/i.test(e.message ?? '')) {
    return new AppError('data-dir-read-only', `The data folder ${dataDir} cannot be written (it is read-only or you lack permission), so ${what} could not be saved. Choose a writable data folder in Settings or ask IT to fix the folder's permissions.`, { cause: e.code ?? e.message });
  }
  return null;
}
