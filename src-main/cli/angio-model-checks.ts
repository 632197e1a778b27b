// `angio calibrate` and `angio evaluate-shifts`: a model file checked on a labelled root (<root>/{val,test}/
// {positive,negative}). calibrate fits a temperature on val, reports the test split's reliability before and after
// and the Youden and triage operating points, and with --out writes the calibrated model file; evaluate-shifts
// scores the test split under every synthetic acquisition shift. --figures <dir> writes the figure (SVG + PNG).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { projectRoot } from '../app/index.ts';
import { TRIAGE_SENSITIVITY } from '../evaluation/index.ts';
import { reliabilityDiagramSpec, renderVegaLite, shiftRobustnessSpec, writeFigure } from '../evaluation/figures/index.ts';
import { AppError } from '../ipc/index.ts';
import { ClassifierRuntime, decodeModelFile, withCalibration } from '../inference/index.ts';
import { writeFileAtomic } from '../store/index.ts';
import { calibrationCheck, readLabelledSplit, saveShiftResults, shiftRobustness, type ShiftRobustness } from '../model-evaluation/index.ts';
import { commandArgs, printResult, UsageError } from './angio-output.ts';

const f3 = (v: number) => v.toFixed(3);

function modelAndData(command: string, values: { model?: string; data?: string }) {
  if (!values.model) throw new UsageError('model-missing', `Name the model file with --model <file> (model.angio from a training run). Run \`angio ${command} --help\` for usage.`);
  if (!values.data) throw new UsageError('data-missing', `Name the labelled root with --data <folder> (it holds val/ and test/, each with positive/ and negative/). Run \`angio ${command} --help\` for usage.`);
  const modelPath = resolve(values.model);
  if (!existsSync(modelPath) || !statSync(modelPath).isFile()) throw new AppError('model-file-missing', `No model file at ${modelPath}: give the model.angio of a training run.`);
  return { modelPath, dataRoot: resolve(values.data) };
}

function replicatesOf(value: string | undefined): number {
  const n = value === undefined ? 1000 : Number(value);
  if (!Number.isInteger(n) || n < 100 || n > 100_000) throw new UsageError('invalid-replicates', `--replicates ${value} is not a whole number from 100 to 100000.`);
  return n;
}

export async function calibrateCommand(args: string[]): Promise<void> {
  const { values } = commandArgs('calibrate', args, { model: { type: 'string' }, data: { type: 'string' }, sensitivity: { type: 'string' }, out: { type: 'string' }, figures: { type: 'string' } });
  const { modelPath, dataRoot } = modelAndData('calibrate', values);
  const target = values.sensitivity === undefined ? TRIAGE_SENSITIVITY : Number(values.sensitivity);
  if (!(target > 0 && target <= 1)) throw new UsageError('invalid-sensitivity', `--sensitivity ${values.sensitivity} is not a fraction in (0, 1], such as 0.9.`);
  const file = decodeModelFile(readFileSync(modelPath), modelPath);
  if (file.manifest.architecture.classNames && file.manifest.architecture.classNames.length > 2) {
    throw new AppError('calibration-graded', 'Temperature scaling here is fitted for a binary model; this model grades stenosis in several classes.');
  }
  const [validation, test] = [await readLabelledSplit(dataRoot, 'val'), await readLabelledSplit(dataRoot, 'test')];
  const runtime = await ClassifierRuntime.load(file, { appRoot: projectRoot() });
  let check;
  try {
    check = await calibrationCheck(runtime, validation, test, target);
  } finally {
    await runtime.release();
  }
  const { report, calibration } = check;
  let written: string | null = null;
  if (values.out) {
    written = resolve(values.out);
    writeFileAtomic(written, withCalibration(file, calibration));
  }
  let figure: { svg: string; png: string } | null = null;
  if (values.figures) {
    const rendered = await renderVegaLite(reliabilityDiagramSpec([
      { label: 'as trained', reliability: report.test.before },
      { label: `temperature ${f3(report.fit.temperature)}`, reliability: report.test.after },
    ]));
    figure = writeFigure(resolve(values.figures), 'fig7-reliability', rendered);
  }
  const document = {
    model: modelPath,
    temperature: report.fit.temperature,
    validation: { images: check.validationImages, nllBefore: report.fit.nllBefore, nllAfter: report.fit.nllAfter, eceBefore: calibration.eceBefore, eceAfter: calibration.eceAfter },
    test: {
      images: report.test.images,
      nllBefore: report.test.nllBefore,
      nllAfter: report.test.nllAfter,
      eceBefore: report.test.before.expectedCalibrationError,
      eceAfter: report.test.after.expectedCalibrationError,
      eceIntervals: report.test.eceIntervals,
      binsBefore: report.test.before.bins,
      binsAfter: report.test.after.bins,
    },
    operatingPoints: report.operatingPoints,
    written,
    figure,
  };
  printResult(values.json, document, [
    `temperature ${f3(report.fit.temperature)} fitted on ${check.validationImages} validation images (NLL ${f3(report.fit.nllBefore)} → ${f3(report.fit.nllAfter)})`,
    `test (${report.test.images} images): ECE ${f3(document.test.eceBefore)} (${f3(report.test.eceIntervals.before.low)}–${f3(report.test.eceIntervals.before.high)}) → ${f3(document.test.eceAfter)} (${f3(report.test.eceIntervals.after.low)}–${f3(report.test.eceIntervals.after.high)}), difference 95 % interval ${f3(report.test.eceIntervals.difference.low)} to ${f3(report.test.eceIntervals.difference.high)}, NLL ${f3(report.test.nllBefore)} → ${f3(report.test.nllAfter)}`,
    ...report.operatingPoints.map((p) => `${p.rule}: threshold ${f3(p.threshold)} (${p.chosenBy}); validation sensitivity ${f3(p.validation.sensitivity)}, specificity ${f3(p.validation.specificity)}; test sensitivity ${f3(p.test.sensitivity)}, specificity ${f3(p.test.specificity)}`),
    ...(written ? [`calibrated model written to ${written}`] : []),
    ...(figure ? [`reliability diagram: ${figure.png}`] : []),
  ]);
}

/** An earlier `evaluate-shifts --json` document, drawn beside this model's rows (--compare; its name from `name`). */
function comparedResult(path: string): { name: string; result: ShiftRobustness } {
  let document: ShiftRobustness & { name?: string; model?: string };
  try {
    document = JSON.parse(readFileSync(resolve(path), 'utf8'));
  } catch {
    throw new AppError('compare-unreadable', `--compare ${path} is not the --json output of an earlier evaluate-shifts run.`);
  }
  if (!document?.unshifted || !Array.isArray(document.shifts)) throw new AppError('compare-unreadable', `--compare ${path} is not the --json output of an earlier evaluate-shifts run.`);
  return { name: document.name ?? basename(dirname(document.model ?? path)), result: document };
}

export async function evaluateShiftsCommand(args: string[]): Promise<void> {
  const { values } = commandArgs('evaluate-shifts', args, { model: { type: 'string' }, data: { type: 'string' }, split: { type: 'string' }, replicates: { type: 'string' }, figures: { type: 'string' }, compare: { type: 'string' }, name: { type: 'string' }, save: { type: 'boolean' } });
  const { modelPath, dataRoot } = modelAndData('evaluate-shifts', values);
  const replicates = replicatesOf(values.replicates);
  const split = values.split ?? 'test';
  const file = decodeModelFile(readFileSync(modelPath), modelPath);
  const test = await readLabelledSplit(dataRoot, split);
  const runtime = await ClassifierRuntime.load(file, { appRoot: projectRoot() });
  let result;
  try {
    result = await shiftRobustness(runtime, test, { replicates, onShift: values.json ? undefined : (done, total) => process.stderr.write(`\rshift ${done} of ${total}`) });
  } finally {
    await runtime.release();
  }
  if (!values.json) process.stderr.write('\n');
  let figure: { svg: string; png: string } | null = null;
  if (values.figures) {
    const series = [...(values.compare ? [comparedResult(values.compare)] : []), { name: values.name ?? file.manifest.name, result }];
    const rows = series.flatMap(({ name, result: r }) => [
      { model: name, shift: 'none', auc: r.unshifted.auc, low: r.unshifted.low, high: r.unshifted.high },
      ...r.shifts.map((row) => ({ model: name, shift: row.label, auc: row.auc, low: row.low, high: row.high })),
    ]);
    const spec = shiftRobustnessSpec(rows, series.map(({ name, result: r }) => ({ model: name, auc: r.unshifted.auc })));
    figure = writeFigure(resolve(values.figures), 'fig8-shift-robustness', await renderVegaLite(spec));
  }
  const document = { model: modelPath, ...(values.name ? { name: values.name } : {}), split, ...result, figure };
  const saved = values.save ? saveShiftResults(modelPath, dataRoot, split, result) : null;
  printResult(values.json, document, [
    `${split}: ${result.images} images (${result.positives} with stenosis); unshifted AUC ${f3(result.unshifted.auc)} (${f3(result.unshifted.low)}–${f3(result.unshifted.high)})`,
    ...result.shifts.map((r) => `${r.label}: AUC ${f3(r.auc)} (${f3(r.low)}–${f3(r.high)}), difference ${r.difference >= 0 ? '+' : ''}${f3(r.difference)} (${f3(r.differenceLow)} to ${f3(r.differenceHigh)})`),
    ...(figure ? [`figure: ${figure.png}`] : []),
    ...(saved ? [`saved beside the model: ${saved} (the Results screen shows it for the run on this ${split} split)`] : []),
  ]);
}
