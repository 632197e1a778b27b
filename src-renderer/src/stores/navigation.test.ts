// Which screen shows and what the Viewer opens: each way of opening the Viewer replaces the other two choices.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../testing/svelte-modules.ts';

const { Navigation } = await import('./navigation.svelte.ts');

test('opening an instance, an item or a test image shows the Viewer with only that choice', () => {
  const nav = new Navigation();
  assert.equal(nav.active, 'library');
  nav.openInViewer(12);
  assert.deepEqual([nav.active, nav.viewerInstanceId, nav.viewerItemId, nav.viewerTestImage], ['viewer', 12, null, null]);
  nav.openItemInViewer(40);
  assert.deepEqual([nav.viewerInstanceId, nav.viewerItemId, nav.viewerTestImage], [null, 40, null]);
  const image = { runId: 'run-1', imageId: 'sha-1', file: 'p1.png', label: 'positive' as const };
  nav.openTestImageInViewer(image);
  assert.deepEqual([nav.viewerInstanceId, nav.viewerItemId, nav.viewerTestImage], [null, null, image]);
  nav.go('results');
  assert.equal(nav.active, 'results');
  assert.equal(nav.viewerTestImage, image, 'leaving the Viewer keeps what it shows');
});
