// Damaged files never take the import down: seeded mutations of the shared DICOM files (bit flips, truncation,
// length fields, huge lengths, deep sequences, wrong transfer syntaxes, lying pixel geometry, broken JPEG, J2K,
// JPEG-LS and RLE streams), of P-ADSD PNG patches and of manifest.csv files go through the app's own import path in
// a child process. Each must end as an import or a typed rejection within its time and memory bound, and the data
// folder must stay consistent. The CI subset is small; `npm run soak` runs the long campaign (scripts/soak.ts).
// Reproduce a failure with ANGIO_FUZZ_SEED=<seed> (the failing case number is printed with it).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sharedDataDir } from '../../src-main/app/paths.ts';
import { readDicom } from '../../src-main/dicom/dataset.ts';
import { decodeFrame, describeImage } from '../../src-main/dicom/image.ts';
import { IsolatedFrameDecoder } from '../../src-main/dicom/decode-isolation.ts';
import { runCampaign, type CampaignResult, type Corpus } from './fuzz/campaign.ts';
import { buildProbeInput } from './fuzz/probe-search.ts';
import { splice } from './fuzz/dicom-mutations.ts';
import { dicomLayout } from './fuzz/dicom-layout.ts';

const seed = Number(process.env.ANGIO_FUZZ_SEED ?? 20_251_124);
const scratch = mkdtempSync(join(tmpdir(), 'angio-fuzz-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function campaign(corpus: Corpus, cases: number): Promise<CampaignResult> {
  const dir = join(scratch, corpus);
  return runCampaign({
    // The DICOM campaign imports the de-identification probe too and searches for its markers after the last case.
    probe: corpus === 'dicom' ? buildProbeInput(join(dir, 'probe')) : undefined,
    corpus,
    seed,
    cases,
    sharedDataDir: sharedDataDir(),
    dataDir: join(dir, 'data'),
    workDir: join(dir, 'cases'),
    // CI keeps to the files under 450 KB (the XA1 encodings in J2K, JPEG-LS, JPEG lossy and the small misc files).
    maxSourceBytes: 450_000,
    timeBoundMs: 60_000,
    memoryBoundMb: 1_500,
    decodeDeadlineMs: 5_000,
    checkEvery: 50,
    failuresDir: join(scratch, 'failures'),
  });
}

function explain(result: CampaignResult): string {
  const lines = result.failures.map((f) => `  ${f.what}: ANGIO_FUZZ_SEED=${f.seed} case ${f.caseId} — ${f.source}, ${f.kind} (${f.detail}): ${f.message.slice(0, 400)}`);
  return [`seed ${result.seed}, ${result.total.tried} ${result.corpus} cases:`, ...lines, ...result.dataProblems.map((p) => `  data: ${p}`)].join('\n');
}

function assertClean(result: CampaignResult): void {
  assert.deepEqual(result.failures, [], explain(result));
  assert.deepEqual(result.dataProblems, [], explain(result));
  assert.equal(result.total.accepted + result.total.rejected, result.total.tried, explain(result));
}

test('500 mutated DICOM files each import or are rejected with a reason, within bounds, leaving the store consistent', async () => {
  const result = await campaign('dicom', 500);
  assertClean(result);
  const kinds = Object.keys(result.perKind);
  for (const kind of ['bit-flip', 'truncate', 'length-field', 'huge-length', 'nested-sequence', 'transfer-syntax', 'pixel-geometry']) {
    assert.ok(kinds.includes(kind), `no ${kind} case ran: ${kinds.join(', ')}`);
  }
  for (const codec of ['jpeg', 'j2k', 'jpeg-ls', 'rle']) assert.ok(kinds.includes(`codec-stream:${codec}`), `no damaged ${codec} stream was tried`);
  assert.ok(result.total.rejected > 100 && result.total.accepted > 50, `the mutations are too weak or too strong: ${JSON.stringify(result.total)}`);
  for (const reason of Object.keys(result.rejectReasons)) {
    assert.match(reason, /^(not-dicom|truncated|unsupported-syntax|malformed|undecodable|no-pixel-data)$/, `untyped rejection reason ${reason}`);
  }
});

test('200 mutated PNG patches import only when their pixels decode; the rest are rejected with a reason', async () => {
  assertClean(await campaign('png', 200));
});

test('100 hostile manifests: every path leaving the folder is refused, broken CSV gets a typed error', async () => {
  const result = await campaign('manifest', 100);
  assertClean(result);
  assert.ok((result.perKind['escaping-path']?.rejected ?? 0) > 0, 'no escaping path was tried');
});

test('a codec that spins on a damaged stream costs the file, not the app: the decoder thread is replaced', async () => {
  // Found by this fuzzer: CharLS spends 20 s on MR_small_jpeg_ls_lossless.dcm with its stream cut to 1089 bytes.
  const original = readFileSync(join(sharedDataDir(), 'dicom', 'misc', 'MR_small_jpeg_ls_lossless.dcm'));
  const fragment = dicomLayout(original).fragments.find((f) => f.length > 1089);
  assert.ok(fragment, 'MR_small_jpeg_ls_lossless.dcm has no JPEG-LS fragment');
  const cut = splice(original, fragment.valueAt + 1089, fragment.length - 1089, new Uint8Array(1)); // 1089 bytes + pad
  new DataView(cut.buffer).setUint32(fragment.lengthAt, 1090, true);
  const hostile = cut;
  const decoder = new IsolatedFrameDecoder({ deadlineMs: 1_500 });
  try {
    const parsed = readDicom(hostile, 'cut.dcm');
    const image = describeImage(parsed, 'cut.dcm');
    const started = Date.now();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    await assert.rejects(decodeFrame(parsed, image, 0, 'cut.dcm', decoder.decode), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'dicom-undecodable');
      return true;
    });
    clearInterval(ticker);
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 10_000, `the deadline did not hold: ${elapsed} ms`);
    assert.ok(ticks >= 5, 'the event loop stalled while the codec ran');
    const good = readDicom(original, 'good.dcm');
    const frame = await decodeFrame(good, describeImage(good, 'good.dcm'), 0, 'good.dcm', decoder.decode);
    assert.equal(frame.pixels.length, 64 * 64, 'the replacement thread decodes the next file');
  } finally {
    await decoder.close();
  }
});
