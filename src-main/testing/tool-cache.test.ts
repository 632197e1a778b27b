// The tool cache gives back what the tool wrote for the same tool, options and input bytes, and runs the tool again
// for other bytes, other options, or when it made nothing.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { runOracle } from './oracle-tool.ts';
import { cachedAttempt, cachedOutput } from './tool-cache.ts';

const work = mkdtempSync(join(tmpdir(), 'angio-tool-cache-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** dcmconv with `options` on `input` through the cache; says whether dcmconv ran. */
function convert(input: string, output: string, options: string[]): boolean {
  let ran = false;
  cachedOutput({ tool: 'dcmconv', options, inputs: [input] }, output, () => {
    ran = true;
    runOracle('dcmconv', [...options, input, output], { subject: input });
  });
  return ran;
}

test('the same tool, options and input bytes are served from the cache; other bytes or options run the tool', () => {
  // A private copy with a unique trailing byte pattern in its preamble, so no earlier run's entry answers the first call.
  const input = join(work, 'input.dcm');
  const bytes = readFileSync(join(sharedDataDir(), 'dicom', 'misc', 'MR_small.dcm'));
  bytes.write(`tool-cache ${process.pid} ${Date.now()}`.padEnd(64).slice(0, 64), 0, 'latin1');
  writeFileSync(input, bytes);

  assert.equal(convert(input, join(work, 'first.dcm'), ['+tb']), true, 'the first call runs dcmconv');
  assert.equal(convert(input, join(work, 'second.dcm'), ['+tb']), false, 'the second call is served from the cache');
  assert.deepEqual(readFileSync(join(work, 'second.dcm')), readFileSync(join(work, 'first.dcm')));

  assert.equal(convert(input, join(work, 'implicit.dcm'), ['+ti']), true, 'other options run dcmconv');
  const other = join(work, 'other.dcm');
  copyFileSync(input, other);
  writeFileSync(other, Buffer.concat([readFileSync(other).subarray(0, 127), Buffer.from([1]), readFileSync(other).subarray(128)]));
  assert.equal(convert(other, join(work, 'other-out.dcm'), ['+tb']), true, 'other input bytes run dcmconv');
});

test('nothing is kept when the tool made nothing', () => {
  const input = join(work, 'not-dicom.dcm');
  writeFileSync(input, `not DICOM ${process.pid} ${Date.now()}`);
  const output = join(work, 'refused.dcm');
  let runs = 0;
  for (let i = 0; i < 2; i++) cachedOutput({ tool: 'dcmconv', options: ['+te'], inputs: [input] }, output, () => void runs++);
  assert.equal(runs, 2);
  assert.equal(existsSync(output), false);
});

test('an encoder that declines is asked once: its words come back from the cache', () => {
  const input = join(work, 'declined.dcm');
  writeFileSync(input, `declined ${process.pid} ${Date.now()}`);
  const output = join(work, 'declined-out.dcm');
  let runs = 0;
  const said = [0, 1].map(() => cachedAttempt({ tool: 'dcmcjpeg', options: ['+e1'], inputs: [input] }, output, () => `E: cannot read (${++runs})`));
  assert.deepEqual(said, ['E: cannot read (1)', 'E: cannot read (1)']);
  assert.equal(existsSync(output), false);
});
