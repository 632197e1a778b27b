// Two sessions on one data folder (two processes, as two app windows or a CLI import beside the app would be):
// imports and labelling at the same time as a third import in this process. WAL and the busy timeout must keep
// every lock wait inside the store: no "database is locked" reaches anyone, and the folder stays consistent.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sharedDataDir } from '../../src-main/app/paths.ts';
import { IngestService } from '../../src-main/ingest/service.ts';
import { openStore } from '../../src-main/store/database.ts';
import { buildCrashFolder } from './crash/crash-rounds.ts';
import { checkDataFolder } from './store-consistency.ts';

const scratch = mkdtempSync(join(tmpdir(), 'angio-concurrency-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function session(dataDir: string, folder: string, round: number) {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'crash', 'work-child.ts'), dataDir, folder, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const state = { labels: 0, imported: false, stderr: '', exit: null as string | null };
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (text.includes('import-finished')) state.imported = true;
    state.labels += (text.match(/^label /gm) ?? []).length;
  });
  child.stderr.on('data', (chunk: Buffer) => (state.stderr += chunk.toString()));
  child.on('exit', (code, signal) => (state.exit = `${code ?? signal}`));
  return { child, state };
}

const stop = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : (child.once('close', resolve), child.kill('SIGKILL'))));

test('two processes import and label while a third import runs: no lock error reaches the user, nothing corrupted', async () => {
  const dataDir = join(scratch, 'data');
  const shared = sharedDataDir();
  const a = join(scratch, 'a');
  const b = join(scratch, 'b');
  buildCrashFolder(shared, a, 60);
  buildCrashFolder(shared, b, 120); // overlaps with a: the same patches arrive from both sessions at once
  const store = openStore(dataDir);
  const ingest = new IngestService({ store, dataDir });
  const first = session(dataDir, a, 0);
  const second = session(dataDir, b, 1);
  try {
    const counts = await ingest.runImport('here', { root: join(shared, 'dicom', 'misc'), datasetFrames: 'key' }, { progress: () => {}, throwIfCancelled: () => {} });
    assert.ok(counts.imported + counts.duplicate > 10, JSON.stringify(counts));
    const deadline = Date.now() + 90_000;
    while ((!first.state.imported || !second.state.imported || first.state.labels < 200 || second.state.labels < 200) && Date.now() < deadline && !first.state.exit && !second.state.exit) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Both sessions labelling while this process writes too.
    for (let i = 0; i < 50; i++) store.transaction(() => store.db.prepare("INSERT INTO settings (key, value) VALUES ('probe', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(i)));
  } finally {
    await stop(first.child);
    await stop(second.child);
    ingest.close();
    store.close();
  }
  for (const [name, s] of [['first', first.state], ['second', second.state]] as const) {
    assert.equal(s.exit, 'SIGKILL', `the ${name} session ended by itself: ${s.stderr.slice(-1500)}`);
    assert.doesNotMatch(s.stderr, /locked|SQLITE_BUSY|busy/i, `the ${name} session saw a lock error`);
    assert.ok(s.imported, `the ${name} session did not finish its import within the time`);
    assert.ok(s.labels > 0, `the ${name} session labelled nothing`);
  }
  assert.deepEqual(checkDataFolder(dataDir).problems, []);
});
