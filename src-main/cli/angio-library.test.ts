// `angio import` and `angio report` run as child processes on real files, in a library folder of their own: the XA
// folder comes in with a damaged file turned away for a stated reason, a second import finds every file already
// there, and the report of the cine run is a study PDF that poppler reads and a DICOM SR that dcmtk and dicom3tools
// accept, both carrying the frame's lesion candidates as `angio predict` finds them, with their boxes and caveats.
// Failures are one {code, message} line on stderr.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { fixtureModel } from '../inference/testing/fixture-model.ts';
import { dciodvfyErrors, dsrdump, pdfText } from '../reports/testing/oracles.ts';
import type { ImportOutcome } from './angio-import.ts';
import type { PredictDocument } from './angio-predict.ts';
import type { ReportDocument } from './angio-report.ts';
import { failureOf, jsonOf, runAngio } from './testing/run-angio.ts';

const xaDir = join(sharedDataDir(), 'dicom', 'xa');
const damaged = join(sharedDataDir(), 'dicom', 'misc', 'MR_truncated.dcm');
const cine = join(xaDir, 'XA_cine_96f_jpeg_baseline.dcm');
let dir: string;
let library: string;
let modelPath: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-cli-'));
  library = join(dir, 'library');
  const model = await fixtureModel(7);
  modelPath = join(dir, 'model.angio');
  writeFileSync(modelPath, model.bytes);
});
after(() => dir && rmSync(dir, { recursive: true, force: true }));

test('import: a folder and a damaged file give counts, the rejection with its reason, and the studies', () => {
  const xaFiles = readdirSync(xaDir).filter((name) => name.endsWith('.dcm'));
  const first = jsonOf<ImportOutcome>(runAngio(['import', xaDir, damaged, '--json'], library));
  assert.equal(first.dataDir, library);
  assert.deepEqual(first.counts, { total: xaFiles.length + 1, imported: xaFiles.length, duplicate: 0, rejected: 1, unsupported: 0, document: 0 });
  assert.equal(first.rejections.length, 1);
  assert.equal(first.rejections[0]!.path, damaged);
  assert.equal(first.rejections[0]!.reason, 'truncated');
  assert.match(first.rejections[0]!.message, /could not be read \(the file is truncated/);
  assert.ok(first.studies.length > 0 && first.studies.every((s) => Number.isInteger(s.id) && s.pseudonym.length > 0));

  const again = jsonOf<ImportOutcome>(runAngio(['import', xaDir, '--json'], library));
  assert.deepEqual(again.counts, { total: xaFiles.length, imported: 0, duplicate: xaFiles.length, rejected: 0, unsupported: 0, document: 0 });
  assert.deepEqual(again.studies, first.studies, 'the same files belong to the same studies');

  const plain = runAngio(['import', damaged], library);
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stdout, new RegExp(`^rejected ${damaged.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(truncated\\): `, 'm'));
});

test('report of a file: the study PDF and the DICOM SR carry its findings, read by poppler, dcmtk and dicom3tools', () => {
  const out = join(dir, 'report-file');
  const doc = jsonOf<ReportDocument>(runAngio(['report', cine, '--model', modelPath, '--out', out, '--pdf', '--sr', '--json'], library));
  assert.ok(doc.findings.length > 0, 'the cine run has a finding');
  const kinds = doc.files.map((f) => f.kind);
  assert.deepEqual(kinds.filter((k) => k !== 'sc'), ['pdf', 'sr']);
  for (const file of doc.files) assert.ok(existsSync(file.path) && file.path.startsWith(out), `${file.path} written into ${out}`);

  // The 512² frame is scanned, never read whole: the report's candidates are the ones `angio predict` finds there.
  const [finding] = doc.findings;
  assert.equal(doc.findings.length, 1, 'one cine run, one key frame');
  const predicted = jsonOf<PredictDocument>(runAngio(['predict', cine, '--frame', String(finding!.frame), '--model', modelPath, '--json']));
  assert.equal(predicted.kind, 'scan');
  assert.deepEqual(finding!.candidates.map((c) => [c.x, c.y, c.width, c.height, c.ood]), predicted.candidates.map((c) => [c.x, c.y, c.width, c.height, c.ood]));
  finding!.candidates.forEach((c, i) => assert.ok(Math.abs(c.probability - predicted.candidates[i]!.probability) < 1e-6, `candidate ${i + 1}: report ${c.probability} vs predict ${predicted.candidates[i]!.probability}`));
  assert.equal(finding!.probability, predicted.probability, "the frame's probability is its best candidate's");
  assert.equal(finding!.decision, predicted.ood ? 'out of distribution' : predicted.probability >= predicted.threshold ? 'stenosis' : 'no stenosis');

  const text = pdfText(doc.files.find((f) => f.kind === 'pdf')!.path);
  assert.match(text, /research report/);
  assert.ok(text.includes(`${(100 * finding!.probability).toFixed(1)} % (best lesion candidate)`), `the PDF prints P = ${finding!.probability}`);
  assert.ok(text.includes(`Lesion candidates on frame ${finding!.frame + 1}`) && text.includes('64 x 64-pixel windows (no physical scale is known'));
  for (const c of finding!.candidates) {
    assert.match(text, new RegExp(`${c.x}, ${c.y}, ${c.width} x ${c.height} +${(100 * c.probability).toFixed(1)} % +± ${c.uncertainty.toFixed(3)} +${c.ood ? 'out of distribution' : '(no )?stenosis suspected'}`), `the PDF lists candidate ${JSON.stringify(c)}`);
  }
  if (predicted.ood) assert.match(text, /Finding 1 of 1: out of distribution \(unlike the training images\)/, 'an out-of-distribution frame is never a plain "stenosis suspected"');

  const sr = doc.files.find((f) => f.kind === 'sr')!.path;
  assert.deepEqual(dciodvfyErrors(sr), [], `dciodvfy errors in ${basename(sr)}`);
  const dump = dsrdump(sr);
  assert.deepEqual(dump.problems, []);
  assert.match(dump.output, /Comprehensive SR Document/);
  assert.match(dump.output, /Model probability of stenosis/);
  assert.equal(dump.output.match(/CONTAINER:\(,,"Lesion candidate"\)/g)?.length, finding!.candidates.length, 'one SR container per candidate');
  for (const c of finding!.candidates) assert.ok(dump.output.includes(`SCOORD:(,,"Image Region")=(POLYLINE,${c.x}/${c.y},`), `SCOORD of the box at ${c.x}, ${c.y}`);
  assert.equal(dump.output.match(/Out of distribution \(unlike the training images\)/g)?.length ?? 0, finding!.candidates.filter((c) => c.ood).length + (predicted.ood ? 1 : 0));
});

test('report of a study id writes only what is asked for; failures are one {code, message} line', () => {
  const imported = jsonOf<ImportOutcome>(runAngio(['import', cine, '--json'], library));
  const studyId = imported.studies[0]!.id;
  const out = join(dir, 'report-study');
  const doc = jsonOf<ReportDocument>(runAngio(['report', String(studyId), '--model', modelPath, '--out', out, '--pdf', '--json'], library));
  assert.equal(doc.studyId, studyId);
  assert.deepEqual(doc.files.map((f) => f.kind), ['pdf']);
  assert.deepEqual(readdirSync(out), [basename(doc.files[0]!.path)]);

  assert.equal(failureOf(runAngio(['report', String(studyId), '--model', join(dir, 'missing.angio'), '--out', out, '--json'], library)).code, 'model-file-missing');
  assert.equal(failureOf(runAngio(['report', '99999', '--model', modelPath, '--out', out, '--json'], library)).code, 'study-not-found');
  assert.equal(failureOf(runAngio(['report', String(studyId), '--model', modelPath, '--out', out, '--pdf'], library)).code, 'export-file-exists', 'an export never overwrites');
  assert.equal(failureOf(runAngio(['import', join(dir, 'nowhere'), '--json'], library)).code, 'import-path-missing');
});
