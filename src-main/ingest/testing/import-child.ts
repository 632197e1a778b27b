// A folder import in its own process, for the crash test: prints "progress <done>" lines so the parent can
// kill -9 it mid-import. Usage: node import-child.ts <dataDir> <folder>
import { openStore } from '../../store/database.ts';
import { IngestService } from '../service.ts';

const [dataDir, root] = process.argv.slice(2) as [string, string];
const store = openStore(dataDir);
const service = new IngestService({ store, dataDir });
const counts = await service.runImport('child-job', { root }, {
  progress: (_stage, done) => process.stdout.write(`progress ${done}\n`),
  throwIfCancelled: () => {},
});
process.stdout.write(`done ${JSON.stringify(counts)}\n`);
service.close();
store.close();
