// One instance of each store for the whole session, made once by the app frame from the API it was given, so an
// import keeps running, a run stays open and a training keeps its progress while the user moves between screens.
// The frame makes them under itself (never unmounted) because a class $derived belongs to the effect that was
// active when it was made (Svelte 5.55.3+, sveltejs/svelte#18489): a store made inside a screen would freeze when
// that screen unmounts. Components reach the stores through Svelte context (useStores), never through a global.
import { getContext, setContext } from 'svelte';
import type { AngioApi } from '../lib/api.ts';
import { PixelMasksDraft } from '../screens/viewer/pixel-masks.svelte.ts';
import { ReportsStore } from '../screens/reports/reports.svelte.ts';
import { QcaTool } from '../screens/viewer/qca/qca-tool.svelte.ts';
import { AnnotationStore } from './annotations.svelte.ts';
import { CurationStore } from './curation.svelte.ts';
import { FullFrameEvaluationStore } from './full-frame-evaluation.svelte.ts';
import { ImportStore } from './import.svelte.ts';
import { InferenceView } from './inference-view.svelte.ts';
import { LibraryStore } from './library.svelte.ts';
import { MediaImportStore } from './media-import.svelte.ts';
import { Navigation } from './navigation.svelte.ts';
import { NetworkSettingsStore } from './network-settings.svelte.ts';
import { PacsQueryStore } from './pacs-query.svelte.ts';
import { ReadersStore } from './readers.svelte.ts';
import { ResultsStore } from './results.svelte.ts';
import { RunFoldersStore } from './run-folders.svelte.ts';
import { SplitsStore } from './splits.svelte.ts';
import { SystemStore } from './system.svelte.ts';
import { createThumbnailCache, type ThumbnailCache } from './thumbnails.ts';
import { TrainingStore } from './training.svelte.ts';
import { TransfersStore } from './transfers.svelte.ts';
import { ViewerStore } from './viewer/index.ts';

export interface Stores {
  /** The API itself, for the few components that ask main one question and keep no state. */
  readonly api: AngioApi;
  /** Which screen shows and what the viewer opens. */
  readonly navigation: Navigation;
  /** The side panel's system facts and self-check. */
  readonly system: SystemStore;
  readonly library: LibraryStore;
  readonly importer: ImportStore;
  readonly viewer: ViewerStore;
  /** The Viewer's model side (prediction, scanning, map layer); it reads the frame on screen from the viewer. */
  readonly inference: InferenceView;
  readonly annotations: AnnotationStore;
  readonly qca: QcaTool;
  readonly pixelMasks: PixelMasksDraft;
  readonly thumbnails: ThumbnailCache;
  readonly readers: ReadersStore;
  readonly curation: CurationStore;
  readonly splits: SplitsStore;
  readonly training: TrainingStore;
  readonly runFolders: RunFoldersStore;
  readonly results: ResultsStore;
  readonly fullFrameEvaluation: FullFrameEvaluationStore;
  readonly media: MediaImportStore;
  readonly networkSettings: NetworkSettingsStore;
  readonly transfers: TransfersStore;
  readonly pacsQuery: PacsQueryStore;
  readonly reports: ReportsStore;
}

/** Makes every store once over `api`, wired so that whatever adds studies refreshes the library. */
export function createStores(api: AngioApi): Stores {
  const library = new LibraryStore(api);
  const refreshLibrary = () => void library.refresh();
  const viewer = new ViewerStore(api);
  const readers = new ReadersStore(api);
  const importer = new ImportStore(api);
  importer.onFinished = refreshLibrary;
  const media = new MediaImportStore(api);
  media.onImported = refreshLibrary;
  const transfers = new TransfersStore(api);
  transfers.onArrived = refreshLibrary;
  const pacsQuery = new PacsQueryStore(api);
  pacsQuery.onRetrieved = refreshLibrary;
  return {
    api,
    navigation: new Navigation(),
    system: new SystemStore(api),
    library,
    importer,
    viewer,
    inference: new InferenceView(api, viewer),
    annotations: new AnnotationStore(api),
    qca: new QcaTool(api),
    pixelMasks: new PixelMasksDraft(api),
    thumbnails: createThumbnailCache((params) => api.pixels['library.thumbnail'](params)),
    readers,
    curation: new CurationStore(api, readers),
    splits: new SplitsStore(api, readers),
    training: new TrainingStore(api),
    runFolders: new RunFoldersStore(api),
    results: new ResultsStore(api),
    fullFrameEvaluation: new FullFrameEvaluationStore(api),
    media,
    networkSettings: new NetworkSettingsStore(api),
    transfers,
    pacsQuery,
    reports: new ReportsStore(api),
  };
}

/** .dcm files the system asked the app to open (at launch or while it runs) are imported, shown in the Library. */
export function watchOpenRequests(stores: Stores): () => void {
  const take = async () => {
    const result = await stores.api.invoke['system.openRequests']({});
    if (!result.ok || result.value.paths.length === 0) return;
    stores.navigation.go('library');
    await stores.importer.importFiles(result.value.paths);
  };
  const stop = stores.api.on('system.openFiles', () => void take());
  void take();
  return stop;
}

const STORES = Symbol('angio stores');

/** Makes `stores` what useStores gives every component below the caller; called by the app frame. */
export function provideStores(stores: Stores): void {
  setContext(STORES, stores);
}

/** The session's stores, from a component's script (Svelte context: only while the component initialises). */
export function useStores(): Stores {
  const stores = getContext<Stores | undefined>(STORES);
  if (!stores) throw new Error('No stores in context: the app frame makes them (provideStores) before any screen.');
  return stores;
}
