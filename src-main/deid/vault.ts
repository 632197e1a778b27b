// The only place originals live: the imported files as they were, the re-identification pairs and the source paths,
// in a folder of their own beside the catalog, every value sealed with the vault's data key (vault-seal.ts). The user
// can turn the originals off; then the vault keeps only its sealed keys. A vault an older version wrote in plaintext
// is sealed in place on first open.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { BlobStore } from '../store/index.ts';
import type { ReidentificationPair } from './deidentify.ts';
import { isSealed, seal, sealedIndex, unseal } from './vault-seal.ts';

const SEALED_FORMAT = 'sealed-1';

/** Original files under their SHA-256, each sealed (the name is the digest of the plaintext, as in the catalog). */
export class SealedOriginals {
  private readonly blobs: BlobStore;
  private readonly key: Uint8Array;

  constructor(root: string, key: Uint8Array) {
    this.blobs = new BlobStore(root);
    this.key = key;
  }

  has(sha: string): boolean {
    return this.blobs.has(sha);
  }

  /** Idempotent: a whole sealed copy already there is kept; a short one (a crash mid-write) is replaced. */
  put(original: Uint8Array, sha: string): void {
    if (this.has(sha) && this.opens(sha)) return;
    this.blobs.put(seal(this.key, original), sha);
  }

  read(sha: string): Uint8Array {
    return unseal(this.key, this.blobs.read(sha), `The original ${sha.slice(0, 12)}…`);
  }

  private opens(sha: string): boolean {
    try {
      this.read(sha);
      return true;
    } catch {
      return false;
    }
  }

  /** Seals, in place, every file an older version stored in plaintext. */
  sealPlaintextFiles(): number {
    let sealed = 0;
    const files = (readdirSync(this.blobs.root, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[]).filter((d) => d.isFile() && !d.name.startsWith('.tmp-'));
    for (const file of files) {
      const path = join(file.parentPath, file.name);
      const bytes = readFileSync(path);
      if (isSealed(bytes)) continue;
      const temp = join(file.parentPath, `.tmp-seal-${process.pid}`);
      writeFileSync(temp, seal(this.key, bytes));
      renameSync(temp, path);
      sealed++;
    }
    return sealed;
  }
}

/** An imported folder's path and its files' paths by file id. */
interface SourceNames {
  root: string;
  files: Record<string, string>;
}

interface SealedPair {
  original: string;
  replacement: string;
}

export class Vault {
  readonly dir: string;
  readonly originals: SealedOriginals;
  private readonly key: Uint8Array;
  private readonly db: DatabaseSync;
  private readonly sources = new Map<string, SourceNames>();

  constructor(dir: string, dataKey: Uint8Array) {
    this.dir = dir;
    this.key = dataKey;
    this.originals = new SealedOriginals(join(dir, 'originals'), dataKey);
    this.db = new DatabaseSync(join(dir, 'reidentification.sqlite'));
    // The timeout first: an import worker may be closing its connection (checkpointing) as this one opens.
    // secure_delete: values an older version stored in plaintext are overwritten when the migration drops them.
    this.db.exec(`
      PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = ON;
      CREATE TABLE IF NOT EXISTS sealed_pairs (
        kind TEXT NOT NULL, original_index TEXT NOT NULL, replacement_index TEXT NOT NULL, source_sha256 TEXT NOT NULL,
        sealed BLOB NOT NULL,
        PRIMARY KEY (kind, original_index, replacement_index)
      );
      CREATE INDEX IF NOT EXISTS sealed_pairs_replacement ON sealed_pairs(replacement_index);
      CREATE TABLE IF NOT EXISTS source_paths (source TEXT PRIMARY KEY, sealed BLOB NOT NULL);
    `);
    this.sealOlderVault();
  }

  private index(purpose: string, value: string): string {
    return sealedIndex(this.key, purpose, value);
  }

  /** Keeps the original file and its pairs; idempotent, so a re-run after a crash changes nothing. */
  keep(sourceSha: string, original: Uint8Array, pairs: readonly ReidentificationPair[]): void {
    this.originals.put(original, sourceSha);
    this.keepPairs(sourceSha, pairs);
  }

  private keepPairs(sourceSha: string, pairs: readonly { kind: string; original: string; replacement: string }[]): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO sealed_pairs (kind, original_index, replacement_index, source_sha256, sealed) VALUES (?, ?, ?, ?, ?)');
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const pair of pairs) {
        const sealed = seal(this.key, Buffer.from(JSON.stringify({ original: pair.original, replacement: pair.replacement } satisfies SealedPair)));
        insert.run(pair.kind, this.index('original', pair.original), this.index('replacement', pair.replacement), sourceSha, sealed);
      }
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** The originals behind a replacement (a pseudonym or a remapped UID). */
  lookup(replacement: string): { kind: string; original: string }[] {
    const rows = this.db.prepare('SELECT kind, sealed FROM sealed_pairs WHERE replacement_index = ? ORDER BY kind').all(this.index('replacement', replacement)) as { kind: string; sealed: Uint8Array }[];
    return rows.map((row) => ({ kind: row.kind, original: (JSON.parse(unseal(this.key, row.sealed, 'A re-identification pair').toString('utf8')) as SealedPair).original }));
  }

  /** Remembers the folder behind a pseudonymous source id and the paths behind its file ids (source-names.ts):
   * one sealed map per source, so a folder of thousands of patches costs one seal, not thousands. */
  keepSource(source: string, root: string, files: Iterable<readonly [id: string, path: string]>): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const names = this.readSource(source) ?? { root, files: {} };
      if (!names.root) names.root = root;
      for (const [id, path] of files) names.files[id] = path;
      this.db.prepare('INSERT INTO source_paths (source, sealed) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET sealed = excluded.sealed')
        .run(source, seal(this.key, Buffer.from(JSON.stringify(names), 'utf8')));
      this.db.exec('COMMIT');
      this.sources.set(source, names);
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** The path behind a source id (its folder) or a file id (relative to that folder); null when never kept. */
  sourcePath(id: string): string | null {
    const source = id.split('/')[0] as string;
    const lookup = (names: SourceNames | undefined | null): string | null => (names ? (id === source ? names.root : (names.files[id] ?? null)) : null);
    // Another process (an import worker) may have added files since this one last read the map.
    const found = lookup(this.sources.get(source));
    if (found !== null) return found;
    const names = this.readSource(source);
    if (names) this.sources.set(source, names);
    return lookup(names);
  }

  private readSource(source: string): SourceNames | null {
    const row = this.db.prepare('SELECT sealed FROM source_paths WHERE source = ?').get(source) as { sealed: Uint8Array } | undefined;
    return row ? (JSON.parse(unseal(this.key, row.sealed, 'A source\'s paths').toString('utf8')) as SourceNames) : null;
  }

  /** An older version's plaintext table and files, sealed once; the marker file saves walking the originals again. */
  private sealOlderVault(): void {
    const marker = join(this.dir, 'format');
    if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === SEALED_FORMAT) return;
    const plaintext = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reidentification'").get();
    if (plaintext) {
      const rows = this.db.prepare('SELECT kind, original, replacement, source_sha256 AS sha FROM reidentification').all() as { kind: string; original: string; replacement: string; sha: string }[];
      for (const row of rows) this.keepPairs(row.sha, [row]);
      this.db.exec('DROP TABLE reidentification');
      // Nothing of the plaintext table may stay in free pages or the WAL.
      this.db.exec('VACUUM');
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    }
    this.originals.sealPlaintextFiles();
    writeFileSync(marker, `${SEALED_FORMAT}\n`);
  }

  close(): void {
    this.db.close();
  }
}
