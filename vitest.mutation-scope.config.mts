import { defineConfig } from "vitest/config";
import { serviceSuites } from "./vitest.suites.mjs";

/**
 * The suites a scoped mutation run uses: the unit tests of the policy rules, lib/ (config included),
 * provision/ and emulation/, that is, the tests of the code being mutated.
 *
 * Why not every unit suite (vitest.mutation.config.mts): the stack suites (__tests__/infra) synthesize
 * the whole stack in beforeAll hooks, and every synth runs every policy rule, so Stryker sees the
 * rules' code covered outside any test and treats ~70% of their mutants as "static", each run
 * against all suites (about 5 s a mutant, a 60-minute run for constructs/policies). The scoped run
 * also answers the question that matters for these files: do their own tests kill the mutants?
 * And __tests__/infra/main-cli.test.ts fails on a clean tree under vitest (cdktf's DEP0044 warning
 * on the child's stderr), which stops Stryker before it starts.
 *
 * MUTATION_TESTS (comma-separated globs) narrows the suites further, to a module's own tests, e.g.
 * `MUTATION_TESTS='__tests__/config/*.test.ts' npm run test:mutation -- stryker.scope.config.mjs --mutate lib/config.ts`:
 * a suite that builds its fixtures at collection time (client-host.test.ts parses a config at module
 * level) would otherwise make the mutants of the code it calls "static", each re-run with a reload.
 */
const SCOPED_SUITES = [
  "__tests__/policies/**/*.test.ts",
  "__tests__/lib/**/*.test.ts",
  "__tests__/config/**/*.test.ts",
  "__tests__/provision/unit/**/*.test.ts",
  "__tests__/emulation/**/*.test.ts",
];
export default defineConfig({
  test: {
    include: process.env.MUTATION_TESTS ? process.env.MUTATION_TESTS.split(",").filter((glob) => glob !== "") : SCOPED_SUITES,
    exclude: serviceSuites,
    // one module graph for every test file and every mutant's run: each run otherwise re-imports
    // zod, yaml and the AWS SDK per file (seconds a mutant); the unit suites share no mutable state
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
