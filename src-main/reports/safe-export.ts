// Export files land whole or not at all: each is written to a hidden temporary file in the target folder, synced,
// and renamed into place; a set of files (SR + SC) is renamed only once every temporary file is written, under a
// journal that lets the next export into the folder finish the renames a kill interrupted. Leftovers of killed
// exports (`.<name>.<host>-<pid>-<hex>.partial`) are removed by the next export into the same folder.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { AppError } from '../ipc/index.ts';
import { syncDirectory, writeSyncedFile } from '../store/index.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,119}$/;

/** An export file name: a plain name inside the target folder, never a path (no separators, no "..", no NUL). */
export function exportFileName(name: string, extension: string): string {
  const trimmed = name.trim();
  const full = trimmed.toLowerCase().endsWith(extension) ? trimmed : `${trimmed}${extension}`;
  if (!NAME.test(full) || full.includes('..') || basename(full) !== full) {
    throw new AppError(
      'export-name-invalid',
      `"${name}" cannot be used as an export file name: use letters, digits, spaces, dots, dashes, underscores and brackets only, without folders or "..".`,
      { name },
    );
  }
  return full;
}

function checkFolder(dir: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new AppError('export-folder-missing', `The export folder ${dir} does not exist. Choose an existing folder.`, { dir });
}

function unwritable(dir: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
  const why = code === 'EROFS' ? 'it is on a read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'permission is denied' : code === 'ENOSPC' ? 'the disk is full' : (error as Error).message;
  return new AppError('export-folder-unwritable', `Cannot write to the export folder ${dir}: ${why}. Nothing was written; choose another folder.`, { dir, code });
}

export interface ExportFile {
  name: string;
  bytes: Uint8Array;
}

/** This machine in leftover names: a folder on a share may hold another machine's live export, never touched. */
const HOST = hostname().replace(/[^A-Za-z0-9-]/g, '').slice(0, 32) || 'host';
const LEFTOVER = /^\..+\.([A-Za-z0-9-]+)-(\d+)-[0-9a-f]{8}\.(partial|export-set)$/;

/** A file of an export in progress or killed (what wrote it, and whether it is a temporary file or a journal); null for any other name. */
export function exportLeftover(name: string): { host: string; pid: number; kind: 'partial' | 'export-set' } | null {
  const match = LEFTOVER.exec(name);
  return match ? { host: match[1] as string, pid: Number(match[2]), kind: match[3] as 'partial' | 'export-set' } : null;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Finishes or removes what exports killed in `dir` left (only this machine's, only of processes that are gone):
 * a set whose journal was written is renamed into place (every file was complete and synced before it), any other
 * temporary file is deleted. Returns the files placed and the leftovers removed.
 */
export function recoverInterruptedExports(dir: string): { placed: string[]; removed: string[] } {
  const placed: string[] = [];
  const removed: string[] = [];
  const abandoned = (kind: string) =>
    readdirSync(dir).filter((name) => {
      const leftover = exportLeftover(name);
      return leftover?.kind === kind && leftover.host === HOST && !processAlive(leftover.pid);
    });
  for (const journal of abandoned('export-set')) {
    const { renames } = JSON.parse(readFileSync(join(dir, journal), 'utf8')) as { renames: [string, string][] };
    for (const [temp, final] of renames) {
      if (!existsSync(join(dir, temp)) || existsSync(join(dir, final))) continue;
      renameSync(join(dir, temp), join(dir, final));
      placed.push(join(dir, final));
    }
    rmSync(join(dir, journal));
    removed.push(journal);
  }
  for (const partial of abandoned('partial')) {
    rmSync(join(dir, partial), { force: true });
    removed.push(partial);
  }
  if (placed.length > 0) syncDirectory(dir);
  return { placed, removed };
}

/**
 * Writes every file or none: temporary files first (synced), then `beforePlace` (the audit row: committed before
 * any file is visible, so a kill can leave an audited export that never landed but never a landed one without its
 * audit), then the renames. Refuses to overwrite an existing file. Returns the final paths.
 */
export function writeExportFiles(dir: string, files: readonly ExportFile[], options: { beforePlace?: () => void } = {}): string[] {
  checkFolder(dir);
  try {
    recoverInterruptedExports(dir);
  } catch {
    // a leftover that cannot be tidied does not stop this export; writing below reports an unusable folder
  }
  for (const file of files) {
    if (existsSync(join(dir, file.name))) {
      throw new AppError('export-file-exists', `${join(dir, file.name)} already exists. Choose another name or folder; existing files are never overwritten.`, { path: join(dir, file.name) });
    }
  }
  const id = `${HOST}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const temps = files.map((file) => join(dir, `.${file.name}.${id}.partial`));
  const placed: string[] = [];
  const journal = files.length > 1 ? join(dir, `.${files[0]!.name}.${id}.export-set`) : null;
  const journalTemp = join(dir, `.${files[0]?.name}.journal.${id}.partial`);
  const discard = () => {
    for (const path of [...temps, ...placed, journalTemp, ...(journal ? [journal] : [])]) rmSync(path, { force: true });
  };
  try {
    files.forEach((file, i) => writeSyncedFile(temps[i] as string, file.bytes, 'wx'));
  } catch (error) {
    discard();
    throw error instanceof AppError ? error : unwritable(dir, error);
  }
  try {
    options.beforePlace?.();
  } catch (error) {
    discard();
    throw error;
  }
  try {
    if (journal) {
      writeSyncedFile(journalTemp, JSON.stringify({ renames: files.map((file, i) => [basename(temps[i] as string), file.name]) }), 'wx');
      renameSync(journalTemp, journal);
    }
    files.forEach((file, i) => {
      renameSync(temps[i] as string, join(dir, file.name));
      placed.push(join(dir, file.name));
    });
    syncDirectory(dir);
    if (journal) rmSync(journal);
    return placed;
  } catch (error) {
    discard();
    throw unwritable(dir, error);
  }
}
