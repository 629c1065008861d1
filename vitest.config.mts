import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Test files that need root and real system services: a systemd test host (systemd-nspawn) or a
 * private MariaDB server. Found by what they import, so a new suite lands in the right project by
 * itself. `npm run test:unit` runs everything else: no root, no services, a laptop is enough.
 */
const SERVICE_SUPPORT = /from "(\.\.\/)+support\/(systemd-host|mariadb)"/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".test.ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

const serviceSuites = testFiles("__tests__").filter((file) => SERVICE_SUPPORT.test(readFileSync(file, "utf8")));

export default defineConfig({
  test: {
    // integration tests boot real services; their own hooks set longer timeouts where needed
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // two cores: two test files at a time keeps the real services responsive
    maxWorkers: 2,
    reporters: ["default"],
    projects: [
      { extends: true, test: { name: "unit", include: ["__tests__/**/*.test.ts"], exclude: serviceSuites } },
      { extends: true, test: { name: "services", include: serviceSuites } },
    ],
  },
});
