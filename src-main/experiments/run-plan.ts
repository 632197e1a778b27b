// Turns an experiment configuration into the list of training runs (model × seed) with fully parsed settings,
// so an invalid setting for any model fails before the first run starts.
import { AppError } from '../ipc/index.ts';
import { TrainingConfigSchema, type TrainingConfig } from '../training/index.ts';
import type { ExperimentConfig } from './config.ts';
import { MODEL_CATALOG, type ModelId } from './model-catalog.ts';

export interface PlannedRun {
  model: ModelId;
  label: string;
  seed: number;
  config: TrainingConfig;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Later layers win; nested objects (pretrain, finetune, quantum…) merge key by key. */
export function mergeSettings(...layers: Record<string, unknown>[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      merged[key] = isPlainObject(value) && isPlainObject(merged[key]) ? mergeSettings(merged[key] as Record<string, unknown>, value) : value;
    }
  }
  return merged;
}

/** Seed-major order: an experiment stopped part-way has every model at its first seeds, a comparable partial table. */
export function planRuns(config: ExperimentConfig): PlannedRun[] {
  const settingsOf = new Map(config.models.map((model) => [model, mergeSettings(config.training, config.perModel[model] ?? {}, MODEL_CATALOG[model].training)]));
  const runs: PlannedRun[] = [];
  for (const seed of config.seeds) {
    for (const model of config.models) {
      const parsed = TrainingConfigSchema.safeParse({ ...settingsOf.get(model), seed });
      if (!parsed.success) {
        const reasons = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
        throw new AppError('experiment-config-invalid', `The training settings for ${model} are invalid: ${reasons}. Nothing was trained.`);
      }
      runs.push({ model, label: MODEL_CATALOG[model].label, seed, config: parsed.data });
    }
  }
  return runs;
}
