// The processes setting's checks and its place in the configuration text, as the Training screen uses them.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { coreCount, processesIn, processesProblem, withProcesses } from './training-processes.ts';

const config = JSON.stringify({ method: 'supervised', batchSize: 16 });

test('the cores offered are the machine\'s, at most the 16 ranks the contract allows', () => {
  assert.equal(coreCount(), Math.min(16, availableParallelism()));
});

test('processes live in the configuration JSON, 1 when left out', () => {
  assert.equal(processesIn(config), 1);
  const two = withProcesses(config, 2)!;
  assert.deepEqual(JSON.parse(two), { method: 'supervised', batchSize: 16, processes: 2 });
  assert.equal(processesIn(two), 2);
  assert.equal(withProcesses('{ not json', 2), null);
});

test('a number outside 1..cores, or a batch that does not split, is refused in words', () => {
  assert.equal(processesProblem('2', config, 4), null);
  assert.equal(processesProblem('0', config, 4), 'Processes must be a whole number from 1 to 4 (this machine has 4 cores).');
  assert.equal(processesProblem('1.5', config, 4), 'Processes must be a whole number from 1 to 4 (this machine has 4 cores).');
  assert.equal(processesProblem('', config, 4), 'Processes must be a whole number from 1 to 4 (this machine has 4 cores).');
  assert.equal(processesProblem(3, config, 4), 'A batch of 16 images does not split into 3 equal shares of at least 2 images: choose a number of processes that divides 16, or change batchSize.');
  // The contract's default batch (32) applies when the configuration leaves it out.
  assert.equal(processesProblem(3, '{}', 4), 'A batch of 32 images does not split into 3 equal shares of at least 2 images: choose a number of processes that divides 32, or change batchSize.');
  assert.equal(processesProblem(2, '[1]', 4), 'Fix the configuration JSON first: the processes are set inside it.');
});
