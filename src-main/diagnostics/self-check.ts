// A self-check job the user can run from the system panel: each component is exercised for real and reported
// as it finishes (store round-trip, addon call, shared data readable, data folder writable).
import { accessSync, constants, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventBus } from '../ipc/index.ts';
import type { JobContext } from '../jobs/index.ts';
import { loadAddon } from '../native/index.ts';
import type { Store } from '../store/index.ts';

export interface SelfCheckDeps {
  appRoot: string;
  dataDir: string;
  sharedDataDir: string;
  store: Store;
  bus: EventBus;
}

interface Check {
  name: string;
  run(): string;
}

function checks(deps: SelfCheckDeps): Check[] {
  return [
    {
      name: 'catalog',
      run: () => {
        const row = deps.store.db.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
        if (row.integrity_check !== 'ok') throw new Error(`integrity check says ${row.integrity_check}`);
        return `${deps.store.path} passes integrity_check`;
      },
    },
    {
      name: 'data folder',
      run: () => {
        const probe = mkdtempSync(join(deps.dataDir, '.probe-'));
        writeFileSync(join(probe, 'write-test'), 'ok');
        rmSync(probe, { recursive: true });
        return `${deps.dataDir} is writable`;
      },
    },
    {
      name: 'native addon',
      run: () => {
        const addon = loadAddon(deps.appRoot);
        if (!addon.loaded) throw new Error(addon.error);
        return `version ${addon.addon.version()}`;
      },
    },
    {
      name: 'shared data',
      run: () => {
        accessSync(deps.sharedDataDir, constants.R_OK);
        return `${readdirSync(deps.sharedDataDir).join(', ')} under ${deps.sharedDataDir}`;
      },
    },
  ];
}

export async function runSelfCheck(deps: SelfCheckDeps, job: JobContext, delayMs: number): Promise<{ passed: number; failed: number }> {
  const list = checks(deps);
  let passed = 0;
  for (const [index, check] of list.entries()) {
    job.throwIfCancelled();
    job.progress('checking', index, list.length, check.name);
    let ok = true;
    let detail: string;
    try {
      detail = check.run();
    } catch (error) {
      ok = false;
      detail = (error as Error).message;
    }
    if (ok) passed++;
    deps.bus.emit('diagnostics.check', { jobId: job.jobId, name: check.name, ok, detail });
    if (delayMs > 0) await sleep(delayMs, undefined, { signal: job.signal }).catch(() => undefined);
  }
  job.throwIfCancelled();
  job.progress('checking', list.length, list.length, 'done');
  return { passed, failed: list.length - passed };
}

/** A deterministic 16-bit ramp: lets tests and the UI verify the binary pixel path end to end. */
export function testPattern(width: number, height: number): Uint16Array {
  const pixels = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = (x * 257 + y * 31) & 0xffff;
  return pixels;
}
