// Tables every capability relies on: settings and the audit log (who did what to which object, and when).
import type { Migration } from './index.ts';

export const coreMigrations: Migration[] = [
  {
    id: 'core-001-settings-audit',
    sql: `
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        os_account TEXT NOT NULL,
        reader TEXT,
        action TEXT NOT NULL,
        object_type TEXT,
        object_id TEXT,
        detail TEXT
      );
      -- The audit log is append-only: the database itself refuses edits and deletions.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    `,
  },
];
