/**
 * `db_creds.yaml`: the source database's credentials, with the keys the original emulator used
 * (HOST, USER, PASSWORD, DATABASE, PORT). The file is git-ignored; `db_creds.example.yaml` is committed.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { EmulationError } from "./errors";

export const DEFAULT_CREDS_FILE = "db_creds.yaml";

export interface DbCreds {
  readonly host: string;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly port: number;
  /** The file the credentials came from, named in error messages. */
  readonly source: string;
}

const KEYS = ["HOST", "USER", "PASSWORD", "DATABASE", "PORT"] as const;
const FIX = "copy db_creds.example.yaml and fill in HOST, USER, PASSWORD, DATABASE, PORT";

/** Reads and checks the credentials file; throws {@link EmulationError} naming the file and the missing or bad key. */
export function loadDbCreds(path: string): DbCreds {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "not found" : code === "EACCES" ? "not readable (permission denied)" : (err as Error).message;
    throw new EmulationError(`${path}: ${reason} (${FIX}, or pass --creds <file>)`);
  }
  return parseDbCreds(text, path);
}

/** Validates credentials text; see {@link loadDbCreds}. */
export function parseDbCreds(text: string, source: string): DbCreds {
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (err) {
    throw new EmulationError(`${source}: not valid YAML (${(err as Error).message.split("\n")[0]}); ${FIX}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new EmulationError(`${source}: expected a YAML mapping with keys ${KEYS.join(", ")} (${FIX})`);
  }
  const record = parsed as Record<string, unknown>;
  const missing = KEYS.filter((key) => record[key] === undefined || record[key] === null || (key !== "PASSWORD" && String(record[key]).trim() === ""));
  if (missing.length > 0) {
    throw new EmulationError(`${source}: missing ${missing.join(", ")} (add ${missing.map((k) => `${k}: <value>`).join(", ")}; see db_creds.example.yaml)`);
  }
  const port = Number(record.PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new EmulationError(`${source}: PORT: got ${JSON.stringify(record.PORT)}, expected a TCP port 1-65535 (MySQL's default is 3306)`);
  }
  return {
    host: String(record.HOST),
    user: String(record.USER),
    password: String(record.PASSWORD),
    database: String(record.DATABASE),
    port,
    source,
  };
}
