// A small labelled root for command-line tests: the first `perClass` P-ADSD patches of each class in val and test,
// linked (never copied) from the shared data.
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../../app/paths.ts';

export function linkLabelledSubset(labelled: string, perClass = 8): void {
  for (const split of ['val', 'test']) {
    for (const folder of ['positive', 'negative']) {
      const from = join(sharedDataDir(), 'p-adsd', 'labeled', split, folder);
      const to = join(labelled, split, folder);
      mkdirSync(to, { recursive: true });
      for (const name of readdirSync(from).sort().slice(0, perClass)) symlinkSync(join(from, name), join(to, name));
    }
  }
}
