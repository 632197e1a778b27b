// Module hooks that answer `electron` with the stand-in and fail loudly if anything tries the real package.
const fake = new URL('./electron.ts', import.meta.url).href;

export async function resolve(specifier: string, context: unknown, next: (s: string, c: unknown) => Promise<{ url: string }>) {
  if (specifier === 'electron') return { url: fake, shortCircuit: true };
  const resolved = await next(specifier, context);
  if (resolved.url.includes('/node_modules/electron/')) throw new Error(`the real electron package was resolved: ${resolved.url}`);
  return resolved;
}
