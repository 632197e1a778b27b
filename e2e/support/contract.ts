// What e2e tests do besides clicking: call the typed contract through the page's own preload API (window.angio),
// so setup goes through the same validation as the screens, and switch screens from the navigation.
import type { Page } from 'playwright-core';

/** An invoke bound to the page; a refused call throws with the service's message. */
export function contractInvoke(page: Page): <T>(channel: string, input: unknown) => Promise<T> {
  return <T>(channel: string, input: unknown) =>
    page.evaluate(
      async ([name, value]) => {
        const angio = (window as unknown as { angio: { invoke: Record<string, (i: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>> } }).angio;
        const answer = await angio.invoke[name as string]!(value);
        if (!answer.ok) throw new Error(answer.error!.message);
        return answer.value;
      },
      [channel, input] as const,
    ) as Promise<T>;
}

/** Clicks the screen's navigation entry and waits for its title. */
export async function openScreen(page: Page, route: string, title: string): Promise<void> {
  await page.locator(`nav [data-route="${route}"]`).click();
  await page.locator('h1#screen-title', { hasText: title }).waitFor();
}
