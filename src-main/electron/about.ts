// The about box: product, version and every version a support call needs (Electron, Chromium, Node, V8, the native
// addon, the OS), shown with a button that copies them for a ticket.
import type { MessageBoxOptions } from 'electron';

export interface AboutFacts {
  productName: string;
  appVersion: string;
  versions: Partial<Record<'electron' | 'chrome' | 'node' | 'v8', string>>;
  addon: { loaded: true; version: string } | { loaded: false; error: string };
  platform: string;
  dataDir: string;
  logFile: string;
}

export const ABOUT_BUTTONS = ['Close', 'Copy versions'] as const;

export function aboutDetail(facts: AboutFacts): string {
  const { versions } = facts;
  return [
    `Version ${facts.appVersion}`,
    `Electron ${versions.electron ?? 'n/a'}`,
    `Chromium ${versions.chrome ?? 'n/a'}`,
    `Node ${versions.node ?? 'n/a'}`,
    `V8 ${versions.v8 ?? 'n/a'}`,
    `Native engine ${facts.addon.loaded ? facts.addon.version : `not loaded (${facts.addon.error})`}`,
    `Platform ${facts.platform}`,
    `Data folder ${facts.dataDir}`,
    `Log file ${facts.logFile}`,
  ].join('\n');
}

export function aboutBox(facts: AboutFacts): MessageBoxOptions {
  return {
    type: 'info',
    title: `About ${facts.productName}`,
    message: `${facts.productName} ${facts.appVersion}`,
    detail: aboutDetail(facts),
    buttons: [...ABOUT_BUTTONS],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}
