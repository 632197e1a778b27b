// After importing the shared DICOM folder, dcmdump every stored object: no original basic-profile value, no private
// tag, and no original UID, name or id appears anywhere in the store outside the vault.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { IngestService } from '../ingest/service.ts';
import { openStore, type Store } from '../store/database.ts';
import { dciodvfyErrors } from '../reports/testing/oracles.ts';
import { OracleToolError, runOracle } from '../testing/oracle-tool.ts';
import { standardTablePath } from './generate-profile.ts';

const dicomDir = join(sharedDataDir(), 'dicom');
/** Every concrete tag of PS3.15 Table E.1-1 (the standard's own table, not the app's copy): none may keep its value. */
const tableTags = new Set((JSON.parse(readFileSync(standardTablePath(), 'utf8')) as { id: string }[]).map((row) => row.id).filter((id) => /^[0-9a-f]{8}$/.test(id)));
let dir: string;
let store: Store;
let service: IngestService;

interface DumpedElement {
  tag: string;
  vr: string;
  value: string;
}

/** dcmdump's view of a file: every element (nested ones too) with its VR and printed value. */
function dcmdump(path: string): DumpedElement[] {
  const { stdout } = runOracle('dcmdump', ['+L', '-q', '+U8', path], { subject: path, encoding: 'latin1' });
  const out: DumpedElement[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^\s*\(([0-9a-f]{4}),([0-9a-f]{4})\) (\w\w) (.*?)\s+#/.exec(line);
    if (m) out.push({ tag: `${m[1]}${m[2]}`, vr: m[3] as string, value: (m[4] as string).replace(/^\[|\]$/g, '') });
  }
  return out;
}

function walk(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-deid-'));
  store = openStore(dir);
  service = new IngestService({ store, dataDir: dir });
  await service.runImport('deid-job', { root: dicomDir }, { progress: () => {}, throwIfCancelled: () => {} });
});

after(() => {
  service.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const storedObjects = (): string[] =>
  (store.db.prepare('SELECT blob_sha256 AS sha FROM instances').all() as { sha: string }[]).map((r) => service.blobs.pathOf(r.sha));

test('every stored object is valid DICOM without private tags and flagged as de-identified', () => {
  const files = storedObjects();
  assert.ok(files.length >= 15, `only ${files.length} objects stored`);
  for (const file of files) {
    const dump = dcmdump(file);
    assert.ok(dump.length > 5, `${file} is readable by dcmdump`);
    const privateTags = dump.filter((e) => Number.parseInt(e.tag.slice(0, 4), 16) % 2 === 1);
    assert.deepEqual(privateTags, [], `${file} keeps private tags`);
    assert.ok(dump.some((e) => e.tag === '00120062' && e.value === 'YES'), `${file} lacks Patient Identity Removed = YES`);
  }
});

test('no original basic-profile value, UID, name or id survives in any stored object', () => {
  const originals = new Map<string, Set<string>>();
  // Dates are shifted, so one file's shifted date may equal another file's original date by chance: a date is
  // checked against the original of the object it came from.
  const originalDates = new Map<string, Map<string, string>>();
  const secrets = new Set<string>();
  for (const entry of service.importLog('deid-job', ['imported', 'unsupported', 'document'])) {
    const sourceSha = createHash('sha256').update(readFileSync(join(dicomDir, entry.path))).digest('hex');
    const dates = new Map<string, string>();
    originalDates.set(sourceSha, dates);
    for (const e of dcmdump(join(dicomDir, entry.path))) {
      const identifying = tableTags.has(e.tag) || e.vr === 'PN' || e.vr === 'DA' || (e.vr === 'UI' && !e.value.startsWith('=') && !e.value.startsWith('1.2.840.10008.'));
      if (!identifying || e.value === '' || e.value.startsWith('(no value') || e.value.startsWith('(Sequence')) continue;
      if (['DA', 'DT', 'TM'].includes(e.vr)) dates.set(e.tag, e.value);
      if (!originals.has(e.tag)) originals.set(e.tag, new Set());
      originals.get(e.tag)?.add(e.value);
      // Names, ids and UIDs are searched for as text everywhere (too-short values would match by chance).
      const idTag = ['00100020', '00100021', '00080050', '00200010', '00101000'].includes(e.tag);
      if ((e.vr === 'PN' || e.vr === 'UI' || idTag) && e.value.length >= 6 && e.value !== 'Anonymized') secrets.add(e.value);
    }
  }
  assert.ok(originals.get('00100020')?.size, 'the sample data has patient ids to protect');
  assert.ok(originals.get('0020000d')?.size, 'and study UIDs');
  const sourceOf = store.db.prepare('SELECT source_sha256 AS sha FROM instances WHERE blob_sha256 = ?');
  for (const file of storedObjects()) {
    const source = sourceOf.get(relative(join(dir, 'blobs'), file).replace(/[\\/]/g, '')) as { sha: string } | undefined;
    const ownDates = source ? originalDates.get(source.sha) : undefined;
    for (const e of dcmdump(file)) {
      if (ownDates?.has(e.tag)) {
        assert.notEqual(e.value, ownDates.get(e.tag), `${relative(dir, file)} keeps its original ${e.tag} value "${e.value}"`);
        continue;
      }
      const before = originals.get(e.tag);
      assert.ok(!before?.has(e.value), `${relative(dir, file)} keeps the original ${e.tag} value "${e.value}"`);
    }
  }
  // The whole store outside the vault: catalog (with its WAL), blobs, thumbnails, keys.
  store.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const haystack = walk(dir).filter((f) => !relative(dir, f).startsWith('vault'));
  assert.ok(haystack.some((f) => f.endsWith('catalog.sqlite')));
  const contents = haystack.map((f) => [f, readFileSync(f).toString('latin1')] as const);
  for (const secret of secrets) {
    for (const [file, text] of contents) assert.ok(!text.includes(secret), `"${secret}" found in ${relative(dir, file)}`);
  }
  // ...and the vault, sealed on disk, gives them back to re-identification with its key.
  const vaultBytes = walk(join(dir, 'vault')).map((f) => readFileSync(f).toString('latin1')).join('');
  assert.deepEqual([...secrets].filter((secret) => vaultBytes.includes(secret)), [], 'the vault holds no readable original');
  const reidentified = service.patients().flatMap((patient) => service.reidentify(patient.pseudonym, 'dr-test').map((found) => found.original));
  assert.ok([...(originals.get('00100020') ?? [])].some((id) => reidentified.includes(id)));
});

/** An error line without its values, so an original's and its copy's errors about one attribute compare equal. */
const errorKind = (line: string): string => line.replace(/\s*\[\d+\]\s*=\s*<.*$/, '');

test('every stored copy (XA, SC, MR, US, SR …) passes dciodvfy with no error its original did not have', () => {
  const copyOf = store.db.prepare('SELECT blob_sha256 AS sha FROM instances WHERE source_sha256 = ?');
  let checked = 0;
  for (const entry of service.importLog('deid-job', ['imported', 'document'])) {
    const original = join(dicomDir, entry.path);
    const row = copyOf.get(createHash('sha256').update(readFileSync(original)).digest('hex')) as { sha: string } | undefined;
    if (!row) continue;
    let originalErrors: string[];
    try {
      originalErrors = dciodvfyErrors(original);
    } catch (error) {
      if (error instanceof OracleToolError && /could not read/.test(error.message)) continue; // deflated: dciodvfy cannot read the original
      throw error;
    }
    const before = new Set(originalErrors.map(errorKind));
    const added = dciodvfyErrors(service.blobs.pathOf(row.sha)).filter((line) => !before.has(errorKind(line)));
    assert.deepEqual(added, [], `${entry.path}: the de-identified copy has new dciodvfy errors`);
    checked++;
  }
  assert.ok(checked >= 15, `only ${checked} copies checked`);
});

test('UIDs are remapped consistently: the same original always yields the same replacement', () => {
  const mr = store.db
    .prepare("SELECT DISTINCT s.study_uid FROM studies s JOIN series r ON r.study_id = s.id JOIN instances i ON i.series_id = r.id WHERE i.rows = 64 AND i.columns = 64 AND i.frames = 1 AND i.bits_allocated = 16")
    .all() as { study_uid: string }[];
  assert.equal(mr.length, 1, 'the seven MR_small encodings share one study after remapping');
});

test('with the vault turned off nothing original is kept', async () => {
  const other = mkdtempSync(join(tmpdir(), 'angio-novault-'));
  const s2 = openStore(other);
  const svc = new IngestService({ store: s2, dataDir: other });
  svc.setVaultEnabled(false, 'dr-test');
  await svc.runImport('j', { root: join(dicomDir, 'xa') }, { progress: () => {}, throwIfCancelled: () => {} });
  // The vault keeps only its sealed keys: no originals, no re-identification pairs, no source paths.
  assert.deepEqual(walk(other).map((f) => relative(other, f)).filter((f) => f.startsWith('vault')).sort(), ['vault/data-key.wrapped', 'vault/pseudonym.key.sealed']);
  assert.throws(() => svc.reidentify('P-X', 'dr-test'), /vault is turned off/);
  svc.close();
  s2.close();
  rmSync(other, { recursive: true, force: true });
});
