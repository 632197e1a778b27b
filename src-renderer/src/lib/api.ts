// The renderer's only door to main: the typed API the preload (Electron) or the harness bridge put on window.angio.
import { API_GLOBAL, type AngioApi } from '../../../src-preload/api.ts';
import type { Result } from '../../../src-preload/contract.ts';

export function api(): AngioApi {
  const value = (window as unknown as Record<string, unknown>)[API_GLOBAL] as AngioApi | undefined;
  if (!value) throw new Error('The app services are not connected (window.angio is missing).');
  return value;
}

/** A human sentence for a failed call, for error banners. */
export function describeError(result: Result<unknown>): string {
  return result.ok ? '' : `${result.error.message} (${result.error.code})`;
}
