// Choosing an import folder without a native dialog: the recently imported folders (a setting) and a listing of a
// folder's sub-folders, so the harness and keyboard users can walk to a folder by name.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../ipc/index.ts';
import { readRecent, rememberRecent } from '../app/index.ts';
import type { Store } from '../store/index.ts';

export const RECENT_FOLDERS_SETTING = 'viewer.recentFolders';
export const RECENT_FOLDERS_LIMIT = 8;

export function recentFolders(store: Store): string[] {
  return readRecent(store, RECENT_FOLDERS_SETTING, RECENT_FOLDERS_LIMIT);
}

/** Puts `path` first in the recent list (once), keeping the newest RECENT_FOLDERS_LIMIT. */
export function rememberFolder(store: Store, path: string): string[] {
  return rememberRecent(store, RECENT_FOLDERS_SETTING, resolve(path), RECENT_FOLDERS_LIMIT);
}

export interface FolderListing {
  path: string;
  parent: string | null;
  folders: { name: string; path: string }[];
  files: number;
}

export function listFolder(path: string): FolderListing {
  const folder = resolve(path);
  let entries;
  try {
    if (!statSync(folder).isDirectory()) throw new Error('not a folder');
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    throw new AppError('folder-unreadable', `The folder ${folder} cannot be opened (${(error as Error).message}). Check the path, or pick one of the recent folders.`);
  }
  const folders = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => ({ name: e.name, path: join(folder, e.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const parent = dirname(folder);
  return { path: folder, parent: parent === folder ? null : parent, folders, files: entries.filter((e) => e.isFile()).length };
}
