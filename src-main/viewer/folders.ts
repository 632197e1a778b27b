// Choosing an import folder without a native dialog: the recently imported folders (a setting) and a listing of a
// folder's sub-folders, so the harness and keyboard users can walk to a folder by name.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../ipc/app-error.ts';
import type { Store } from '../store/database.ts';

export const RECENT_FOLDERS_SETTING = 'viewer.recentFolders';
export const RECENT_FOLDERS_LIMIT = 8;

export function recentFolders(store: Store): string[] {
  const row = store.db.prepare('SELECT value FROM settings WHERE key = ?').get(RECENT_FOLDERS_SETTING) as { value: string } | undefined;
  if (!row) return [];
  try {
    const value: unknown = JSON.parse(row.value);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, RECENT_FOLDERS_LIMIT) : [];
  } catch {
    return [];
  }
}

/** Puts `path` first in the recent list (once), keeping the newest RECENT_FOLDERS_LIMIT. */
export function rememberFolder(store: Store, path: string): string[] {
  const folder = resolve(path);
  const folders = [folder, ...recentFolders(store).filter((f) => f !== folder)].slice(0, RECENT_FOLDERS_LIMIT);
  store.db
    .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .run(RECENT_FOLDERS_SETTING, JSON.stringify(folders));
  return folders;
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
