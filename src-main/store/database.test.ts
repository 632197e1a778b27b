import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore, writeAudit } from './index.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'angio-store-'));
}

test('migrations apply once and are recorded by id', () => {
  const dir = tempDir();
  const first = openStore(dir);
  const ids = (first.db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id);
  assert.ok(ids.includes('core-001-settings-audit'));
  first.close();
  const second = openStore(dir);
  const count = second.db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number };
  assert.equal(count.n, ids.length, 'reopening must not re-apply migrations');
  assert.equal((second.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
  second.close();
  rmSync(dir, { recursive: true });
});

test('a failed transaction leaves no rows behind', () => {
  const dir = tempDir();
  const store = openStore(dir);
  assert.throws(() =>
    store.transaction(() => {
      store.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('a', '1');
      throw new Error('crash in the middle');
    }),
  );
  assert.equal((store.db.prepare('SELECT count(*) AS n FROM settings').get() as { n: number }).n, 0);
  store.close();
  rmSync(dir, { recursive: true });
});

test('the audit log refuses edits and deletions', () => {
  const dir = tempDir();
  const store = openStore(dir);
  writeAudit(store, { action: 'import', objectType: 'file', objectId: 'x.dcm', reader: 'dr-a' });
  const row = store.db.prepare('SELECT * FROM audit_log').get() as { action: string; os_account: string; reader: string };
  assert.equal(row.action, 'import');
  assert.equal(row.reader, 'dr-a');
  assert.ok(row.os_account.length > 0);
  assert.throws(() => store.db.exec("UPDATE audit_log SET action = 'nothing'"), /append-only/);
  assert.throws(() => store.db.exec('DELETE FROM audit_log'), /append-only/);
  store.close();
  rmSync(dir, { recursive: true });
});
