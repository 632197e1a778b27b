// The readers list as the Curation and Splits stores take it: loaded from the fake main before the store is made,
// as the app frame's registry has it loaded by the time a screen opens.
import type { AngioApi } from '../lib/api.ts';

/** A ReadersStore over `api`, already refreshed. Call after importing testing/svelte-modules.ts (it is a rune module). */
export async function loadedReaders(api: AngioApi) {
  const { ReadersStore } = await import('../stores/readers.svelte.ts');
  const readers = new ReadersStore(api);
  await readers.refresh();
  return readers;
}
