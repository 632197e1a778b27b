// The renderer's Content-Security-Policy: the built index.html carries the strict policy main also sends as a
// header, the built files name no remote resource, and the app runs under the policy in Chromium with no violation —
// while eval and a remote image are refused (showing the policy is really in force).
import assert from 'node:assert/strict';
import { globSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../src-main/app/paths.ts';
import { cspOfHtml, cspProblems, RENDERER_CSP } from '../src-main/electron/csp.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { launchChromium } from './support/browser.ts';

const rendererDir = join(projectRoot(), 'out', 'renderer');
let harness: Harness;
let browser: Browser;
let page: Page;

before(async () => {
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage();
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = violations;
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.effectiveDirective} blocked ${event.blockedURI}`));
  });
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

const violations = () => page.evaluate(() => [...(window as unknown as { __cspViolations: string[] }).__cspViolations]);

test('the built index.html carries the strict policy, the same one main sends as a header', () => {
  const policy = cspOfHtml(readFileSync(join(rendererDir, 'index.html'), 'utf8'));
  assert.ok(policy, 'out/renderer/index.html has no Content-Security-Policy meta tag');
  assert.deepEqual(cspProblems(policy), []);
  assert.equal(policy, RENDERER_CSP, 'src-renderer/index.html and src-main/electron/csp.ts must state the same policy');
});

test('the built renderer loads nothing remote: no external src, href or CSS url()', () => {
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  assert.deepEqual([...html.matchAll(/\b(?:src|href)=["']((?:https?:)?\/\/[^"']+)/gi)].map((m) => m[1]), []);
  for (const file of globSync('**/*.css', { cwd: rendererDir })) {
    const css = readFileSync(join(rendererDir, file), 'utf8');
    assert.deepEqual([...css.matchAll(/url\(\s*["']?((?:https?:)?\/\/[^)"']+)/gi)].map((m) => m[1]), [], `${file} loads a remote resource`);
    assert.doesNotMatch(css, /@import\s+(url\()?["']?(https?:)?\/\//i, `${file} imports remote CSS`);
  }
});

test('the app runs under the policy in Chromium without a single violation', async () => {
  await page.goto(harness.url);
  await page.getByTestId('system-panel').locator('[data-field="appVersion"]').waitFor();
  await page.locator('[data-action="self-check"]').click();
  await page.locator('.checks[data-status="succeeded"], .checks[data-status="failed"]').waitFor({ timeout: 15_000 });
  for (const key of ['Alt+2', 'Alt+3', 'Alt+4', 'Alt+5', 'Alt+6', 'Alt+7', 'Alt+1']) await page.keyboard.press(key);
  await page.waitForTimeout(200);
  assert.deepEqual(await violations(), []);
});

test('eval and remote content are refused under the policy (it is in force, not decorative)', async () => {
  // DevTools' own evaluation is exempt from CSP, so the eval runs later, in an ordinary task of the page.
  const evalOutcome = await page.evaluate(
    () =>
      new Promise<string>((resolve) =>
        setTimeout(() => {
          try {
            resolve(String(new Function('return 6 * 7')()));
          } catch (error) {
            resolve((error as Error).name);
          }
        }, 0),
      ),
  );
  assert.equal(evalOutcome, 'EvalError');
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.src = 'https://tracker.example/pixel.png';
    document.body.append(img);
  });
  await page.waitForFunction(() => (window as unknown as { __cspViolations: string[] }).__cspViolations.length > 0);
  const seen = await violations();
  assert.ok(seen.some((v) => v.startsWith('img-src blocked https://tracker.example/pixel.png')), seen.join('\n'));
  assert.ok(seen.some((v) => v.startsWith('script-src blocked eval')), seen.join('\n'));
});
