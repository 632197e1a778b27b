// `angio evaluate-tta`: one or more model files scored on a labelled root's val and test splits, plain, with
// test-time augmentation and (with several models) as an ensemble, each with its AUC, paired test against the first
// model's plain prediction, and the inference cost measured in the same run.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { projectRoot } from '../app/index.ts';
import { AppError } from '../ipc/index.ts';
import { ClassifierRuntime, decodeModelFile } from '../inference/index.ts';
import { DEFAULT_VIEW_SETS, evaluateTta, parseViewSet, readLabelledSplit, type NamedRuntime, type SplitFigures } from '../model-evaluation/index.ts';
import { commandArgs, printResult, UsageError } from './angio-output.ts';

const f3 = (v: number) => v.toFixed(3);

/** A model is named by its run folder (runs/ssl-quantum-seed1/model.angio → ssl-quantum-seed1); repeats get #2, #3. */
function modelNames(paths: readonly string[]): string[] {
  const names: string[] = [];
  for (const path of paths) {
    const own = basename(dirname(path)) || basename(path);
    let name = own;
    for (let k = 2; names.includes(name); k++) name = `${own} #${k}`;
    names.push(name);
  }
  return names;
}

function viewSetsOf(values: string[] | undefined) {
  if (!values || values.length === 0) return DEFAULT_VIEW_SETS;
  try {
    return values.map(parseViewSet);
  } catch (error) {
    throw new UsageError('invalid-views', (error as Error).message);
  }
}

function replicatesOf(value: string | undefined): number {
  const n = value === undefined ? 1000 : Number(value);
  if (!Number.isInteger(n) || n < 100 || n > 100_000) throw new UsageError('invalid-replicates', `--replicates ${value} is not a whole number from 100 to 100000.`);
  return n;
}

function figuresLine(split: string, f: SplitFigures): string {
  const versus = f.versusBaseline;
  const paired = versus ? `, ${versus.difference >= 0 ? '+' : ''}${f3(versus.difference)} (${f3(versus.low)} to ${f3(versus.high)}, DeLong p ${versus.deLongP < 0.001 ? '< 0.001' : f3(versus.deLongP)})` : '';
  return `${split} ${f3(f.auc)} (${f3(f.low)}–${f3(f.high)})${paired}`;
}

export async function evaluateTtaCommand(args: string[]): Promise<void> {
  const { values } = commandArgs('evaluate-tta', args, {
    model: { type: 'string', multiple: true }, data: { type: 'string' }, views: { type: 'string', multiple: true }, replicates: { type: 'string' },
  });
  if (!values.model || values.model.length === 0) throw new UsageError('model-missing', 'Name the model file with --model <file> (model.angio from a training run); repeat --model for an ensemble. Run `angio evaluate-tta --help` for usage.');
  if (!values.data) throw new UsageError('data-missing', 'Name the labelled root with --data <folder> (it holds val/ and test/, each with positive/ and negative/). Run `angio evaluate-tta --help` for usage.');
  const viewSets = viewSetsOf(values.views);
  const replicates = replicatesOf(values.replicates);
  const paths = values.model.map((path) => resolve(path));
  for (const path of paths) {
    if (!existsSync(path) || !statSync(path).isFile()) throw new AppError('model-file-missing', `No model file at ${path}: give the model.angio of a training run.`);
  }
  const dataRoot = resolve(values.data);
  const [validation, test] = [await readLabelledSplit(dataRoot, 'val'), await readLabelledSplit(dataRoot, 'test')];
  const names = modelNames(paths);
  const models: NamedRuntime[] = [];
  let result;
  try {
    for (const [i, path] of paths.entries()) {
      models.push({ name: names[i]!, runtime: await ClassifierRuntime.load(decodeModelFile(readFileSync(path), path), { appRoot: projectRoot() }) });
    }
    result = await evaluateTta(models, validation, test, { viewSets, replicates, onSplit: values.json ? undefined : (split) => process.stderr.write(`scoring ${split}…\n`) });
  } finally {
    await Promise.all(models.map((m) => m.runtime.release()));
  }
  const document = { models: paths.map((path, i) => ({ name: names[i]!, path })), data: dataRoot, ...result };
  printResult(values.json, document, [
    `validation ${result.validation.images} images (${result.validation.positives} with stenosis), test ${result.test.images} (${result.test.positives}); ${result.machine.cpu}, ${result.machine.cores} cores`,
    ...result.configurations.map((c) => `${c.name}: ${c.passes} pass${c.passes === 1 ? '' : 'es'} per image; AUC ${figuresLine('validation', c.validation)}; ${figuresLine('test', c.test)}; ${c.cost.imagesPerSecond.toFixed(0)} images/s (${c.cost.measuredMultiple.toFixed(2)}× the baseline's time)`),
    `baseline: ${result.baseline}; chosen on validation: ${result.chosen}`,
  ]);
}
