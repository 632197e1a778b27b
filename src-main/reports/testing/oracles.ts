// Outside tools that judge what the exporters write, run at test time: poppler (pdftoppm, pdftotext, pdfimages),
// dicom3tools (dciodvfy), dcmtk (dsrdump) and pydicom (attributes and every nested reference of a file).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runPython } from '../../testing/python-oracle.ts';

function run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function pdfText(path: string): string {
  const result = run('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-']);
  if (result.status !== 0) throw new Error(`pdftotext failed on ${path}: ${result.stderr}`);
  // run() reads bytes as latin1 (dsrdump's output); pdftotext writes UTF-8, so "°" and "–" need decoding.
  return Buffer.from(result.stdout, 'latin1').toString('utf8');
}

/** pdfimages -list rows: page and size of every embedded image. */
export function pdfImages(path: string): { page: number; width: number; height: number; color: string }[] {
  const result = run('pdfimages', ['-list', path]);
  if (result.status !== 0) throw new Error(`pdfimages failed on ${path}: ${result.stderr}`);
  return result.stdout
    .split('\n')
    .slice(2)
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => cells.length > 5)
    .map((cells) => ({ page: Number(cells[0]), width: Number(cells[3]), height: Number(cells[4]), color: cells[5] as string }));
}

/** Renders every page to PNG (prefix-N.png) and returns the files, in page order. */
export function renderPdf(path: string, outPrefix: string, dpi = 60): string[] {
  const result = run('pdftoppm', ['-r', String(dpi), '-png', path, outPrefix]);
  if (result.status !== 0) throw new Error(`pdftoppm failed on ${path}: ${result.stderr}`);
  const dir = join(outPrefix, '..');
  const stem = outPrefix.slice(dir.length + 1);
  return readdirSync(dir).filter((f) => f.startsWith(`${stem}-`) && f.endsWith('.png')).sort((a, b) => Number(a.match(/-(\d+)\.png$/)?.[1]) - Number(b.match(/-(\d+)\.png$/)?.[1])).map((f) => join(dir, f));
}

/** dciodvfy's error lines (warnings are left out). */
export function dciodvfyErrors(path: string): string[] {
  const result = run('dciodvfy', [path]);
  return `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => /^Error/.test(line.trim()));
}

export function dsrdump(path: string): { status: number | null; output: string; problems: string[] } {
  const result = run('dsrdump', [path]);
  const output = `${result.stdout}\n${result.stderr}`;
  return { status: result.status, output, problems: output.split('\n').filter((line) => /^[EF]:/.test(line)) };
}

export interface DicomSummary {
  attributes: Record<string, string>;
  /** Every (0008,1155) Referenced SOP Instance UID at any depth. */
  references: string[];
  /** Every text value at any depth, with its keyword. */
  values: [string, string][];
}

/** pydicom's reading of files: top-level attributes, nested references and every value. */
export function pydicomSummary(paths: string[]): Record<string, DicomSummary> {
  return runPython<Record<string, DicomSummary>>(
    `
import json, sys, pydicom
paths = json.loads(sys.stdin.read())
out = {}
for path in paths:
    ds = pydicom.dcmread(path)
    refs, values = [], []
    def walk(d):
        for el in d:
            if el.VR == 'SQ':
                for item in el.value:
                    walk(item)
            elif el.tag == 0x7fe00010:
                continue
            else:
                if el.tag == 0x00081155:
                    refs.append(str(el.value))
                if el.VR not in ('OB', 'OW', 'UN', 'US', 'SS', 'UL', 'SL', 'FL', 'FD', 'AT'):
                    vals = el.value if isinstance(el.value, pydicom.multival.MultiValue) else [el.value]
                    for v in vals:
                        if v not in (None, ''):
                            values.append([el.keyword or str(el.tag), str(v)])
    walk(ds)
    attrs = {}
    for el in ds:
        if el.VR not in ('SQ', 'OB', 'OW', 'UN') and el.keyword:
            attrs[el.keyword] = str(el.value) if el.value is not None else ''
    attrs['TransferSyntaxUID'] = str(ds.file_meta.TransferSyntaxUID)
    attrs['MediaStorageSOPInstanceUID'] = str(ds.file_meta.MediaStorageSOPInstanceUID)
    out[path] = {'attributes': attrs, 'references': refs, 'values': values}
print(json.dumps(out))
`,
    paths,
  );
}
