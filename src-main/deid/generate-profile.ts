// Turns DICOM PS3.15 Table E.1-1 (the standard's JSON, ../shared/standards) into basic-profile-table.ts, which the
// app loads, so the app runs without ../shared. Usage: node src-main/deid/generate-profile.ts [table.json]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedDataDir } from '../app/index.ts';

export const GENERATED_PROFILE_PATH = fileURLToPath(new URL('./basic-profile-table.ts', import.meta.url));

export function standardTablePath(): string {
  return join(sharedDataDir(), '..', 'standards', 'ps3.15-table-e1-1.json');
}

/** The option columns of Table E.1-1, by the names the standard's JSON gives them. */
export const OPTION_COLUMNS = [
  'rtnSafePrivOpt', 'rtnUIDsOpt', 'rtnDevIdOpt', 'rtnInstIdOpt', 'rtnPatCharsOpt', 'rtnLongFullDatesOpt',
  'rtnLongModifDatesOpt', 'cleanDescOpt', 'cleanStructContOpt', 'cleanGraphOpt',
] as const;

interface TableRow {
  name: string;
  tag: string;
  id: string;
  stdCompIOD: string;
  basicProfile: string;
  [column: string]: string;
}

/** A single-quoted TS string literal (the table's names hold quotes and line breaks). */
const quote = (value: string): string => `'${JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;

function renderRow(row: TableRow): string {
  const options = OPTION_COLUMNS.filter((column) => row[column]).map((column) => `${column}: ${quote(row[column] as string)}`);
  const fields = [
    `id: ${quote(row.id)}`,
    `basic: ${quote(row.basicProfile)}`,
    `name: ${quote(row.name)}`,
    ...(options.length ? [`options: { ${options.join(', ')} }`] : []),
  ];
  return `  { ${fields.join(', ')} },`;
}

/** The whole generated module for a table, rows in tag order so a new edition of the standard diffs line by line. */
export function renderProfileModule(table: readonly TableRow[]): string {
  for (const row of table) {
    if (typeof row.id !== 'string' || typeof row.basicProfile !== 'string') throw new Error(`Table E.1-1 row ${JSON.stringify(row).slice(0, 120)} has no id or basic profile action`);
  }
  const rows = [...table].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [
    '// Generated from DICOM PS3.15 Table E.1-1 by generate-profile.ts; do not edit (regenerate instead).',
    '// One row per attribute: its tag (xx = any group of a repeating group), the basic profile action and the option columns.',
    "import type { ProfileRow } from './profile-row.ts';",
    '',
    'export const BASIC_PROFILE_ROWS: readonly ProfileRow[] = [',
    ...rows.map(renderRow),
    '];',
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = process.argv[2] ?? standardTablePath();
  writeFileSync(GENERATED_PROFILE_PATH, renderProfileModule(JSON.parse(readFileSync(source, 'utf8')) as TableRow[]));
  console.log(`wrote ${GENERATED_PROFILE_PATH} from ${source}`);
}
