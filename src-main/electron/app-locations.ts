// Where the desktop app keeps things. Defaults live in the platform's user-data folder (%APPDATA%\<product>,
// ~/Library/Application Support/<product>, ~/.config/<product>); IT can move them with environment variables or
// the user's settings file, in this order: ANGIO_DATA_DIR / ANGIO_LOG_DIR, then <userData>/settings.json, then default.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export interface AppLocations {
  /** Chromium profile, settings.json, window-state.json. */
  userDataDir: string;
  /** The catalog, content-addressed files and models (large; may live on another volume). */
  dataDir: string;
  /** Rotating log files. */
  logDir: string;
  /** Which rule chose dataDir, for the log and the about box. */
  dataDirSource: 'env' | 'settings' | 'default';
}

export const SETTINGS_FILE = 'settings.json';

interface Settings {
  dataDir?: unknown;
  logDir?: unknown;
}

function readSettings(userDataDir: string, warn: (message: string) => void): Settings {
  const file = join(userDataDir, SETTINGS_FILE);
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Settings) : {};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn(`ignored ${file}: ${(error as Error).message}`);
    return {};
  }
}

function absolute(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' && isAbsolute(value) ? resolve(value) : null;
}

/**
 * `userDataDir` is Electron's app.getPath('userData') after ANGIO_USER_DATA_DIR was applied (see userDataOverride).
 * Relative paths in settings are ignored with a warning: a hospital install must not depend on the working folder.
 */
export function resolveAppLocations(userDataDir: string, env: NodeJS.ProcessEnv, warn: (message: string) => void): AppLocations {
  const settings = readSettings(userDataDir, warn);
  for (const key of ['dataDir', 'logDir'] as const) {
    if (settings[key] !== undefined && absolute(settings[key]) === null) warn(`settings.json ${key} must be an absolute path; using the default`);
  }
  const envData = absolute(env.ANGIO_DATA_DIR);
  const settingsData = absolute(settings.dataDir);
  return {
    userDataDir,
    dataDir: envData ?? settingsData ?? join(userDataDir, 'data'),
    dataDirSource: envData ? 'env' : settingsData ? 'settings' : 'default',
    logDir: absolute(env.ANGIO_LOG_DIR) ?? absolute(settings.logDir) ?? join(userDataDir, 'logs'),
  };
}

/** ANGIO_USER_DATA_DIR moves the whole profile (must be applied before the app is ready). */
export function userDataOverride(env: NodeJS.ProcessEnv): string | null {
  return absolute(env.ANGIO_USER_DATA_DIR);
}

/** DICOM files named on the command line (file association on Windows/Linux, a second launch). */
export function dicomPathsFromArgv(argv: readonly string[]): string[] {
  return argv.slice(1).filter((arg) => !arg.startsWith('-') && /\.dcm$/i.test(arg)).map((arg) => resolve(arg));
}
