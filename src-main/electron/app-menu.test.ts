// The menu uses the platform's standard roles, and development-only items vanish from packaged builds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate } from './app-menu.ts';

const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((item) => [...(item.role ? [item.role] : []), ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])]);
const actions = { showAbout: () => undefined, openLogFolder: () => undefined };

test('macOS gets the app menu with services, hide and quit, and About first', () => {
  const menu = appMenuTemplate({ platform: 'darwin', productName: 'Angio', packaged: true }, actions);
  assert.equal(menu[0]!.label, 'Angio');
  assert.equal((menu[0]!.submenu as MenuItemConstructorOptions[])[0]!.id, 'about');
  for (const role of ['services', 'hide', 'hideOthers', 'unhide', 'quit', 'close', 'editMenu', 'windowMenu', 'togglefullscreen']) assert.ok(roles(menu).includes(role), role);
});

test('Windows and Linux get File ▸ Quit and Help ▸ About; packaged builds have no reload or DevTools', () => {
  const packaged = appMenuTemplate({ platform: 'win32', productName: 'Angio', packaged: true }, actions);
  assert.ok(roles(packaged).includes('quit'));
  assert.ok(!roles(packaged).includes('services'));
  assert.deepEqual(roles(packaged).filter((role) => ['reload', 'forceReload', 'toggleDevTools'].includes(role)), []);
  const help = packaged.find((item) => item.role === 'help')!.submenu as MenuItemConstructorOptions[];
  assert.ok(help.some((item) => item.id === 'about'));
  const development = appMenuTemplate({ platform: 'linux', productName: 'Angio', packaged: false }, actions);
  assert.ok(roles(development).includes('toggleDevTools'));
});
