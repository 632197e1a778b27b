// Hostile manifest.csv files: paths that try to leave the imported folder (relative, absolute, Windows, encoded,
// NUL-laden), broken CSV (quotes, columns, BOM, huge lines) and random bytes. Each comes with whether it tries to
// leave the folder, so the test can demand a refusal for those.
import type { SeededRandom } from '../../../src-main/random/seeded-random.ts';

const pick = <T>(random: SeededRandom, items: readonly T[]): T => items[random.below(items.length)] as T;

export const ESCAPING_PATHS = [
  '../outside.png',
  '../../../../etc/passwd',
  '/etc/passwd',
  '/tmp/x.png',
  'a/../../b.png',
  './../x.png',
  '..\\..\\windows\\system32\\config\\sam',
  'C:\\Windows\\win.ini',
  'c:/x.png',
  '\\\\server\\share\\x.png',
  'labeled/../../..',
  '..',
];

const HARMLESS_ODD_PATHS = ['%2e%2e/%2e%2e/x.png', 'a/b\u0000/../c.png'.replace('/../', '/'), 'spaces in name.png', 'ünïcödé.png', '"quoted".png', '<img src=x onerror=alert(1)>.png', 'a'.repeat(5000)];

export const MANIFEST_MUTATION_KINDS = ['escaping-path', 'odd-path', 'broken-csv', 'random-bytes'] as const;

export interface ManifestCase {
  kind: (typeof MANIFEST_MUTATION_KINDS)[number];
  detail: string;
  text: string;
  /** True when at least one row's path leaves the folder: the import must be refused. */
  escapes: boolean;
}

/** `files` are the folder's real patch paths (relative), used for the rows that should import. */
export function mutateManifest(files: readonly string[], random: SeededRandom): ManifestCase {
  const kind = pick(random, MANIFEST_MUTATION_KINDS);
  const good = files.map((f, i) => `${f},patient-${i % 3},${i % 2 ? 'positive' : 'negative'},study-${i},train`);
  const header = 'path,patient_id,label,study_id,split';
  if (kind === 'escaping-path') {
    const bad = pick(random, ESCAPING_PATHS);
    const rows = [...good];
    rows.splice(random.below(rows.length + 1), 0, `"${bad.replace(/"/g, '""')}",p-evil,positive,,train`);
    return { kind, detail: `row with path ${JSON.stringify(bad)}`, text: [header, ...rows].join(random.next() < 0.5 ? '\n' : '\r\n'), escapes: true };
  }
  if (kind === 'odd-path') {
    const odd = pick(random, HARMLESS_ODD_PATHS);
    return { kind, detail: `row with path ${JSON.stringify(odd.slice(0, 40))}`, text: [header, ...good, `"${odd.replace(/"/g, '""')}",p-odd,negative,,val`].join('\n'), escapes: false };
  }
  if (kind === 'broken-csv') {
    const variants = [
      `\uFEFF${header}\n${good.join('\n')}`,
      `${header}\n"${files[0]},unterminated\n${good.slice(1).join('\n')}`,
      `patient_id\n${good.join('\n')}`,
      `${header}\n${good.map((r) => r.split(',').slice(0, 1 + random.below(4)).join(',')).join('\n')}`,
      `${header}\n${good.join('\n')}\n${','.repeat(10_000)}`,
      `${header}\n${'x'.repeat(200_000)},p,positive`,
      '',
      '\n\n\n',
      `${header}\n${good.map((r) => `${r},extra,columns,"with ""quotes"""`).join('\n')}`,
    ];
    const which = random.below(variants.length);
    return { kind, detail: `broken CSV variant ${which}`, text: variants[which] as string, escapes: false };
  }
  const length = random.below(2048);
  const text = String.fromCharCode(...Array.from({ length }, () => random.below(256)));
  return { kind, detail: `${length} random characters`, text: random.next() < 0.5 ? `${header}\n${text}` : text, escapes: false };
}
