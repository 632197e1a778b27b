import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPatientSplit, findLeaks, leakFixes, seededRandom, type SplitItem } from './index.ts';

function cohort(patients: number, imagesPerPatient: number, seed: number): SplitItem[] {
  const random = seededRandom(seed);
  const items: SplitItem[] = [];
  for (let p = 0; p < patients; p++) {
    const positive = random.next() < 0.3;
    for (let i = 0; i < imagesPerPatient; i++) items.push({ itemId: `p${p}-i${i}`, patientId: `P${p}`, label: positive ? 1 : 0 });
  }
  return items;
}

test('every patient lands in exactly one split, with ratios and class balance close to asked', () => {
  const items = cohort(100, 5, 1);
  const split = buildPatientSplit(items, { train: 0.7, val: 0.15, test: 0.15 }, 42);
  assert.deepEqual(findLeaks(items.map((item) => ({ ...item, split: split.assignment.get(item.itemId)! }))), []);
  const patientsIn = (name: string) => split.groups.filter((g) => g.split === name).length;
  assert.equal(patientsIn('train') + patientsIn('val') + patientsIn('test'), 100);
  assert.ok(Math.abs(patientsIn('train') - 70) <= 1 && Math.abs(patientsIn('test') - 15) <= 1, `train ${patientsIn('train')}, test ${patientsIn('test')}`);
  for (const name of ['train', 'val', 'test']) {
    const rows = split.groups.filter((g) => g.split === name);
    const share = rows.filter((g) => g.positives > 0).length / rows.length;
    const overall = split.groups.filter((g) => g.positives > 0).length / 100;
    assert.ok(Math.abs(share - overall) < 0.1, `${name}: positive-patient share ${share} vs overall ${overall}`);
  }
  assert.deepEqual(split.warnings, []);
});

test('the same seed gives the same split; another seed a different one', () => {
  const items = cohort(60, 3, 2);
  const a = buildPatientSplit(items, { train: 0.6, val: 0.2, test: 0.2 }, 7);
  const b = buildPatientSplit(items, { train: 0.6, val: 0.2, test: 0.2 }, 7);
  const c = buildPatientSplit(items, { train: 0.6, val: 0.2, test: 0.2 }, 8);
  assert.deepEqual([...a.assignment], [...b.assignment]);
  assert.notDeepEqual([...a.assignment], [...c.assignment]);
});

test('items without patient ids fall back to image-level groups, with a visible warning', () => {
  const items: SplitItem[] = Array.from({ length: 40 }, (_, i) => ({ itemId: `img${i}`, patientId: null, label: (i % 2) as 0 | 1 }));
  const split = buildPatientSplit(items, { train: 0.5, val: 0.25, test: 0.25 }, 1);
  assert.equal(split.imageLevelItems, 40);
  assert.match(split.warnings.join(' '), /40 of 40 items have no patient id/);
  assert.ok(split.groups.every((g) => g.imageLevel && g.items === 1));
});

test('a split with one class only is warned about; bad ratios and empty sets are typed errors', () => {
  const split = buildPatientSplit([{ itemId: 'a', patientId: 'A', label: 1 }, { itemId: 'b', patientId: 'B', label: 1 }], { train: 1, val: 0, test: 1 }, 1);
  assert.match(split.warnings.join(' '), /needs both classes/);
  assert.throws(() => buildPatientSplit([], { train: 1, val: 0, test: 0 }, 1), { code: 'split-empty' });
  assert.throws(() => buildPatientSplit([{ itemId: 'a', patientId: null, label: 0 }], { train: -1, val: 0, test: 0 }, 1), { code: 'split-ratios-invalid' });
});

test('a patient added to a second split is found, and the fix moves it to where most of its images are', () => {
  const items = [
    { itemId: '1', patientId: 'A', split: 'train' as const },
    { itemId: '2', patientId: 'A', split: 'train' as const },
    { itemId: '3', patientId: 'A', split: 'test' as const },
    { itemId: '4', patientId: 'B', split: 'val' as const },
    { itemId: '5', patientId: null, split: 'test' as const },
  ];
  const leaks = findLeaks(items);
  assert.deepEqual(leaks, [{ patientId: 'A', splits: { train: ['1', '2'], test: ['3'] } }]);
  const moves = leakFixes(leaks);
  assert.deepEqual([...moves], [['3', 'train']]);
  const fixed = items.map((item) => ({ ...item, split: moves.get(item.itemId) ?? item.split }));
  assert.deepEqual(findLeaks(fixed), []);
});
