// A short most-recent-first list of paths kept as one JSON setting (recent import folders, recent model files):
// reading tolerates a damaged value (an empty list), remembering moves the path to the front once.
import type { Store } from '../store/index.ts';

export function readRecent(store: Store, key: string, limit: number): string[] {
  const row = store.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  if (!row) return [];
  try {
    const value: unknown = JSON.parse(row.value);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, limit) : [];
  } catch {
    return [];
  }
}

/** Puts `path` first in the list (once), keeping the newest `limit`. */
export function rememberRecent(store: Store, key: string, path: string, limit: number): string[] {
  const list = [path, ...readRecent(store, key, limit).filter((p) => p !== path)].slice(0, limit);
  store.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(list));
  return list;
}
