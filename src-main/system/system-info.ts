// The live "system" panel's facts: versions, folders, and whether the native addon loaded.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SystemInfo } from '../../src-preload/contract.ts';
import { loadAddon } from '../native/index.ts';

export interface SystemInfoDeps {
  appRoot: string;
  dataDir: string;
  sharedDataDir: string;
  host: SystemInfo['host'];
  startedAt: Date;
}

export function readSystemInfo(deps: SystemInfoDeps): SystemInfo {
  const pkg = JSON.parse(readFileSync(join(deps.appRoot, 'package.json'), 'utf8')) as { version: string; productName?: string; name: string };
  const addon = loadAddon(deps.appRoot);
  return {
    appName: pkg.productName ?? pkg.name,
    appVersion: pkg.version,
    nodeVersion: process.versions.node,
    electronVersion: process.versions.electron ?? null,
    platform: `${process.platform}-${process.arch}`,
    host: deps.host,
    dataDir: deps.dataDir,
    sharedDataDir: deps.sharedDataDir,
    sharedDataPresent: existsSync(deps.sharedDataDir),
    addon: addon.loaded
      ? { loaded: true, version: addon.addon.version(), error: null }
      : { loaded: false, version: null, error: addon.error },
    startedAt: deps.startedAt.toISOString(),
  };
}
