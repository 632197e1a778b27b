// Predictions and labels of every run in an experiment as one CSV (RFC 4180 quoting), one row per image and run.
import type { ExperimentRecord } from './experiment.ts';

const COLUMNS = ['model', 'seed', 'image_id', 'patient_id', 'label', 'probability', 'threshold', 'decision'] as const;

function cell(value: string | number): string {
  const s = String(value);
  // Quote what needs it; a leading = + - @ is prefixed so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@]/.test(s) && typeof value === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function predictionsCsv(experiment: ExperimentRecord): string {
  const lines = [COLUMNS.join(',')];
  for (const run of experiment.runs) {
    for (const p of run.predictions) {
      lines.push([run.model, run.seed, p.id, p.patientId ?? '', p.label, p.score, run.threshold, p.score >= run.threshold ? 'stenosis' : 'no stenosis'].map(cell).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
