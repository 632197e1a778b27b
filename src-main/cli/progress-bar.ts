// A one-line progress bar for headless runs: redrawn in place on a terminal; into a log file (not a terminal), a
// line per stage change, at the end of a stage, and at most once a minute between, so an hours-long run shows life.
let lastStage = '';
let lastLogged = 0;
const LOG_INTERVAL_MS = 60_000;

export function printProgress(progress: { stage: string; done: number; total: number; message?: string; etaSeconds?: number | null }): void {
  const fraction = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  const width = 30;
  const filled = Math.round(fraction * width);
  const eta = progress.etaSeconds != null ? ` ETA ${Math.ceil(progress.etaSeconds)} s` : '';
  const line = `${progress.stage.padEnd(14)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.done}/${progress.total}${eta} ${progress.message ?? ''}`;
  if (process.stdout.isTTY) {
    process.stdout.write(`\r${line.slice(0, process.stdout.columns - 1).padEnd(process.stdout.columns - 1)}`);
    if (fraction >= 1) process.stdout.write('\n');
  } else if (progress.stage !== lastStage || fraction >= 1 || Date.now() - lastLogged >= LOG_INTERVAL_MS) {
    console.log(line);
    lastLogged = Date.now();
  }
  lastStage = progress.stage;
}
