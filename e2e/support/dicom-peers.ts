// Real DICOM media and peers for the Network e2e test, on loopback: a disc folder with a DICOMDIR written by dcmtk's
// dcmmkdir, and a PACS (dcmqrscp with a database indexed by dcmqridx) that knows our AE title for C-MOVE.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, LOOPBACK, runTool, startTool, waitForPort } from '../../src-main/network/testing/dcmtk.ts';

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Copies `sources` to <dir>/IMAGES/IM0001… and writes <dir>/DICOMDIR over them; returns each copy's path in order. */
export async function writeDisc(dir: string, sources: readonly string[]): Promise<string[]> {
  mkdirSync(join(dir, 'IMAGES'), { recursive: true });
  const copies = sources.map((source, i) => {
    const copy = join(dir, 'IMAGES', `IM${String(i + 1).padStart(4, '0')}`);
    copyFileSync(source, copy);
    chmodSync(copy, 0o644);
    return copy;
  });
  // General Purpose profile, inventing missing type 1 attributes and admitting compressed syntaxes (as media.test.ts).
  const run = await runTool('dcmmkdir', ['+I', '-Pgp', '-Nxc', '-Nec', '-Nrc', '+r', '+D', join(dir, 'DICOMDIR'), '+id', dir, 'IMAGES'], 60_000);
  assert.equal(run.status, 0, `dcmmkdir failed: ${run.stderr}`);
  return copies;
}

export interface Pacs {
  aeTitle: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts dcmqrscp holding copies of `files`, able to C-MOVE to `mover` (our AE title, address and port). */
export async function startPacs(dir: string, files: readonly string[], mover: { aeTitle: string; port: number }): Promise<Pacs> {
  const storage = join(dir, 'pacs');
  mkdirSync(storage, { recursive: true });
  const held = files.map((file, i) => {
    const copy = join(storage, `held${i}.dcm`);
    copyFileSync(file, copy);
    chmodSync(copy, 0o644);
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
  return { aeTitle: 'PACS', port, stop: () => tool.stop() };
}

/** Sends files with dcmtk's storescu as `callingAe`; resolves with its exit status and output. */
export function storescu(files: readonly string[], callingAe: string, calledAe: string, port: number, options: string[] = []): ReturnType<typeof runTool> {
  return runTool('storescu', [...options, '-aet', callingAe, '-aec', calledAe, '-to', '10', LOOPBACK, String(port), ...files], 60_000);
}
