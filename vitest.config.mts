import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    // integration tests boot real services; their own hooks set longer timeouts where needed
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // two cores: two test files at a time keeps the real services responsive
    maxWorkers: 2,
    reporters: ["default"],
  },
});
