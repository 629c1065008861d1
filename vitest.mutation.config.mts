import { defineConfig } from "vitest/config";
import { ALL_SUITES, serviceSuites } from "./vitest.suites.mjs";

/**
 * The suites StrykerJS runs against each mutant: the unit suites only (no root, no services), so
 * mutation testing runs anywhere and the unit suites must carry their own weight.
 */
export default defineConfig({
  test: {
    include: [ALL_SUITES],
    exclude: serviceSuites,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
