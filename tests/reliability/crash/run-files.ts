// Whether a training run's folder is usable after a crash: every engine file in it is read back by the engine
// itself (its header hash turns a torn or altered file into checkpoint-corrupt), every JSON file parses, and what
// the catalog says about the run points at files that exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrainingConfig, type TrainingConfigInput } from '../../../src-main/training/config.ts';
import { decodeModelFile } from '../../../src-main/inference/model-file/model-file.ts';
import { RUN_FILES } from '../../../src-main/training/driver.ts';
import { INFERENCE_MODEL_FILE } from '../../../src-main/training/inference-export.ts';
import { loadEngine, sessionSpecFor, type TrainingSession } from '../../../src-main/training/engine.ts';
import { preprocessingSpec } from '../../../src-main/preprocessing/index.ts';
import { RUN_CONFIG_FILE } from '../../../src-main/training/run-job.ts';

export type RunFilesChecker = (runDir: string, referenced?: Record<string, string> | null) => Promise<string[]>;

/** A checker for runs of `config`: one engine session, with stand-in image sets so any stage's checkpoint loads. */
export function runFilesChecker(config: TrainingConfigInput): RunFilesChecker {
  const parsed = parseTrainingConfig(config);
  const session: TrainingSession = new (loadEngine().TrainingSession)(sessionSpecFor(parsed, preprocessingSpec(parsed.imageSize)));
  const blank = new Uint8Array(2 * parsed.imageSize * parsed.imageSize);
  for (const set of ['pretrain', 'train', 'val', 'test']) session.setImages(set, blank, set === 'pretrain' ? null : new Int32Array([0, 1]), parsed.imageSize);

  return async (runDir, referenced) => {
    const problems: string[] = [];
    const attempt = async (name: string, read: () => unknown) => {
      try {
        await read();
      } catch (error) {
        problems.push(`${join(runDir, name)}: ${(error as Error).message}`);
      }
    };
    if (existsSync(join(runDir, RUN_FILES.checkpoint))) {
      await attempt(RUN_FILES.checkpoint, async () => {
        const meta = JSON.parse(await session.loadCheckpoint(join(runDir, RUN_FILES.checkpoint))) as { loop?: { history?: unknown[] } };
        if (!Array.isArray(meta.loop?.history)) throw new Error('the checkpoint carries no loop state');
      });
    }
    for (const name of [RUN_FILES.best, RUN_FILES.model]) {
      if (existsSync(join(runDir, name))) await attempt(name, () => session.importModel(join(runDir, name)));
    }
    if (existsSync(join(runDir, INFERENCE_MODEL_FILE))) {
      await attempt(INFERENCE_MODEL_FILE, () => decodeModelFile(readFileSync(join(runDir, INFERENCE_MODEL_FILE)), INFERENCE_MODEL_FILE));
    }
    for (const name of [RUN_CONFIG_FILE, RUN_FILES.result]) {
      if (existsSync(join(runDir, name))) await attempt(name, () => JSON.parse(readFileSync(join(runDir, name), 'utf8')));
    }
    for (const [role, path] of Object.entries(referenced ?? {})) {
      if (!existsSync(path)) problems.push(`the catalog names ${path} as the run's ${role}, and it is missing`);
    }
    return problems;
  };
}

/** Temporary files a killed write left in a run folder (the next start of the run removes them). */
export function temporaryFiles(runDir: string): string[] {
  return existsSync(runDir) ? readdirSync(runDir).filter((name) => name.endsWith('.tmp')) : [];
}
