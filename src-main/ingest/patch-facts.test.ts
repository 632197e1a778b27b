// Labels and splits read from where a patch sits, whichever level of a P-ADSD-like tree was chosen: the chosen
// folder's own name counts when it is a split or a label, an unrelated ancestor (a folder called "test" higher up) does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { factsFromPath, rootFactsPrefix } from './patch-import.ts';

const factsUnder = (root: string, file: string) => {
  const { split, label } = factsFromPath(rootFactsPrefix(root.split('/').filter(Boolean)) + file);
  return { split, label };
};

test('every level of labeled/<split>/<label> gives the same facts', () => {
  assert.deepEqual(factsUnder('/data/p-adsd', 'labeled/val/positive/1.png'), { split: 'val', label: 'positive' });
  assert.deepEqual(factsUnder('/data/p-adsd/labeled', 'val/positive/1.png'), { split: 'val', label: 'positive' });
  assert.deepEqual(factsUnder('/data/p-adsd/labeled/val', 'positive/1.png'), { split: 'val', label: 'positive' });
  assert.deepEqual(factsUnder('/data/p-adsd/labeled/val/positive', '1.png'), { split: 'val', label: 'positive' });
});

test('a folder of positives or negatives labels its patches without any split', () => {
  assert.deepEqual(factsUnder('/home/me/cases/negative', 'a.png'), { split: null, label: 'negative' });
  assert.deepEqual(factsUnder('/home/me/cases', 'positive/deeper/a.png'), { split: null, label: 'positive' });
});

test('an ancestor folder that happens to be called test or train says nothing', () => {
  assert.deepEqual(factsUnder('/home/test/angios', 'a.png'), { split: null, label: null });
  assert.deepEqual(factsUnder('/srv/train/exports/positive', 'a.png'), { split: null, label: 'positive' });
});

test('the unlabelled pool stays unlabelled', () => {
  assert.deepEqual(factsUnder('/data/p-adsd', 'unlabeled/positive-looking/a.png'), { split: null, label: null });
});
