#!/usr/bin/env node
// Mutation scores per folder and per file from a StrykerJS JSON report (mutation-testing-report-schema):
//   node scripts/mutation-scores.mjs [reports/mutation/incremental.json] [--survivors]
// Score = (killed + timeout) / (killed + timeout + survived + no coverage), as Stryker computes it;
// compile errors and mutants disabled as equivalent (Ignored) are listed but not counted.
import { readFileSync } from "node:fs";
import { dirname } from "node:path";

const args = process.argv.slice(2);
const showSurvivors = args.includes("--survivors");
const reportPath = args.find((arg) => !arg.startsWith("--")) ?? "reports/mutation/incremental.json";
const report = JSON.parse(readFileSync(reportPath, "utf8"));

const COUNTED = { Killed: "killed", Timeout: "timeout", Survived: "survived", NoCoverage: "noCoverage" };
const empty = () => ({ killed: 0, timeout: 0, survived: 0, noCoverage: 0, compileError: 0, ignored: 0 });

const byFile = new Map();
const survivors = [];
for (const [file, { mutants }] of Object.entries(report.files)) {
  const counts = empty();
  for (const mutant of mutants) {
    if (mutant.status in COUNTED) counts[COUNTED[mutant.status]]++;
    else if (mutant.status === "CompileError") counts.compileError++;
    else if (mutant.status === "Ignored") counts.ignored++;
    if (mutant.status === "Survived" || mutant.status === "NoCoverage") {
      survivors.push(`${file}:${mutant.location.start.line}:${mutant.location.start.column} ${mutant.status} ${mutant.mutatorName} → ${JSON.stringify(mutant.replacement ?? "")}`);
    }
  }
  byFile.set(file, counts);
}

function add(into, counts) {
  for (const key of Object.keys(into)) into[key] += counts[key];
}
function score({ killed, timeout, survived, noCoverage }) {
  const valid = killed + timeout + survived + noCoverage;
  return valid === 0 ? "n/a" : `${((100 * (killed + timeout)) / valid).toFixed(2)}%`;
}
function row(name, counts) {
  return `| ${name} | ${counts.killed} | ${counts.timeout} | ${counts.survived} | ${counts.noCoverage} | ${counts.compileError} | ${counts.ignored} | ${score(counts)} |`;
}

const byFolder = new Map();
const total = empty();
for (const [file, counts] of byFile) {
  const folder = dirname(file);
  if (!byFolder.has(folder)) byFolder.set(folder, empty());
  add(byFolder.get(folder), counts);
  add(total, counts);
}

const header = ["| files | killed | timeout | survived | no coverage | compile error | ignored (equivalent) | score |", "|---|---:|---:|---:|---:|---:|---:|---:|"];
console.log([...header, ...[...byFolder].sort(([a], [b]) => a.localeCompare(b)).map(([folder, counts]) => row(`${folder}/`, counts)), row("**all mutated files**", total)].join("\n"));
console.log();
console.log([...header, ...[...byFile].sort(([a], [b]) => a.localeCompare(b)).map(([file, counts]) => row(file, counts))].join("\n"));
if (showSurvivors) {
  console.log();
  console.log(survivors.join("\n") || "no survivors");
}
