// Every screen at 1280×800 and 1920×1080 in Debian's Chromium against the real services, kept as screenshots in
// e2e/artifacts for a person to look at, with what a person would notice checked: nothing spills out of the page or
// out of a panel that clips it, headings, buttons, labels, tabs and notices show their whole text, the empty Viewer
// says no image is open (not "Frame 1 / 0") with no empty rows, and Curation's header stays one row with a long
// reader name.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { routes } from '../src-renderer/src/screens/routes.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { openScreen } from './support/contract.ts';
import { importFolder, openImage } from './support/library-ui.ts';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
const LONG_READER = 'Dr Maximiliana Konstantinopoulou-Vandenberghe';

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let scratch: string;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'angio-first-hour-layout-'));
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: SIZES[0] });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  assert.equal(await importFolder(page, join(sharedDataDir(), 'p-adsd', 'labeled', 'val')), 'succeeded');
  const cine = join(scratch, 'cine');
  mkdirSync(cine);
  copyFileSync(join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm'), join(cine, 'cine.dcm'));
  assert.equal(await importFolder(page, cine), 'succeeded');
  await openScreen(page, 'curation', 'Curation');
  await page.getByTestId('reader-name').fill(LONG_READER);
  await page.locator('[data-action="add-reader"]').click();
  await page.locator('[data-testid="active-reader"] bdi', { hasText: LONG_READER }).waitFor();
  // A locked split, so Training shows its class picker (the longest option texts) and can refuse a start.
  await openScreen(page, 'splits', 'Splits');
  await page.locator('[data-action="import-split"]').click();
  await page.locator('[data-action="lock-split"]').click();
  await page.getByTestId('locked-badge').waitFor();
});

after(async () => {
  await browser?.close();
  await harness?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

interface LayoutProblems {
  pageOverflow: string | null;
  spilled: string[];
  clippedText: string[];
}

/**
 * What overflows on the screen shown: the page wider than the window; an element reaching past the nearest
 * ancestor that clips it (overflow hidden, or main itself); a heading, button, label, tab, table header or notice
 * whose text is wider or taller than its box.
 */
function layoutProblems(page: Page): Promise<LayoutProblems> {
  return page.evaluate(() => {
    const main = document.querySelector('main')!;
    const name = (el: Element) => {
      const id = el.getAttribute('data-testid') ?? el.getAttribute('data-action') ?? el.getAttribute('data-field');
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60);
      return `${el.tagName.toLowerCase()}${id ? `[${id}]` : el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''} "${text}"`;
    };
    const visible = (el: Element) => {
      const style = getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      return style.visibility !== 'hidden' && style.display !== 'none' && rect.width > 0 && rect.height > 0;
    };
    const root = document.documentElement;
    const pageOverflow = root.scrollWidth > window.innerWidth ? `page is ${root.scrollWidth}px wide in a ${window.innerWidth}px window` : null;
    const spilled: string[] = [];
    const clippedText: string[] = [];
    const screen = main.querySelector('[data-screen]:not([hidden])') ?? main;
    for (const el of screen.querySelectorAll('*')) {
      if (!visible(el) || el.closest('[hidden]') || el.closest('svg')) continue;
      let clip: Element = main;
      for (let a = el.parentElement; a && a !== main; a = a.parentElement) {
        const o = getComputedStyle(a).overflowX;
        if (o !== 'visible') {
          clip = a;
          break;
        }
      }
      const overflow = getComputedStyle(clip).overflowX;
      const r = el.getBoundingClientRect();
      const c = clip.getBoundingClientRect();
      // Content a scroll box holds can be scrolled to; content past main, or past a box that hides it, is lost.
      if ((clip === main || overflow === 'hidden' || overflow === 'clip') && r.right > c.right + 1 && r.left < c.right) spilled.push(`${name(el)} reaches ${Math.round(r.right - c.right)}px past ${name(clip).slice(0, 40)}`);
    }
    for (const el of screen.querySelectorAll('h1, h2, h3, button, label, th, [role="tab"], legend, [data-testid="active-reader"], [data-testid^="notice"], output')) {
      if (!visible(el) || el.closest('[hidden]')) continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) clippedText.push(`${name(el)}: text ${el.scrollWidth}×${el.scrollHeight} in a ${el.clientWidth}×${el.clientHeight} box`);
    }
    return { pageOverflow, spilled, clippedText };
  });
}

for (const size of SIZES) {
  test(`every screen at ${size.width}×${size.height}: screenshot, nothing spills, no text clipped`, { timeout: 240_000 }, async () => {
    await page.setViewportSize(size);
    const problems: Record<string, LayoutProblems> = {};
    for (const route of routes) {
      await openScreen(page, route.id, route.label);
      await page.waitForTimeout(300);
      await keepScreenshot(page, `first-hour-layout-${route.id}-${size.width}x${size.height}`);
      const found = await layoutProblems(page);
      if (found.pageOverflow || found.spilled.length > 0 || found.clippedText.length > 0) problems[route.id] = found;
    }
    // Training with the locked split picked, graded classes chosen and a start refused (its error in the panel).
    await openScreen(page, 'training', 'Training');
    const split = page.getByTestId('training-split');
    await split.selectOption({ index: 1 });
    await page.getByTestId('training-classes').selectOption('graded');
    await page.locator('[data-action="start-training"]').click();
    await page.getByTestId('notice-error').first().waitFor();
    await keepScreenshot(page, `first-hour-layout-training-refused-${size.width}x${size.height}`);
    const training = await layoutProblems(page);
    if (training.pageOverflow || training.spilled.length > 0 || training.clippedText.length > 0) problems['training (split, classes, refusal)'] = training;
    await page.getByTestId('training-classes').selectOption('binary');
    // The Viewer with a cine run open: the series strip, the image, the cine bar with its rate.
    await openImage(page, '[data-frames="96"]');
    await keepScreenshot(page, `first-hour-layout-viewer-open-${size.width}x${size.height}`);
    const viewer = await layoutProblems(page);
    if (viewer.pageOverflow || viewer.spilled.length > 0 || viewer.clippedText.length > 0) problems['viewer (run open)'] = viewer;
    assert.deepEqual(problems, {}, JSON.stringify(problems, null, 2));
  });
}

test('the empty Viewer says no image is open, with no empty message row', { timeout: 60_000 }, async () => {
  await page.setViewportSize(SIZES[0]);
  await page.reload();
  await openScreen(page, 'viewer', 'Viewer');
  assert.equal((await page.getByTestId('frame-readout').textContent())!.trim(), 'No image open');
  assert.equal(await page.locator('[data-screen="viewer"] .messages').count(), 0, 'no row is kept for messages that are not there');
  assert.equal(await page.locator('[data-screen="viewer"] .loading').count(), 0, 'no frame-loading row without frames');
});

test('Curation\'s header stays one row with a long reader name', { timeout: 60_000 }, async () => {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await openScreen(page, 'curation', 'Curation');
    const tops = await page.locator('[data-screen="curation"] header > *').evaluateAll((children) => children.map((c) => Math.round(c.getBoundingClientRect().top)));
    const title = await page.locator('h1#screen-title').boundingBox();
    const header = await page.locator('[data-screen="curation"] header').first().boundingBox();
    assert.ok(header!.height <= title!.height + 16, `the header is ${header!.height}px tall for a ${title!.height}px title at ${size.width}×${size.height} (tops ${tops.join(', ')})`);
  }
  assert.deepEqual(pageErrors, []);
});
