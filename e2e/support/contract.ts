// What e2e tests do besides clicking: call the typed contract through the page's own preload API (window.angio),
// so setup goes through the same validation as the screens, and switch screens from the navigation.
import type { Page } from 'playwright-core';
import type { AngioApi } from '../../src-preload/api.ts';
import type { InvokeChannel, InvokeInput, InvokeOutput, Result } from '../../src-preload/contract.ts';

/** A contract invoke: the channel name is checked, the input and the answer are typed from the zod contract. */
export type ContractInvoke = <K extends InvokeChannel>(channel: K, input: InvokeInput<K>) => Promise<InvokeOutput<K>>;

/** An invoke bound to the page; a refused call throws with the service's message. */
export function contractInvoke(page: Page): ContractInvoke {
  return <K extends InvokeChannel>(channel: K, input: InvokeInput<K>) =>
    page.evaluate(
      async ([name, value]) => {
        const angio = (window as unknown as { angio: AngioApi }).angio;
        const answer = await (angio.invoke[name] as (input: unknown) => Promise<Result<unknown>>)(value);
        if (!answer.ok) throw new Error(answer.error.message);
        return answer.value;
      },
      [channel, input as unknown] as const,
    ) as Promise<InvokeOutput<K>>;
}

/** Clicks the screen's navigation entry and waits for its title. */
export async function openScreen(page: Page, route: string, title: string): Promise<void> {
  await page.locator(`nav [data-route="${route}"]`).click();
  await page.locator('h1#screen-title', { hasText: title }).waitFor();
}
