// The project's Stryker config run against the unit tests of the code being mutated only (see
// vitest.mutation-scope.config.mts): `npm run test:mutation -- stryker.scope.config.mjs --mutate '<glob>'`.
import base from "./stryker.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default { ...base, vitest: { configFile: "vitest.mutation-scope.config.mts" } };
