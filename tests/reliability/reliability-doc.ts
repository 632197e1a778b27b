// Pieces of docs/reliability.md that scripts/soak.ts writes: the kill -9 campaigns' figures in words, and the
// sections a shorter soak did not run, carried over from the previous file with where their figures came from (a
// soak of only the training kills must not erase the fuzzing figures of an earlier full run).
import type { CrashRoundsResult } from './crash/crash-rounds.ts';
import type { ExportCrashResult } from './crash/export-rounds.ts';
import type { TrainingCrashResult } from './crash/train-rounds.ts';

/** Each `## ` / `### ` heading of a markdown file with the lines below it, up to the next heading. */
export function markdownSections(doc: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of doc.split('\n')) {
    if (/^###? /.test(line)) sections.set(line, (current = []));
    else current?.push(line);
  }
  for (const lines of sections.values()) while (lines.at(-1) === '') lines.pop();
  return sections;
}

const CARRIED = /^_Not run by the last soak; figures from /;

/** A section of the previous file, marked as carried over with the run its figures came from. */
export function carriedSection(previous: string, heading: string, previousRun: string): string[] {
  const body = [...(markdownSections(previous).get(heading) ?? [])];
  while (body[0] === '') body.shift();
  if (body.length === 0) return ['', 'Not run yet.'];
  if (CARRIED.test(body[0] as string)) return ['', ...body]; // carried before: it already names its run
  return ['', `_Not run by the last soak; figures from ${/^_Run /.test(body[0] as string) ? 'the run named below' : previousRun}._`, '', ...body];
}

const counts = (record: Record<string, number>) => Object.entries(record).map(([k, n]) => `${n} ${k}`).join(', ');
const run = (at: Date, seed: number, option: string, seconds: number) => `_Run ${at.toISOString()} · seed ${seed} · \`${option}\` · ${Math.round(seconds)} s._`;

export function importCrashSection(crash: CrashRoundsResult, at: Date, seed: number, seconds: number): string[] {
  return [
    '',
    run(at, seed, `--crash ${crash.rounds}`, seconds),
    '',
    `${crash.rounds} sessions (a folder import — 300 P-ADSD patches and 5 DICOM files, 25 new patches each round — then labelling) killed with SIGKILL inside a phase picked for the round (each phase once per block of rounds, in seeded order), at a seeded point counted in the phase's units (the k-th file of the import, the k-th label), where the session held for the kill. Kills by phase: ${counts(crash.killsByPhase)}; by point: ${counts(crash.killsByPoint)}; ${crash.committedLabels} label commits reported.`,
    `After every kill: ${crash.dataProblems.length} store problems, ${crash.lostLabels.length} lost labels, ${crash.harnessProblems.length} rounds that hung or missed their point; the interrupted import ${crash.importCompleted ? 'finished when run again' : 'DID NOT finish when run again'}.`,
  ];
}

export function trainingCrashSection(r: TrainingCrashResult, at: Date, seed: number, rounds: number, seconds: number): string[] {
  return [
    '',
    run(at, seed, `--train-crash ${rounds}`, seconds),
    '',
    `${rounds} app sessions training the small SSL-Quantum run (simple_cnn, 32 px: SimCLR, head and fine-tuning, four checkpoints; src-main/training/testing/small-run.ts) through the training channels, after one run trained without a kill. Each round aims its SIGKILL in turn, at seeded points counted in the run's own units: as the k-th checkpoint write appears (watching the run folder), at an exact point of a resumed run's next engine-file write (strace fault injection), where the app holds after the session's n-th epoch, and as the k-th best/final model write appears; every restart resumes the newest unfinished run.`,
    `Kills: ${r.kills} — by what the process was doing: ${counts(r.killsByPhase)}; at exact points: ${counts(r.killsAtExactPoints)}; ${r.killsAfterEpochs} held after an epoch. ${r.tornWrites} kills left a temporary file behind (torn, or whole but not yet renamed); ${r.finishedBeforeKill} aimed kills came after the session had finished its run; ${r.resumes} resumes, ${r.runsCompleted} runs finished (the uninterrupted one included).`,
    `After every kill: ${r.problems.length} problems — the store check, every run file read back by the engine (its header hash refuses a torn file), the killed run listed as interrupted after the restart, and each finished run's metrics and epoch history equal to the uninterrupted run's.`,
  ];
}

export function exportCrashSection(r: ExportCrashResult, at: Date, seed: number, rounds: number, seconds: number): string[] {
  return [
    '',
    run(at, seed, `--export-crash ${rounds}`, seconds),
    '',
    `${rounds} app sessions exporting through the reports channels, one export after another into one folder (study PDF with identity, DICOM SR + Secondary Captures in research and PACS identity, experiment PDF), killed with SIGKILL: even rounds where the child held for the kill, at a seeded export counted from the session's start as it begins or at its first rename (each point once per block of even rounds), odd ones at an exact point of a DICOM set export (a hook on the child's renames), then a last session that runs to the end.`,
    `Kills: ${r.kills} — by phase: ${counts(r.killsByPhase)}; by export cut off: ${counts(r.killsByExport)}; at hold points: ${counts(r.killsAtHoldPoints)}; at exact points: ${counts(r.killsAtExactPoints)}. ${r.exportsCompleted} exports completed; the cut-off export asked for again: ${r.reruns.written} written, ${r.reruns.alreadyComplete} refused as already complete; ${r.leftoversCleaned} leftovers of killed exports removed or finished by the next export; ${r.filesChecked} files read whole by pdfinfo and dcmdump.`,
    `After every kill: ${r.problems.length} problems — no partial file under a final name, every DICOM export complete or journaled, every file named by an audit row, the store check.`,
  ];
}
