// The remembered window: restored when it still fits a display, replaced by a centred default when the file is
// missing, corrupt or off-screen, and always written atomically.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadWindowState, saveWindowState, trackWindowState, type Bounds } from './window-state.ts';

const display: Bounds = { x: 0, y: 0, width: 1920, height: 1040 };
const folder = () => mkdtempSync(join(tmpdir(), 'angio-window-'));

test('without a saved state the window is centred on the primary display', () => {
  const state = loadWindowState(join(folder(), 'window-state.json'), [display]);
  assert.deepEqual(state, { bounds: { x: 240, y: 70, width: 1440, height: 900 }, maximized: false, fullScreen: false });
});

test('a saved state round-trips, with no temporary file left behind', () => {
  const dir = folder();
  const file = join(dir, 'window-state.json');
  saveWindowState(file, { bounds: { x: 1930, y: 20, width: 1200, height: 700 }, maximized: true, fullScreen: false });
  assert.deepEqual(readdirSync(dir), ['window-state.json']);
  const second: Bounds = { x: 1920, y: 0, width: 1920, height: 1080 };
  assert.deepEqual(loadWindowState(file, [display, second]), { bounds: { x: 1930, y: 20, width: 1200, height: 700 }, maximized: true, fullScreen: false });
});

test('a window saved on a display that is gone, or a corrupt file, falls back to the default', () => {
  const file = join(folder(), 'window-state.json');
  saveWindowState(file, { bounds: { x: 1930, y: 20, width: 1200, height: 700 }, maximized: false, fullScreen: false });
  assert.equal(loadWindowState(file, [display]).bounds.x, 240, 'the second monitor was unplugged');
  writeFileSync(file, '{"bounds": {"x": 1, "y"');
  assert.equal(loadWindowState(file, [display]).bounds.width, 1440);
  writeFileSync(file, JSON.stringify({ bounds: { x: 10, y: 10, width: 200, height: 100 } }));
  assert.deepEqual(loadWindowState(file, [display]).bounds, { x: 10, y: 10, width: 1024, height: 640 }, 'too small is raised to the minimum');
});

test('the tracker saves after moves settle and on close', async () => {
  const file = join(folder(), 'window-state.json');
  const listeners = new Map<string, () => void>();
  let bounds = { x: 5, y: 6, width: 1100, height: 700 };
  const window = { getNormalBounds: () => bounds, isMaximized: () => false, isFullScreen: () => false, on: (event: string, listener: () => void) => listeners.set(event, listener) };
  trackWindowState(window, file, (error) => assert.fail(String(error)), 10);
  listeners.get('move')!();
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).bounds, bounds);
  bounds = { x: 50, y: 60, width: 1200, height: 800 };
  listeners.get('close')!();
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).bounds, bounds);
});
