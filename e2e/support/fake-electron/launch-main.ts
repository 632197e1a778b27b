// Loads the built main bundle under the fake electron, as one "app launch": each call forgets what the previous
// launch registered and evaluates the bundle afresh (a new module URL), so a test can start the app several times.
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../../src-main/app/paths.ts';

register(new URL('./hooks.ts', import.meta.url));
const fake = await import('./electron.ts');
const mainUrl = pathToFileURL(join(projectRoot(), 'out', 'main', 'index.js')).href;
let launches = 0;

export const { recorded, fakeConfig, emitApp, fakeEvent, resetFake } = fake;

export async function launchMain(config: Partial<typeof fake.fakeConfig> = {}, env: Record<string, string | undefined> = {}): Promise<typeof fake.recorded> {
  fake.resetFake(config);
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    await import(`${mainUrl}?launch=${++launches}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return fake.recorded;
}

/** Ends a launch the way Electron would on quit (closes the catalog). */
export async function quitMain(): Promise<void> {
  fake.emitApp('will-quit', fake.fakeEvent());
  await new Promise((resolve) => setTimeout(resolve, 20));
}
