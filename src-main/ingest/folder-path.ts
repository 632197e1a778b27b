// A folder typed into the app: the app's working folder is its install folder, so a relative path would quietly
// name something inside the installation. Only full paths are taken, and a refusal says what to type instead.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { AppError } from '../ipc/index.ts';

/** The path itself when it is a full path; a typed `import-path-relative` error in plain words otherwise. */
export function requireFullFolderPath(path: string): string {
  const typed = path.trim();
  if (typed === '' || !isAbsolute(typed)) {
    const shown = typed.length > 80 ? `${typed.slice(0, 77)}…` : typed;
    throw new AppError('import-path-relative', `"${shown}" is not a full folder path. Type the whole path from the top, starting with / (or a drive letter such as C:\\ on Windows), or press Browse… to pick the folder.`);
  }
  return typed;
}

/** A full path to a folder that exists now: checked before a job starts, so a typing slip starts no job that could
 * be "restarted" and leaves nothing in the recent folders. */
export function requireImportFolder(path: string): string {
  const folder = requireFullFolderPath(path);
  if (!existsSync(folder)) throw new AppError('import-folder-missing', `The folder ${folder} does not exist or is not a folder. Check the spelling, or press Browse… to pick the folder.`);
  if (!statSync(folder).isDirectory()) throw new AppError('import-folder-missing', `${folder} does not exist or is not a folder: it is a file. Choose the folder that holds it.`);
  return folder;
}
