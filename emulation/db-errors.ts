/** The database driver's errors as one line each, naming the server and what to fix in the credentials file. */
import type { DbCreds } from "./creds";
import { EmulationError } from "./errors";

/** How long a connection attempt may take before the driver gives up. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** One line for a driver error, naming the server and what to check in the credentials file. */
export function describeDbError(err: unknown, creds: DbCreds): EmulationError {
  if (err instanceof EmulationError) return err;
  const code = (err as { code?: string }).code;
  const server = `${creds.host}:${creds.port}`;
  switch (code) {
    case "ER_ACCESS_DENIED_ERROR":
      return new EmulationError(`database ${server}: access denied for user ${creds.user} (check USER and PASSWORD in ${creds.source})`);
    case "ER_DBACCESS_DENIED_ERROR":
      return new EmulationError(`database ${server}: user ${creds.user} may not use database ${creds.database} (grant access or fix DATABASE in ${creds.source})`);
    case "ER_BAD_DB_ERROR":
      return new EmulationError(`database ${server}: database ${creds.database} does not exist (create and fill it with: npm run emulate -- seed-db --rows 10000, or fix DATABASE in ${creds.source})`);
    case "ECONNREFUSED":
      return new EmulationError(`database ${server}: connection refused (is MySQL/MariaDB running there? check HOST and PORT in ${creds.source})`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new EmulationError(`database host ${creds.host}: name not found (check HOST in ${creds.source})`);
    case "ETIMEDOUT":
      return new EmulationError(`database ${server}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s (check HOST and PORT in ${creds.source}, and that a firewall or security group lets you in)`);
    case "ER_NO_SUCH_TABLE":
      return new EmulationError(`database ${creds.database}: ${(err as Error).message} (create and fill the tables with: npm run emulate -- seed-db --rows 10000)`);
    default:
      return new EmulationError(`database ${server}: ${(err as Error).message ?? String(err)}${code ? ` (${code})` : ""}`);
  }
}
