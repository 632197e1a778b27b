// Everything a run reads from disk, loaded once per run: the class list, labelled splits and, for SSL, the
// pretraining pool.
import { join } from 'node:path';
import type { DatasetSource, TrainingConfig } from './config.ts';
import { loadLabeledSplit, loadUnlabeled, poolImages } from './dataset.ts';
import type { TrainingData } from './driver.ts';
import type { PreprocessingSpec } from '../preprocessing/index.ts';
import { readTrainingClassList } from './training-classes.ts';

export function loadTrainingData(source: DatasetSource, config: TrainingConfig, preprocessing: PreprocessingSpec): TrainingData {
  const classList = readTrainingClassList(source.labeledRoot);
  const train = loadLabeledSplit(source.labeledRoot, 'train', preprocessing, classList);
  const val = loadLabeledSplit(source.labeledRoot, 'val', preprocessing, classList);
  const test = loadLabeledSplit(source.labeledRoot, 'test', preprocessing, classList);
  let pretrain = null;
  if (config.method !== 'supervised' && config.pretrain.epochs > 0) {
    const limit = config.pretrain.unlabeledLimit > 0 ? config.pretrain.unlabeledLimit : undefined;
    const unlabeled = source.unlabeledDir ? [loadUnlabeled(source.unlabeledDir, preprocessing, limit)] : [];
    pretrain = poolImages([...unlabeled, train]);
  }
  return { pretrain, train, val, test, classList };
}

/** The P-ADSD layout under the shared data folder. */
export function padsdSource(sharedData: string): DatasetSource {
  return { labeledRoot: join(sharedData, 'p-adsd', 'labeled'), unlabeledDir: join(sharedData, 'p-adsd', 'unlabeled') };
}
