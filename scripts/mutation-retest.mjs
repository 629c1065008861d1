#!/usr/bin/env node
// Drops the Survived and NoCoverage results (and any RuntimeError left by an interrupted run) from
// an incremental file, so the next incremental run tests those mutants again against the tests as
// they are now. Stryker otherwise reuses a static mutant's Survived result even when new tests
// would kill it (it cannot tell which tests cover a static mutant).
//   node scripts/mutation-retest.mjs reports/mutation/incremental.<scope>.json [file-prefix]
import { readFileSync, writeFileSync } from "node:fs";

const [path, prefix = ""] = process.argv.slice(2);
if (!path) {
  console.error("usage: node scripts/mutation-retest.mjs <incremental.json> [file-prefix]");
  process.exit(2);
}
const RETEST = new Set(["Survived", "NoCoverage", "RuntimeError"]);
const report = JSON.parse(readFileSync(path, "utf8"));
let dropped = 0;
for (const [file, result] of Object.entries(report.files)) {
  if (!file.startsWith(prefix)) continue;
  const kept = result.mutants.filter((mutant) => !RETEST.has(mutant.status));
  dropped += result.mutants.length - kept.length;
  result.mutants = kept;
}
writeFileSync(path, JSON.stringify(report));
console.log(`${path}: ${dropped} results dropped; their mutants run again next time`);
