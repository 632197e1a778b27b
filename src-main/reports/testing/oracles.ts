// Outside tools that judge what the exporters write, run at test time: poppler (pdftoppm, pdftotext, pdfimages),
// dicom3tools (dciodvfy), dcmtk (dsrdump) and pydicom (attributes and every nested reference of a file).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OracleToolError, runOracle } from '../../testing/oracle-tool.ts';
import { runPython } from '../../testing/python-oracle.ts';

export function pdfText(path: string): string {
  return runOracle('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { subject: path }).stdout;
}

/** pdfimages -list rows: page and size of every embedded image. */
export function pdfImages(path: string): { page: number; width: number; height: number; color: string }[] {
  return runOracle('pdfimages', ['-list', path], { subject: path })
    .stdout.split('\n')
    .slice(2)
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => cells.length > 5)
    .map((cells) => ({ page: Number(cells[0]), width: Number(cells[3]), height: Number(cells[4]), color: cells[5] as string }));
}

/** Renders every page to PNG (prefix-N.png) and returns the files, in page order. */
export function renderPdf(path: string, outPrefix: string, dpi = 60): string[] {
  runOracle('pdftoppm', ['-r', String(dpi), '-png', path, outPrefix], { subject: path });
  const dir = join(outPrefix, '..');
  const stem = outPrefix.slice(dir.length + 1);
  return readdirSync(dir).filter((f) => f.startsWith(`${stem}-`) && f.endsWith('.png')).sort((a, b) => Number(a.match(/-(\d+)\.png$/)?.[1]) - Number(b.match(/-(\d+)\.png$/)?.[1])).map((f) => join(dir, f));
}

/**
 * dciodvfy's error lines (warnings are left out). dciodvfy exits 1 exactly when it prints an error, so status and lines
 * must agree; a file it could not read (open or parse failed) throws rather than counting as one more error.
 */
export function dciodvfyErrors(path: string): string[] {
  const run = runOracle('dciodvfy', [path], { subject: path, encoding: 'latin1', acceptStatuses: [0, 1] });
  const lines = `${run.stdout}\n${run.stderr}`.split('\n').map((line) => line.trim());
  const unread = lines.filter((line) => /^Abort\b|read failed/.test(line));
  if (unread.length > 0) throw new OracleToolError('dciodvfy', `dciodvfy could not read ${path}: ${unread.join('; ')}`);
  const errors = lines.filter((line) => /(^|\s-\s)Error - /.test(line));
  if ((run.status === 1) !== errors.length > 0) {
    const said = lines.join('\n').slice(-4000);
    throw new OracleToolError('dciodvfy', `dciodvfy on ${path} exited ${run.status} with ${errors.length} error lines, which it never does:\n${said}`);
  }
  return errors;
}

/** dsrdump's reading of an SR: its text and its E:/F: lines. Throws when dcmtk cannot read the file as an SR document. */
export function dsrdump(path: string): { output: string; problems: string[] } {
  const run = runOracle('dsrdump', [path], { subject: path, encoding: 'latin1' });
  const output = `${run.stdout}\n${run.stderr}`;
  return { output, problems: output.split('\n').filter((line) => /^[EF]:/.test(line)) };
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
