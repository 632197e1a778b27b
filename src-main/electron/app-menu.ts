// The application menu: the platform's standard roles (edit, window, app menu on macOS) so copy/paste, zoom and
// window shortcuts behave as people expect; reload and DevTools only in development builds.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  showAbout(): void;
  openLogFolder(): void;
}

export function appMenuTemplate(options: { platform: NodeJS.Platform; productName: string; packaged: boolean }, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const about: MenuItemConstructorOptions = { id: 'about', label: `About ${options.productName}`, click: () => actions.showAbout() };
  const development: MenuItemConstructorOptions[] = options.packaged ? [] : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  return [
    ...(mac
      ? [{ label: options.productName, submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } satisfies MenuItemConstructorOptions]
      : []),
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'View', submenu: [...development, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ id: 'open-logs', label: 'Open Log Folder', click: () => actions.openLogFolder() }, ...(mac ? [] : [{ type: 'separator' } as const, about])],
    },
  ];
}
