// The app's training in a child process that the crash test kills with SIGKILL. It builds the app context and IPC
// handlers as the app does at start (which records runs left 'running' by a killed process as interrupted), then
// starts or resumes a run through the training channels. Prints:
//   status <runId> <status> <errorCode|->  the run it is about to resume, as the run list shows it after the restart
//   run <runId> <runDir>                   once the run is launched (its worker writes the checkpoints there)
//   progress <kind> <stageIndex> <epoch> <step>
//   finished <status>                      when the run has ended
//   hold <where>                           when it stops for the parent's kill (hold.ts)
// `holdAfterEpochs` n: hold at this session's n-th epoch event, or at the run's last one if that comes first.
// Usage: node train-child.ts <dataDir> <training config JSON> start|<runId to resume> [holdAfterEpochs]
import { createAppContext, closeAppContext } from '../../../src-main/app/context.ts';
import { composeHandlers } from '../../../src-main/app/handlers.ts';
import { projectRoot, sharedDataDir } from '../../../src-main/app/paths.ts';
import { createIpcRegistry } from '../../../src-main/ipc/registry.ts';
import { getRun } from '../../../src-main/training/runs.ts';
import { holdForKill } from './hold.ts';

const [dataDir, configJson, runToResume, holdText] = process.argv.slice(2) as [string, string, string, string | undefined];
const holdAfterEpochs = holdText === undefined ? null : Number(holdText);
let epochEvents = 0;
const ctx = createAppContext({ appRoot: projectRoot(), dataDir, sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
const registry = createIpcRegistry(composeHandlers(ctx));
const meta = { host: 'cli', origin: 'crash-test' } as const;
ctx.bus.subscribe((event, payload) => {
  if (event !== 'training.progress') return;
  const p = payload as { kind: string; stageIndex: number; stages: number; epoch: number; epochs: number; step: number };
  process.stdout.write(`progress ${p.kind} ${p.stageIndex} ${p.epoch} ${p.step}\n`);
  if (p.kind !== 'epoch' || holdAfterEpochs === null) return;
  const lastOfRun = p.stageIndex === p.stages - 1 && p.epoch === p.epochs;
  // The event arrives from the training worker thread; stopping the process stops that thread too.
  if (++epochEvents === holdAfterEpochs || lastOfRun) holdForKill(`after epoch event ${epochEvents} (stage ${p.stageIndex}, epoch ${p.epoch})`);
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
