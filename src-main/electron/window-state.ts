// The main window's size, position and maximised state, remembered across runs in <userData>/window-state.json.
// Written atomically (temporary file, fsync, rename) so a crash mid-write leaves the old state, never half a file;
// a saved position that is no longer on any display (a monitor was unplugged) falls back to a centred default.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../store/index.ts';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Bounds;
  maximized: boolean;
  fullScreen: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const MIN_SIZE = { width: 1024, height: 640 };
const DEFAULT_SIZE = { width: 1440, height: 900 };

function centred(workArea: Bounds): Bounds {
  const width = Math.min(DEFAULT_SIZE.width, workArea.width);
  const height = Math.min(DEFAULT_SIZE.height, workArea.height);
  return { x: workArea.x + Math.round((workArea.width - width) / 2), y: workArea.y + Math.round((workArea.height - height) / 2), width, height };
}

function isFiniteBounds(value: unknown): value is Bounds {
  const b = value as Record<string, unknown> | null;
  return !!b && ['x', 'y', 'width', 'height'].every((key) => Number.isFinite(b[key]));
}

/** Enough of the window's title bar (100×40 px) lies inside some display's work area for a person to grab it. */
function isReachable(bounds: Bounds, workAreas: Bounds[]): boolean {
  return workAreas.some((area) => {
    const overlapX = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const overlapY = Math.min(bounds.y + 40, area.y + area.height) - Math.max(bounds.y, area.y);
    return overlapX >= 100 && overlapY >= 40;
  });
}

/** Reads the saved state, or a centred default on the primary display when none, unreadable, or off-screen. */
export function loadWindowState(file: string, workAreas: Bounds[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  const fallback: WindowState = { bounds: centred(primary), maximized: false, fullScreen: false };
  let saved: Partial<WindowState>;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
  } catch {
    return fallback;
  }
  if (!isFiniteBounds(saved.bounds)) return fallback;
  const bounds = {
    x: Math.round(saved.bounds.x),
    y: Math.round(saved.bounds.y),
    width: Math.max(MIN_SIZE.width, Math.round(saved.bounds.width)),
    height: Math.max(MIN_SIZE.height, Math.round(saved.bounds.height)),
  };
  return {
    bounds: isReachable(bounds, workAreas) ? bounds : fallback.bounds,
    maximized: saved.maximized === true,
    fullScreen: saved.fullScreen === true,
  };
}

export function saveWindowState(file: string, state: WindowState): void {
  writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

/** The parts of a BrowserWindow the tracker uses (so tests can pass a stand-in). */
export interface TrackedWindow {
  getNormalBounds(): Bounds;
  isMaximized(): boolean;
  isFullScreen(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'enter-full-screen' | 'leave-full-screen' | 'close', listener: () => void): unknown;
}

/** Saves the state shortly after the window stops moving or resizing, and once more when it closes. */
export function trackWindowState(window: TrackedWindow, file: string, onError: (error: unknown) => void, delayMs = 500): void {
  let timer: NodeJS.Timeout | null = null;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    try {
      saveWindowState(file, { bounds: window.getNormalBounds(), maximized: window.isMaximized(), fullScreen: window.isFullScreen() });
    } catch (error) {
      onError(error);
    }
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delayMs);
    timer.unref();
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize', 'enter-full-screen', 'leave-full-screen'] as const) window.on(event, later);
  window.on('close', save);
}
