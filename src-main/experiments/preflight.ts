// Checks the data an experiment needs before any training starts: every labelled split exists and holds both
// classes, and the unlabelled pool exists when a self-supervised model is asked for.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../ipc/index.ts';
import type { ExperimentConfig } from './config.ts';

export interface DatasetCounts {
  splits: Record<'train' | 'val' | 'test', { positive: number; negative: number }>;
  unlabeled: number;
}

function countPngs(dir: string): number | null {
  try {
    return readdirSync(dir).filter((name) => name.toLowerCase().endsWith('.png')).length;
  } catch {
    return null;
  }
}

export function preflight(config: ExperimentConfig): DatasetCounts {
  const problems: string[] = [];
  const splits = {} as DatasetCounts['splits'];
  for (const split of ['train', 'val', 'test'] as const) {
    const counts = { positive: 0, negative: 0 };
    for (const label of ['positive', 'negative'] as const) {
      const dir = join(config.dataset.labeledRoot, split, label);
      const count = countPngs(dir);
      if (count === null) problems.push(`${dir} is missing`);
      else counts[label] = count;
    }
    if (counts.positive + counts.negative > 0 && (counts.positive === 0 || counts.negative === 0)) {
      problems.push(`the ${split} split has ${counts.positive} positive and ${counts.negative} negative images: it needs both classes`);
    }
    splits[split] = counts;
  }
  const wantsPretraining = config.models.some((model) => model.startsWith('ssl-'));
  let unlabeled = 0;
  if (wantsPretraining && config.dataset.unlabeledDir !== null) {
    const count = countPngs(config.dataset.unlabeledDir);
    if (count === null) problems.push(`the unlabelled folder ${config.dataset.unlabeledDir} is missing`);
    else unlabeled = count;
  }
  if (problems.length > 0) {
    throw new AppError('experiment-dataset-invalid', `The experiment "${config.title}" cannot start: ${problems.join('; ')}. Nothing was trained; fix the dataset location in the configuration.`, { problems });
  }
  return { splits, unlabeled };
}
