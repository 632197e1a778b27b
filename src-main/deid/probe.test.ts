// The independent de-identification check: a probe built by pydicom carries every attribute of PS3.15 Table E.1-1
// (the standard's table, read here from ../shared, never the app's profile) with its own marker, plus private tags.
// After a real import, no attribute marker may be left in any byte of the data folder outside the vault, the stored
// copy says how it was de-identified, and dciodvfy finds no error in it that the probe itself did not have.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { IngestService } from '../ingest/service.ts';
import { dciodvfyErrors } from '../reports/testing/oracles.ts';
import { openStore, type Store } from '../store/database.ts';
import { standardTablePath } from './generate-profile.ts';
import { buildProbe, markersIn, PATH_MARKERS, type ProbeMarker, type TableRow } from './testing/probe.ts';

const table = JSON.parse(readFileSync(standardTablePath(), 'utf8')) as TableRow[];

function filesUnder(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

/** Every byte outside the vault (catalog with its WAL, blobs, thumbnails, logs, keys), as latin1 text. */
function outsideVault(store: Store, dataDir: string): { file: string; text: string }[] {
  store.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  return filesUnder(dataDir)
    .filter((file) => !relative(dataDir, file).startsWith('vault'))
    .map((file) => ({ file: relative(dataDir, file), text: readFileSync(file).toString('latin1') }));
}

/** What a marker looks like as bytes in a file: its text, or for binary values the bytes themselves. */
const needle = (marker: ProbeMarker): string => (/^[0-9a-f]+$/.test(marker.value) && ['OB', 'OW', 'UN'].includes(marker.vr) ? Buffer.from(marker.value, 'hex').toString('latin1').trim() : marker.value);

const days = (da: string): number => Date.UTC(Number(da.slice(0, 4)), Number(da.slice(4, 6)) - 1, Number(da.slice(6, 8))) / 86_400_000;

/** The same probe twice: explicit VR, and implicit VR where the file does not say which values are dates or UIDs. */
for (const encoding of ['explicit', 'implicit'] as const) {
  describe(`the ${encoding} VR probe`, () => {
    let probeRoot: string;
    let dataDir: string;
    let store: Store;
    let service: IngestService;
    let probe: { path: string; markers: ProbeMarker[] };
    let storedCopy: string;

  before(async () => {
    probeRoot = mkdtempSync(join(tmpdir(), 'MRKROOTPATHZ-'));
    probe = buildProbe(table, probeRoot, encoding);
    dataDir = mkdtempSync(join(tmpdir(), 'angio-probe-'));
    store = openStore(dataDir);
    service = new IngestService({ store, dataDir });
    await service.runImport('probe-job', { root: probeRoot }, { progress: () => {}, throwIfCancelled: () => {} });
    const row = store.db.prepare('SELECT blob_sha256 AS sha FROM instances').get() as { sha: string } | undefined;
    assert.ok(row, `the probe was not imported: ${JSON.stringify(service.importLog('probe-job', null))}`);
    storedCopy = service.blobs.pathOf(row.sha);
  });

  after(() => {
    service?.close();
    store?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(probeRoot, { recursive: true, force: true });
  });

  test('the probe carries every table attribute that can occur in a stored object', () => {
    const rowsWithMarkers = new Set(probe.markers.map((m) => m.row));
    // Command elements (group 0000) never occur in a stored object; (0002,0003) carries the SOP Instance UID's marker;
    // the private rule is exercised by the private tags.
    const absent = table.filter((row) => !rowsWithMarkers.has(row.id) && !/^0000|^0002|^gggg/.test(row.id));
    assert.deepEqual(absent.map((row) => row.name), []);
    assert.ok(probe.markers.filter((m) => m.row === 'private').length >= 5, 'private creator, values and sequences carry markers');
  });

  test('no attribute marker survives in the stored copy (pydicom, every depth)', () => {
    const { survivors } = markersIn(storedCopy, probe.markers);
    assert.deepEqual(survivors.map((m) => `${m.name} (${m.tag}) = ${m.value}`), []);
  });

  test('no attribute marker survives anywhere in the data folder outside the vault', () => {
    const { top } = markersIn(storedCopy, []);
    const originalStudyDate = probe.markers.find((m) => m.tag === '00080020')?.value ?? '';
    // The one date shift the copy shows; a shifted probe date that lands on another row's marker date is no leak.
    const shift = top['00080020'] ? days(originalStudyDate) - days(top['00080020']) : null;
    // A DT keeps only its shifted date, so DT markers count too.
    const shiftedDates = new Set(probe.markers.filter((m) => (m.vr === 'DA' || m.vr === 'DT') && shift !== null).map((m) => days(m.value) - (shift as number)));
    const haystack = outsideVault(store, dataDir);
    assert.ok(haystack.some((h) => h.file.endsWith('catalog.sqlite')), 'the catalog is searched');
    const found: string[] = [];
    for (const marker of probe.markers.filter((m) => m.searchable)) {
      if (marker.vr === 'DA' && shiftedDates.has(days(marker.value))) continue;
      const text = needle(marker);
      for (const { file, text: bytes } of haystack) if (bytes.includes(text)) found.push(`${marker.name} (${marker.tag}) "${text}" in ${file}`);
    }
    assert.deepEqual(found, []);
    assert.ok(shift !== null && shift > 0, 'dates are shifted (Retain Longitudinal Temporal Information Modified Dates)');
  });

  test('the stored copy records the profile and options: (0012,0062) YES, (0012,0063) within 64 characters, CID 7050 codes', () => {
    const { top, codes, methods } = markersIn(storedCopy, []);
    assert.equal(top['00120062'], 'YES');
    assert.ok(methods.length > 0 && methods.every((m) => m.length <= 64), `(0012,0063) values: ${JSON.stringify(methods)}`);
    assert.deepEqual(codes, ['113100', '113107'], 'Basic Profile and Retain Longitudinal Temporal Information Modified Dates');
    assert.equal(top['00280303'], 'MODIFIED', 'Longitudinal Temporal Information Modified');
  });

  /** An error line without its values, so the probe's and the copy's errors about the same attribute compare equal. */
  const errorKind = (line: string): string => line.replace(/\s*\[\d+\]\s*=\s*<.*$/, '').replace(/<0x[0-9a-f]+>|<[^>]*MRK[^>]*>/gi, '<value>');

  test('dciodvfy finds no error in the stored copy that the probe did not already have', () => {
    const before = new Map<string, number>();
    for (const line of dciodvfyErrors(probe.path)) before.set(errorKind(line), (before.get(errorKind(line)) ?? 0) + 1);
    const added: string[] = [];
    for (const line of dciodvfyErrors(storedCopy)) {
      const kind = errorKind(line);
      const left = before.get(kind) ?? 0;
      if (left > 0) before.set(kind, left - 1);
      else added.push(line);
    }
    assert.deepEqual(added, []);
  });

  test('file and folder names of the source stay out of the data folder, and the vault resolves them', () => {
    const names = [basename(probeRoot), PATH_MARKERS.folder, PATH_MARKERS.file.replace(/\.dcm$/, '')];
    const haystack = outsideVault(store, dataDir);
    const found = names.flatMap((name) => haystack.filter((h) => h.text.includes(name)).map((h) => `${name} in ${h.file}`));
    assert.deepEqual(found, []);
    const [entry] = service.importLog('probe-job', null);
    assert.equal(entry?.path, `${PATH_MARKERS.folder}/${PATH_MARKERS.file}`, 'with the vault open, the person importing sees the path');
  });

  test('the vault on disk is sealed: none of the probe\'s values or names is readable in its files', () => {
    const vaultDir = join(dataDir, 'vault');
    const files = filesUnder(vaultDir).map((file) => ({ file: relative(dataDir, file), text: readFileSync(file).toString('latin1') }));
    assert.ok(files.some((f) => f.file.includes('originals')), 'the original is kept');
    const needles = [...probe.markers.filter((m) => m.searchable && m.vr !== 'DA').map(needle), basename(probeRoot), PATH_MARKERS.folder, 'MRKFILEPATHZ'];
    const found = needles.flatMap((text) => files.filter((f) => f.text.includes(text)).map((f) => `"${text}" in ${f.file}`));
    assert.deepEqual(found, []);
  });
  });
}
