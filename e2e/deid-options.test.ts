// The de-identification panel on the Reports screen in Debian's Chromium against the real services: the profile and
// options the catalog applies, what losing the vault key means, and an option changed through the UI (stored in
// the catalog, audited, and shown as the (0012,0063) words new imports will write).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { launchChromium, watchPageErrors } from './support/browser.ts';

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];

before(async () => {
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  await page.locator('nav [data-route="reports"]').click();
  await page.locator('h1#screen-title', { hasText: 'Reports' }).waitFor();
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

test('the panel states the profile, the options and the vault-key sentence, and changes an option', async () => {
  const panel = page.getByTestId('deid-options');
  await panel.locator('[data-field="method"]').waitFor();
  assert.match((await panel.textContent()) ?? '', /PS3\.15 Basic Application Confidentiality Profile/);
  assert.equal(await panel.locator('[data-field="key-loss"]').textContent(), 'Losing the vault key loses re-identification, never the de-identified data.');
  assert.equal(await panel.locator('[data-field="retain-characteristics"]').isChecked(), false);
  await panel.locator('[data-field="retain-characteristics"]').check();
  await panel.locator('[data-field="method"]', { hasText: 'Retain Patient Characteristics Option' }).waitFor();
  const stored = harness.ctx.store.db.prepare("SELECT value FROM settings WHERE key = 'deid.options'").get() as { value: string } | undefined;
  assert.equal((JSON.parse(stored?.value ?? '{}') as { retainPatientCharacteristics?: boolean }).retainPatientCharacteristics, true);
  assert.ok(harness.ctx.store.db.prepare("SELECT 1 FROM audit_log WHERE action = 'deid.options'").get(), 'the change is audited');
  assert.deepEqual(pageErrors, []);
});
