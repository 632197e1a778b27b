// The only place originals live: the imported files as they were and the re-identification map, in a folder
// of their own beside the catalog. The user can turn it off; then nothing original is kept at all.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { BlobStore } from '../store/blobs.ts';
import type { ReidentificationPair } from './deidentify.ts';

export class Vault {
  readonly dir: string;
  readonly originals: BlobStore;
  private readonly db: DatabaseSync;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.originals = new BlobStore(join(dir, 'originals'));
    this.db = new DatabaseSync(join(dir, 'reidentification.sqlite'));
    this.db.exec(`
      PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000;
      CREATE TABLE IF NOT EXISTS reidentification (
        kind TEXT NOT NULL, original TEXT NOT NULL, replacement TEXT NOT NULL, source_sha256 TEXT NOT NULL,
        PRIMARY KEY (kind, original, replacement)
      );
      CREATE INDEX IF NOT EXISTS reidentification_replacement ON reidentification(replacement);
    `);
  }

  /** Keeps the original file and its pairs; idempotent, so a re-run after a crash changes nothing. */
  keep(sourceSha: string, original: Uint8Array, pairs: readonly ReidentificationPair[]): void {
    this.originals.put(original, sourceSha);
    const insert = this.db.prepare('INSERT OR IGNORE INTO reidentification (kind, original, replacement, source_sha256) VALUES (?, ?, ?, ?)');
    this.db.exec('BEGIN');
    try {
      for (const pair of pairs) insert.run(pair.kind, pair.original, pair.replacement, sourceSha);
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** The originals behind a replacement (a pseudonym or a remapped UID). */
  lookup(replacement: string): { kind: string; original: string }[] {
    return this.db.prepare('SELECT kind, original FROM reidentification WHERE replacement = ? ORDER BY kind').all(replacement) as { kind: string; original: string }[];
  }

  close(): void {
    this.db.close();
  }
}
