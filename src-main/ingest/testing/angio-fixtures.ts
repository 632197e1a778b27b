// Angiography fixtures built at test time (the shared samples have no overlays, ECG, shutters, frame time vector,
// MONOCHROME1 or VOI LUT): angio-fixtures.py writes them from a real sample into a fresh temporary folder.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedDataDir } from '../../app/paths.ts';
import { runOracle } from '../../testing/oracle-tool.ts';
import { oraclePython } from '../../testing/python-oracle.ts';

export interface AngioFixtures {
  /** The temporary folder holding everything; the caller removes it. */
  dir: string;
  /** run, voiLut and window: one folder to import. */
  importDir: string;
  /** resent alone: the VOI LUT file again, same SOP Instance UID, other bytes. */
  resentDir: string;
  files: { run: string; voiLut: string; window: string; resent: string };
}

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'angio-fixtures.py');
export const FIXTURE_SOURCE = join(sharedDataDir(), 'dicom', 'xa', 'XA1_UNC.dcm');

/** Writes the fixtures (see angio-fixtures.py for what each file carries) and returns where they are. */
export function writeAngioFixtures(source: string = FIXTURE_SOURCE): AngioFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'angio-fixtures-'));
  const { stdout } = runOracle(oraclePython(), [SCRIPT, source, dir], { subject: source });
  const { files } = JSON.parse(stdout) as { files: AngioFixtures['files'] };
  return { dir, importDir: join(dir, 'import'), resentDir: join(dir, 'resent'), files };
}
