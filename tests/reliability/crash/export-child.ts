// Report exports in a child process that the crash test kills with SIGKILL: the app's context and IPC handlers, then
// exports through the reports channels, one after another, into one folder. Prints:
//   rerun <kind> <name> ok|<error code>   the export the last session was killed in, asked for again first
//   begin <kind> <name>  /  done <kind> <name> <path>|<path>…  /  refused <kind> <name> <error code>
// `killAt` (export-plan.ts) makes the session kill itself at an exact point of its first export, a DICOM set;
// `holdAt` makes it hold (hold.ts) at a point of its k-th export until the parent kills it.
// Usage: node export-child.ts <dataDir> <folder> <studyId> <experimentPath> <round> <options JSON>
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';
import { createAppContext } from '../../../src-main/app/context.ts';
import { composeHandlers } from '../../../src-main/app/handlers.ts';
import { projectRoot, sharedDataDir } from '../../../src-main/app/paths.ts';
import { createIpcRegistry } from '../../../src-main/ipc/registry.ts';
import { EXPORT_KINDS, exportName, type ExportChildOptions, type ExportKind } from './export-plan.ts';
import { holdForKill } from './hold.ts';

const [dataDir, folder, studyId, experimentPath, round, optionsJson] = process.argv.slice(2) as [string, string, string, string, string, string];
const options = JSON.parse(optionsJson) as ExportChildOptions;

/** Set once the re-run is done: the kill points are in the session's own exports. */
let armed = false;
/** The session's own export under way (0-based) and whether it has renamed a file yet. */
let current = -1;
let renamedInCurrent = false;
if (options.killAt || options.holdAt) {
  // syncBuiltinESMExports makes every module's `import { renameSync } from 'node:fs'` (safe-export.ts's) this one.
  const rename = fs.renameSync;
  let renames = 0;
  let placed = 0;
  const killHere = (point: string) => {
    if (options.killAt === point) process.kill(process.pid, 'SIGKILL');
  };
  fs.renameSync = (from, to) => {
    if (!armed) return rename(from, to);
    const hold = options.holdAt;
    if (hold?.point === 'export written' && current >= hold.export && !renamedInCurrent) holdForKill(`first rename of export ${current}`);
    renamedInCurrent = true;
    const final = !basename(String(to)).startsWith('.');
    if (renames === 0) killHere('temporaries-written');
    if (final && placed === 0) killHere('first-file-placing');
    rename(from, to);
    renames++;
    if (!final) return;
    placed++;
    if (placed === 1) killHere('between-files');
    if (placed === options.setSize) killHere('after-files');
  };
  syncBuiltinESMExports();
}

const ctx = createAppContext({ appRoot: projectRoot(), dataDir, sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
const registry = createIpcRegistry(composeHandlers(ctx));
const meta = { host: 'cli', origin: 'crash-test' } as const;

/** One export through its channel: the paths written, or the error code it was refused with. */
async function exportOnce(kind: ExportKind, name: string): Promise<{ paths: string[] } | { code: string }> {
  const study = { studyId: Number(studyId), folder, name };
  const outcome =
    kind === 'study-pdf' ? await registry.invoke('reports.studyPdf', { ...study, identified: true, reader: 'crash-test' }, meta)
    : kind === 'experiment-pdf' ? await registry.invoke('reports.experimentPdf', { experimentPath, folder, name, reader: 'crash-test' }, meta)
    : await registry.invoke('reports.studyDicom', { ...study, mode: kind === 'dicom-pacs' ? 'pacs' : 'research', reader: 'crash-test' }, meta);
  if (!outcome.ok) return { code: outcome.error.code };
  const value = outcome.value as { path?: string; files?: { path: string }[] };
  return { paths: value.files ? value.files.map((f) => f.path) : [value.path as string] };
}

if (options.rerun) {
  const again = await exportOnce(options.rerun.kind, options.rerun.name);
  process.stdout.write(`rerun ${options.rerun.kind} ${options.rerun.name} ${'code' in again ? again.code : 'ok'}\n`);
}
armed = true;
// A killAt session begins with a DICOM export so that the kill point comes in its first export.
const first = options.killAt ? EXPORT_KINDS.indexOf('dicom-research') : 0;
for (let i = 0; options.exports === undefined || i < options.exports; i++) {
  const kind = EXPORT_KINDS[(first + i) % EXPORT_KINDS.length] as ExportKind;
  const name = exportName(Number(round), i, kind);
  process.stdout.write(`begin ${kind} ${name}\n`);
  current = i;
  renamedInCurrent = false;
  if (options.holdAt?.point === 'export begun' && options.holdAt.export === i) holdForKill(`export ${i} begun`);
  const outcome = await exportOnce(kind, name);
  process.stdout.write('code' in outcome ? `refused ${kind} ${name} ${outcome.code}\n` : `done ${kind} ${name} ${outcome.paths.join('|')}\n`);
}
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
process.exit(0);
