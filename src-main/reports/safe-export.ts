// Export files land whole or not at all: each is written to a hidden temporary file in the target folder and
// renamed into place; a set of files (SR + SC) is renamed only once every temporary file is written.
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../ipc/app-error.ts';

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

/**
 * Writes every file or none: temporary files first, then renames. Refuses to overwrite an existing file.
 * Returns the final paths.
 */
export function writeExportFiles(dir: string, files: readonly ExportFile[]): string[] {
  checkFolder(dir);
  for (const file of files) {
    if (existsSync(join(dir, file.name))) {
      throw new AppError('export-file-exists', `${join(dir, file.name)} already exists. Choose another name or folder; existing files are never overwritten.`, { path: join(dir, file.name) });
    }
  }
  const temps: string[] = [];
  const placed: string[] = [];
  try {
    for (const file of files) {
      const temp = join(dir, `.${file.name}.${randomBytes(6).toString('hex')}.partial`);
      temps.push(temp);
      writeFileSync(temp, file.bytes, { flag: 'wx' });
    }
    files.forEach((file, i) => {
      renameSync(temps[i] as string, join(dir, file.name));
      placed.push(join(dir, file.name));
    });
    return placed;
  } catch (error) {
    for (const path of [...temps, ...placed]) rmSync(path, { force: true });
    if (error instanceof AppError) throw error;
    throw unwritable(dir, error);
  }
}
