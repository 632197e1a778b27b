// From cine run to model, through the app's IPC channels only: a cine run of each of three patients is imported,
// boxes are drawn on two frames of each, the recipe makes patches that keep their patient, a patient-level split
// puts each patient in one part, a patch model trains on it, and the trained model scores the frames with boxes.
// The three patients are the shared 96-frame cine run re-identified by pydicom (new patient, study, series and SOP
// UIDs; pixels untouched), because the shared data holds one cine run. The boxes carry stenosis grades, so the same
// split also trains a graded model whose classes reach its metrics, its findings and the study PDF.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeAppContext, createAppContext } from '../app/context.ts';
import { composeHandlers } from '../app/handlers.ts';
import { projectRoot, sharedDataDir } from '../app/paths.ts';
import { createIpcRegistry } from '../ipc/registry.ts';
import { dciodvfyErrors, dsrdump, pdfText, pydicomSummary } from '../reports/testing/oracles.ts';
import { runPython } from '../testing/python-oracle.ts';
import { writeReidentifiedCines } from './testing/reidentified-cines.ts';

const PATIENTS = ['FLOW-A', 'FLOW-B', 'FLOW-C'];

/** pydicom's reading of a marks SR: every SCOORD with its graphic, its SELECTED FROM frame and its sibling texts. */
const SR_REGIONS = `
import json, sys, pydicom
ds = pydicom.dcmread(json.load(sys.stdin)["path"])
out = []
for mark in ds.ContentSequence:
    if mark.ValueType != "CONTAINER":
        continue
    texts = [item.TextValue for item in mark.ContentSequence if item.ValueType == "TEXT"]
    for item in mark.ContentSequence:
        if item.ValueType == "SCOORD":
            ref = item.ContentSequence[0]
            assert ref.RelationshipType == "SELECTED FROM"
            frame = int(ref.ReferencedSOPSequence[0].ReferencedFrameNumber)
            out.append({"type": item.GraphicType, "data": [float(v) for v in item.GraphicData], "frame": frame, "texts": texts})
print(json.dumps(out))
`;

test('from imported cine runs to a trained patch model using only boxes drawn in the app', { timeout: 900_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'angio-cine-flow-'));
  const folder = join(root, 'runs');
  mkdirSync(folder);
  writeReidentifiedCines(folder, PATIENTS);
  const ctx = createAppContext({ appRoot: projectRoot(), dataDir: join(root, 'data'), sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
  const registry = createIpcRegistry(composeHandlers(ctx));
  const invoke = async <T>(channel: string, input: unknown): Promise<T> => {
    const answer = await registry.invoke(channel, input, { host: 'cli', origin: 'test' });
    assert.ok(answer.ok, `${channel}: ${JSON.stringify(answer)}`);
    return answer.value as T;
  };
  try {
    // Import: three patients, one 96-frame run each; no frames become dataset items until boxes make patches.
    await invoke('ingest.importFolder', { root: folder, datasetFrames: 'none', reader: 'dr-flow' });
    await ctx.jobs.drain();
    const { patients } = await invoke<{ patients: { id: number }[] }>('library.patients', {});
    assert.equal(patients.length, 3);
    const runs = ctx.store.db.prepare("SELECT id FROM instances WHERE kind = 'image' AND frames = 96 ORDER BY id").all() as { id: number }[];
    assert.equal(runs.length, 3);

    // Boxes: two frames of each run, around the vessel segments a reader would mark (48 px, so neighbours fit),
    // graded with the class list's grades switched on.
    const classList = await invoke<{ classes: { name: string; grades: string[] }[] }>('annotations.classes.get', {});
    await invoke('annotations.classes.set', { classList: { ...classList, gradesEnabled: true }, reader: 'dr-flow' });
    for (const { id } of runs) {
      await invoke('annotations.create', { instanceId: id, frame: 30, x: 200, y: 180, width: 48, height: 48, label: 'stenosis', grade: '>70%', reader: 'dr-flow' });
      await invoke('annotations.create', { instanceId: id, frame: 60, x: 260, y: 240, width: 40, height: 48, label: 'stenosis', grade: '<50%', reader: 'dr-flow' });
    }
    const recipe = await invoke<{ defaults: unknown }>('annotations.recipe', {});
    const set = await invoke<{ counts: { boxes: number; positive: number; negative: number } }>('annotations.generatePatches', { params: recipe.defaults, reader: 'dr-flow' });
    assert.deepEqual([set.counts.boxes, set.counts.positive, set.counts.negative], [6, 6, 24], 'the recipe: one positive and four neighbours per box');
    const items = ctx.store.db.prepare('SELECT patient_id AS patientId FROM dataset_items').all() as { patientId: number | null }[];
    assert.equal(items.length, 30);
    assert.equal(new Set(items.map((i) => i.patientId)).size, 3, 'every patch keeps its patient');

    // A patient-level split: one patient per part, locked, exported as the folders a run trains on.
    const built = await invoke<{ split: { id: number }; groups: { patient: string | null; part: string }[]; leakage: { status: string } }>('dataset.buildSplit', { name: 'from boxes', ratios: { train: 1, val: 1, test: 1 }, seed: 3 });
    const split = built.split;
    assert.deepEqual(built.groups.map((g) => g.part).sort(), ['test', 'train', 'val'], 'one patient per part');
    assert.ok(built.groups.every((g) => g.patient !== null), 'patient-level, not image-level, groups');
    assert.equal(built.leakage.status, 'green');
    await invoke('dataset.lockSplit', { splitId: split.id });
    const source = await invoke<{ labeledRoot: string; unlabeledDir: string | null; counts: Record<'train' | 'val' | 'test', { positive: number; negative: number }> }>('dataset.trainingSource', { splitId: split.id });
    for (const part of ['train', 'val', 'test'] as const) {
      assert.deepEqual(source.counts[part], { positive: 2, negative: 8 }, `${part}: one patient's two boxes`);
    }

    // Train a patch model on it, as the Training screen does.
    const config = { method: 'supervised', encoder: 'simple_cnn', imageSize: 32, batchSize: 5, seed: 0, finetune: { epochs: 30, patience: 30, learningRate: 3e-3 } };
    const { runId } = await invoke<{ runId: string }>('training.start', { config, dataset: { labeledRoot: source.labeledRoot, unlabeledDir: source.unlabeledDir } });
    await invoke('dataset.linkRun', { runId, splitId: split.id });
    await ctx.jobs.drain();
    const { runs: trained } = await invoke<{ runs: { id: string; status: string; error: unknown; files: { inferenceModel: string }; metrics: { testAuc: number; valAuc: number; threshold: { prevalence: number } } }[] }>('training.listRuns', {});
    const run = trained.find((r) => r.id === runId)!;
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    const { files, metrics } = run;
    assert.ok(existsSync(files.inferenceModel), 'the trained model file exists');
    // The three patients are one run re-identified: the validation and test patients' patches are the same pixels
    // with the same labels, so a run that kept each patient's patches and labels together scores them identically.
    assert.equal(metrics.testAuc, metrics.valAuc, 'test patient scored as the identical validation patient');
    assert.equal(metrics.threshold.prevalence, 0.2, 'the threshold was chosen on one patient: 2 positives in 10 patches');

    // The trained model scans every frame with boxes and is scored against them (full-frame evaluation).
    const evaluation = await invoke<{ score: { frames: number; boxes: number; perFrame: unknown[] } }>('annotations.evaluate', { modelPath: files.inferenceModel, patchSize: 64, stride: 32 });
    assert.deepEqual([evaluation.score.frames, evaluation.score.boxes, evaluation.score.perFrame.length], [6, 6, 6]);
    // The same split with the graded class list: no stenosis, then the three grades of "stenosis".
    const graded = await invoke<{ labeledRoot: string; classNames: string[]; classCounts: Record<'train' | 'val' | 'test', number[]> }>('dataset.trainingSource', { splitId: split.id, classes: 'graded' });
    assert.deepEqual(graded.classNames, ['no stenosis', 'stenosis <50%', 'stenosis 50–70%', 'stenosis >70%']);
    for (const part of ['train', 'val', 'test'] as const) assert.deepEqual(graded.classCounts[part], [8, 1, 0, 1], `${part}: one box of each drawn grade`);
    const { runId: gradedRunId } = await invoke<{ runId: string }>('training.start', { config, dataset: { labeledRoot: graded.labeledRoot, unlabeledDir: null } });
    await invoke('dataset.linkRun', { runId: gradedRunId, splitId: split.id, classes: 'graded' });
    await ctx.jobs.drain();
    const { runs: all } = await invoke<{ runs: { id: string; status: string; error: unknown; files: { inferenceModel: string }; metrics: { graded: { classNames: string[]; test: { confusion: number[][]; perClass: { support: number }[] } } } }[] }>('training.listRuns', {});
    const gradedRun = all.find((r) => r.id === gradedRunId)!;
    assert.equal(gradedRun.status, 'succeeded', JSON.stringify(gradedRun.error));
    assert.deepEqual(gradedRun.metrics.graded.classNames, graded.classNames);
    assert.deepEqual(gradedRun.metrics.graded.test.perClass.map((c) => c.support), [8, 1, 0, 1]);
    assert.equal(gradedRun.metrics.graded.test.confusion.flat().reduce((a, b) => a + b, 0), 10);

    // Results: the graded run's test set scored by its own (four-output) model, with a panel per graded run.
    const overview = await invoke<{ images: number; graded: { runId: string; classNames: string[]; test: { confusion: number[][] }; figure: string }[] }>('results.overview', { runId: gradedRunId });
    assert.equal(overview.images, 10);
    const panel = overview.graded.find((g) => g.runId === gradedRunId)!;
    assert.deepEqual(panel.test.confusion, gradedRun.metrics.graded.test.confusion);
    assert.ok(graded.classNames.every((name) => panel.figure.includes(name.replace('<', '&lt;').replace('>', '&gt;'))), 'the confusion figure names every class');

    // Findings and the study PDF of one patient with the graded model: every class, most probable first.
    const studyId = (ctx.store.db.prepare('SELECT r.study_id AS id FROM instances i JOIN series r ON r.id = i.series_id WHERE i.id = ?').get(runs[0]!.id) as { id: number }).id;
    const target = { instanceId: runs[0]!.id, frame: 30 };
    mkdirSync(join(root, 'reports'));
    const found = await invoke<{ findings: { classes: { name: string; probability: number }[] | null }[] }>('reports.computeFindings', { studyId, modelPath: gradedRun.files.inferenceModel, targets: [target] });
    const classes = found.findings[0]!.classes!;
    assert.deepEqual(classes.map((c) => c.name).sort(), [...graded.classNames].sort());
    assert.ok(Math.abs(classes.reduce((a, c) => a + c.probability, 0) - 1) < 1e-4, 'the class probabilities sum to 1');
    assert.ok(classes.every((c, i) => i === 0 || classes[i - 1]!.probability >= c.probability), 'most probable first');
    const pdf = await invoke<{ path: string }>('reports.studyPdf', { studyId, folder: join(root, 'reports'), name: 'graded' });
    const text = pdfText(pdf.path).replace(/\s+/g, ' ');
    assert.match(text, /Classes \(graded model\): no stenosis, stenosis <50%, stenosis 50–70%, stenosis >70%/);
    assert.match(text, /Class \(validation\) Images Precision Recall F1/);
    assert.ok(text.includes(`${classes[0]!.name} ${(100 * classes[0]!.probability).toFixed(1)} %`), 'the finding page lists the most probable class');
    // The research-mode DICOM SR states the most probable class and every class's probability; dciodvfy finds no error.
    const dicom = await invoke<{ files: { path: string; kind: 'sr' | 'sc' }[] }>('reports.studyDicom', { studyId, folder: join(root, 'reports'), name: 'graded', mode: 'research' });
    const sr = dicom.files.find((f) => f.kind === 'sr')!;
    assert.deepEqual(dciodvfyErrors(sr.path), []);
    const dumped = dsrdump(sr.path);
    assert.ok(dumped.output.includes(`TEXT:(,,"Most probable class (graded model)")="${classes[0]!.name.replace('–', '-')}"`), dumped.output);
    const texts = pydicomSummary([sr.path])[sr.path]!.values.filter(([keyword]) => keyword === 'TextValue').map(([, value]) => value);
    const listed = texts.find((t) => t.startsWith(`${classes[0]!.name.replace('–', '-')}: `))!;
    assert.deepEqual(listed.split('; ').map((part) => part.replace(/: \d+\.\d %$/, '')), classes.map((c) => c.name.replace('–', '-')), 'every class, most probable first');

    // The reader's boxes of that study as DICOM SR regions: one closed POLYLINE per box, selected from its frame.
    const marks = await invoke<{ path: string; marks: number }>('reports.marksSr', { studyId, folder: join(root, 'reports'), name: 'marks', mode: 'research' });
    assert.equal(marks.marks, 2);
    assert.deepEqual(dciodvfyErrors(marks.path), []);
    assert.match(dsrdump(marks.path).output, /SCOORD/, 'dcmtk reads the regions SR');
    const regions = runPython(SR_REGIONS, { path: marks.path }) as { type: string; data: number[]; frame: number; texts: string[] }[];
    const drawn = ctx.store.db.prepare('SELECT frame_index AS frame, x, y, width, height, grade FROM annotation_boxes WHERE instance_id = ? AND deleted_at IS NULL ORDER BY frame_index').all(runs[0]!.id) as { frame: number; x: number; y: number; width: number; height: number; grade: string }[];
    assert.deepEqual(regions.map((r) => r.frame), drawn.map((b) => b.frame + 1), 'each region on its 1-based frame');
    regions.forEach((r, i) => {
      const b = drawn[i]!;
      assert.equal(r.type, 'POLYLINE');
      assert.deepEqual(r.data, [b.x, b.y, b.x + b.width, b.y, b.x + b.width, b.y + b.height, b.x, b.y + b.height, b.x, b.y]);
      assert.ok(r.texts.includes('stenosis') && r.texts.includes(b.grade) && r.texts.includes('dr-flow'), JSON.stringify(r.texts));
    });

    // The full-frame evaluation runs with the graded model too: its heatmap is the any-stenosis probability.
    const gradedFroc = await invoke<{ score: { frames: number; boxes: number } }>('annotations.evaluate', { modelPath: gradedRun.files.inferenceModel, patchSize: 64, stride: 32 });
    assert.deepEqual([gradedFroc.score.frames, gradedFroc.score.boxes], [6, 6]);
    // A stenosis patch without a grade cannot go to a graded split, and a class list without grades has no graded form.
    const refuse = async (channel: string, input: unknown): Promise<string> => {
      const answer = await registry.invoke(channel, input, { host: 'cli', origin: 'test' });
      assert.ok(!answer.ok, `${channel} should have been refused`);
      return (answer as { error: { code: string } }).error.code;
    };
    ctx.store.db.prepare("UPDATE annotation_patches SET grade = NULL WHERE item_id = (SELECT MIN(item_id) FROM annotation_patches WHERE role = 'positive')").run();
    assert.equal(await refuse('dataset.trainingSource', { splitId: split.id, classes: 'graded' }), 'split-ungraded');
    await invoke('annotations.classes.set', { classList: { classes: [{ name: 'stenosis', grades: [] }], gradesEnabled: false }, reader: 'dr-flow' });
    assert.equal(await refuse('dataset.trainingSource', { splitId: split.id, classes: 'graded' }), 'class-list-binary');
    console.log(`cine → boxes → model: test AUC ${metrics.testAuc.toFixed(3)} on one held-out patient (2 positive, 8 negative patches; 30 epochs on one patient's 10)`);
  } finally {
    await closeAppContext(ctx);
    rmSync(root, { recursive: true, force: true });
  }
});
