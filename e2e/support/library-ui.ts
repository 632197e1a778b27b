// Steps the Library and Viewer tests share, done the way a user does them: import a folder through the import
// panel, open an image from the tree.
import type { Page } from 'playwright-core';

export type ImportOutcome = 'succeeded' | 'failed' | 'cancelled';

/** Types `folder` into the import panel, presses Import and waits for the job to end; returns how it ended. */
export async function importFolder(page: Page, folder: string, timeout = 120_000): Promise<ImportOutcome> {
  await page.keyboard.press('Alt+1');
  await page.locator('[data-field="import-folder"]').fill(folder);
  await page.locator('[data-action="import"]').click();
  const job = page.getByTestId('import-job');
  await job.locator('xpath=self::*[@data-status="succeeded" or @data-status="failed" or @data-status="cancelled"]').waitFor({ timeout });
  return (await job.getAttribute('data-status')) as ImportOutcome;
}

/** Opens every collapsed node of the library tree (patients, studies, series) until nothing is left collapsed. */
export async function expandTree(page: Page): Promise<void> {
  const tree = page.getByTestId('library-tree');
  for (let round = 0; round < 6; round++) {
    const collapsed = tree.locator('button.toggle[aria-expanded="false"]');
    const count = await collapsed.count();
    if (count === 0) return;
    for (let i = count - 1; i >= 0; i--) await collapsed.nth(i).click();
  }
}

/** Opens the first image row matching `rowSelector` (e.g. `[data-frames="96"]`) in the Viewer, waits for its first paint, returns its id. */
export async function openImage(page: Page, rowSelector: string): Promise<number> {
  await page.keyboard.press('Alt+1');
  await page.getByTestId('library-tree').locator('li.patient').first().waitFor();
  await expandTree(page);
  const row = page.locator(`li.instance${rowSelector}`).first();
  await row.waitFor();
  const instanceId = await row.getAttribute('data-instance-id');
  await row.locator('[data-action="open-instance"]').click();
  await page.locator('h1#screen-title', { hasText: 'Viewer' }).waitFor();
  await page.locator(`[data-testid="stage"][data-instance-id="${instanceId}"] [data-testid="frame-canvas"][data-frame]`).waitFor();
  return Number(instanceId);
}

/** Waits until every frame of the open run is loaded (the frames progress bar says so). */
export async function waitForAllFrames(page: Page, timeout = 60_000): Promise<void> {
  await page.locator('[role="progressbar"][aria-label="Frames loaded"]').waitFor();
  await waitInPage(
    page,
    () => {
      const bar = document.querySelector('[role="progressbar"][aria-label="Frames loaded"]');
      return bar !== null && bar.getAttribute('aria-valuenow') === bar.getAttribute('aria-valuemax');
    },
    null,
    timeout,
  );
}

/**
 * Waits until `predicate` holds in the page, polling from Node: unlike page.waitForFunction this does not depend on
 * the page's own timers, which Playwright's clock controls in the tests that install it.
 */
export async function waitInPage<A>(page: Page, predicate: (arg: A) => boolean, arg: A, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate(predicate as (arg: unknown) => boolean, arg as unknown))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${predicate.toString()} (${JSON.stringify(arg)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
