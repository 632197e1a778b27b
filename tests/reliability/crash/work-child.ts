// A workstation session in a child process that the crash test kills with SIGKILL: a folder import, then labelling
// (one recorded action per key press). It holds (hold.ts) at the point its plan names (work-plan.ts) until the kill;
// without a plan it never holds and labels until killed (the concurrency test's sessions).
// Prints `import-started`, `imported <n>` as files land, `import-finished`, `label <itemId> <label>` after each
// label's transaction has committed, and `hold <where>` when it stops for the kill.
// Usage: node work-child.ts <dataDir> <folder> <round> [<plan JSON>]
import { addReader, listReaders } from '../../../src-main/dataset/readers.ts';
import { CURATION_LABELS, recordLabels } from '../../../src-main/dataset/label-actions.ts';
import { IngestService } from '../../../src-main/ingest/service.ts';
import { osAccount } from '../../../src-main/store/audit.ts';
import { openStore } from '../../../src-main/store/database.ts';
import { holdForKill } from './hold.ts';
import type { WorkKillPlan } from './work-plan.ts';

const [dataDir, folder, roundText, planJson] = process.argv.slice(2) as [string, string, string, string | undefined];
const round = Number(roundText);
const plan: WorkKillPlan | null = planJson === undefined ? null : (JSON.parse(planJson) as WorkKillPlan);
const store = openStore(dataDir);
// Holds inside the next catalog transaction once armed: its rows written, its commit not yet made.
let holdInNextTransaction: string | null = null;
const transaction = store.transaction;
store.transaction = (work) =>
  transaction(() => {
    const result = work();
    if (holdInNextTransaction) holdForKill(holdInNextTransaction);
    return result;
  });

const ingest = new IngestService({ store, dataDir });
let filesBegun = 0;
process.stdout.write('import-started\n');
await ingest.runImport(`crash-${round}-${process.pid}`, { root: folder, datasetFrames: 'key' }, {
  progress: (_stage, done) => process.stdout.write(`imported ${done}\n`),
  // Called as each file begins: the import's own unit.
  throwIfCancelled: () => {
    if (++filesBegun !== plan?.unit) return;
    if (plan.point === 'import file') holdForKill(`import file ${filesBegun}`);
    else if (plan.point === 'import commit') holdInNextTransaction = `import commit after file ${filesBegun}`;
  },
});
// A commit aimed after the last new file: the import's last step, before it is reported finished.
if (holdInNextTransaction) holdForKill(`import end (no commit after file ${plan?.unit})`);
process.stdout.write('import-finished\n');

const account = osAccount();
const reader = listReaders(store, account).find((r) => r.name === 'crash-test') ?? addReader(store, account, 'crash-test', false, new Date());
const items = (store.db.prepare('SELECT id FROM dataset_items ORDER BY id').all() as { id: number }[]).map((r) => r.id);
for (let unit = 1; ; unit++) {
  const aimed = plan?.unit === unit ? plan.point : null;
  const itemId = items[(unit - 1) % items.length] as number;
  const label = CURATION_LABELS[(round + unit - 1) % CURATION_LABELS.length] as (typeof CURATION_LABELS)[number];
  if (aimed === 'label commit') holdInNextTransaction = `label ${unit} inside its commit`;
  recordLabels(store, reader, 'reader', [itemId], label, new Date());
  if (aimed === 'label unreported') holdForKill(`label ${unit} committed, not reported`);
  process.stdout.write(`label ${itemId} ${label}\n`);
  if (aimed === 'label reported') holdForKill(`label ${unit} reported`);
  if (unit % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
}
