/**
 * The emulator's command line: commands, flags, defaults and validation. Pure (no process access):
 * `cli.ts` passes argv in. Flags are read by lib/cli-args.ts; every bad flag is one
 * {@link EmulationError} line with exit code 2, naming the flag, the value and the fix.
 */
import { z } from "zod";
import { booleanFlag, enumFlag, integerFlag, numberFlag, parseFlags, schemaFlag, stringFlag, UsageError, type FlagValues } from "../lib/cli-args";
import { API_AUTH_MODES } from "../lib/contract";
import type { ApiAuth } from "./auth";
import { EMULATE_DEFAULTS } from "./defaults";
import { EmulationError } from "./errors";

const D = EMULATE_DEFAULTS;

export const USAGE = `Usage: npm run emulate -- <command> [flags]

Commands:
  seed-db   create the tables pinterest_data, geolocation_data, user_data and fill them with seeded rows
  run       post events (one row of each table per event) to the pipeline's API
  redrive   re-post the records of a dead-letter file (run's API, auth and send flags apply)

seed-db flags:
  --rows N            events to create, ids 0..N-1 (required)
  --seed S            generator seed; the same seed gives the same rows (default ${D.seed})
  --creds FILE        database credentials, keys HOST USER PASSWORD DATABASE PORT (default ${D.credsFile})

run flags:
  --outputs FILE      stack outputs written by cdktf deploy --outputs-file (default ${D.outputsFile})
  --url URL           the API invoke URL instead of an outputs file (needs --user-id or --topics)
  --user-id ID        with --url: topics are <ID>.pin, <ID>.geo, <ID>.user
  --topics P,G,U      the pin, geo and user topic names (overrides the outputs)
  --batch N           records per request (default ${D.batch})
  --concurrency N     requests in flight (default ${D.concurrency})
  --rate R            events per second, each event is 3 records (default: as fast as possible)
  --count N           events to post (default ${D.count} unless --duration is given)
  --duration S        stop starting new events after S seconds
  --seed S            seed of the random event order (default ${D.seed})
  --max-retries N     retries per record on 429, 5xx, timeouts, resets, per-record errors (default ${D.maxRetries})
  --timeout-ms N      per-request timeout (default ${D.timeoutMs})
  --dead-letter FILE  where undeliverable records go, one JSON line each, appended (default ${D.deadLetterFile})
  --receipts FILE     topic, partition and offset of every acknowledged record, appended (default ${D.receiptsDir}/<UTC timestamp>.ndjson)
  --auth MODE         with --url: iam (SigV4), api-key or none (default ${D.auth}); with --outputs the file's api_auth decides
  --region R          with --auth iam: the API's region (default: AWS_REGION)
  --api-key KEY       with --auth api-key, or when the outputs file lacks api_key (default: ${D.apiKeyEnv})
  --dry-run           print the first requests (method, URL, headers, body) without sending; without a
                      readable database it shows generated rows, marked as such
  --json              print the summary as one JSON line
  --creds FILE        database credentials (default ${D.credsFile})

redrive flags (besides --outputs/--url, --auth, --region, --api-key, --batch, --concurrency,
--max-retries, --timeout-ms, --receipts, --json as for run):
  --dead-letter FILE  the dead-letter file to re-post (default ${D.deadLetterFile}); it is only read.
                      Records that fail again go to a fresh <FILE>.redrive-<UTC timestamp>.ndjson

IAM signing takes AWS credentials from the standard chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,
AWS_PROFILE (aws configure, aws sso login), or the host's instance role.

Exit codes: 0 every record acknowledged, 1 a record failed, the API refused or could not be reached,
or a runtime error, 2 bad usage (no command, unknown command, bad flags).
`;

export interface SeedDbCommand {
  readonly kind: "seed-db";
  readonly rows: number;
  readonly seed: number;
  readonly creds: string;
}

/** Where to post, how to authenticate, and the send path: what run and redrive share. */
export interface SendCommandFields {
  /** Exactly one of `outputs` and `url` is set. */
  readonly outputs?: string;
  readonly url?: string;
  /** With `url`: how to authenticate (with `outputs`, the file's api_auth says). */
  readonly auth?: ApiAuth;
  /** With `outputs`: the API key when the file lacks the sensitive api_key output (--api-key or PIPELINE_API_KEY). */
  readonly apiKey?: string;
  readonly batch: number;
  readonly concurrency: number;
  readonly seed: number;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  /** Absent: a fresh `<receiptsDir>/<UTC timestamp>.ndjson`, named by cli.ts when the run starts. */
  readonly receipts?: string;
  readonly json: boolean;
}

export interface RunCommand extends SendCommandFields {
  readonly kind: "run";
  readonly userId?: string;
  readonly topics?: readonly [string, string, string];
  readonly rate?: number;
  readonly count?: number;
  readonly durationSec?: number;
  /** Appended to, never truncated. */
  readonly deadLetter: string;
  readonly dryRun: boolean;
  readonly creds: string;
}

export interface RedriveCommand extends SendCommandFields {
  readonly kind: "redrive";
  /** The dead-letter file to re-post; it is only read. Records that fail again go to a fresh file (dead-letters.ts). */
  readonly deadLetter: string;
}

export type Command = { readonly kind: "help" } | SeedDbCommand | RunCommand | RedriveCommand;

const USAGE_HINT = "(see: npm run emulate -- --help)";

const usageError = (message: string) => new EmulationError(`${message} ${USAGE_HINT}`, 2);

const TOPIC_NAME = z.string().trim().regex(/^[A-Za-z0-9._-]+$/);

const SEED_FLAG = integerFlag({ min: 0, max: 0xffffffff, example: "100" });

const SEED_DB_FLAGS = {
  rows: integerFlag({ min: 1, max: 10_000_000, example: "11154" }),
  seed: SEED_FLAG,
  creds: stringFlag(),
  help: booleanFlag({ short: "h" }),
};

/** The flags of run and redrive: the API, its auth and the send path. */
const SEND_FLAGS = {
  outputs: stringFlag(),
  url: schemaFlag(z.string().trim().regex(/^https?:\/\/[^\s/]+/), "the API invoke URL like https://<api>.execute-api.<region>.amazonaws.com/<stage>", "https://abc123.execute-api.us-east-1.amazonaws.com/prod"),
  auth: enumFlag(API_AUTH_MODES, "iam"),
  region: schemaFlag(z.string().trim().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/), "an AWS region", "us-east-1"),
  "api-key": stringFlag(),
  batch: integerFlag({ min: 1, max: 10_000, example: "500" }),
  concurrency: integerFlag({ min: 1, max: 256, example: "8" }),
  seed: SEED_FLAG,
  "max-retries": integerFlag({ min: 0, max: 100, example: "5" }),
  "timeout-ms": integerFlag({ min: 10, max: 600_000, example: "10000" }),
  "dead-letter": stringFlag(),
  receipts: stringFlag(),
  json: booleanFlag(),
  help: booleanFlag({ short: "h" }),
};

const REDRIVE_FLAGS = SEND_FLAGS;

const RUN_FLAGS = {
  ...SEND_FLAGS,
  "user-id": stringFlag(),
  topics: schemaFlag(
    z.string().transform((text) => text.split(",")).pipe(z.tuple([TOPIC_NAME, TOPIC_NAME, TOPIC_NAME])),
    "three topic names pin,geo,user",
    "0a1b2c3d4e5f.pin,0a1b2c3d4e5f.geo,0a1b2c3d4e5f.user",
  ),
  rate: numberFlag({ min: 0.1, max: 1_000_000, example: "100" }),
  count: integerFlag({ min: 1, max: 1_000_000_000, example: "1000" }),
  duration: numberFlag({ min: 0.1, max: 7 * 86_400, example: "60" }),
  "dry-run": booleanFlag(),
  creds: stringFlag(),
};

/** The environment variables the command line falls back on (entry.ts passes process.env). */
export interface CommandEnv {
  readonly AWS_REGION?: string;
  readonly AWS_DEFAULT_REGION?: string;
  readonly PIPELINE_API_KEY?: string;
}

export function parseCommand(argv: readonly string[], env: CommandEnv = {}): Command {
  try {
    return parseCommandLine(argv, env);
  } catch (err) {
    if (err instanceof UsageError) throw usageError(err.message);
    throw err;
  }
}

function parseCommandLine(argv: readonly string[], env: CommandEnv): Command {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError("missing command: expected seed-db, run or redrive (e.g. npm run emulate -- run --count 100)");
  if (name === "--help" || name === "-h" || name === "help") return { kind: "help" };
  if (name === "seed-db") return parseSeedDb(rest);
  if (name === "run") return parseRun(rest, env);
  if (name === "redrive") return parseRedrive(rest, env);
  throw new UsageError(`unknown command ${JSON.stringify(name)}, expected seed-db, run or redrive`);
}

function parseSeedDb(args: readonly string[]): SeedDbCommand | { kind: "help" } {
  const flags = parseFlags(args, SEED_DB_FLAGS);
  if (flags.help) return { kind: "help" };
  if (flags.rows === undefined) throw new UsageError("seed-db needs --rows N, the number of events to create (e.g. --rows 11154, the original's size)");
  return { kind: "seed-db", rows: flags.rows, seed: flags.seed ?? EMULATE_DEFAULTS.seed, creds: flags.creds ?? EMULATE_DEFAULTS.credsFile };
}

function parseRun(args: readonly string[], env: CommandEnv): RunCommand | { kind: "help" } {
  const flags = parseFlags(args, RUN_FLAGS);
  if (flags.help) return { kind: "help" };
  if (flags.url !== undefined && flags["user-id"] === undefined && flags.topics === undefined) throw new UsageError("--url needs --user-id <id> (topics <id>.pin, <id>.geo, <id>.user) or --topics <pin>,<geo>,<user>");
  if (flags["user-id"] !== undefined && flags.url === undefined) throw new UsageError("--user-id is only used with --url (an outputs file already names the user id)");
  if (flags.count !== undefined && flags.duration !== undefined) throw new UsageError("--count and --duration both given: pass one");
  return {
    kind: "run",
    ...sendFields(flags, env),
    ...(flags["user-id"] === undefined ? {} : { userId: flags["user-id"] }),
    ...(flags.topics === undefined ? {} : { topics: flags.topics }),
    ...(flags.rate === undefined ? {} : { rate: flags.rate }),
    ...(flags.duration !== undefined ? { durationSec: flags.duration } : { count: flags.count ?? EMULATE_DEFAULTS.count }),
    deadLetter: flags["dead-letter"] ?? EMULATE_DEFAULTS.deadLetterFile,
    dryRun: flags["dry-run"] === true,
    creds: flags.creds ?? EMULATE_DEFAULTS.credsFile,
  };
}

function parseRedrive(args: readonly string[], env: CommandEnv): RedriveCommand | { kind: "help" } {
  const flags = parseFlags(args, REDRIVE_FLAGS);
  if (flags.help) return { kind: "help" };
  return { kind: "redrive", ...sendFields(flags, env), deadLetter: flags["dead-letter"] ?? EMULATE_DEFAULTS.deadLetterFile };
}

function sendFields(flags: SendFlags, env: CommandEnv): SendCommandFields {
  if (flags.url !== undefined && flags.outputs !== undefined) throw new UsageError("--url and --outputs both given: pass one (--outputs <file> from cdktf deploy, or --url <invoke URL> --user-id <id>)");
  const apiKey = flags["api-key"] ?? env.PIPELINE_API_KEY;
  return {
    ...(flags.url === undefined ? { outputs: outputsFileFlags(flags) } : { url: flags.url, auth: urlAuth(flags, env) }),
    ...(apiKey === undefined || flags.url !== undefined ? {} : { apiKey }),
    batch: flags.batch ?? EMULATE_DEFAULTS.batch,
    concurrency: flags.concurrency ?? EMULATE_DEFAULTS.concurrency,
    seed: flags.seed ?? EMULATE_DEFAULTS.seed,
    maxRetries: flags["max-retries"] ?? EMULATE_DEFAULTS.maxRetries,
    timeoutMs: flags["timeout-ms"] ?? EMULATE_DEFAULTS.timeoutMs,
    ...(flags.receipts === undefined ? {} : { receipts: flags.receipts }),
    json: flags.json === true,
  };
}

type SendFlags = FlagValues<typeof SEND_FLAGS>;

/** The outputs file; its api_auth says how to authenticate, so only an API key (not in the file unless asked for) may be passed. */
function outputsFileFlags(flags: SendFlags): string {
  if (flags.auth !== undefined) throw new UsageError("--auth is only used with --url (the outputs file's api_auth says how to authenticate)");
  if (flags.region !== undefined) throw new UsageError("--region is only used with --url (the outputs file names the region)");
  return flags.outputs ?? EMULATE_DEFAULTS.outputsFile;
}

/** With --url the auth settings come from flags, falling back on AWS_REGION and PIPELINE_API_KEY. */
function urlAuth(flags: SendFlags, env: CommandEnv): ApiAuth {
  const mode = flags.auth ?? EMULATE_DEFAULTS.auth;
  const apiKeyEnv = EMULATE_DEFAULTS.apiKeyEnv;
  if (mode !== "api-key" && flags["api-key"] !== undefined) throw new UsageError(`--api-key is only used with --auth api-key (got --auth ${mode})`);
  if (mode !== "iam" && flags.region !== undefined) throw new UsageError(`--region is only used with --auth iam (got --auth ${mode})`);
  switch (mode) {
    case "none":
      return { mode };
    case "api-key": {
      const apiKey = flags["api-key"] ?? env.PIPELINE_API_KEY;
      if (apiKey === undefined || apiKey.trim() === "") throw new UsageError(`--auth api-key needs the API key: pass --api-key <key> or set ${apiKeyEnv} (the stack's api_key output)`);
      return { mode, apiKey };
    }
    case "iam": {
      const region = flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
      if (region === undefined || region.trim() === "") throw new UsageError("--auth iam needs the API's region: pass --region <region> (e.g. --region us-east-1) or set AWS_REGION");
      return { mode, region };
    }
  }
}
