// `npm run harness`: the app in any local Chromium, backed by the real services (prints the tokened URL).
import { defaultDataDir } from '../../src-main/app/paths.ts';
import { startHarness } from './start-harness.ts';

const harness = await startHarness({ dataDir: defaultDataDir(), port: Number(process.env.PORT ?? 0) || undefined });
console.log(`Open ${harness.url}\nData folder: ${harness.ctx.dataDir}\nCtrl+C to stop.`);
process.on('SIGINT', () => void harness.close().then(() => process.exit(0)));
