// A catalog made by the version before the item-name migration, opened by this one: patch file names
// (dataset_items.source_name), export folders in the audit log and overlay planes in the blob store leave every byte
// outside the vault, the vault resolves the names and serves the planes, and the audit log says what was rewritten.
// The old catalog is a real import by this code with the three things the previous version stored differently put
// back as it stored them (its source_name was the file's name; its export rows held the folder; its planes were blobs).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { keyFileHolder, SealedOriginals, unlockVaultKeys, VAULT_DIR } from '../deid/index.ts';
import { encodePng } from '../png/png.ts';
import { writeAudit } from '../store/audit.ts';
import { BlobStore } from '../store/blobs.ts';
import { openStore } from '../store/database.ts';
import { ITEM_NAMES_MIGRATION } from '../store/migrations/deid.ts';
import { ViewerService } from '../viewer/service.ts';
import { IngestService } from './service.ts';
import { writeAngioFixtures, type AngioFixtures } from './testing/angio-fixtures.ts';

const PATCH_DIR = 'MRKPATCHDIRZ/train/positive';
const PATCH_NAMES = ['Doe^Jane MRK7654321Z.png', 'MRKROEZ Richard.png'];
const EXPORT_FOLDER_NAME = 'Doe^Jane MRKEXPORTZ';
const MARKERS = ['MRK7654321Z', 'MRKROEZ', 'MRKEXPORTZ', 'Doe^Jane'];

let dir: string;
let dataDir: string;
let keyFile: string;
let fixtures: AngioFixtures;
let exportFolder: string;
/** The overlay planes' PNGs as the previous version kept them in the blob store. */
let overlayPngs: Buffer[];

const noJob = { progress: () => {}, throwIfCancelled: () => {} };

function filesUnder(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[]).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

const outsideVault = (): string[] => filesUnder(dataDir).filter((file) => !relative(dataDir, file).startsWith(VAULT_DIR));
const holding = (files: string[], needles: (string | Buffer)[]): string[] =>
  files.flatMap((file) => {
    const bytes = readFileSync(file);
    return needles.filter((needle) => bytes.includes(needle)).map((needle) => `${typeof needle === 'string' ? `"${needle}"` : `${needle.length} bytes`} in ${relative(dataDir, file)}`);
  });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-item-names-'));
  dataDir = join(dir, 'data');
  keyFile = join(dir, 'keys', 'vault.key');
  const source = join(dir, 'import');
  mkdirSync(join(source, PATCH_DIR), { recursive: true });
  PATCH_NAMES.forEach((name, i) => writeFileSync(join(source, PATCH_DIR, name), encodePng(16, 12, 1, Uint8Array.from({ length: 16 * 12 }, (_, p) => (p * (i + 3)) % 256))));
  fixtures = writeAngioFixtures();

  const store = openStore(dataDir);
  const holder = keyFileHolder(keyFile);
  const ingest = new IngestService({ store, dataDir, vaultKeyHolder: holder });
  await ingest.runImport('patches', { root: source }, noJob);
  await ingest.runImport('runs', { root: fixtures.importDir, datasetFrames: 'none' }, noJob);
  ingest.close();

  // What the previous version wrote where this one writes ids and vault files.
  const originals = new SealedOriginals(join(dataDir, VAULT_DIR, 'originals'), unlockVaultKeys(dataDir, holder).dataKey);
  const blobs = new BlobStore(join(dataDir, 'blobs'));
  const items = store.db.prepare("SELECT id, source_sha256 AS sha FROM dataset_items WHERE kind = 'png'").all() as { id: number; sha: string }[];
  assert.equal(items.length, PATCH_NAMES.length);
  for (const item of items) {
    const name = PATCH_NAMES.find((n) => Buffer.from(blobs.read(item.sha)).equals(readFileSync(join(source, PATCH_DIR, n)))) as string;
    store.db.prepare('UPDATE dataset_items SET source_name = ? WHERE id = ?').run(name, item.id);
  }
  const layers = store.db.prepare('SELECT blob_sha256 AS sha FROM overlay_layers').all() as { sha: string }[];
  assert.equal(layers.length, 2, 'the run carries two overlay planes');
  overlayPngs = layers.map((layer) => Buffer.from(originals.read(layer.sha)));
  for (const [i, layer] of layers.entries()) {
    blobs.put(overlayPngs[i] as Buffer, layer.sha);
    rmSync(join(dataDir, VAULT_DIR, 'originals', layer.sha.slice(0, 2), layer.sha.slice(2)));
  }
  exportFolder = join(dir, 'exports', EXPORT_FOLDER_NAME);
  writeAudit(store, { action: 'export.pdf', objectType: 'study', objectId: '2.25.1', reader: 'dr-old', detail: { folder: exportFolder, file: 'study report.pdf', findings: 0 } });
  writeAudit(store, { action: 'export.csv', objectType: 'experiment', objectId: 'run', reader: null, detail: { folder: exportFolder, file: 'predictions.csv', rows: 3 } });
  store.db.prepare('DELETE FROM schema_migrations WHERE id = ?').run(ITEM_NAMES_MIGRATION);
  store.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  store.close();
  assert.ok(holding(outsideVault(), [...MARKERS, ...overlayPngs]).length >= MARKERS.length + overlayPngs.length, 'the old catalog and blob store hold the names and planes');
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(fixtures.dir, { recursive: true, force: true });
});

test('opened by this version, patch names, export folders and overlay planes leave every byte outside the vault', () => {
  const store = openStore(dataDir);
  const ingest = new IngestService({ store, dataDir, vaultKeyHolder: keyFileHolder(keyFile) });
  try {
    assert.ok(store.db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?').get(ITEM_NAMES_MIGRATION), 'the migration is recorded');
    const names = (store.db.prepare("SELECT source_name AS name FROM dataset_items WHERE kind = 'png'").all() as { name: string }[]).map((row) => row.name);
    for (const name of names) assert.match(name, /^source-[0-9a-f]{12}\/file-[0-9a-f]{12}$/);
    assert.deepEqual(names.map((name) => ingest.sourcePathOf(name)).sort(), PATCH_NAMES.map((name) => `${PATCH_DIR}/${name}`).sort(), 'the vault resolves each item to its path');

    const exports = (store.db.prepare("SELECT json_extract(detail, '$.folder') AS folder FROM audit_log WHERE action LIKE 'export.%'").all() as { folder: string }[]).map((row) => row.folder);
    assert.equal(exports.length, 2);
    for (const folder of exports) {
      assert.match(folder, /^source-[0-9a-f]{12}$/);
      assert.equal(ingest.sourcePathOf(folder), exportFolder);
    }
    const rewrite = store.db.prepare('SELECT detail FROM audit_log WHERE action = ? AND object_id = ?').get('audit.rewrite', ITEM_NAMES_MIGRATION) as { detail: string } | undefined;
    assert.ok(rewrite, 'an audit row says what was rewritten');
    const rewritten = (JSON.parse(rewrite.detail) as { rewritten: { auditRows: number[]; datasetItems: number; overlayPlanes: number } }).rewritten;
    assert.deepEqual([rewritten.auditRows.length, rewritten.datasetItems, rewritten.overlayPlanes], [2, 2, 2]);
    assert.throws(() => store.db.exec("UPDATE audit_log SET detail = 'x'"), /append-only/, 'the audit log is append-only again');

    store.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    assert.deepEqual(holding(outsideVault(), [...MARKERS, basename(exportFolder), ...overlayPngs]), []);

    // The Viewer in identified mode still shows the planes, from the vault.
    const viewer = new ViewerService({ store, dataDir, vaultKeyHolder: keyFileHolder(keyFile) });
    const run = store.db.prepare('SELECT DISTINCT instance_id AS id FROM overlay_layers').get() as { id: number };
    const plane = viewer.overlay(run.id, 0x6000);
    assert.ok(plane.pixels.some((v) => v === 255), 'the plane has its set bits');
  } finally {
    ingest.close();
    store.close();
  }
});
