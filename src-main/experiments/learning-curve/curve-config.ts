// A learning-curve configuration: which experiment's data and training budget to start from, the label counts,
// seeds and qubit counts, and how many optimisation steps the smallest label counts are guaranteed.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../ipc/index.ts';
import { type ExperimentConfig, readExperimentConfig } from '../config.ts';

export const LearningCurveConfigSchema = z
  .object({
    title: z.string().min(1).max(200),
    /** The experiment whose dataset and training settings every run uses (a path relative to this file). */
    experiment: z.string().min(1),
    /** Training settings laid over the experiment's (e.g. a smaller budget for a test). */
    training: z.record(z.string(), z.unknown()).default({}),
    labelCounts: z.array(z.number().int().min(2)).min(1),
    seeds: z.array(z.number().int().min(0)).min(1),
    /** Asked at the smallest label count only; the experiment's own qubit count is the SSL-Quantum arm everywhere. */
    qubitCounts: z.array(z.number().int().min(1).max(20)).default([]),
    /**
     * A run with fewer labels than this repeats its epochs (head, fine-tuning and patience, by the whole factor
     * ⌈stepFloorLabels / labels⌉): at a fixed epoch budget 50 labels would give the heads one step an epoch at batch
     * 32, and the curve would measure under-training rather than labels. 0 = epochs as given.
     */
    stepFloorLabels: z.number().int().min(0).default(0),
    bootstrapReplicates: z.number().int().min(100).max(100_000).default(2000),
  })
  .strict();

export type LearningCurveConfig = z.output<typeof LearningCurveConfigSchema> & { base: ExperimentConfig; path: string };

export function readLearningCurveConfig(path: string, sharedDataDir: string): LearningCurveConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('experiment-config-unreadable', `Cannot read the learning-curve configuration ${path}: ${(error as Error).message}.`);
  }
  const parsed = LearningCurveConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new AppError('experiment-config-invalid', `The learning-curve configuration ${resolve(path)} is invalid: ${reasons}. Nothing was trained.`);
  }
  const experimentPath = isAbsolute(parsed.data.experiment) ? parsed.data.experiment : join(dirname(resolve(path)), parsed.data.experiment);
  return { ...parsed.data, base: readExperimentConfig(experimentPath, sharedDataDir), path: resolve(path) };
}
