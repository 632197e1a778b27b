// Runs trained outside the app (`npm run demo`, `npm run experiment`) on the Training screen: the remembered run
// folders (a setting in main), opening another one by its path, and "Open in Viewer", which loads a run's model file
// in the Viewer's model picker and shows the Predict tab.
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import { describeError, type AngioApi } from '../lib/api.ts';
import type { InferenceView } from './inference-view.svelte.ts';
import type { Navigation } from './navigation.svelte.ts';

export type RunFolder = InvokeOutput<'training.runFolders'>['folders'][number];

export class RunFoldersStore {
  private readonly api: AngioApi;

  constructor(api: AngioApi) {
    this.api = api;
  }

  folders = $state<RunFolder[]>([]);
  /** The folder path being typed. */
  path = $state('');
  opening = $state(false);
  error = $state<string | null>(null);

  async refresh(): Promise<void> {
    const answer = await this.api.invoke['training.runFolders']({});
    if (answer.ok) this.folders = answer.value.folders;
    else this.error = describeError(answer);
  }

  async open(): Promise<void> {
    const path = this.path.trim();
    if (!path) return void (this.error = 'Type the path of a report folder of `npm run demo` or `npm run experiment` (or one of its runs) first.');
    this.opening = true;
    const answer = await this.api.invoke['training.openRunFolder']({ path });
    this.opening = false;
    if (!answer.ok) return void (this.error = describeError(answer));
    this.folders = answer.value.folders;
    this.path = '';
    this.error = null;
  }
}

/** Shows the Viewer's Predict tab with `modelPath` loaded (and remembered among its recent models). */
export async function openModelInViewer(view: InferenceView, navigation: Navigation, modelPath: string): Promise<void> {
  view.model.path = modelPath;
  view.tab = 'predict';
  navigation.go('viewer');
  await view.model.load(true);
}
