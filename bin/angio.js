#!/usr/bin/env node
// `npx angio`: runs the command line (src-main/cli/angio.ts) with the project's own Node 24 (the `node`
// devDependency), whichever Node started this launcher: the sources are TypeScript that Node 24 runs as they are.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = join(root, 'node_modules', 'node', 'bin', 'node');
if (!existsSync(node)) {
  process.stderr.write(`${JSON.stringify({ code: 'setup-missing', message: `Node 24 is not installed in ${root}: run \`npm run setup\` first.` })}\n`);
  process.exit(1);
}
// Ctrl-C reaches the child too (same process group): it stops cleanly, and this process only waits for it.
process.on('SIGINT', () => undefined);
const child = spawnSync(node, [join(root, 'src-main', 'cli', 'angio.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
if (child.error) {
  process.stderr.write(`${JSON.stringify({ code: 'launch-failed', message: `Could not start ${node}: ${child.error.message}` })}\n`);
  process.exit(1);
}
process.exit(child.status ?? 1);
