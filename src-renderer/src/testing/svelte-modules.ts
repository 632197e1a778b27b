// Lets node's test runner load the renderer's rune modules (`*.svelte.ts`): their types are stripped and the
// svelte compiler turns `$state`/`$derived` into the client runtime's signals, as the Vite build does. `svelte`
// imports resolve to the browser build, because the server build's runes are inert (no reactivity to assert on).
// Import this first in a test, then load the rune modules with a dynamic `await import(...)`: static imports are
// resolved before any module body runs, so they would miss the hooks.
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { fileURLToPath } from 'node:url';
import { compileModule } from 'svelte/compiler';

const RUNE_MODULE = /\.svelte\.ts$/;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'svelte' || specifier.startsWith('svelte/')) {
      return nextResolve(specifier, { ...context, conditions: ['browser', ...context.conditions] });
    }
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (!RUNE_MODULE.test(new URL(url).pathname)) return nextLoad(url, context);
    const loaded = nextLoad(url, { ...context, format: 'module' });
    const source = typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source);
    const filename = fileURLToPath(url);
    const javascript = stripTypeScriptTypes(source, { mode: 'strip' });
    const compiled = compileModule(javascript, { filename, generate: 'client', dev: false });
    return { format: 'module', source: compiled.js.code, shortCircuit: true };
  },
});
