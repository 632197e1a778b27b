// The app's training in a child process that the crash test kills with SIGKILL. It builds the app context and IPC
// handlers as the app does at start (which records runs left 'running' by a killed process as interrupted), then
// starts or resumes a run through the training channels. Prints:
//   status <runId> <status> <errorCode|->  the run it is about to resume, as the run list shows it after the restart
//   run <runId> <runDir>                   once the run is launched (its worker writes the checkpoints there)
//   progress <kind> <stageIndex> <epoch> <step>
//   finished <status>                      when the run has ended
// Usage: node train-child.ts <dataDir> <training config JSON> start|<runId to resume>
import { createAppContext, closeAppContext } from '../../app/context.ts';
import { composeHandlers } from '../../app/handlers.ts';
import { projectRoot, sharedDataDir } from '../../app/paths.ts';
import { createIpcRegistry } from '../../ipc/registry.ts';
import { getRun } from '../../training/runs.ts';

const [dataDir, configJson, runToResume] = process.argv.slice(2) as [string, string, string];
const ctx = createAppContext({ appRoot: projectRoot(), dataDir, sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
const registry = createIpcRegistry(composeHandlers(ctx));
const meta = { host: 'cli', origin: 'crash-test' } as const;
ctx.bus.subscribe((event, payload) => {
  if (event !== 'training.progress') return;
  const p = payload as { kind: string; stageIndex: number; epoch: number; step: number };
  process.stdout.write(`progress ${p.kind} ${p.stageIndex} ${p.epoch} ${p.step}\n`);
});

let outcome;
if (runToResume === 'start') {
  outcome = await registry.invoke('training.start', { config: JSON.parse(configJson) }, meta);
} else {
  const before = getRun(ctx.store, runToResume);
  process.stdout.write(`status ${runToResume} ${before?.status ?? 'missing'} ${before?.error?.code ?? '-'}\n`);
  outcome = await registry.invoke('training.resume', { runId: runToResume }, meta);
}
if (!outcome.ok) throw new Error(`the run did not launch: ${JSON.stringify(outcome.error)}`);
const { runId } = outcome.value as { runId: string };
process.stdout.write(`run ${runId} ${getRun(ctx.store, runId)?.runDir}\n`);
await ctx.jobs.drain();
const run = getRun(ctx.store, runId);
process.stdout.write(`finished ${run?.status} ${run?.error?.code ?? '-'}\n`);
await closeAppContext(ctx);
