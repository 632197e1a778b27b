// Calls every native export with wrong types, short, long, huge and detached buffers, NaN, negative and
// overflowing counts, missing arguments and foreign `this`, in a child process: the child must exit normally
// (a crash shows as a signal or a non-zero status) and every error it saw must be a typed one (Error + code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzzChild } from './testing/run-fuzz.ts';

test('every native export answers bad arguments with typed errors, and the process survives', () => {
  const { run, report } = runFuzzChild({});
  assert.deepEqual(report.cases, report.exports, 'the fuzz cases (testing/fuzz-cases.ts) must name exactly the addon\'s exports');
  assert.deepEqual(report.untyped, [], 'calls that threw something other than a typed error');
  for (const name of report.exports) {
    const counts = report.counts[name];
    assert.ok(counts && counts.calls >= 1, `${name} was never called`);
    // Functions that take no arguments cannot be handed a bad one; every other export must refuse something.
    if (!report.noArguments.includes(name)) assert.ok(counts.typed > 0, `${name} refused none of ${counts.calls} bad calls`);
  }
  const total = Object.values(report.counts).reduce((sum, c) => sum + c.calls, 0);
  assert.ok(total > 3000, `only ${total} calls were made`);
  assert.equal(run.signal, null);
});
