import { defineConfig } from "vitest/config";
import { ALL_SUITES, serviceSuites } from "./vitest.suites.mjs";

export default defineConfig({
  test: {
    // integration tests boot real services; their own hooks set longer timeouts where needed
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // two cores: two test files at a time keeps the real services responsive
    maxWorkers: 2,
    reporters: ["default"],
    projects: [
      // no root, no services, no terraform plans: `npm run test:unit`, a laptop is enough
      { extends: true, test: { name: "unit", include: [ALL_SUITES], exclude: serviceSuites } },
      { extends: true, test: { name: "services", include: serviceSuites } },
    ],
  },
});
