// The Results screen's shift robustness: `angio evaluate-shifts --save` run as a user runs it keeps the result beside
// a run's model file; the overview then shows, for the first compared run that has one, the rows the experiment PDF
// tables for the same result (read back with poppler's pdftotext) and Fig. 8; a result on another test set or none
// at all gives the command line that measures it instead.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { jsonOf, runAngio } from '../cli/testing/run-angio.ts';
import { fixtureModel } from '../inference/testing/fixture-model.ts';
import { SHIFT_RESULTS_FILE } from '../model-evaluation/index.ts';
import { experimentPdf, type ExperimentRecord } from '../reports/index.ts';
import { pdfText } from '../reports/testing/oracles.ts';
import { runShiftRobustness } from './run-results.ts';

const root = mkdtempSync(join(tmpdir(), 'angio-run-shifts-'));
const labelled = join(root, 'labeled');
const measuredModel = join(root, 'runs', 'measured', 'model.angio');
const plainModel = join(root, 'runs', 'plain', 'model.angio');
after(() => rmSync(root, { recursive: true, force: true }));

const run = (id: string, inferenceModel: string) => ({ id, seed: 3, method: 'ssl-quantum', encoder: 'mobilenet_v2', files: { inferenceModel } });

before(async () => {
  for (const folder of ['positive', 'negative']) {
    const from = join(sharedDataDir(), 'p-adsd', 'labeled', 'test', folder);
    const to = join(labelled, 'test', folder);
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from).sort().slice(0, 8)) symlinkSync(join(from, name), join(to, name));
  }
  const model = await fixtureModel(7);
  for (const path of [measuredModel, plainModel]) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, model.bytes);
  }
});

test('the overview shows the first measured run\'s shift rows, equal to the experiment PDF\'s table, and Fig. 8', { timeout: 300_000 }, async () => {
  const measured = runAngio(['evaluate-shifts', '--model', measuredModel, '--data', labelled, '--replicates', '100', '--save', '--json']);
  const printed = jsonOf<{ unshifted: { auc: number }; shifts: { label: string; auc: number; difference: number }[]; replicates: number }>(measured);
  const saved = JSON.parse(readFileSync(join(root, 'runs', 'measured', SHIFT_RESULTS_FILE), 'utf8'));
  assert.equal(saved.data, labelled);
  assert.equal(saved.split, 'test');

  const { result, svg, command } = await runShiftRobustness([run('plain', plainModel), run('measured', measuredModel)], labelled);
  assert.equal(command, null);
  assert.ok(result, 'the measured run is found behind one that was not');
  assert.deepEqual([result.runId, result.model, result.seed, result.images, result.positives, result.replicates], ['measured', 'ssl-quantum · mobilenet_v2', 3, 16, 8, 100]);
  // What --json printed is what the screen shows: the unshifted split first, then each shift in the same order.
  assert.deepEqual(result.rows.map((r) => [r.shift, r.auc, r.difference]), [['none', printed.unshifted.auc, null], ...printed.shifts.map((s) => [s.label, s.auc, s.difference])]);

  // The experiment PDF's table for the same result, as poppler reads it back, holds every row with the same numbers.
  const experiment: ExperimentRecord = {
    title: 'Shift rows', createdAt: new Date().toISOString(),
    runs: [{ model: result.model, seed: 3, threshold: 0.5, predictions: [{ id: 'a', label: 1, score: 0.7 }, { id: 'b', label: 0, score: 0.2 }], shifts: saved }],
    quantum: { model: result.model, classicalAblation: null, circuit: { qubits: 4, layers: 2, rotation: 'Rot', entangler: 'cnot-ring', reupload: false }, contributions: [], analyses: [] },
    configuration: {},
    provenance: { dataset: 'P-ADSD', source: 'test split', license: 'n/a', splits: { test: 16 }, patientLevelSplit: false, notes: [], codeVersion: 'test' },
  };
  const pdf = join(root, 'experiment.pdf');
  writeFileSync(pdf, await experimentPdf(experiment, new Date()));
  const flat = pdfText(pdf).replace(/\s+/g, ' ');
  const f3 = (v: number) => v.toFixed(3);
  for (const r of result.rows) {
    const difference = r.difference === null ? '' : ` ${r.difference >= 0 ? '+' : ''}${f3(r.difference)} (${f3(r.differenceLow!)} to ${f3(r.differenceHigh!)})`;
    // The PDF's standard font spells σ and × out.
    const line = `${r.shift.replace(/σ/g, 'sigma').replace(/×/g, 'x')} ${f3(r.auc)} (${f3(r.low)} - ${f3(r.high)})${difference}`;
    assert.ok(flat.includes(line), `the PDF's table lacks the screen's row "${line}"`);
  }

  assert.ok(svg !== null && svg.startsWith('<svg'), 'Fig. 8 drawn for the screen');
  assert.ok(svg.includes('Fig. 8. Test AUC under synthetic shifts, ssl-quantum · mobilenet_v2 seed 3'));
  for (const r of result.rows) assert.ok(svg.includes(r.shift), `Fig. 8 has a row for ${r.shift}`);
});

test('no result on this test set: no rows, no figure, and the command that measures the first run', async () => {
  const other = join(root, 'other labelled root');
  const { result, svg, command } = await runShiftRobustness([run('plain', plainModel), run('measured', measuredModel)], other);
  assert.equal(result, null);
  assert.equal(svg, null);
  assert.equal(command, `npx angio evaluate-shifts --model ${plainModel} --data '${other}' --save`);
});
