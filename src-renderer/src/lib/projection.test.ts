// Projection labels from the positioner angles, as a cardiologist reads them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectionLabel } from './projection.ts';

test('primary angle: positive LAO, negative RAO; secondary: positive CRA, negative CAU', () => {
  assert.equal(projectionLabel(30, 20), 'LAO 30 CRA 20');
  assert.equal(projectionLabel(-32, 2), 'RAO 32 CRA 2');
  assert.equal(projectionLabel(45, -25.4), 'LAO 45 CAU 25');
});

test('straight views and missing angles', () => {
  assert.equal(projectionLabel(0, 0), 'AP');
  assert.equal(projectionLabel(0, 30), 'AP CRA 30');
  assert.equal(projectionLabel(null, null), null);
  assert.equal(projectionLabel(undefined, -10), 'CAU 10');
});
