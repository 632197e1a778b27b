// A catalog and vault as the previous version left them (folder and file names in import_jobs, import_log and the
// append-only audit log; a plaintext vault and pseudonym key), opened by this version: the names leave every byte of
// the catalog and its WAL, the vault is sealed and still resolves them, and without the vault key re-identification
// is refused while the de-identified library and importing keep working.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, test } from 'node:test';
import { writeXa } from '../deid/testing/small-xa.ts';
import { InferenceService } from '../inference/inference-service.ts';
import { ReportsService } from '../reports/service.ts';
import { keyFileHolder } from '../deid/vault-key-holder.ts';
import { writeAudit } from '../store/audit.ts';
import { sha256Hex } from '../store/blobs.ts';
import { openStore } from '../store/database.ts';
import { allMigrations } from '../store/migrations/index.ts';
import { SOURCE_NAMES_MIGRATION } from '../store/migrations/deid.ts';
import { logFile } from './catalog-writes.ts';
import { IngestService } from './service.ts';

const ROOT_NAME = 'Doe^John 1234567';
const FILE_PATH = 'MRKOLDDIRZ/MRKOLDFILEZ.dcm';
const REJECTED_PATH = 'MRKOLDDIRZ/MRKBADFILEZ.dcm';
const MARKERS = ['Doe^John', '1234567', 'MRKOLDDIRZ', 'MRKOLDFILEZ', 'MRKBADFILEZ', 'MRKDISCZ'];
/** What the small XA's original carries (deid/testing/small-xa.ts). */
const ORIGINAL_VALUES = ['Doe^Johnathan', 'MRN4455667'];

let dir: string;
let dataDir: string;
let keyFile: string;
let originalSha: string;

const noJob = { progress: () => {}, throwIfCancelled: () => {} };

function filesUnder(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[]).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

const readable = (files: string[], needles: string[]): string[] =>
  files.flatMap((file) => needles.filter((needle) => readFileSync(file).toString('latin1').includes(needle)).map((needle) => `"${needle}" in ${relative(dataDir, file)}`));

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'angio-source-names-'));
  dataDir = join(dir, 'data');
  keyFile = join(dir, 'keys', 'vault.key');
  writeXa(join(dir, 'xa'), '1.2.826.0.1.3680043.8.498.4242');
  const original = readFileSync(join(dir, 'xa', 'a.dcm'));
  originalSha = sha256Hex(original);

  // The previous version's catalog: every migration before this one, and the rows its folder import wrote.
  const store = openStore(dataDir, allMigrations.filter((m) => m.id !== SOURCE_NAMES_MIGRATION));
  store.db.prepare('INSERT INTO import_jobs (id, root_name, kind, started_at) VALUES (?, ?, ?, ?)').run('old-job', ROOT_NAME, 'folder', new Date().toISOString());
  writeAudit(store, { action: 'import.start', objectType: 'folder', objectId: ROOT_NAME, reader: 'dr-old', detail: { job: 'old-job', files: 2 } });
  logFile(store, 'old-job', FILE_PATH, originalSha, 'imported');
  logFile(store, 'old-job', REJECTED_PATH, null, 'rejected', 'truncated', `${REJECTED_PATH} ends before its Pixel Data. Re-export it from the source system.`);
  writeAudit(store, { action: 'import.finish', objectType: 'folder', objectId: ROOT_NAME, reader: 'dr-old', detail: { job: 'old-job', counts: { imported: 1 } } });
  writeAudit(store, { action: 'media.scan', objectType: 'media', objectId: '/media/MRKDISCZ', detail: { instances: 1, missing: 0 } });
  store.close();
  assert.ok(readable(filesUnder(dataDir), MARKERS).length > 0, 'the old catalog holds the names');

  // ...and its plaintext pseudonym key and vault (Vault before sealing: a plain table and plain original files).
  mkdirSync(join(dataDir, 'deid'), { recursive: true });
  writeFileSync(join(dataDir, 'deid', 'pseudonym.key'), randomBytes(32), { mode: 0o600 });
  mkdirSync(join(dataDir, 'vault', 'originals', originalSha.slice(0, 2)), { recursive: true });
  writeFileSync(join(dataDir, 'vault', 'originals', originalSha.slice(0, 2), originalSha.slice(2)), original);
  const oldVault = new DatabaseSync(join(dataDir, 'vault', 'reidentification.sqlite'));
  oldVault.exec(`PRAGMA journal_mode = WAL;
    CREATE TABLE reidentification (kind TEXT NOT NULL, original TEXT NOT NULL, replacement TEXT NOT NULL, source_sha256 TEXT NOT NULL, PRIMARY KEY (kind, original, replacement));`);
  oldVault.prepare('INSERT INTO reidentification VALUES (?, ?, ?, ?)').run('patient-id', 'MRN4455667', 'P-0123456789AB', originalSha);
  oldVault.prepare('INSERT INTO reidentification VALUES (?, ?, ?, ?)').run('patient-name', 'Doe^Johnathan', 'P-0123456789AB', originalSha);
  oldVault.close();
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('opened by this version with the vault key, the old names leave every byte of the catalog and its WAL', () => {
  const store = openStore(dataDir);
  const service = new IngestService({ store, dataDir, vaultKeyHolder: keyFileHolder(keyFile) });
  try {
    const job = store.db.prepare('SELECT root_name AS name FROM import_jobs').get() as { name: string };
    assert.match(job.name, /^source-[0-9a-f]{12}$/);
    const folderAudit = store.db.prepare("SELECT object_id AS id FROM audit_log WHERE object_type = 'folder'").all() as { id: string }[];
    assert.deepEqual(folderAudit.map((row) => row.id), [job.name, job.name], 'the audit log names the source by its id');
    const rewrite = store.db.prepare("SELECT detail FROM audit_log WHERE action = 'audit.rewrite'").get() as { detail: string } | undefined;
    assert.ok(rewrite, 'an audit row says what was rewritten');
    assert.equal((JSON.parse(rewrite.detail) as { rewritten: { auditRows: number[] } }).rewritten.auditRows.length, 3, 'two folder rows and a disc scan');
    const disc = store.db.prepare("SELECT object_id AS id FROM audit_log WHERE action = 'media.scan'").get() as { id: string };
    assert.equal(service.sourcePathOf(disc.id), '/media/MRKDISCZ');
    assert.throws(() => store.db.exec("UPDATE audit_log SET object_id = 'x'"), /append-only/, 'the audit log is append-only again');

    store.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    const catalogFiles = filesUnder(dataDir).filter((file) => !relative(dataDir, file).startsWith('vault'));
    assert.ok(catalogFiles.some((file) => file.endsWith('catalog.sqlite')) && catalogFiles.some((file) => file.endsWith('catalog.sqlite-wal')));
    assert.deepEqual(readable(catalogFiles, MARKERS), []);

    // The person who chose the folder still sees the paths: the vault resolves them.
    const log = service.importLog('old-job', null);
    assert.deepEqual(log.map((entry) => entry.path), [FILE_PATH, REJECTED_PATH]);
    assert.match(log[1]?.message ?? '', /^MRKOLDDIRZ\/MRKBADFILEZ\.dcm ends before/);
  } finally {
    service.close();
    store.close();
  }
});

test('the pseudonym key and the originals are sealed inside the vault; nothing identifying is readable there', () => {
  assert.ok(!existsSync(join(dataDir, 'deid', 'pseudonym.key')), 'no pseudonym key outside the vault');
  assert.ok(existsSync(join(dataDir, 'vault', 'pseudonym.key.sealed')));
  assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'the vault key file is owner-only');
  assert.ok(relative(dataDir, keyFile).startsWith('..'), 'the vault key lives outside the data folder');
  assert.deepEqual(readable(filesUnder(join(dataDir, 'vault')), [...MARKERS, ...ORIGINAL_VALUES]), []);
});

test('with the key the app re-identifies; without it, a typed error, the library intact and importing still works', async () => {
  const store = openStore(dataDir);
  const withKey = new IngestService({ store, dataDir, vaultKeyHolder: keyFileHolder(keyFile) });
  assert.deepEqual(withKey.reidentify('P-0123456789AB', 'dr-test').map((found) => found.original).sort(), ['Doe^Johnathan', 'MRN4455667']);
  assert.deepEqual(withKey.vaultOriginals().read(originalSha), readFileSync(join(dir, 'xa', 'a.dcm')), 'the original opens with the key');
  await withKey.runImport('with-key', { root: join(dir, 'xa') }, noJob);
  const patientsBefore = withKey.patients();
  assert.equal(patientsBefore.length, 1);
  withKey.close();

  const withoutKey = new IngestService({ store, dataDir, vaultKeyHolder: keyFileHolder(join(dir, 'keys', 'another.key')) });
  try {
    assert.throws(() => withoutKey.reidentify(patientsBefore[0]!.pseudonym, 'dr-test'), (error: Error & { code?: string }) => error.code === 'vault-locked');
    assert.throws(() => withoutKey.vaultOriginals(), (error: Error & { code?: string }) => error.code === 'vault-locked');
    const status = withoutKey.vaultStatus();
    assert.equal(status.unlocked, false);
    assert.match(status.note ?? '', /de-identified library is intact/);
    const pacs = new ReportsService({ store, dataDir, ingest: withoutKey, inference: new InferenceService() }).modes().pacs;
    assert.deepEqual({ available: pacs.available, reason: pacs.reason }, { available: false, reason: status.note }, 'the Reports screen says why PACS mode is gone');
    assert.deepEqual(withoutKey.patients(), patientsBefore, 'the de-identified library is untouched');
    const frame = await withoutKey.frame(withoutKey.instances(withoutKey.series(withoutKey.studies(patientsBefore[0]!.id)[0]!.id)[0]!.id)[0]!.id, 0);
    assert.ok(frame.frame.pixels.length > 0, 'stored images still display');

    writeXa(join(dir, 'xa2'), '1.2.826.0.1.3680043.8.498.4343');
    const counts = await withoutKey.runImport('without-key', { root: join(dir, 'xa2') }, noJob);
    assert.equal(counts.imported, 1, 'importing still works, into a new vault');
    assert.ok(readdirSync(dataDir).some((name) => name.startsWith('vault-locked-')), 'the locked vault is kept aside, in case its key turns up');
    assert.ok(store.db.prepare("SELECT 1 FROM audit_log WHERE action = 'vault.replaced'").get(), 'the new vault is audited');
  } finally {
    withoutKey.close();
    store.close();
  }
});

test('an older plaintext vault and pseudonym key are sealed at first open even with originals turned off', () => {
  const other = join(dir, 'vault-off');
  const store = openStore(other);
  store.db.prepare("INSERT INTO settings (key, value) VALUES ('deid.vault', 'off')").run();
  mkdirSync(join(other, 'deid'), { recursive: true });
  writeFileSync(join(other, 'deid', 'pseudonym.key'), randomBytes(32), { mode: 0o600 });
  mkdirSync(join(other, 'vault', 'originals', 'ab'), { recursive: true });
  writeFileSync(join(other, 'vault', 'originals', 'ab', 'c'.repeat(62)), 'MRN4455667 Doe^Johnathan');
  const service = new IngestService({ store, dataDir: other, vaultKeyHolder: keyFileHolder(keyFile) });
  try {
    assert.ok(!existsSync(join(other, 'deid', 'pseudonym.key')), 'the plaintext pseudonym key is gone');
    assert.deepEqual(readable(filesUnder(join(other, 'vault')), ORIGINAL_VALUES), []);
  } finally {
    service.close();
    store.close();
  }
});
