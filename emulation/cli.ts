/**
 * `npm run emulate -- <command>`: the commands, given argv and the process's streams and
 * environment by emulation/entry.ts (the bundle's entry point), so tests run them in process.
 * Errors the user can fix are thrown with their exit code; entry.ts prints them as one line.
 */
import { loadStackOutputs, OutputsError, type StackOutputs } from "../lib/contract";
import type { Pool } from "mysql2/promise";
import { parseCommand, USAGE, type CommandEnv, type RedriveCommand, type RunCommand, type SeedDbCommand, type SendCommandFields } from "./args";
import { createAuthenticator, type ApiAuth, type RequestAuthenticator } from "./auth";
import { loadDbCreds, type DbCreds } from "./creds";
import { fetchEvents, listEventIds, openPool, requireTables } from "./db";
import { describeDbError } from "./db-errors";
import { readDeadLetters, redriveDeadLetterPath } from "./dead-letters";
import { EMULATE_DEFAULTS, SEND_TUNING } from "./defaults";
import { describeRequests, redriveDeadLetters, runEmulation, type EmulationProgress, type EmulationSummary, type EventSource, type Targets } from "./emulator";
import { EmulationError } from "./errors";
import { eventOrder } from "./flow";
import { defaultReceiptsPath } from "./receipts-file";
import { generateEvent, TABLE_ROLES, type EventJson, type TableRole } from "./rows";
import { seedDatabase } from "./seed-db";

/** What a command reads and writes besides its files, the database and the API. */
export interface EmulateIo {
  readonly env: CommandEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Progress rewrites one line on a terminal and prints a line every few seconds otherwise. */
  readonly stderrIsTTY: boolean;
}

/** Runs one `emulate` command; returns its exit code or throws an error that carries one. */
export async function main(argv: readonly string[], io: EmulateIo): Promise<number> {
  const command = parseCommand(argv, io.env);
  switch (command.kind) {
    case "help":
      io.stdout(USAGE);
      return 0;
    case "seed-db":
      return seedDb(command, io);
    case "run":
      return command.dryRun ? dryRun(command, io) : run(command, io);
    case "redrive":
      return redrive(command, io);
  }
}

async function seedDb(command: SeedDbCommand, io: EmulateIo): Promise<number> {
  const creds = loadDbCreds(command.creds);
  const result = await seedDatabase(creds, { rows: command.rows, seed: command.seed });
  const { pin, geo, user } = result.inserted;
  io.stdout(
    `seed-db: ${creds.database} on ${creds.host}:${creds.port}: ids 0..${command.rows - 1} (seed ${command.seed}); inserted pinterest_data ${pin}, geolocation_data ${geo}, user_data ${user} new rows (${3 * command.rows - pin - geo - user} already present) in ${result.seconds.toFixed(2)} s\n`,
  );
  return 0;
}

/** Where to post and how to authenticate: from the outputs file, or from --url and the auth flags. */
interface Endpoint {
  readonly invokeUrl: string;
  readonly auth: ApiAuth;
}

const ENDPOINT_OUTPUTS = ["invoke_url", "api_auth", "region", "api_key"] as const;

function resolveEndpoint(command: SendCommandFields): Endpoint {
  if (command.url !== undefined) return { invokeUrl: command.url, auth: command.auth ?? { mode: "none" } };
  const path = command.outputs as string;
  const outputs = loadStackOutputs(path, ENDPOINT_OUTPUTS);
  return { invokeUrl: outputs.invoke_url, auth: outputsAuth(outputs, command, path) };
}

function outputsAuth(outputs: Pick<StackOutputs, "api_auth" | "region" | "api_key">, command: SendCommandFields, path: string): ApiAuth {
  switch (outputs.api_auth) {
    case "none":
      return { mode: "none" };
    case "iam":
      return { mode: "iam", region: outputs.region };
    case "api-key": {
      const apiKey = outputs.api_key ?? command.apiKey;
      if (apiKey === undefined) {
        throw new OutputsError(
          `outputs file ${path}: api_auth is api-key but api_key is missing (cdktf writes sensitive outputs only with --outputs-file-include-sensitive-outputs; or pass --api-key <key> or set ${EMULATE_DEFAULTS.apiKeyEnv})`,
        );
      }
      return { mode: "api-key", apiKey };
    }
  }
}

/** The pin, geo and user topics: --topics, or <userId>.<role> from --user-id or the outputs file (which must list them). */
function resolveTopics(command: RunCommand): Record<TableRole, string> {
  if (command.topics !== undefined) return topicsByRole(command.topics);
  if (command.url !== undefined) return topicsByRole(TABLE_ROLES.map((role) => `${command.userId}.${role}`));
  const path = command.outputs as string;
  const outputs = loadStackOutputs(path, ["user_id", "topics"]);
  return topicsByRole(
    TABLE_ROLES.map((role) => {
      const topic = `${outputs.user_id}.${role}`;
      if (!outputs.topics.includes(topic)) {
        throw new OutputsError(`outputs file ${path}: topics ${JSON.stringify(outputs.topics)} lack ${topic} (the emulator posts pin, geo and user events: keep those suffixes in pipeline.yaml topics, or pass --topics)`);
      }
      return topic;
    }),
  );
}

function topicsByRole(topics: readonly string[]): Record<TableRole, string> {
  return Object.fromEntries(TABLE_ROLES.map((role, i) => [role, topics[i]])) as Record<TableRole, string>;
}

async function run(command: RunCommand, io: EmulateIo): Promise<number> {
  const endpoint = resolveEndpoint(command);
  const targets: Targets = { invokeUrl: endpoint.invokeUrl, topics: resolveTopics(command) };
  const creds = loadDbCreds(command.creds);
  const pool = await openPool(creds, { connectionLimit: SEND_TUNING.dbConnections });
  try {
    const source = await openEventSource(pool, creds);
    const authenticator = await createAuthenticator(endpoint.auth);
    const summary = await withInterrupts(io, (signal) =>
      runEmulation(source, {
        ...sendOptions(command, authenticator, signal, io),
        targets,
        ...(command.rate === undefined ? {} : { rate: command.rate }),
        ...(command.count === undefined ? {} : { count: command.count }),
        ...(command.durationSec === undefined ? {} : { durationSec: command.durationSec }),
        deadLetterPath: command.deadLetter,
      }),
    );
    return report(summary, command.json, io);
  } finally {
    await pool.end();
  }
}

async function openEventSource(pool: Pool, creds: DbCreds): Promise<EventSource> {
  await requireTables(pool, creds).catch((err) => Promise.reject(describeDbError(err, creds)));
  const ids = await listEventIds(pool).catch((err) => Promise.reject(describeDbError(err, creds)));
  if (ids.length === 0) throw new EmulationError(`database ${creds.database}: the tables have no common ids (fill them with: npm run emulate -- seed-db --rows 10000)`);
  return { ids, fetch: (wanted) => fetchEvents(pool, wanted).catch((err) => Promise.reject(describeDbError(err, creds))) };
}

async function redrive(command: RedriveCommand, io: EmulateIo): Promise<number> {
  const records = readDeadLetters(command.deadLetter);
  if (records.length === 0) {
    io.stdout(`redrive: ${command.deadLetter} holds no dead letters; nothing to post\n`);
    return 0;
  }
  const endpoint = resolveEndpoint(command);
  const authenticator = await createAuthenticator(endpoint.auth);
  const summary = await withInterrupts(io, (signal) =>
    redriveDeadLetters(records, { ...sendOptions(command, authenticator, signal, io), invokeUrl: endpoint.invokeUrl, deadLetterPath: redriveDeadLetterPath(command.deadLetter) }),
  );
  return report(summary, command.json, io);
}

/** The options run and redrive share, with progress on stderr (in place on a terminal, every 5 s otherwise). */
function sendOptions(command: SendCommandFields, authenticator: RequestAuthenticator | undefined, signal: AbortSignal, io: EmulateIo) {
  const tty = io.stderrIsTTY;
  return {
    ...(authenticator === undefined ? {} : { authenticator }),
    batch: command.batch,
    concurrency: command.concurrency,
    seed: command.seed,
    maxRetries: command.maxRetries,
    timeoutMs: command.timeoutMs,
    receiptsPath: command.receipts ?? defaultReceiptsPath(EMULATE_DEFAULTS.receiptsDir),
    signal,
    onProgress: (progress: EmulationProgress) => io.stderr(tty ? `\r${progressLine(progress)}\u001b[K` : `${progressLine(progress)}\n`),
    progressIntervalMs: tty ? SEND_TUNING.progressIntervalTtyMs : SEND_TUNING.progressIntervalLogMs,
  };
}

/** Runs `work` with Ctrl-C wired to its abort signal (a second Ctrl-C quits at once). */
async function withInterrupts<T>(io: EmulateIo, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    io.stderr("\nemulate: stopping, finishing the records in flight (Ctrl-C again to quit now)\n");
    abort.abort();
  };
  process.on("SIGINT", onInterrupt);
  try {
    return await work(abort.signal);
  } finally {
    process.off("SIGINT", onInterrupt);
    if (io.stderrIsTTY) io.stderr("\r\u001b[K");
  }
}

/** Prints the summary (and the fatal answer, if any) and returns the exit code. */
function report(summary: EmulationSummary, json: boolean, io: EmulateIo): number {
  io.stdout(json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
  if (summary.fatal !== undefined) io.stderr(`emulate: ${summary.fatal}\n`);
  return summary.fatal !== undefined || summary.failed > 0 ? 1 : 0;
}

/**
 * --dry-run: the first requests, exactly as they would be sent (auth headers described, not
 * computed). Rows come from the database when it can be read; otherwise from the deterministic
 * generator, clearly marked, so the request shape can be checked with no database at all.
 */
async function dryRun(command: RunCommand, io: EmulateIo): Promise<number> {
  const endpoint = resolveEndpoint(command);
  const targets: Targets = { invokeUrl: endpoint.invokeUrl, topics: resolveTopics(command) };
  const wanted = Math.min(EMULATE_DEFAULTS.dryRunEvents, command.batch, command.count ?? EMULATE_DEFAULTS.dryRunEvents);
  const { events, origin } = await dryRunEvents(command, wanted);
  io.stdout(`# dry run: the requests for the first ${events.length} events ${origin} (nothing is sent)\n${describeAuth(endpoint.auth)}\n${describeRequests(events, targets)}`);
  return 0;
}

async function dryRunEvents(command: RunCommand, wanted: number): Promise<{ events: EventJson[]; origin: string }> {
  let reason: string;
  try {
    const creds = loadDbCreds(command.creds);
    const pool = await openPool(creds, { connectionLimit: SEND_TUNING.dryRunDbConnections });
    try {
      const source = await openEventSource(pool, creds);
      const order = eventOrder(source.ids, command.seed);
      return { events: await source.fetch(Array.from({ length: wanted }, () => order.next().value as number)), origin: `from database ${creds.database}` };
    } finally {
      await pool.end();
    }
  } catch (err) {
    if (!(err instanceof EmulationError)) throw err;
    reason = err.message;
  }
  const ids = Array.from({ length: EMULATE_DEFAULTS.dryRunGeneratedRows }, (_, i) => i);
  const order = eventOrder(ids, command.seed);
  const events = Array.from({ length: wanted }, () => generatedEventJson(EMULATE_DEFAULTS.seed, order.next().value as number));
  return { events, origin: `from GENERATED rows, not your database (it could not be read: ${reason}); they are the rows seed-db --rows ${ids.length} --seed ${EMULATE_DEFAULTS.seed} creates` };
}

function generatedEventJson(seed: number, id: number): EventJson {
  const rows = generateEvent(seed, id);
  return { id, pin: JSON.stringify(rows.pin), geo: JSON.stringify(rows.geo), user: JSON.stringify(rows.user) };
}

function describeAuth(auth: ApiAuth): string {
  switch (auth.mode) {
    case "none":
      return "# auth: none\n";
    case "api-key":
      return `# auth: api-key, each request also carries x-api-key: <the key, ${auth.apiKey.length} characters>\n`;
    case "iam":
      return `# auth: iam, each request is also signed with SigV4 for execute-api in ${auth.region} when sent (Authorization, X-Amz-Date, X-Amz-Content-Sha256 and, with temporary credentials, X-Amz-Security-Token)\n`;
  }
}

/** The progress line, on stderr while a run posts. */
export function progressLine(p: EmulationProgress): string {
  const rate = p.seconds > 0 ? Math.round(p.acknowledged / p.seconds) : 0;
  return `events ${p.events} | sent ${p.sent} | acknowledged ${p.acknowledged} | retried ${p.retried} | failed ${p.failed} | ${rate} records/s | ${p.seconds.toFixed(1)} s`;
}

/** The summary a run or redrive prints at the end (without --json). */
export function formatSummary(s: EmulationSummary): string {
  const ms = (value: number) => (Number.isNaN(value) ? "-" : `${value.toFixed(1)} ms`);
  const lines: [string, string | number][] = [
    ["events", s.events],
    ["records sent", s.sent],
    ["acknowledged", s.acknowledged],
    ["retried", s.retried],
    ["failed", s.failed],
    ["duplicates suspected", s.duplicatesSuspected],
    ["requests", s.requests],
    ["elapsed", `${s.seconds.toFixed(2)} s`],
    ["records/s", Math.round(s.recordsPerSecond)],
    ["latency p50 / p99", `${ms(s.latencyP50Ms)} / ${ms(s.latencyP99Ms)}`],
  ];
  lines.push(["receipts file", s.receiptsPath]);
  if (s.deadLetterPath !== undefined) lines.push(["dead-letter file", s.deadLetterPath]);
  return lines.map(([label, value]) => `${label.padEnd(21)}${value}`).join("\n") + "\n";
}
