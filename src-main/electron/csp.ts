// The renderer's Content-Security-Policy, in one place: main sends it as a response header and the built
// index.html carries the same policy in a <meta> tag (file:// responses have no headers on some Electron versions).
// `cspProblems` is the strictness rule both are held to: no remote origin anywhere, no eval, no inline script.

/** Must equal the <meta http-equiv="Content-Security-Policy"> in src-renderer/index.html (checked by e2e). */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' angio:; object-src 'none'; base-uri 'none'; form-action 'none'";

/** Sources a strict policy may name: the app itself, in-memory data, and the app's own pixel scheme. */
const LOCAL_SOURCES = new Set(["'self'", "'none'", 'data:', 'blob:', 'angio:']);
/** Inline styles are tolerated (Svelte writes style attributes); inline script never is. */
const INLINE_STYLE_DIRECTIVES = new Set(['style-src', 'style-src-attr', 'style-src-elem']);
const REQUIRED_NONE = ['object-src'];

export function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Every reason `policy` is not strict; an empty list means it is. */
export function cspProblems(policy: string): string[] {
  const directives = parseCsp(policy);
  const problems: string[] = [];
  const defaultSrc = directives.get('default-src');
  if (!defaultSrc) problems.push('default-src is missing, so anything not named falls back to "allow all"');
  for (const name of REQUIRED_NONE) {
    if (directives.get(name)?.join(' ') !== "'none'") problems.push(`${name} must be 'none'`);
  }
  if (!directives.has('base-uri')) problems.push("base-uri is missing ('none' or 'self' stops <base> hijacking)");
  for (const [name, sources] of directives) {
    for (const source of sources) {
      if (source === "'unsafe-eval'" || source === "'wasm-unsafe-eval'") problems.push(`${name} allows eval (${source})`);
      else if (source === "'unsafe-inline'") {
        if (!INLINE_STYLE_DIRECTIVES.has(name)) problems.push(`${name} allows inline code ('unsafe-inline')`);
      } else if (/^'(nonce|sha256|sha384|sha512)-/.test(source)) continue;
      else if (!LOCAL_SOURCES.has(source)) problems.push(`${name} names a source that is not the app's own: ${source}`);
    }
  }
  return problems;
}

/** The policy in an HTML document's <meta http-equiv="Content-Security-Policy">, or null. */
export function cspOfHtml(html: string): string | null {
  const meta = html.match(/<meta\s[^>]*http-equiv=["']Content-Security-Policy["'][^>]*>/i)?.[0];
  return meta?.match(/content=(["'])([\s\S]*?)\1/i)?.[2]?.replace(/\s+/g, ' ').trim() ?? null;
}
