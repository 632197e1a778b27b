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

export const TRAIN_USAGE = `usage: angio train <job.json> [--resume] [--json]
       angio train <job.json> --local-ranks N
       angio train <job.json> --world-size N --rank R --rendezvous host:port [--bind address] [--allow-public]
  Runs the training job { "runDir", "config", "source" } (the app's training settings and dataset folders).
  --local-ranks N starts N data-parallel ranks on this machine (loopback, a fresh token). On several machines,
  run the command on each with the same --world-size and --rendezvous (rank 0's address) and its own --rank; every
  rank needs the same secret in ANGIO_RENDEZVOUS_TOKEN (or --token) and the same data and run folder contents.
  Gloo is not authenticated and nothing is encrypted: use a trusted network. Loopback and private addresses only,
  unless --allow-public. config.batchSize is the global batch, split over the ranks; rank 0 writes the run's files.
  --timeout S: seconds a rank waits for the others (default 60). --json prints { status, rank, worldSize, history,
  metrics, files }; a lost rank fails the others with code rank-lost, and --resume continues from the checkpoint.`;

export const QCA_USAGE = `usage: angio qca <file.dcm> --start X,Y --end X,Y [--frame N] [--calibration isocenter|manual:<mm-per-pixel>|catheter:<French>:<x1>,<y1>:<x2>,<y2>] [--json]
  Quantitative coronary analysis of the vessel segment between two points (pixels: column,row) on one frame
  (--frame, 0-based; default: the suggested end-diastolic frame): centreline, both lumen edges, the diameter profile,
  MLD, reference diameter, % diameter stenosis, % area stenosis (circular lumen assumed) and lesion length.
  Calibration: the file's isocenter geometry by default; catheter:<French> measures the catheter between the two
  points (6 F = 2.00 mm); manual gives mm per pixel. Without any, every length is in pixels and says so.
  --json prints { calibration: { method, mmPerPixel }, mldMm, referenceMm, diameterStenosisPct, areaStenosisPct,
  lesionLengthMm, profile: [{ distanceMm, diameterMm }] } (pixel units, mmPerPixel null, when uncalibrated).`;

export const CALIBRATE_USAGE = `usage: angio calibrate --model <file> --data <labelled root> [--sensitivity 0.9] [--out <file>] [--figures <folder>] [--json]
  Fits temperature scaling (one T minimising the NLL) on <root>/val with the network's own probabilities, and
  reports on <root>/test the expected calibration error and NLL before and after (10 equal-width bins), and two
  thresholds chosen on val: Youden's and the highest with sensitivity >= --sensitivity (triage), each with its test
  sensitivity and specificity. --out writes the model file with T stored (every probability it then shows is
  calibrated; its threshold is carried onto the new scale, so decisions stay the same). --figures writes
  fig7-reliability.svg/.png. --json prints { model, temperature, validation: { images, nllBefore, nllAfter,
  eceBefore, eceAfter }, test: { images, nllBefore, nllAfter, eceBefore, eceAfter, eceIntervals: { before, after, difference:
  { low, high } }, binsBefore, binsAfter },
  operatingPoints: [{ rule, chosenBy, threshold, validation: { sensitivity, specificity }, test: { sensitivity,
  specificity } }], written, figure }.`;

export const EVALUATE_SHIFTS_USAGE = `usage: angio evaluate-shifts --model <file> --data <labelled root> [--split test] [--replicates 1000] [--figures <folder> [--name <label>] [--compare <earlier.json>]] [--save] [--json]
  Scores <root>/<split> unshifted and under each synthetic acquisition shift (contrast, gamma, Gaussian blur,
  Gaussian noise, down-up rescaling, JPEG quality 75/50, log and sigmoid detector curves, 2-4 severities each),
  applied to every patch at its own resolution before the model's preprocessing. Each AUC carries a percentile-
  bootstrap interval and its difference from the unshifted AUC a paired one (same resamples). --figures writes
  fig8-shift-robustness.svg/.png; --compare draws an earlier run's --json output beside it (before/after), each
  labelled by its --name. --save keeps the result beside the model file (shift-robustness.json), where the Results
  screen shows it (table and Fig. 8) for the run that wrote the model, when the split is its test split. --json prints { model, name (when given), split, images, positives, replicates, unshifted: { auc, low,
  high }, shifts: [{ family, parameter, label, auc, low, high, difference, differenceLow, differenceHigh }], figure }.`;

export const EVALUATE_TTA_USAGE = `usage: angio evaluate-tta --model <file> [--model <file>…] --data <labelled root> [--views identity,hflip] [--views …] [--replicates 1000] [--json]
  Scores <root>/val and <root>/test with each model alone and, given several --model, with their ensemble (the mean
  of their probabilities), first plain and then with test-time augmentation: the mean probability over each --views
  set (identity, hflip, vflip, rot180, applied to the model's prepared input; default: identity,hflip and all four).
  Each AUC carries a percentile-bootstrap interval, and its difference from the first model's plain AUC on the same
  images a paired-bootstrap interval and DeLong's p. The cost is measured in the same run: passes = views × models,
  seconds and images/s over both splits, and the multiple of the first model's plain time. chosen is the highest
  validation AUC (fewer passes on a tie); choose on validation, report test. A model is named by its run folder.
  --json prints { models: [{ name, path }], data, validation: { images, positives }, test: { images, positives },
  replicates, baseline, chosen, machine: { cpu, cores }, configurations: [{ name, models, views, passes,
  validation: { auc, low, high, versusBaseline: { difference, low, high, deLongP } | null }, test: { same },
  cost: { seconds, imagesPerSecond, measuredMultiple } }] }.`;

export const USAGE = `usage: angio <command> [options]

commands:
${[IMPORT_USAGE, PREDICT_USAGE, REPORT_USAGE, TRAIN_USAGE, QCA_USAGE, CALIBRATE_USAGE, EVALUATE_SHIFTS_USAGE, EVALUATE_TTA_USAGE].map((usage) => `  ${usage.split('\n')[0]!.replace('usage: ', '')}`).join('\n')}

Run \`angio <command> --help\` for a command's details. The library is the folder ANGIO_DATA_DIR
(default: .data in the project folder). --json prints one JSON document on stdout; a failure prints one
{"code", "message"} JSON line on stderr and exits non-zero (2: the command was called wrongly).`;
