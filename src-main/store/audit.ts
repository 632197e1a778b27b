// Writes audit rows: every import, view of identifying data and export is recorded with the OS account and reader.
import { userInfo } from 'node:os';
import type { Store } from './database.ts';

export interface AuditEntry {
  action: string;
  objectType?: string;
  objectId?: string;
  reader?: string | null;
  detail?: unknown;
}

export function osAccount(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function writeAudit(store: Store, entry: AuditEntry, now: Date = new Date()): void {
  store.db
    .prepare('INSERT INTO audit_log (at, os_account, reader, action, object_type, object_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(
      now.toISOString(),
      osAccount(),
      entry.reader ?? null,
      entry.action,
      entry.objectType ?? null,
      entry.objectId ?? null,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
    );
}
