// The project's Stryker config run against the unit tests of the code being mutated only (see
// vitest.mutation-scope.config.mts): `MUTATION_MUTATE='<glob>,...' npm run test:mutation -- stryker.scope.config.mjs`.
// MUTATION_MUTATE (comma-separated globs or line ranges, `file.ts:10-12`) picks what to mutate; the base
// config's exclusions (`!` patterns: generated bindings, database I/O, process wiring) still apply,
// which `--mutate` on the command line would replace along with the list.
// MUTATION_SCOPE=<name> gives a run its own incremental file, reports and sandbox, so runs over
// different modules can proceed side by side without overwriting each other's results.
import base from "./stryker.config.mjs";

const scope = process.env.MUTATION_SCOPE;
const named = (path) => (scope ? path.replace(/(\.\w+)$/, `.${scope}$1`) : path);
const mutate = process.env.MUTATION_MUTATE?.split(",").filter((pattern) => pattern !== "");

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  ...(mutate?.length ? { mutate: [...mutate, ...base.mutate.filter((pattern) => pattern.startsWith("!"))] } : {}),
  vitest: { configFile: "vitest.mutation-scope.config.mts" },
  ...(scope
    ? {
        incrementalFile: `reports/mutation/incremental.${scope}.json`,
        tempDirName: `.stryker-tmp-${scope}`,
        jsonReporter: { fileName: named(base.jsonReporter.fileName) },
        htmlReporter: { fileName: named(base.htmlReporter.fileName) },
      }
    : {}),
};
