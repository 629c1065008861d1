import { type CheckInfo, type CheckResult, fail, ok, warn } from "../check";

export const NODE_VERSION: CheckInfo = { id: "local.node", title: "Node.js version" };

/** The oldest Node line the project runs on (package.json engines). */
const MINIMUM_MAJOR = 20;
/** Node 20's end of life (nodejs.org release schedule): no security fixes after this day. */
const NODE_20_END_OF_LIFE = new Date("2026-04-30T00:00:00Z");

/** Checks a `process.version` string (`v20.20.2`) against the project's floor and Node 20's end of life on `today`. */
export function checkNodeVersion(version: string, today: Date): CheckResult {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isInteger(major) || major < MINIMUM_MAJOR) {
    return fail(NODE_VERSION, `Node ${version} is older than ${MINIMUM_MAJOR}`, "install Node 22 LTS (https://nodejs.org/en/download) and run npm ci again");
  }
  if (major === MINIMUM_MAJOR && today >= NODE_20_END_OF_LIFE) {
    // the AWS SDK v3 also announced it requires Node >= 22 for releases after January 2027
    return warn(NODE_VERSION, `Node ${version} works, but Node 20 reached end of life on 2026-04-30 and AWS SDK v3 releases after January 2027 need Node >= 22`, "move to Node 22 LTS when you next set up the machine");
  }
  return ok(NODE_VERSION, `Node ${version}`);
}
