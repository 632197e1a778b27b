// kill -9 while training loses nothing: one run trained straight through, then four kills — as the k-th checkpoint
// write appears (watching the run folder), at an exact point of a resumed run's next engine-file write (strace fault
// injection), where the app holds after a seeded epoch, and as a model write appears — each followed by a restart
// that resumes the run. After
// every kill the catalog passes the store check, every run file reads back whole, the run is listed as interrupted,
// and every run finished after kills ends with the uninterrupted run's metrics and epoch history.
// More rounds: `npm run soak -- --train-crash N`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SMALL_RUN_CONFIG } from '../../src-main/training/testing/small-run.ts';
import { faultInjectionWorks, runTrainingCrashRounds } from './crash/train-rounds.ts';

const scratch = mkdtempSync(join(tmpdir(), 'angio-train-crash-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const seed = Number(process.env.ANGIO_CRASH_SEED ?? 1);

test('four kill -9 rounds during training: checkpoints whole, run listed as interrupted, resumed to the same result', { timeout: 600_000 }, async () => {
  const result = await runTrainingCrashRounds({ seed, rounds: 4, dataDir: join(scratch, 'data'), config: SMALL_RUN_CONFIG, maxRunMs: 180_000, baseline: true, log: (line) => console.log(`# ${line}`) });
  const context = `seed ${seed}: ${JSON.stringify(result)}`;
  assert.deepEqual(result.problems, [], context);
  assert.ok(result.kills >= 3, `most rounds must end in a kill: ${context}`);
  assert.ok(result.runsCompleted >= 2, `the baseline and the killed runs finish: ${context}`);
  assert.ok(result.resumes >= 3, `killed runs were resumed after the restarts: ${context}`);
  assert.ok(result.killsAfterEpochs >= 1, `a session held after an epoch and was killed there: ${context}`);
  if (faultInjectionWorks()) {
    assert.equal(result.killsAtExactPoints['temp created'], 1, `strace killed the resumed run as it created an engine file: ${context}`);
    assert.ok(result.killsByPhase['checkpoint write'] + result.killsByPhase['model or record write'] >= 1 && result.tornWrites >= 1, context);
  } else console.log('# strace cannot inject faults here: no exact-point kill');
});
