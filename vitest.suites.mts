/**
 * Which test files need root or more than Node: a systemd test host (systemd-nspawn), a private
 * MariaDB server, or real `terraform plan` runs against the offline provider mirror (seconds and
 * hundreds of MB each). Found by what they import or call, so a new suite lands on the right side
 * by itself. Everything else runs anywhere: `npm run test:unit`, and the mutation testing's runs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const SERVICE_SUPPORT = /from "(\.\.\/)+support\/(systemd-host|mariadb)"|\bplanStackOffline\(/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".test.ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

export const ALL_SUITES = "__tests__/**/*.test.ts";
export const serviceSuites: string[] = testFiles("__tests__").filter((file) => SERVICE_SUPPORT.test(readFileSync(file, "utf8")));
