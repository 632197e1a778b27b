// kill -9 while exporting reports loses nothing and leaves nothing half-written: eight export sessions (study PDF,
// DICOM SR + Secondary Captures in research and PACS identity, experiment PDF, one after another into one folder)
// killed where the child held for it (a seeded export as it begins or at its first rename) and at the four exact
// points of a DICOM set export, then a last session. After every
// kill every file under a final name is whole (pdfinfo, dcmdump), each DICOM export is all there or journaled to be
// finished, the audit log names every file, the catalog passes the store check, and asking again for the cut-off
// export succeeds and tidies what the killed one left. More rounds: `npm run soak -- --export-crash N`.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { prepareExportFixture } from './crash/export-fixture.ts';
import { HOLD_POINTS, KILL_POINTS } from './crash/export-plan.ts';
import { runExportCrashRounds } from './crash/export-rounds.ts';

const scratch = mkdtempSync(join(tmpdir(), 'angio-export-crash-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const seed = Number(process.env.ANGIO_CRASH_SEED ?? 1);

test('eight kill -9 rounds during report export: whole files or none, sets complete, audited, re-runs succeed', { timeout: 600_000 }, async () => {
  const dataDir = join(scratch, 'data');
  const folder = join(scratch, 'exports');
  mkdirSync(join(scratch, 'work'));
  const fixture = await prepareExportFixture(dataDir, join(scratch, 'work'));
  const result = await runExportCrashRounds({ seed, rounds: 8, dataDir, folder, fixture, maxRunMs: 180_000, log: (line) => console.log(`# ${line}`) });
  const context = `seed ${seed}: ${JSON.stringify(result)}`;
  assert.deepEqual(result.problems, [], context);
  assert.equal(result.kills, 8, context);
  for (const point of KILL_POINTS) assert.equal(result.killsAtExactPoints[point], 1, `${point}: ${context}`);
  for (const point of HOLD_POINTS) assert.equal(result.killsAtHoldPoints[point], 2, `${point}: ${context}`);
  for (const phase of ['rendering', 'writing files', 'placing files'] as const) assert.ok(result.killsByPhase[phase] >= 1, `${phase}: ${context}`);
  assert.ok(result.reruns.written + result.reruns.alreadyComplete >= 4, `the cut-off exports were asked for again: ${context}`);
  assert.ok(result.leftoversCleaned >= 1, context);
  // The last session ran one export of each kind to the end: the folder holds only final, whole files.
  assert.ok(readdirSync(folder).every((name) => !name.startsWith('.')), `leftovers: ${readdirSync(folder).join(', ')}`);
  assert.ok(result.filesChecked >= 4 + 2 * fixture.dicomSetSize, context);
});
