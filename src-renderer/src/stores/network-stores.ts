// One instance of each networking store for the session, made by the app frame at start-up (createNetworkStores):
// the transfers list and the receiver's status follow their events even while another screen shows, and a query,
// retrieve or media import keeps running when the user moves away. (A store made inside a screen would have its
// reactive fields tied to that screen's effects: sveltejs/svelte#18489.)
import { libraryStore } from './app-stores.ts';
import { MediaImportStore } from './media-import.svelte.ts';
import { NetworkSettingsStore } from './network-settings.svelte.ts';
import { PacsQueryStore } from './pacs-query.svelte.ts';
import { TransfersStore } from './transfers.svelte.ts';

let media: MediaImportStore | undefined;
let settings: NetworkSettingsStore | undefined;
let transfers: TransfersStore | undefined;
let query: PacsQueryStore | undefined;

export function mediaImportStore(): MediaImportStore {
  if (!media) {
    media = new MediaImportStore();
    media.onImported = () => void libraryStore().refresh();
  }
  return media;
}

export const networkSettingsStore = (): NetworkSettingsStore => (settings ??= new NetworkSettingsStore());
export function transfersStore(): TransfersStore {
  if (!transfers) {
    transfers = new TransfersStore();
    transfers.onArrived = () => void libraryStore().refresh();
  }
  return transfers;
}

export function pacsQueryStore(): PacsQueryStore {
  if (!query) {
    query = new PacsQueryStore();
    query.onRetrieved = () => void libraryStore().refresh();
  }
  return query;
}

/** Makes every networking store now; called once by the app frame. */
export function createNetworkStores(): void {
  mediaImportStore();
  networkSettingsStore();
  transfersStore();
  pacsQueryStore();
}
