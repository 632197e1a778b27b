// The allowed layering of the code, checked on every test run (scripts/architecture.test.ts) and drawn in
// docs/architecture.md. This file is the source of truth: the picture follows it, not the other way round.
/** Tests and the tooling only tests and the soak load: allowed to reach anywhere, never reached from the product. */
const TEST_TOOLING = ['\\.test\\.ts$', '/testing/', '/fixtures/', '^tests/'];

/** Files other capabilities may import directly although they are not an index.ts, each with its reason. */
const DEEP_IMPORT_EXCEPTIONS = [
  {
    path: '^src-main/app/handlers\\.ts$',
    reason: "The composition root the hosts (Electron, the loopback harness) wire up: it imports every capability's IPC slice, and those slices import app's index, so exporting it from there would close a cycle.",
  },
  {
    path: '^src-main/evaluation/figures/index\\.ts$',
    reason: "The report figures are evaluation's second door: Vega loads only where figures are drawn, not with every import of evaluation's metrics.",
  },
];

const INDEX = '^src-main/[^/]+/index\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycle',
      comment:
        'A cycle of runtime imports makes module evaluation order decide whether a binding is initialised. ' +
        'Type-only imports are erased by the compiler, so a capability may name a type of the layer that composes it.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'contract-independent-of-main',
      comment: 'The contract (src-preload) is bundled into the preload and the renderer: it must not pull in main code.',
      severity: 'error',
      from: { path: '^src-preload/', pathNot: TEST_TOOLING },
      to: { path: '^src-main/' },
    },
    {
      name: 'renderer-independent-of-main',
      comment: 'The renderer talks to main only through the contract\'s typed API.',
      severity: 'error',
      from: { path: '^src-renderer/', pathNot: TEST_TOOLING },
      to: { path: '^src-main/' },
    },
    {
      name: 'no-test-tooling-in-production',
      comment: 'Fixtures, oracles, crash and fuzz tooling must not ship or run inside the product.',
      severity: 'error',
      from: { path: '^src-(main|preload|renderer)/', pathNot: TEST_TOOLING },
      to: { path: TEST_TOOLING },
    },
    {
      name: 'no-deep-import-across-capabilities',
      comment:
        "A capability's index.ts is its door: other capabilities import only from it, so everything else in the " +
        'folder can change without breaking them.',
      severity: 'error',
      from: { path: '^src-main/([^/]+)/', pathNot: TEST_TOOLING },
      to: { path: '^src-main/[^/]+/.+', pathNot: ['^src-main/$1/', INDEX, ...DEEP_IMPORT_EXCEPTIONS.map(({ path }) => path)] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules/', '^out/', '^src-main/native/build/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.cjs', '.mjs', '.json', '.svelte'] },
  },
};
