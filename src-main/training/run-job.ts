// One training run end to end, as the worker thread and the standalone process both execute it: parse the config,
// record it beside the checkpoints, load and preprocess the images, drive the engine.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/index.ts';
import { DatasetSourceSchema, parseTrainingConfig, type DatasetSource, type TrainingConfigInput } from './config.ts';
import { pinCpuKernels } from './cpu-kernels.ts';
import { loadEngine, type DistributedSpec } from './engine.ts';
import { describeMachine } from './machine.ts';
import type { MachineProfile } from './machine-profile.ts';
import { runTraining, type TrainingProgress, type TrainingResult } from './driver.ts';
import { preprocessingSpec } from '../preprocessing/index.ts';
import { loadTrainingData } from './training-data.ts';

export interface RunJob {
  runDir: string;
  config: TrainingConfigInput;
  source: DatasetSource;
  /**
   * Continue from runDir/checkpoint.pt with the config recorded there (the given config must be the same). A run
   * killed before it recorded anything starts over from the given config.
   */
  resume: boolean;
  progressIntervalMs?: number;
  /** This process is one rank of a data-parallel run (driver.ts DriverOptions.distributed). */
  distributed?: DistributedSpec;
}

export const RUN_CONFIG_FILE = 'run.json';

/** The driver's result and the machine that produced it (a resumed run: the machine that finished it). */
export type RunOutcome = TrainingResult & { machine: MachineProfile };

export async function executeRun(job: RunJob, signal: AbortSignal, onProgress: (p: TrainingProgress) => void): Promise<RunOutcome> {
  mkdirSync(job.runDir, { recursive: true });
  const recorded = join(job.runDir, RUN_CONFIG_FILE);
  let configInput = job.config;
  let source = DatasetSourceSchema.parse(job.source);
  const resumable = job.resume && existsSync(recorded);
  if (resumable) {
    const saved = JSON.parse(readFileSync(recorded, 'utf8')) as { config: TrainingConfigInput; source: DatasetSource };
    configInput = saved.config;
    source = saved.source;
  }
  const config = parseTrainingConfig(configInput);
  const preprocessing = preprocessingSpec(config.imageSize, config.input);
  // Before the engine loads: libtorch's libraries read the pins once, when they start.
  const pins = config.reproducible ? pinCpuKernels(config.threads) : null;
  const engine = loadEngine();
  const machine = describeMachine(engine, config.threads, pins);
  // Atomic: a kill while it is written must not leave a torn run.json that every later resume fails to parse.
  if (!resumable && (job.distributed?.rank ?? 0) === 0) writeFileAtomic(recorded, JSON.stringify({ config, source, preprocessing, machine }, null, 2));
  const data = loadTrainingData(source, config, preprocessing);
  const result = await runTraining({
    engine,
    runDir: job.runDir,
    config,
    preprocessing,
    data,
    resume: job.resume,
    exportForInference: true,
    signal,
    onProgress,
    progressIntervalMs: job.progressIntervalMs,
    distributed: job.distributed,
  });
  return { ...result, machine };
}
