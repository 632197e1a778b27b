// The sentence beside a prediction says what the quantum layer did with enough digits to show it: a change too small
// for two decimals is shown with four, and no change at all is said in words ("0.52 to 0.52" says nothing).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plainLanguage, type QuantumReadout } from './quantum-readouts.ts';

const readout = (baselineProbability: number, probability: number): QuantumReadout => ({
  expectations: [0.1, -0.2],
  baselineProbability,
  contribution: probability - baselineProbability,
  ablationDeltas: [0.001, -0.002],
});

test('a change visible at two decimals is said at two decimals', () => {
  assert.match(plainLanguage(0.61, 0.5, readout(0.4, 0.61)), /The quantum layer moved the score from 0\.40 to 0\.61 compared/);
});

test('a change hidden by two decimals is shown with four and its sign', () => {
  const sentence = plainLanguage(0.5244, 0.5, readout(0.5213, 0.5244));
  assert.match(sentence, /moved the score from 0\.5213 to 0\.5244 \(\+0\.0031\)/);
  assert.doesNotMatch(sentence, /from 0\.52 to 0\.52/);
});

test('no measurable change is said in words', () => {
  assert.match(plainLanguage(0.52, 0.5, readout(0.52, 0.52)), /The quantum layer changed nothing measurable: the score stays at 0\.5200/);
});
