/**
 * Test tiers, one jest project each; `npm test` runs them all, as CI does.
 *
 * - unit: the domain, adapters against mocked SDK clients or loopback fakes, the CLI in-process,
 *   the handlers. `npm run test:unit`, the fast loop (under 20 s here).
 * - integration: tests that run processes (the built `stale-iam` binary, cfn-lint, the local Lambda
 *   host) or push volume (130,000 report rows); listed one by one below.
 * - package: the real `osls package` offline (tests/infra), the packaged functions run by the
 *   local runner (tests/e2e), and the npm package: what `npm ci` installs and the tarball `npm pack`
 *   builds, installed offline into an empty folder (tests/packaging).
 * - emulator: the CLI and the packaged functions against a real implementation of the AWS APIs
 *   (moto server); skipped with a message when none is installed, required in CI.
 * - browser: what a person looks at, in headless Chromium; skipped with a message when none is installed.
 */

const { existsSync } = require('node:fs');
const path = require('node:path');

const ESM_ONLY_PACKAGES = [
  '@middy',
  'vega[a-z-]*',
  'd3-[a-z-]+',
  'internmap',
  'delaunator',
  'robust-predicates',
  'json-stringify-pretty-compact',
];

/** @type {import('jest').Config} */
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.m?(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // middy, vega and vega's d3 modules ship ESM only; swc turns them into CommonJS for jest.
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`],
  // The same substitution as the bundles' esbuild plugin (serverless/esbuild-plugins.js says why).
  moduleNameMapper: { '^vega-canvas$': '<rootDir>/node_modules/vega-canvas/build/vega-canvas.browser.js' },
  setupFilesAfterEnv: ['<rootDir>/tests/setup.ts'],
  testMatch: ['**/*.test.ts'],
};

/** Outside the tier folders, but too slow for the unit loop: they run processes or push volume. */
const INTEGRATION_TESTS = [
  'tests/cli/three-sources.test.ts',
  'tests/cli/endpoint.test.ts',
  'tests/cli/real-world-reports.test.ts',
  'tests/cli/disable-plan-parity.test.ts',
  'tests/cli/disable-command.test.ts',
  'tests/cli/asff.test.ts',
  'tests/cli/format-html.test.ts',
  'tests/cli/flags.test.ts',
  'tests/docs/readme.test.ts',
  'tests/domain/report/any-size.test.ts',
  'tests/member-role/templates.test.ts',
  'tests/tools/local-run/lambda-host.test.ts',
];
const escaped = (file) => file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const TIERS = ['package', 'emulator', 'browser'];
const TIER_FOLDERS = { package: ['infra', 'e2e', 'packaging'], emulator: ['emulator'], browser: ['browser'] };

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/tests/global-setup.js',
  globalTeardown: '<rootDir>/tests/global-teardown.js',
  testTimeout: 30000,
  collectCoverageFrom: ['src/**/*.{ts,js}'],
  coverageReporters: ['text-summary', 'lcov'],
  // A floor today's code meets; raise it as coverage grows, never lower it to make a change pass.
  coverageThreshold: { global: { statements: 90, branches: 78, functions: 90, lines: 90 } },
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/tests'],
      testPathIgnorePatterns: [
        `/tests/(${Object.values(TIER_FOLDERS).flat().join('|')})/`,
        ...INTEGRATION_TESTS.map((file) => `/${escaped(file)}$`),
      ],
    },
    {
      ...shared,
      displayName: 'integration',
      roots: ['<rootDir>/tests'],
      testMatch: INTEGRATION_TESTS.map((file) => `<rootDir>/${file}`),
    },
    // A tier whose folders do not exist yet has no tests: jest refuses a root that does not exist.
    ...TIERS.filter((tier) =>
      TIER_FOLDERS[tier].some((f) => existsSync(path.join(__dirname, 'tests', f))),
    ).map((tier) => ({
      ...shared,
      displayName: tier,
      roots: TIER_FOLDERS[tier]
        .filter((folder) => existsSync(path.join(__dirname, 'tests', folder)))
        .map((folder) => `<rootDir>/tests/${folder}`),
    })),
  ],
};
