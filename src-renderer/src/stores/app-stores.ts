// One instance of each screen store for the whole session, so an import keeps running and a run stays open while
// the user moves between screens. App.svelte makes them at start-up (see createScreenStores): a store made inside a
// screen would have its $derived fields frozen once that screen unmounts.
import { ImportStore } from './import.svelte.ts';
import { LibraryStore } from './library.svelte.ts';
import { ViewerStore } from './viewer.svelte.ts';

let library: LibraryStore | undefined;
let importer: ImportStore | undefined;
let viewer: ViewerStore | undefined;

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

/** Makes every screen store now; called once by the app frame. */
export function createScreenStores(): void {
  libraryStore();
  importStore();
  viewerStore();
}
