// What `angio --help` and `angio <command> --help` print: kept apart from the commands so that help loads nothing else.

export const IMPORT_USAGE = `usage: angio import <folder|file>… [--json]
  Imports DICOM files and PNG/JPEG patches (folders are walked) into the library in ANGIO_DATA_DIR.
  Prints the counts (imported, duplicate, rejected, unsupported, document), each rejected or unsupported file
  with its reason, and the studies the files belong to (their ids are what \`angio report\` takes).`;

export const PREDICT_USAGE = `usage: angio predict <png|dcm> --model <file> [--frame N] [--json]
  Runs a model file (model.angio) on a PNG patch or one frame of a DICOM file (--frame, 0-based, default 0).
  An image no larger than 1.5× the model's input side is read whole (kind "patch", no candidates); a larger one is
  scanned with windows of the model's input side in the image's pixels (kind "scan"): its candidates are the scan's
  top regions, and the image's probability, uncertainty and out-of-distribution state are its best candidate's.
  --json prints { kind, probability, threshold, uncertainty, ood, candidates: [{ frame, x, y, width, height,
  probability, uncertainty, ood }] }; uncertainty is the MC-dropout standard deviation of P(stenosis).`;

export const REPORT_USAGE = `usage: angio report <file|study-id> --model <file> --out <folder> [--pdf] [--sr] [--json]
  Computes findings with the model file on the study's image instances (their key frames) and writes, into
  --out, the study PDF (--pdf) and the DICOM Comprehensive SR with Secondary Captures (--sr); neither flag: both.
  A file is imported into the library (ANGIO_DATA_DIR) first and only its own instances are read; a study id is one
  that \`angio import\` printed. Exports are de-identified (research mode) and never overwrite a file.`;

export const USAGE = `usage: angio <command> [options]

commands:
${[IMPORT_USAGE, PREDICT_USAGE, REPORT_USAGE].map((usage) => `  ${usage.split('\n')[0]!.replace('usage: ', '')}`).join('\n')}

Run \`angio <command> --help\` for a command's details. The library is the folder ANGIO_DATA_DIR
(default: .data in the project folder). --json prints one JSON document on stdout; a failure prints one
{"code", "message"} JSON line on stderr and exits non-zero (2: the command was called wrongly).`;
