// The renderer's only door to main is the typed API the preload (Electron) or the harness bridge put on
// window.angio. The app frame reads it once (main.ts) and hands it to the store registry; stores and components
// receive it from there, so a test can give them a fake one built from the contract.
import { API_GLOBAL, type AngioApi } from '../../../src-preload/api.ts';
import type { Result } from '../../../src-preload/contract.ts';

export type { AngioApi };

/** The API the host put on the window; called once, by the app's entry point. */
export function connectedApi(host: object): AngioApi {
  const value = (host as Record<string, unknown>)[API_GLOBAL] as AngioApi | undefined;
  if (!value) throw new Error('The app services are not connected (window.angio is missing).');
  return value;
}

/** A human sentence for a failed call, for error banners. */
export function describeError(result: Result<unknown>): string {
  return result.ok ? '' : `${result.error.message} (${result.error.code})`;
}
