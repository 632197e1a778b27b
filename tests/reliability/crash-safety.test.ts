// kill -9 during import and labelling loses nothing: after each kill the catalog passes SQLite's integrity check,
// every referenced blob exists with its SHA-256, every label whose commit was reported is still there, and running
// the import again finishes it. Each round aims at a phase and holds the child at the k-th file or label of it until
// the kill, so both phases are hit whatever the machine's speed. More rounds run in `npm run soak`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import { sharedDataDir } from '../../src-main/app/paths.ts';
import { listFiles } from '../../src-main/ingest/folder-import.ts';
import { CATALOG_FILE } from '../../src-main/store/database.ts';
import { buildCrashFolder, runCrashRounds } from './crash/crash-rounds.ts';
import { WORK_PHASES } from './crash/work-plan.ts';

const scratch = mkdtempSync(join(tmpdir(), 'angio-crash-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const seed = Number(process.env.ANGIO_CRASH_SEED ?? 1124);

test('six kill -9 rounds across import and labelling: no corruption, no lost label, the import resumes', async () => {
  const folder = join(scratch, 'folder');
  const dataDir = join(scratch, 'data');
  buildCrashFolder(sharedDataDir(), folder);
  const result = await runCrashRounds({ seed, rounds: 6, dataDir, folder, maxRunMs: 60_000, sharedDataDir: sharedDataDir(), log: (line) => console.log(`# ${line}`) });
  const context = `seed ${seed}: ${JSON.stringify(result)}`;
  assert.deepEqual(result.harnessProblems, [], context);
  assert.deepEqual(result.dataProblems, [], context);
  assert.deepEqual(result.lostLabels, [], context);
  for (const phase of WORK_PHASES) assert.equal(result.killsByPhase[phase], 3, `three kills during ${phase}: ${context}`);
  // A last session runs to the end of its import (and is killed while labelling).
  const last = await runCrashRounds({ seed: seed + 1, rounds: 1, dataDir, folder, maxRunMs: 120_000, phases: ['labelling'] });
  assert.ok(last.importCompleted, `the import never completed after the kills: ${context}`);
  const db = new DatabaseSync(join(dataDir, CATALOG_FILE), { readOnly: true });
  const catalogued = db.prepare("SELECT (SELECT count(*) FROM dataset_items WHERE kind = 'png') + (SELECT count(*) FROM instances) AS n").get() as { n: number };
  db.close();
  assert.equal(catalogued.n, listFiles(folder).length, 'every file of the folder is catalogued exactly once after the restarts');
  assert.deepEqual([...last.harnessProblems, ...last.dataProblems, ...last.lostLabels], []);
});
