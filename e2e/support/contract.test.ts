// The e2e client is typed from the contract: a wrong channel name, input or answer shape fails the type check
// (the @ts-expect-error lines below are errors tsc must find), and a refused call throws the service's message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Result } from '../../src-preload/contract.ts';
import { contractInvoke } from './contract.ts';

/** A page whose window.angio answers from a table, evaluated in this process instead of a browser. */
function fakePage(answers: Record<string, (input: unknown) => Result<unknown>>): Page {
  const window = { angio: { invoke: Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, async (input: unknown) => answer(input)])) } };
  return {
    evaluate: async (fn: (arg: unknown) => unknown, arg: unknown) => {
      const saved = (globalThis as { window?: unknown }).window;
      (globalThis as { window?: unknown }).window = window;
      try {
        return await fn(structuredClone(arg));
      } finally {
        (globalThis as { window?: unknown }).window = saved;
      }
    },
  } as unknown as Page;
}

test('the e2e client passes the input to the channel and answers its value; a refusal throws its message', async () => {
  let seen: unknown;
  const invoke = contractInvoke(
    fakePage({
      'annotations.list': (input) => {
        seen = input;
        return { ok: true, value: { boxes: [] } };
      },
      'annotations.delete': () => ({ ok: false, error: { code: 'not-found', message: 'No box 9.' } }),
    }),
  );
  const listed = await invoke('annotations.list', { instanceId: 4 });
  assert.deepEqual(listed.boxes, []);
  assert.deepEqual(seen, { instanceId: 4 });
  await assert.rejects(invoke('annotations.delete', { id: 9, reader: null }), /^Error: No box 9\.$/);
});

/** Never called: it exists for the type checker, which must reject each marked line. */
export async function typeChecks(page: Page): Promise<void> {
  const invoke = contractInvoke(page);
  // @ts-expect-error: no such channel in the contract.
  await invoke('annotations.lists', {});
  // @ts-expect-error: instanceId is a number.
  await invoke('annotations.list', { instanceId: 'four' });
  const { boxes } = await invoke('annotations.list', {});
  // @ts-expect-error: a box has no `colour`.
  void boxes[0]?.colour;
}
