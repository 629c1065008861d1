/**
 * The emulator's command line: commands, flags, defaults and validation. Pure (no process access):
 * `cli.ts` passes argv in. Every bad flag is one {@link EmulationError} line with exit code 2.
 */
import { parseArgs } from "node:util";
import { EMULATE_DEFAULTS } from "./defaults";

const DEFAULT_CREDS_FILE = EMULATE_DEFAULTS.credsFile;
import { EmulationError } from "./errors";

/** The original emulator seeded Python's random with 100. */
export const DEFAULT_SEED = 100;
export const DEFAULT_OUTPUTS_FILE = "outputs.json";
export const DEFAULT_DEAD_LETTER_FILE = "dead-letter.ndjson";
/** Events when neither --count nor --duration is given: runs stay bounded unless asked otherwise. */
export const DEFAULT_COUNT = 1000;

export const USAGE = `Usage: npm run emulate -- <command> [flags]

Commands:
  seed-db   create the tables pinterest_data, geolocation_data, user_data and fill them with seeded rows
  run       post events (one row of each table per event) to the pipeline's API

seed-db flags:
  --rows N            events to create, ids 0..N-1 (required)
  --seed S            generator seed; the same seed gives the same rows (default ${DEFAULT_SEED})
  --creds FILE        database credentials, keys HOST USER PASSWORD DATABASE PORT (default ${DEFAULT_CREDS_FILE})

run flags:
  --outputs FILE      stack outputs written by cdktf deploy --outputs-file (default ${DEFAULT_OUTPUTS_FILE})
  --url URL           the API invoke URL instead of an outputs file (needs --user-id or --topics)
  --user-id ID        with --url: topics are <ID>.pin, <ID>.geo, <ID>.user
  --topics P,G,U      the pin, geo and user topic names (overrides the outputs)
  --batch N           records per request (default 100)
  --concurrency N     requests in flight (default 4)
  --rate R            events per second, each event is 3 records (default: as fast as possible)
  --count N           events to post (default ${DEFAULT_COUNT} unless --duration is given)
  --duration S        stop starting new events after S seconds
  --seed S            seed of the random event order (default ${DEFAULT_SEED})
  --max-retries N     retries per record on 429, 5xx, timeouts, resets, per-record errors (default 5)
  --timeout-ms N      per-request timeout (default 10000)
  --dead-letter FILE  where undeliverable records go, one JSON line each (default ${DEFAULT_DEAD_LETTER_FILE})
  --dry-run           print the first requests (method, URL, headers, body) without sending
  --json              print the summary as one JSON line
  --creds FILE        database credentials (default ${DEFAULT_CREDS_FILE})

Exit codes: 0 every record acknowledged, 1 a record failed or a runtime error, 2 bad flags.
`;

export interface SeedDbCommand {
  readonly kind: "seed-db";
  readonly rows: number;
  readonly seed: number;
  readonly creds: string;
}

export interface RunCommand {
  readonly kind: "run";
  /** Exactly one of `outputs` and `url` is set. */
  readonly outputs?: string;
  readonly url?: string;
  readonly userId?: string;
  readonly topics?: readonly [string, string, string];
  readonly batch: number;
  readonly concurrency: number;
  readonly rate?: number;
  readonly count?: number;
  readonly durationSec?: number;
  readonly seed: number;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly deadLetter: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly creds: string;
}

export type Command = { readonly kind: "help" } | SeedDbCommand | RunCommand;

const usageError = (message: string) => new EmulationError(`${message} (see: npm run emulate -- --help)`, 2);

const SEED_DB_FLAGS = { rows: { type: "string" }, seed: { type: "string" }, creds: { type: "string" }, help: { type: "boolean" } } as const;
const RUN_FLAGS = {
  outputs: { type: "string" },
  url: { type: "string" },
  "user-id": { type: "string" },
  topics: { type: "string" },
  batch: { type: "string" },
  concurrency: { type: "string" },
  rate: { type: "string" },
  count: { type: "string" },
  duration: { type: "string" },
  seed: { type: "string" },
  "max-retries": { type: "string" },
  "timeout-ms": { type: "string" },
  "dead-letter": { type: "string" },
  "dry-run": { type: "boolean" },
  json: { type: "boolean" },
  creds: { type: "string" },
  help: { type: "boolean" },
} as const;

export function parseCommand(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") return { kind: "help" };
  if (name === "seed-db") {
    const values = parseFlags(rest, SEED_DB_FLAGS);
    if (values.help) return { kind: "help" };
    if (values.rows === undefined) throw usageError("seed-db needs --rows N, the number of events to create (e.g. --rows 11154, the original's size)");
    return {
      kind: "seed-db",
      rows: integerFlag("rows", values.rows, 1, 10_000_000, "--rows 11154"),
      seed: integerFlag("seed", values.seed ?? String(DEFAULT_SEED), 0, 0xffffffff, "--seed 100"),
      creds: values.creds ?? DEFAULT_CREDS_FILE,
    };
  }
  if (name === "run") {
    const values = parseFlags(rest, RUN_FLAGS);
    if (values.help) return { kind: "help" };
    if (values.url !== undefined && values.outputs !== undefined) throw usageError(`--url and --outputs both given: pass one (--outputs <file> from cdktf deploy, or --url <invoke URL> --user-id <id>)`);
    if (values.url !== undefined && !/^https?:\/\/[^\s/]+/.test(values.url)) {
      throw usageError(`--url: got ${JSON.stringify(values.url)}, expected the API invoke URL like https://<api>.execute-api.<region>.amazonaws.com/<stage>`);
    }
    if (values.url !== undefined && values["user-id"] === undefined && values.topics === undefined) throw usageError("--url needs --user-id <id> (topics <id>.pin, <id>.geo, <id>.user) or --topics <pin>,<geo>,<user>");
    if (values["user-id"] !== undefined && values.url === undefined) throw usageError("--user-id is only used with --url (an outputs file already names the user id)");
    if (values.count !== undefined && values.duration !== undefined) throw usageError("--count and --duration both given: pass one");
    return {
      kind: "run",
      ...(values.url === undefined ? { outputs: values.outputs ?? DEFAULT_OUTPUTS_FILE } : { url: values.url }),
      ...(values["user-id"] === undefined ? {} : { userId: values["user-id"] }),
      ...(values.topics === undefined ? {} : { topics: topicsFlag(values.topics) }),
      batch: integerFlag("batch", values.batch ?? "100", 1, 10_000, "--batch 500"),
      concurrency: integerFlag("concurrency", values.concurrency ?? "4", 1, 256, "--concurrency 8"),
      ...(values.rate === undefined ? {} : { rate: numberFlag("rate", values.rate, 0.1, 1_000_000, "--rate 100") }),
      ...(values.duration !== undefined ? { durationSec: numberFlag("duration", values.duration, 0.1, 7 * 86_400, "--duration 60") } : { count: integerFlag("count", values.count ?? String(DEFAULT_COUNT), 1, 1_000_000_000, "--count 1000") }),
      seed: integerFlag("seed", values.seed ?? String(DEFAULT_SEED), 0, 0xffffffff, "--seed 100"),
      maxRetries: integerFlag("max-retries", values["max-retries"] ?? "5", 0, 100, "--max-retries 5"),
      timeoutMs: integerFlag("timeout-ms", values["timeout-ms"] ?? "10000", 10, 600_000, "--timeout-ms 10000"),
      deadLetter: values["dead-letter"] ?? DEFAULT_DEAD_LETTER_FILE,
      dryRun: values["dry-run"] === true,
      json: values.json === true,
      creds: values.creds ?? DEFAULT_CREDS_FILE,
    };
  }
  throw usageError(`unknown command ${JSON.stringify(name)}, expected seed-db or run`);
}

type FlagSpec = Record<string, { type: "string" | "boolean" }>;

function parseFlags<T extends FlagSpec>(args: readonly string[], options: T): { [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string } {
  try {
    const { values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
    return values as { [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string };
  } catch (err) {
    const message = (err as Error).message;
    const code = (err as { code?: string }).code;
    const flag = /'(-[^']*)'/.exec(message)?.[1] ?? /"(-[^"]*)"/.exec(message)?.[1];
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw usageError(`unknown flag ${flag ?? message}`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw usageError(`${flag?.split(" ")[0] ?? "a flag"} needs a value`);
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") throw usageError(`unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? message}`);
    throw usageError(message);
  }
}

function integerFlag(name: string, value: string, min: number, max: number, example: string): number {
  const parsed = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) throw usageError(`--${name}: got ${JSON.stringify(value)}, expected an integer ${min}-${max} (e.g. ${example})`);
  return parsed;
}

function numberFlag(name: string, value: string, min: number, max: number, example: string): number {
  const parsed = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) throw usageError(`--${name}: got ${JSON.stringify(value)}, expected a number ${min}-${max} (e.g. ${example})`);
  return parsed;
}

function topicsFlag(value: string): readonly [string, string, string] {
  const names = value.split(",").map((name) => name.trim());
  if (names.length !== 3 || names.some((name) => !/^[A-Za-z0-9._-]+$/.test(name))) {
    throw usageError(`--topics: got ${JSON.stringify(value)}, expected three topic names pin,geo,user (e.g. --topics 0a1b2c3d4e5f.pin,0a1b2c3d4e5f.geo,0a1b2c3d4e5f.user)`);
  }
  return names as unknown as readonly [string, string, string];
}
