// A PACS on loopback for tests: dcmqrscp with a database indexed by dcmqridx, holding copies of some files and
// knowing one peer (the app) for C-MOVE.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, LOOPBACK, runTool, startTool, waitForPort } from './dcmtk.ts';

export interface Pacs {
  aeTitle: string;
  port: number;
  /** dcmqrscp's storage folder: what it holds and what it received. */
  storage: string;
  stop(): Promise<void>;
}

/** Starts dcmqrscp holding copies of `files`, able to C-MOVE to `mover` (our AE title, address and port). */
export async function startPacs(dir: string, files: readonly string[], mover: { aeTitle: string; port: number }): Promise<Pacs> {
  const storage = join(dir, 'pacs');
  mkdirSync(storage, { recursive: true });
  const held = files.map((file, i) => {
    const copy = join(storage, `held${i}.dcm`);
    copyFileSync(file, copy);
    chmodSync(copy, 0o644); // dcmqrscp reads them as itself whatever the source's mode
    return copy;
  });
  const index = await runTool('dcmqridx', [storage, ...held], 30_000);
  assert.equal(index.status, 0, `dcmqridx failed: ${index.stderr}`);
  const port = await freePort();
  const config = join(dir, 'dcmqrscp.cfg');
  writeFileSync(
    config,
    [
      `NetworkTCPPort = ${port}`,
      'MaxPDUSize = 16384',
      'MaxAssociations = 16',
      'HostTable BEGIN',
      `angio = (${mover.aeTitle}, ${LOOPBACK}, ${mover.port})`,
      'HostTable END',
      'VendorTable BEGIN',
      'VendorTable END',
      'AETable BEGIN',
      `PACS ${storage} RW (200, 1024mb) ANY`,
      'AETable END',
      '',
    ].join('\n'),
  );
  // Forking mode (dcmqrscp's single-process mode ends after one association); -xy proposes JPEG baseline for C-MOVE.
  const tool = startTool('dcmqrscp', ['-xy', '-c', config, String(port)]);
  await waitForPort(port);
  return { aeTitle: 'PACS', port, storage, stop: () => tool.stop() };
}
