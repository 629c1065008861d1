// The project's Stryker config run against the unit tests of the code being mutated only (see
// vitest.mutation-scope.config.mts): `npm run test:mutation -- stryker.scope.config.mjs --mutate '<glob>'`.
// MUTATION_SCOPE=<name> gives a run its own incremental file, reports and sandbox, so runs over
// different modules can proceed side by side without overwriting each other's results.
import base from "./stryker.config.mjs";

const scope = process.env.MUTATION_SCOPE;
const named = (path, suffix) => (scope ? path.replace(/(\.\w+)$/, `.${scope}$1`) : path);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
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
