// Loads the one native addon (simulator + libtorch engine) from its build folder. A missing or broken build is
// reported, not thrown, so the app still starts and the system panel can say what is wrong.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const ADDON_RELATIVE_PATH = join('src-main', 'native', 'build', 'Release', 'angio_native.node');

export type AddonLoad<T> = { loaded: true; addon: T; path: string } | { loaded: false; error: string; path: string };

const cache = new Map<string, AddonLoad<unknown>>();

/** `appRoot` is the project (or unpacked app) folder; ANGIO_ADDON_PATH overrides the location. */
export function loadAddon<T extends { version(): string }>(appRoot: string): AddonLoad<T> {
  const path = process.env.ANGIO_ADDON_PATH ?? join(appRoot, ADDON_RELATIVE_PATH);
  const cached = cache.get(path);
  if (cached) return cached as AddonLoad<T>;
  let result: AddonLoad<T>;
  if (!existsSync(path)) {
    result = { loaded: false, path, error: `native addon not built at ${path}: run \`npm run setup\`` };
  } else {
    try {
      const nodeRequire = createRequire(import.meta.url);
      result = { loaded: true, path, addon: nodeRequire(path) as T };
    } catch (error) {
      result = { loaded: false, path, error: `native addon at ${path} failed to load: ${(error as Error).message}` };
    }
  }
  cache.set(path, result);
  return result;
}
