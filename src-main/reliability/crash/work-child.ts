// A workstation session in a child process that the crash test kills with SIGKILL at a random moment: a folder
// import, then labelling (one recorded action per key press). Prints `imported <n>` as files land and
// `label <itemId> <label>` after each label's transaction has committed.
// Usage: node work-child.ts <dataDir> <folder> <round>
import { addReader, listReaders } from '../../dataset/readers.ts';
import { CURATION_LABELS, recordLabels } from '../../dataset/label-actions.ts';
import { IngestService } from '../../ingest/service.ts';
import { osAccount } from '../../store/audit.ts';
import { openStore } from '../../store/database.ts';

const [dataDir, folder, roundText] = process.argv.slice(2) as [string, string, string];
const round = Number(roundText);
const store = openStore(dataDir);
const ingest = new IngestService({ store, dataDir });
await ingest.runImport(`crash-${round}-${process.pid}`, { root: folder, datasetFrames: 'key' }, {
  progress: (_stage, done) => process.stdout.write(`imported ${done}\n`),
  throwIfCancelled: () => {},
});
process.stdout.write('import-finished\n');
const account = osAccount();
const reader = listReaders(store, account).find((r) => r.name === 'crash-test') ?? addReader(store, account, 'crash-test', false, new Date());
const items = (store.db.prepare('SELECT id FROM dataset_items ORDER BY id').all() as { id: number }[]).map((r) => r.id);
for (let i = 0; ; i++) {
  const itemId = items[i % items.length] as number;
  const label = CURATION_LABELS[(round + i) % CURATION_LABELS.length] as (typeof CURATION_LABELS)[number];
  recordLabels(store, reader, 'reader', [itemId], label, new Date());
  process.stdout.write(`label ${itemId} ${label}\n`);
  if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
}
