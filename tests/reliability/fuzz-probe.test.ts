// The de-identification probe as an input of the DICOM fuzz campaign: it is imported into the campaign's data folder
// with the fuzzed cases after it, and none of its markers, folder or file names may be found outside the vault at
// the end. The search itself is shown to find a marker written where the catalog would hold it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sharedDataDir } from '../../src-main/app/paths.ts';
import { runCampaign } from './fuzz/campaign.ts';
import { buildProbeInput, probeMarkersFound } from './fuzz/probe-search.ts';

const seed = Number(process.env.ANGIO_FUZZ_SEED ?? 20_251_207);
const scratch = mkdtempSync(join(tmpdir(), 'angio-fuzz-probe-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('the probe goes into a DICOM fuzz campaign and none of its markers is found outside the vault afterwards', async () => {
  const probe = buildProbeInput(join(scratch, 'probe'));
  assert.ok(probe.needles.length > 300, `${probe.needles.length} needles`);
  const dataDir = join(scratch, 'data');
  const result = await runCampaign({
    corpus: 'dicom', seed, cases: 30, probe, sharedDataDir: sharedDataDir(), dataDir, workDir: join(scratch, 'cases'),
    maxSourceBytes: 450_000, timeBoundMs: 60_000, memoryBoundMb: 1_500, decodeDeadlineMs: 5_000, checkEvery: 30,
  });
  assert.deepEqual(result.failures, []);
  assert.deepEqual(result.dataProblems, []);
  assert.equal(result.total.tried, 30);
  // The search finds what it looks for: a needle written into the data folder is reported.
  writeFileSync(join(dataDir, 'planted.txt'), `left by hand: ${probe.needles[0]}`);
  assert.deepEqual(probeMarkersFound(dataDir, probe.needles), [`"${probe.needles[0]}" in planted.txt`]);
});
