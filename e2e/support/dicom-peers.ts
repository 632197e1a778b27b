// Real DICOM media and peers for the Network e2e test, on loopback: a disc folder with a DICOMDIR written by dcmtk's
// dcmmkdir, and the PACS the network unit tests use (src-main/network/testing/pacs.ts).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOOPBACK, runTool } from '../../src-main/network/testing/dcmtk.ts';

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

export { startPacs, type Pacs } from '../../src-main/network/testing/pacs.ts';

/** Sends files with dcmtk's storescu as `callingAe`; resolves with its exit status and output. */
export function storescu(files: readonly string[], callingAe: string, calledAe: string, port: number, options: string[] = []): ReturnType<typeof runTool> {
  return runTool('storescu', [...options, '-aet', callingAe, '-aec', calledAe, '-to', '10', LOOPBACK, String(port), ...files], 60_000);
}
