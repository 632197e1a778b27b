// `npm test` runs every bench suite once on tiny inputs (never the full bench) and checks the report writer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suites } from './registry.ts';
import { buildResults, markdownReport, mergeResults, ratioChartSvg } from './report.ts';

for (const entry of suites.filter((suite) => !suite.onlyWhenNamed)) {
  test(`bench suite "${entry.id}" runs on tiny inputs and reports well-formed figures`, async () => {
    const figures = await (await entry.load())({ repeats: 1, smoke: true });
    assert.ok(figures.length > 0, 'a suite must report at least one figure');
    for (const figure of figures) {
      assert.ok(figure.name && figure.unit, `figure without name or unit: ${JSON.stringify(figure)}`);
      assert.ok(figure.values.length >= 1 && figure.values.every(Number.isFinite), `${figure.name}: values ${figure.values}`);
    }
  });
}

test('the report shows target against measured, met or missed', () => {
  const results = buildResults(process.cwd(), [
    {
      suite: 'demo',
      seconds: 1,
      figures: [
        { name: 'fast thing vs peer', unit: 'ratio', values: [1.5, 1.1, 1.3], target: 1.2 },
        { name: 'slow thing', unit: 'ms', values: [30, 20, 25], target: 10, higherIsBetter: false },
      ],
    },
  ]);
  const markdown = markdownReport(results, 'npm run bench');
  assert.match(markdown, /\| demo \| fast thing vs peer \| 1\.30 ratio \| 1\.10–1\.50 \| ≥ 1\.20 \| ✓ met \|/);
  assert.match(markdown, /\| demo \| slow thing \| 25\.0 ms \| 20\.0–30\.0 \| ≤ 10\.0 \| ✗ missed \|/);
  const svg = ratioChartSvg(results);
  assert.equal((svg.match(/<rect x=/g) ?? []).length, 2);
});

test('--merge keeps the suites not re-run, each with the date and commit it was measured at', () => {
  const figure = (value: number) => [{ name: 'thing', unit: 'ms', values: [value] }];
  const earlier = { ...buildResults(process.cwd(), [{ suite: 'a', seconds: 1, figures: figure(1) }, { suite: 'b', seconds: 1, figures: figure(2) }]), date: '2026-01-01T10:00:00.000Z', commit: 'old' };
  const now = { ...buildResults(process.cwd(), [{ suite: 'b', seconds: 1, figures: figure(3) }]), date: '2026-02-02T11:00:00.000Z', commit: 'new' };
  const merged = mergeResults(earlier, now);
  assert.deepEqual(merged.suites.map((s) => [s.suite, s.commit, s.figures[0]!.median]), [['a', 'old', 1], ['b', 'new', 3]]);
  assert.match(markdownReport(merged, 'npm run bench -- --merge b'), /separate runs on this machine \(`--merge`\): a 2026-01-01 10:00 UTC at old; b 2026-02-02 11:00 UTC at new/);
  assert.throws(() => mergeResults({ ...earlier, machine: { ...earlier.machine, cpu: 'another CPU' } }, now), /run every suite here/);
});
