// The de-identification probe as a fuzz input: imported into the campaign's data folder before the mutated cases,
// then, after them, every byte of that folder outside the vault is searched for the probe's markers and its
// marker-named folder and file. The fuzzed imports write the catalog, its WAL and the blobs meanwhile, so a marker
// that survives only under churn (a free page, a log message, a rejected file's name) is found too.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { standardTablePath } from '../../../src-main/deid/generate-profile.ts';
import { buildProbe, PATH_MARKERS, type TableRow } from '../../../src-main/deid/testing/probe.ts';

export interface ProbeInput {
  /** The folder to import: the probe lies under marker-named folders inside it (deid/testing/probe.ts). */
  root: string;
  /** Texts none of which may appear outside the vault (marker values, folder and file names). */
  needles: string[];
}

/** Where each needle occurs in the data folder outside its vault: "needle in relative/path" per hit. */
export function probeMarkersFound(dataDir: string, needles: readonly string[]): string[] {
  const files = (readdirSync(dataDir, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
    .filter((file) => !relative(dataDir, file).startsWith('vault'));
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(file).toString('latin1');
    for (const needle of needles) if (text.includes(needle)) found.push(`"${needle}" in ${relative(dataDir, file)}`);
  }
  return found;
}

/** Writes the probe (pydicom, from the standard's table) under root and returns it as a campaign input. Dates are left
 * out of the needles: the import shifts them, and a shifted date may land on another row's marker date. */
export function buildProbeInput(root: string): ProbeInput {
  const table = JSON.parse(readFileSync(standardTablePath(), 'utf8')) as TableRow[];
  const probe = buildProbe(table, root, 'explicit');
  const values = probe.markers
    .filter((m) => m.searchable && m.vr !== 'DA' && m.vr !== 'DT')
    .map((m) => (/^[0-9a-f]+$/.test(m.value) && ['OB', 'OW', 'UN'].includes(m.vr) ? Buffer.from(m.value, 'hex').toString('latin1').trim() : m.value));
  return { root, needles: [...new Set([...values, PATH_MARKERS.folder, PATH_MARKERS.file.replace(/\.dcm$/, '')])] };
}
