/**
 * `db_creds.yaml`: the source database's credentials, with the keys the original emulator used
 * (HOST, USER, PASSWORD, DATABASE, PORT). The file is git-ignored; `db_creds.example.yaml` is committed.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { EmulationError } from "./errors";

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
/** The issue message of an absent, null or (except PASSWORD) blank key: all of them are named in one line. */
const MISSING = "missing";

/** A scalar as text; absent or null is missing, and so is blank text unless `allowBlank`. */
function scalarText(allowBlank: boolean) {
  // Stryker disable BooleanLiteral: without `abort`, PORT's later checks add an issue of their own, but the key is named as missing all the same
  return z
    .unknown()
    .refine((value) => value !== undefined && value !== null, { error: MISSING, abort: true })
    .transform((value) => String(value))
    .refine((text) => allowBlank || text.trim() !== "", { error: MISSING, abort: true });
  // Stryker restore BooleanLiteral
}

const credsFileSchema = z.object({
  HOST: scalarText(false),
  USER: scalarText(false),
  // an empty password is a valid MySQL password
  PASSWORD: scalarText(true),
  DATABASE: scalarText(false),
  PORT: scalarText(false).transform(Number).pipe(z.number().int().min(1).max(65535)),
});

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
  const mapping = z.record(z.string(), z.unknown()).safeParse(parsed);
  if (!mapping.success) throw new EmulationError(`${source}: expected a YAML mapping with keys ${KEYS.join(", ")} (${FIX})`);
  const checked = credsFileSchema.safeParse(mapping.data);
  if (!checked.success) throw credsProblem(checked.error.issues, mapping.data, source);
  const { HOST, USER, PASSWORD, DATABASE, PORT } = checked.data;
  return { host: HOST, user: USER, password: PASSWORD, database: DATABASE, port: PORT, source };
}

/** One line for the schema's issues: every missing key at once, else the bad PORT. */
function credsProblem(issues: readonly z.core.$ZodIssue[], record: Record<string, unknown>, source: string): EmulationError {
  const missing = KEYS.filter((key) => issues.some((issue) => issue.path[0] === key && issue.message === MISSING));
  if (missing.length > 0) {
    return new EmulationError(`${source}: missing ${missing.join(", ")} (add ${missing.map((key) => `${key}: <value>`).join(", ")}; see db_creds.example.yaml)`);
  }
  return new EmulationError(`${source}: PORT: got ${JSON.stringify(record.PORT)}, expected a TCP port 1-65535 (MySQL's default is 3306)`);
}
