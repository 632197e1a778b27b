// The corpus coverage table (docs/dicom-coverage.md): one row per file and per re-encoding, each with the checks that
// ran on it and their measured result, written by the corpus test when ANGIO_WRITE_COVERAGE=1.
import { writeFileSync } from 'node:fs';

export interface CoverageRow {
  file: string;
  /** 'original', or the encoder command that wrote this copy. */
  encoding: string;
  syntax: string;
  decoder: string;
  frames: string;
  /** Stored values against the independent decoder: exact, PSNR, a refusal or a rejection reason. */
  stored: string;
  /** The Viewer's 8-bit output against dcm2pnm, or why there is none. */
  screen: string;
  /** The frames e2e/viewer-corpus.test.ts or e2e/viewer-re-encodings.test.ts reads back from the canvas in Chromium, or '—'. */
  chromium: string;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function coverageMarkdown(rows: readonly CoverageRow[], summary: readonly string[]): string {
  const header = ['file', 'encoding', 'transfer syntax', 'decoder', 'frames', 'stored values vs oracle', 'screen vs dcm2pnm', 'canvas in Chromium'];
  const lines = [
    '# DICOM decoding coverage',
    '',
    'Written by `ANGIO_WRITE_COVERAGE=1 node --test src-main/ingest/corpus-coverage.test.ts`: every file under',
    '`../shared/data/dicom`, and each image re-encoded at test time by dcmtk and gdcm, decoded by the app (readDicom,',
    'describeImage, decodeFrame) and compared with an independent decoder (dcmtk, gdcm, pydicom). Stored values: exact for',
    'lossless syntaxes; PSNR over the stored range for lossy ones, against the oracle decoding the same stream and against',
    'the values before encoding (reported only: that is the encoder\'s fidelity). Screen: the Viewer\'s 8-bit output for every',
    'frame of every original and re-encoding, with the window it opens with (the file\'s first window or VOI LUT, else its own default),',
    'computed in Node with the renderer\'s pure mapping (src-renderer/src/lib/voi.ts after dicomViewerFrame: Modality LUT,',
    'VOI LUT or window, palette, photometric conversion, MONOCHROME1), against dcm2pnm with the same window: max',
    '|difference| in grey levels (a lossy copy against dcm2pnm of the oracle\'s decode of the same lossy stream). In Chromium,',
    'e2e/viewer-corpus.test.ts imports every original through the Library, opens it in the Viewer and holds the canvas to',
    'dcm2pnm with the same window, within one grey level (YBR_FULL: exactly pydicom\'s conversion, dcm2pnm within its',
    'truncation), on the frames of the last column: the first, and the first, middle and last of a multi-frame file.',
    'e2e/viewer-re-encodings.test.ts holds every re-encoding that dcm2pnm renders to the same check on the same frames,',
    'drawn by the Viewer\'s own store and FrameCanvas on a test page (e2e/screen-check) from frames decoded by the code',
    'behind the library.frame route, many files per page load; one copy per encoder setting also goes through the Library',
    'import and the Viewer. "DIFFERS FROM dcm2pnm BY THE STANDARD" marks a copy where the Viewer follows PS3.3 and dcm2pnm',
    'does not (the reason is in the cell).',
    '',
    ...summary.map((line) => `- ${line}`),
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${[row.file, row.encoding, row.syntax, row.decoder, row.frames, row.stored, row.screen, row.chromium].map(cell).join(' | ')} |`),
    '',
  ];
  return lines.join('\n');
}

export function writeCoverageTable(path: string, rows: readonly CoverageRow[], summary: readonly string[]): void {
  writeFileSync(path, coverageMarkdown(rows, summary));
}
