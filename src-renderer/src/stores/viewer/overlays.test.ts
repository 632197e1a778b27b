// Overlay planes and the ECG against a fake main: every plane read and shown, one that cannot be read reported and
// left out, show/hide one or all, and answers for an image no longer open dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../testing/svelte-modules.ts';
import { createFakeApi, fail, settle } from '../../testing/fake-api.ts';

const { RunOverlays } = await import('./index.ts');

const context = (groups: number[]) => ({
  instanceId: 3,
  seriesId: 2,
  studyId: 1,
  patientId: 1,
  pseudonym: 'P-1',
  studyDate: null,
  modality: 'XA',
  seriesNumber: 1,
  transferSyntax: '1.2.840.10008.1.2.1',
  rows: 2,
  columns: 4,
  frames: 1,
  keyFrame: null,
  overlays: groups.map((group) => ({ group, rows: 2, columns: 4, originRow: 2, originColumn: 3 })),
});

function withPlanes(broken: number[] = []) {
  const fake = createFakeApi().pixels('viewer.overlay', ({ group }) =>
    broken.includes(group) ? fail('not-found', `no plane ${group.toString(16)}`) : { meta: { width: 4, height: 2, format: 'gray8', originRow: 1, originColumn: 2 }, data: Uint8Array.from([0, 255, 0, 255, 255, 0, 255, 0]) },
  );
  const errors: string[] = [];
  return { fake, errors, overlays: new RunOverlays(fake.api, (message) => errors.push(message)) };
}

test('every plane is read, unpacked bits kept, and shown', async () => {
  const { fake, overlays } = withPlanes();
  await overlays.loadPlanes(context([0x6000, 0x6002]));
  assert.deepEqual(overlays.planes.map((p) => [p.group, p.width, p.height, p.originRow, p.originColumn, [...p.bits]]), [
    [0x6000, 4, 2, 1, 2, [0, 255, 0, 255, 255, 0, 255, 0]],
    [0x6002, 4, 2, 1, 2, [0, 255, 0, 255, 255, 0, 255, 0]],
  ]);
  assert.deepEqual(overlays.visible, { [0x6000]: true, [0x6002]: true });
  assert.deepEqual(fake.inputsOf('viewer.overlay'), [{ instanceId: 3, group: 0x6000 }, { instanceId: 3, group: 0x6002 }]);
  assert.deepEqual(fake.violations, []);
});

test('a plane that cannot be read is reported and left out', async () => {
  const { overlays, errors } = withPlanes([0x6002]);
  await overlays.loadPlanes(context([0x6000, 0x6002]));
  assert.deepEqual(overlays.planes.map((p) => p.group), [0x6000]);
  assert.deepEqual(errors, ['Overlay plane 6002 could not be read: no plane 6002']);
});

test('one plane or all can be hidden and shown again', async () => {
  const { overlays } = withPlanes();
  await overlays.loadPlanes(context([0x6000, 0x6002]));
  overlays.toggle(0x6002);
  assert.deepEqual(overlays.visible, { [0x6000]: true, [0x6002]: false });
  overlays.toggleAll();
  assert.deepEqual(overlays.visible, { [0x6000]: false, [0x6002]: false }, 'any shown: hide all');
  overlays.toggleAll();
  assert.deepEqual(overlays.visible, { [0x6000]: true, [0x6002]: true }, 'none shown: show all');
});

test('the ECG is read; a failure is reported; late answers after clear are dropped', async () => {
  const { fake, overlays, errors } = withPlanes();
  const trace = { samplingFrequency: 500, channels: 1, samples: [0, 10, -5], durationSeconds: 0.006 };
  fake.handle('viewer.ecg', () => ({ ecg: trace }));
  await overlays.loadEcg(3);
  assert.deepEqual(overlays.ecg, trace);

  fake.handle('viewer.ecg', () => fail('internal', 'bad waveform'));
  await overlays.loadEcg(3);
  assert.deepEqual(errors, ['The ECG recorded with this run could not be read: bad waveform']);

  let answer: () => void = () => {};
  fake.handle('viewer.ecg', () => new Promise((resolve) => (answer = () => resolve({ ecg: trace }))));
  const loading = overlays.loadEcg(3);
  const planes = overlays.loadPlanes(context([0x6000]));
  overlays.clear();
  answer();
  await Promise.all([loading, planes]);
  await settle();
  assert.deepEqual({ ecg: overlays.ecg, planes: overlays.planes, visible: overlays.visible }, { ecg: null, planes: [], visible: {} });
});
