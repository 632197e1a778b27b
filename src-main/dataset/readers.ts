// Reader profiles: named local readers, no passwords, listed per OS account (the workstation login is the
// authentication; the profile says which person at that login labelled). Creating one is audited.
import { AppError } from '../ipc/index.ts';
import { type Store, writeAudit } from '../store/index.ts';

export interface Reader {
  id: number;
  name: string;
  senior: boolean;
  createdAt: string;
}

interface ReaderRow { id: number; name: string; senior: number; created_at: string }

const fromRow = (row: ReaderRow): Reader => ({ id: row.id, name: row.name, senior: row.senior === 1, createdAt: row.created_at });

export function listReaders(store: Store, account: string): Reader[] {
  return (store.db.prepare('SELECT id, name, senior, created_at FROM readers WHERE os_account = ? ORDER BY name').all(account) as unknown as ReaderRow[]).map(fromRow);
}

export function addReader(store: Store, account: string, name: string, senior: boolean, now: Date): Reader {
  const trimmed = name.trim();
  if (!trimmed) throw new AppError('reader-name-empty', 'A reader needs a name (for example "Dr A. Rivera").');
  return store.transaction(() => {
    const existing = store.db.prepare('SELECT 1 FROM readers WHERE os_account = ? AND name = ?').get(account, trimmed);
    if (existing) throw new AppError('reader-exists', `A reader named "${trimmed}" already exists for this account; pick it from the list.`);
    const { lastInsertRowid } = store.db
      .prepare('INSERT INTO readers (name, os_account, senior, created_at) VALUES (?, ?, ?, ?)')
      .run(trimmed, account, senior ? 1 : 0, now.toISOString());
    writeAudit(store, { action: 'reader.create', objectType: 'reader', objectId: String(lastInsertRowid), reader: trimmed, detail: { senior } }, now);
    return { id: Number(lastInsertRowid), name: trimmed, senior, createdAt: now.toISOString() };
  });
}

/** The reader, if it belongs to this OS account; anything else is refused (profiles do not cross logins). */
export function requireReader(store: Store, account: string, readerId: number): Reader {
  const row = store.db.prepare('SELECT id, name, senior, created_at FROM readers WHERE id = ? AND os_account = ?').get(readerId, account) as ReaderRow | undefined;
  if (!row) throw new AppError('reader-unknown', `Reader ${readerId} is not a profile of this account. Choose or create a reader first.`);
  return fromRow(row);
}

const lastReaderKey = (account: string): string => `reader.last:${account}`;

/** The reader this account chose last (null when none was chosen or the profile is gone), so a new launch
 * carries on under the same name instead of the alphabetically first one. */
export function lastReaderId(store: Store, account: string): number | null {
  const row = store.db.prepare('SELECT value FROM settings WHERE key = ?').get(lastReaderKey(account)) as { value: string } | undefined;
  const id = row ? Number(row.value) : NaN;
  if (!Number.isInteger(id)) return null;
  return store.db.prepare('SELECT 1 FROM readers WHERE id = ? AND os_account = ?').get(id, account) ? id : null;
}

/** Remembers the reader chosen at this account (only one of its own profiles). */
export function rememberReader(store: Store, account: string, readerId: number): Reader {
  const reader = requireReader(store, account, readerId);
  store.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(lastReaderKey(account), String(reader.id));
  return reader;
}
