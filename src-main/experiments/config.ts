// An experiment configuration file: which data, which models, how many seeds and what training budget.
// Everything is checked here, before any training starts (unknown model, missing dataset, one-class split).
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../ipc/index.ts';
import { MODEL_IDS } from './model-catalog.ts';

export const ExperimentConfigSchema = z
  .object({
    title: z.string().min(1).max(200),
    dataset: z
      .object({
        /** P-ADSD layout: <labeledRoot>/{train,val,test}/{positive,negative}/*.png; relative paths are from the shared data folder. */
        labeledRoot: z.string().min(1),
        unlabeledDir: z.string().min(1).nullable().default(null),
        name: z.string().max(200).default('P-ADSD patches'),
        source: z.string().max(1000).default('Ovalle-Magallanes et al., Electronics 2022 (LRSE-Net), from ADSD (Danilov et al., Sci Rep 2021)'),
        license: z.string().max(200).default('CC BY 4.0'),
      })
      .strict(),
    models: z.array(z.enum(MODEL_IDS, { error: (issue) => `unknown model ${JSON.stringify(issue.input)}; choose from ${MODEL_IDS.join(', ')}` })).min(1),
    seeds: z.array(z.number().int().min(0)).min(1).default([0, 1, 2]),
    /** Training settings shared by every model (see src-main/training/config.ts). */
    training: z.record(z.string(), z.unknown()).default({}),
    /** Per-model overrides of the shared settings. */
    perModel: z.partialRecord(z.enum(MODEL_IDS), z.record(z.string(), z.unknown())).default({}),
    /** Bootstrap resamples for the confidence intervals. */
    bootstrapReplicates: z.number().int().min(100).max(100_000).default(2000),
    /** Also score each SSL-Quantum run's test split under the synthetic acquisition shifts (a minute or two per run). */
    shiftRobustness: z.boolean().default(false),
  })
  .strict();

export type ExperimentConfig = z.output<typeof ExperimentConfigSchema>;

export function parseExperimentConfig(input: unknown, sharedDataDir: string, source = 'configuration'): ExperimentConfig {
  const parsed = ExperimentConfigSchema.safeParse(input);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new AppError('experiment-config-invalid', `The experiment ${source} is invalid: ${reasons}. Nothing was trained.`, parsed.error.issues);
  }
  const config = parsed.data;
  const fromShared = (path: string) => (isAbsolute(path) ? path : join(sharedDataDir, path));
  return {
    ...config,
    dataset: {
      ...config.dataset,
      labeledRoot: fromShared(config.dataset.labeledRoot),
      unlabeledDir: config.dataset.unlabeledDir === null ? null : fromShared(config.dataset.unlabeledDir),
    },
  };
}

export function readExperimentConfig(path: string, sharedDataDir: string): ExperimentConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('experiment-config-unreadable', `Cannot read the experiment configuration ${path}: ${(error as Error).message}.`);
  }
  return parseExperimentConfig(raw, sharedDataDir, `configuration ${resolve(path)}`);
}

/** Configurations shipped with the app, by name (experiments/<name>.json at the project root). */
export function bundledConfigPath(appRoot: string, name: string): string {
  return join(appRoot, 'experiments', `${name}.json`);
}
