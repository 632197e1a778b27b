// Reading the Viewer's canvas back for corpus files: files go into successive fresh libraries (the Library keeps one
// item per SOP Instance UID, so files sharing a UID cannot sit side by side), each opened in the Viewer by the hash of
// its source file, shown frame by frame through the cine slider and read back channel by channel.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from '../harness/start-harness.ts';
import { watchPageErrors } from './browser.ts';
import { canvasChannel } from './canvas.ts';
import { importFolder, openImage, waitInPage } from './library-ui.ts';
import type { Painter, ScreenPlan } from './screen-tests.ts';

/** Round k holds the k-th file of each SOP Instance UID, so no round holds two files the Library would call duplicates. */
export function roundsByInstanceUid<T extends { uid: string }>(files: readonly T[]): T[][] {
  const rounds: T[][] = [];
  const seen = new Map<string, number>();
  for (const file of files) {
    const round = seen.get(file.uid) ?? 0;
    seen.set(file.uid, round + 1);
    (rounds[round] ??= []).push(file);
  }
  return rounds;
}

export interface CanvasImage {
  width: number;
  height: number;
  /** 8-bit channels interleaved: one for grey, three (RGB) for colour. */
  pixels: Uint8Array;
}

export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

/**
 * On a busy machine the app may mount after the first key press is sent, and the press is lost: press Alt+1 (the
 * Library) until the import panel's folder field shows.
 */
async function untilImportPanelShows(page: Page, timeout = 180_000): Promise<void> {
  const field = page.locator('[data-field="import-folder"]');
  const deadline = Date.now() + timeout;
  for (;;) {
    await page.keyboard.press('Alt+1');
    try {
      await field.waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

/** One Chromium page on one harness library at a time; `enterRound` replaces both with a library of new files. */
export class CorpusCanvas {
  readonly pageErrors: string[] = [];
  private page: Page | null = null;
  private harness: Harness | null = null;
  private currentRound = -1;
  private readonly browser: Browser;

  constructor(browser: Browser) {
    this.browser = browser;
  }

  /** A fresh library and page holding only `files` (copied under their own names), imported through the import panel. */
  async enterRound(round: number, files: readonly { path: string; name: string }[]): Promise<void> {
    if (round === this.currentRound) return;
    await this.close();
    this.harness = await startHarness();
    const page = await this.browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = watchPageErrors(page);
    page.on('close', () => this.pageErrors.push(...errors));
    await page.goto(this.harness.url);
    const folder = mkdtempSync(join(tmpdir(), `angio-corpus-round-${round}-`));
    for (const file of files) copyFileSync(file.path, join(folder, file.name));
    this.page = page;
    await untilImportPanelShows(page);
    assert.equal(await importFolder(page, folder, 600_000), 'succeeded');
    this.currentRound = round;
  }

  /** The library item imported from the file with content hash `sha`, opened in the Viewer. */
  async open(sha: string, label: string): Promise<void> {
    const db = this.harness!.ctx.store.db;
    const row = db.prepare('SELECT id FROM instances WHERE source_sha256 = ?').get(sha) as { id: number } | undefined;
    const logged = db.prepare('SELECT outcome, reason FROM import_log WHERE source_sha256 = ?').get(sha);
    assert.ok(row, `${label} is a library item (import said ${JSON.stringify(logged)})`);
    await openImage(this.page!, `[data-instance-id="${row.id}"]`);
  }

  /** Shows frame `index` through the cine slider and waits until the canvas has painted it. */
  async showFrame(index: number): Promise<void> {
    const page = this.page!;
    if (index !== 0) await page.getByRole('slider', { name: 'Frame' }).fill(String(index));
    await waitInPage(page, (f) => document.querySelector('[data-testid="frame-canvas"]')?.getAttribute('data-frame') === String(f), index, 60_000);
  }

  async painted(channels: 1 | 3): Promise<CanvasImage> {
    const planes = [];
    for (let c = 0; c < channels; c++) planes.push(await canvasChannel(this.page!, 'frame-canvas', c as 0 | 1 | 2));
    const { width, height } = planes[0]!;
    const pixels = new Uint8Array(width * height * channels);
    for (let c = 0; c < channels; c++) for (let i = 0; i < width * height; i++) pixels[i * channels + c] = planes[c]!.values[i]!;
    return { width, height, pixels };
  }

  async close(): Promise<void> {
    await this.page?.close();
    await this.harness?.close();
    this.page = null;
    this.harness = null;
    this.currentRound = -1;
  }
}

/**
 * Files in the order their libraries are made (`roundsByInstanceUid`), and a painter that imports each library once
 * through the import panel, opens the file in the Viewer by its hash and steps the cine slider to each frame.
 */
export function throughTheLibrary<T extends ScreenPlan>(plans: readonly T[], canvas: () => CorpusCanvas): { ordered: T[]; libraries: number; paint: Painter } {
  const rounds = roundsByInstanceUid(plans);
  const roundOf = new Map<ScreenPlan, number>();
  for (const [round, members] of rounds.entries()) for (const member of members) roundOf.set(member, round);
  const paint: Painter = async (planned, frames, channels) => {
    const round = roundOf.get(planned)!;
    await canvas().enterRound(round, rounds[round]!);
    await canvas().open(planned.sha, planned.label);
    const shown: CanvasImage[] = [];
    for (const index of frames) {
      await canvas().showFrame(index);
      shown.push(await canvas().painted(channels));
    }
    return shown;
  };
  return { ordered: rounds.flat(), libraries: rounds.length, paint };
}
