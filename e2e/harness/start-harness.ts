// Starts the real main services on a data folder and serves the built renderer to a browser over loopback.
// Used by the e2e tests and by `npm run harness` for a person to open the app in Chromium.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeAppContext, createAppContext, type AppContext } from '../../src-main/app/context.ts';
import { composeHandlers } from '../../src-main/app/handlers.ts';
import { projectRoot, sharedDataDir } from '../../src-main/app/paths.ts';
import { startLoopbackHost, type LoopbackHost } from '../../src-main/ipc/loopback-host.ts';
import { createIpcRegistry } from '../../src-main/ipc/registry.ts';

export interface Harness {
  url: string;
  ctx: AppContext;
  host: LoopbackHost;
  close(): Promise<void>;
}

export async function startHarness(options: { dataDir?: string; port?: number } = {}): Promise<Harness> {
  const root = projectRoot();
  const ctx = createAppContext({
    appRoot: root,
    dataDir: options.dataDir ?? mkdtempSync(join(tmpdir(), 'angio-harness-')),
    sharedDataDir: sharedDataDir(),
    host: 'harness',
    log: () => undefined,
  });
  const host = await startLoopbackHost({
    registry: createIpcRegistry(composeHandlers(ctx)),
    bus: ctx.bus,
    rendererDir: join(root, 'out', 'renderer'),
    bridgeFile: join(root, 'out', 'harness', 'bridge.js'),
    port: options.port,
  });
  return {
    url: host.url,
    ctx,
    host,
    close: async () => {
      await host.close();
      await closeAppContext(ctx);
    },
  };
}
