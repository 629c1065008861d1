#!/usr/bin/env node
// Prints a --mutate list covering the lines of the surviving (Survived, NoCoverage) mutants in an
// incremental file, for a narrow run of new tests against them:
//   node scripts/mutation-survivor-ranges.mjs reports/mutation/incremental.<scope>.json [file-prefix]
//   MUTATION_SCOPE=<scope>-new MUTATION_TESTS='<the new suites>' npm run test:mutation -- \
//     stryker.scope.config.mjs --mutate "$(node scripts/mutation-survivor-ranges.mjs ...)"
// Other mutants on those lines are tested too; scripts/mutation-scores.mjs keeps a mutant that any
// run detected as detected, so the narrow run can only add kills.
import { readFileSync } from "node:fs";

const [path, prefix = ""] = process.argv.slice(2);
if (!path) {
  console.error("usage: node scripts/mutation-survivor-ranges.mjs <incremental.json> [file-prefix]");
  process.exit(2);
}
const SURVIVING = new Set(["Survived", "NoCoverage"]);
const ranges = new Set();
for (const [file, { mutants }] of Object.entries(JSON.parse(readFileSync(path, "utf8")).files)) {
  if (!file.startsWith(prefix)) continue;
  for (const { status, location } of mutants) if (SURVIVING.has(status)) ranges.add(`${file}:${location.start.line}-${location.end.line}`);
}
if (ranges.size === 0) {
  console.error(`${path}: no surviving mutants${prefix ? ` under ${prefix}` : ""}`);
  process.exit(1);
}
console.log([...ranges].join(","));
