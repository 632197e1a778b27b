// An experiment as the evaluation layer leaves it: every model × seed run scored on one test set (predictions and
// labels), which model carries the quantum layer and which classical run is its ablation, the configuration and
// where the data came from. One zod schema: the IPC channel, the JSON file and the exporters share it.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../ipc/index.ts';

const PredictionSchema = z.object({
  id: z.string().min(1).max(512),
  label: z.union([z.literal(0), z.literal(1)]),
  score: z.number().min(0).max(1),
  patientId: z.string().max(128).optional(),
});

const AucIntervalSchema = z.object({ auc: z.number().min(0).max(1), low: z.number(), high: z.number() });

export const ExperimentRunSchema = z.object({
  model: z.string().min(1).max(120),
  seed: z.number().int(),
  threshold: z.number().min(0).max(1),
  predictions: z.array(PredictionSchema).min(1).max(100_000),
  /** Temperature scaling the run's model file carries; the predictions and threshold above stay the network's own. */
  calibration: z
    .object({
      temperature: z.number().positive(),
      triage: z.object({ targetSensitivity: z.number().min(0).max(1), threshold: z.number().min(0).max(1), sensitivity: z.number(), specificity: z.number() }).optional(),
      youden: z.object({ threshold: z.number().min(0).max(1), sensitivity: z.number(), specificity: z.number() }).optional(),
    })
    .optional(),
  /** Test AUC under synthetic acquisition shifts (model-evaluation/shift-robustness.ts), when measured. */
  shifts: z
    .object({
      images: z.number().int().positive(),
      positives: z.number().int().nonnegative(),
      replicates: z.number().int().positive(),
      unshifted: AucIntervalSchema,
      shifts: z.array(AucIntervalSchema.extend({
        family: z.string().max(40), parameter: z.number(), label: z.string().max(120),
        difference: z.number(), differenceLow: z.number(), differenceHigh: z.number(),
      })).max(200),
    })
    .optional(),
});

export const ExperimentRecordSchema = z.object({
  title: z.string().min(1).max(200),
  createdAt: z.string().max(64),
  runs: z.array(ExperimentRunSchema).min(1).max(200),
  quantum: z.object({
    /** The model with the quantum layer and its classical ablation (same pipeline, no circuit). */
    model: z.string().max(120),
    classicalAblation: z.string().max(120).nullable(),
    circuit: z.object({ qubits: z.number().int(), layers: z.number().int(), rotation: z.string().max(32), entangler: z.string().max(32), reupload: z.boolean() }),
    /** Per-image quantum contributions (probability − probability with ⟨Z⟩ at training mean) on the test set. */
    contributions: z.array(z.number()).max(100_000).default([]),
    /** Per seed: learned α, test AUC with and without the quantum path, mean ⟨Z_q⟩ per qubit by class. */
    analyses: z
      .array(
        z.object({
          seed: z.number().int(),
          alpha: z.number(),
          aucWithQuantum: z.number().min(0).max(1),
          aucQuantumAblated: z.number().min(0).max(1),
          meanAbsContribution: z.number(),
          zPositive: z.array(z.number().min(-1).max(1)).max(64),
          zNegative: z.array(z.number().min(-1).max(1)).max(64),
          zBoxes: z
            .array(z.object({ qubit: z.number().int().min(0), label: z.enum(['stenosis', 'no stenosis']), min: z.number(), q1: z.number(), median: z.number(), q3: z.number(), max: z.number() }))
            .max(128)
            .default([]),
        }),
      )
      .max(200)
      .default([]),
  }),
  configuration: z.record(z.string(), z.unknown()),
  provenance: z.object({
    dataset: z.string().max(400),
    source: z.string().max(1000),
    license: z.string().max(200),
    splits: z.record(z.string(), z.number().int().nonnegative()),
    patientLevelSplit: z.boolean(),
    notes: z.array(z.string().max(1000)).max(20).default([]),
    codeVersion: z.string().max(120),
  }),
});

export type ExperimentRecord = z.output<typeof ExperimentRecordSchema>;

export function readExperimentFile(path: string): ExperimentRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('experiment-unreadable', `Cannot read the experiment file ${path}: ${(error as Error).message}. Export the evaluation again.`, { path });
  }
  const parsed = ExperimentRecordSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('experiment-invalid', `${path} is not an experiment record: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}.`, { path });
  }
  return parsed.data;
}
