// A full disk and a read-only data folder end in a typed error the user can act on (a code and a sentence), and
// nothing saved before is corrupted. Real mounts (the tests run as root, so chmod would not stop a write): a 2 MB
// tmpfs for the full disk, a read-only tmpfs and a read-only bind mount of a filled data folder.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDataDir } from '../../src-main/app/paths.ts';
import { AppError } from '../../src-main/ipc/app-error.ts';
import { IngestService } from '../../src-main/ingest/service.ts';
import { openStore } from '../../src-main/store/database.ts';
import { checkDataFolder } from './store-consistency.ts';

const scratch = mkdtempSync(join(tmpdir(), 'angio-disk-'));
const mounted: string[] = [];
let mountProblem: string | null = null;

function mount(args: string[]): void {
  execFileSync('mount', args, { stdio: 'pipe' });
  mounted.push(args.at(-1) as string);
}

before(() => {
  const probe = join(scratch, 'probe');
  mkdirSync(probe);
  try {
    mount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]);
  } catch (error) {
    mountProblem = `mount is not available in this sandbox (${(error as Error).message.split('\n')[0]}); the disk-full and read-only tests need real mounts`;
    console.log(`# SKIPPED: ${mountProblem}`);
  }
});

after(() => {
  for (const dir of mounted.reverse()) {
    try {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    } catch {
      // already gone
    }
  }
  rmSync(scratch, { recursive: true, force: true });
});

const quiet = { progress: () => {}, throwIfCancelled: () => {} };

function assertTyped(error: unknown, code: string): true {
  assert.ok(error instanceof AppError, `expected a typed error, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.match(error.message, /data folder .*\. .+/, `the message should say what happened and what to do: ${error.message}`);
  return true;
}

test('a full disk stops the import with "disk-full"; what was imported before stays intact', async (t) => {
  if (mountProblem) return t.skip(mountProblem);
  const dataDir = join(scratch, 'full');
  mkdirSync(dataDir);
  mount(['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dataDir]);
  const store = openStore(dataDir);
  const service = new IngestService({ store, dataDir });
  try {
    // Small files first (they fit), then the angiography runs (2 MB and more each: they cannot).
    const small = await service.runImport('small', { root: join(sharedDataDir(), 'dicom', 'misc'), datasetFrames: 'key' }, quiet).catch((e: unknown) => e);
    const big = await service.runImport('big', { root: join(sharedDataDir(), 'dicom', 'xa'), datasetFrames: 'key' }, quiet).catch((e: unknown) => e);
    const failure = [small, big].find((r) => r instanceof Error);
    assert.ok(failure, 'a 2 MB data folder accepted both DICOM folders: the disk never filled');
    assertTyped(failure, 'disk-full');
  } finally {
    service.close();
    store.close();
  }
  const report = checkDataFolder(dataDir);
  assert.deepEqual(report.problems, []);
  // The catalog opens again and answers.
  const again = openStore(dataDir);
  assert.ok((again.db.prepare('SELECT count(*) AS n FROM instances').get() as { n: number }).n >= 0);
  again.close();
});

test('a read-only data folder is refused at open with "data-dir-read-only"', async (t) => {
  if (mountProblem) return t.skip(mountProblem);
  const dataDir = join(scratch, 'readonly-empty');
  mkdirSync(dataDir);
  mount(['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dataDir]);
  assert.throws(() => openStore(dataDir), (error) => assertTyped(error, 'data-dir-read-only'));
});

test('a filled data folder that became read-only is refused clearly and left exactly as it was', async (t) => {
  if (mountProblem) return t.skip(mountProblem);
  const dataDir = join(scratch, 'filled');
  const store = openStore(dataDir);
  const service = new IngestService({ store, dataDir });
  await service.runImport('before', { root: join(sharedDataDir(), 'dicom', 'misc'), datasetFrames: 'key' }, quiet);
  service.close();
  store.close();
  const before = checkDataFolder(dataDir);
  assert.deepEqual(before.problems, []);
  mount(['--bind', dataDir, dataDir]);
  execFileSync('mount', ['-o', 'remount,bind,ro', dataDir], { stdio: 'pipe' });
  assert.throws(() => openStore(dataDir), (error) => assertTyped(error, 'data-dir-read-only'));
  const afterwards = checkDataFolder(dataDir);
  assert.deepEqual(afterwards, before, 'the read-only folder changed');
});
