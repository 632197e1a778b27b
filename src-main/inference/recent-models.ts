// The Viewer's list of recently used model files, kept in the store's settings: the Viewer adds what it opens, a
// finished training run adds the model.angio it wrote, so a new model is one click away.
import { resolve } from 'node:path';
import { readRecent, rememberRecent } from '../app/index.ts';
import type { Store } from '../store/index.ts';

const RECENT_MODELS_SETTING = 'inference.recentModels';
const RECENT_MODELS_LIMIT = 8;

export function recentModels(store: Store): string[] {
  return readRecent(store, RECENT_MODELS_SETTING, RECENT_MODELS_LIMIT);
}

export function rememberModel(store: Store, modelPath: string): string[] {
  return rememberRecent(store, RECENT_MODELS_SETTING, resolve(modelPath), RECENT_MODELS_LIMIT);
}
