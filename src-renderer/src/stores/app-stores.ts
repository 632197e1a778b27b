// One instance of each screen store for the whole session, so an import keeps running and a run stays open while
// the user moves between screens. App.svelte makes them at start-up (see createScreenStores): a store made inside a
// screen would have its $derived fields frozen once that screen unmounts.
import { api } from '../lib/api.ts';
import { ImportStore } from './import.svelte.ts';
import { InferenceView } from './inference-view.svelte.ts';
import { LibraryStore } from './library.svelte.ts';
import { navigation } from './navigation.svelte.ts';
import { ViewerStore } from './viewer.svelte.ts';

let library: LibraryStore | undefined;
let importer: ImportStore | undefined;
let viewer: ViewerStore | undefined;
let inference: InferenceView | undefined;

export function libraryStore(): LibraryStore {
  return (library ??= new LibraryStore());
}

export function importStore(): ImportStore {
  if (!importer) {
    importer = new ImportStore();
    importer.onFinished = () => void libraryStore().refresh();
  }
  return importer;
}

export function viewerStore(): ViewerStore {
  return (viewer ??= new ViewerStore());
}

/** The Viewer's model side (prediction, scanning, map layer); it reads the frame on screen from the viewer store. */
export function inferenceView(): InferenceView {
  return (inference ??= new InferenceView(viewerStore()));
}

/** Makes every screen store now; called once by the app frame. */
export function createScreenStores(): void {
  libraryStore();
  importStore();
  viewerStore();
  inferenceView();
  watchOpenRequests();
}

/** .dcm files the system asked the app to open (at launch or while it runs) are imported, shown in the Library. */
function watchOpenRequests(): void {
  const take = async () => {
    const result = await api().invoke['system.openRequests']({});
    if (!result.ok || result.value.paths.length === 0) return;
    navigation.go('library');
    await importStore().importFiles(result.value.paths);
  };
  api().on('system.openFiles', () => void take());
  void take();
}
