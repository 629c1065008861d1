#!/usr/bin/env node
// Mutation scores per folder and per file from StrykerJS JSON reports (mutation-testing-report-schema):
//   node scripts/mutation-scores.mjs [report.json ...] [--survivors]
// Several reports (the scoped runs' incremental files) are read as one: where a later report named
// has a file with the same source, its mutants' results replace the earlier ones' mutant by mutant
// (a run over some lines of a file updates those), except that a mutant some run detected (killed
// or timed out) stays detected: a run with fewer tests (a new suite against earlier survivors) can
// add kills, never take one back. With a different source, the file is replaced.
// Default: every reports/mutation/incremental*.json, oldest first (name them to fix the order).
// Score = (killed + timeout) / (killed + timeout + survived + no coverage), as Stryker computes it;
// compile errors and mutants disabled as equivalent (Ignored) are listed but not counted.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

const DETECTED = new Set(["Killed", "Timeout"]);
const args = process.argv.slice(2);
const showSurvivors = args.includes("--survivors");
const named = args.filter((arg) => !arg.startsWith("--"));
const reportPaths = named.length > 0 ? named : defaultReports("reports/mutation");
const report = { files: mergeFiles(reportPaths.map((path) => JSON.parse(readFileSync(path, "utf8")))) };

/** The incremental files, oldest first by modification time, so a later run's results win. */
function defaultReports(dir) {
  const names = readdirSync(dir).filter((name) => /^incremental(\..+)?\.json$/.test(name));
  return names.map((name) => join(dir, name)).sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
}

/** The reports' files, merged as the header says. */
function mergeFiles(reports) {
  const files = new Map();
  for (const { files: reportFiles } of reports) {
    for (const [file, { source, mutants }] of Object.entries(reportFiles)) {
      if (files.get(file)?.source !== source) files.set(file, { source, mutants: new Map() });
      const merged = files.get(file).mutants;
      for (const mutant of mutants) {
        const key = mutantKey(mutant);
        if (!DETECTED.has(merged.get(key)?.status)) merged.set(key, mutant);
      }
    }
  }
  return Object.fromEntries([...files].map(([file, { mutants }]) => [file, { mutants: [...mutants.values()] }]));
}

function mutantKey({ mutatorName, replacement, location: { start, end } }) {
  return `${start.line}:${start.column}-${end.line}:${end.column} ${mutatorName} ${replacement ?? ""}`;
}

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

// each folder on its own, and a top-level folder with subfolders also as a whole (`provision/**`)
const byFolder = new Map();
const total = empty();
for (const [file, counts] of byFile) {
  const folder = dirname(file);
  const top = folder.split("/")[0];
  for (const name of new Set([`${folder}/`, `${top}/**`])) {
    if (!byFolder.has(name)) byFolder.set(name, empty());
    add(byFolder.get(name), counts);
  }
  add(total, counts);
}
for (const name of [...byFolder.keys()].filter((key) => key.endsWith("/**"))) {
  const prefix = name.slice(0, -2);
  if ([...byFolder.keys()].filter((key) => key.startsWith(prefix) && !key.endsWith("/**")).length < 2) byFolder.delete(name);
}

const header = ["| files | killed | timeout | survived | no coverage | compile error | ignored (equivalent) | score |", "|---|---:|---:|---:|---:|---:|---:|---:|"];
console.log([...header, ...[...byFolder].sort(([a], [b]) => a.localeCompare(b)).map(([folder, counts]) => row(folder, counts)), row("**all mutated files**", total)].join("\n"));
console.log();
console.log([...header, ...[...byFile].sort(([a], [b]) => a.localeCompare(b)).map(([file, counts]) => row(file, counts))].join("\n"));
if (showSurvivors) {
  console.log();
  console.log(survivors.join("\n") || "no survivors");
}
