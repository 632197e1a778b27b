// The strictness rule for the renderer's Content-Security-Policy catches each way a policy can be loosened.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cspOfHtml, cspProblems, RENDERER_CSP } from './csp.ts';

test("the app's policy is strict", () => {
  assert.deepEqual(cspProblems(RENDERER_CSP), []);
});

test('remote origins, eval, inline script and missing fallbacks are each reported', () => {
  const loosen = (extra: string) => cspProblems(`${RENDERER_CSP}; ${extra}`);
  assert.match(loosen('img-src https://cdn.example.com').join(), /not the app's own: https:\/\/cdn\.example\.com/);
  assert.match(loosen('connect-src *').join(), /not the app's own: \*/);
  assert.match(loosen('connect-src ws://127.0.0.1:9000').join(), /ws:\/\/127\.0\.0\.1:9000/);
  assert.match(loosen("script-src 'self' 'unsafe-eval'").join(), /allows eval/);
  assert.match(loosen("script-src 'self' 'unsafe-inline'").join(), /inline code/);
  assert.match(cspProblems("script-src 'self'").join('\n'), /default-src is missing[\s\S]*object-src must be 'none'[\s\S]*base-uri is missing/);
});

test('the policy is read from a meta tag whatever its quoting and line breaks', () => {
  assert.equal(cspOfHtml(`<meta\n http-equiv="Content-Security-Policy"\n content="default-src 'self';\n   object-src 'none'" />`), "default-src 'self'; object-src 'none'");
  assert.equal(cspOfHtml('<meta charset="utf-8">'), null);
});
