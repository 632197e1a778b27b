// `npm test` runs every bench suite once on tiny inputs (never the full bench) and checks the report writer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suites } from './registry.ts';
import { buildResults, markdownReport, ratioChartSvg } from './report.ts';

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
