/**
 * `npm run emulate -- <command>`: the entry point, the only emulation module that reads argv, the
 * environment or the terminal. Errors the user can fix print as one line without a stack trace.
 */
import { loadStackOutputs, OutputsError, type StackOutputs } from "../lib/contract";
import { parseCommand, USAGE, type RunCommand, type SeedDbCommand } from "./args";
import { createAuthenticator, type ApiAuth } from "./auth";
import { loadDbCreds } from "./creds";
import { describeDbError, fetchEvents, listEventIds, openPool, requireTables } from "./db";
import { describeRequests, runEmulation, type EmulationProgress, type EmulationSummary, type EventSource, type Targets } from "./emulator";
import { EMULATE_DEFAULTS } from "./defaults";
import { EmulationError } from "./errors";
import { eventOrder } from "./flow";
import { TABLE_ROLES, type TableRole } from "./rows";
import { defaultReceiptsPath } from "./receipts-file";
import { seedDatabase } from "./seed-db";

/** Events shown by --dry-run: enough to see the body shape without flooding the terminal. */
const DRY_RUN_EVENTS = 3;

async function main(argv: readonly string[]): Promise<number> {
  const command = parseCommand(argv, process.env);
  switch (command.kind) {
    case "help":
      process.stdout.write(USAGE);
      return 0;
    case "seed-db":
      return seedDb(command);
    case "run":
      return run(command);
  }
}

async function seedDb(command: SeedDbCommand): Promise<number> {
  const creds = loadDbCreds(command.creds);
  const result = await seedDatabase(creds, { rows: command.rows, seed: command.seed });
  const { pin, geo, user } = result.inserted;
  process.stdout.write(
    `seed-db: ${creds.database} on ${creds.host}:${creds.port}: ids 0..${command.rows - 1} (seed ${command.seed}); inserted pinterest_data ${pin}, geolocation_data ${geo}, user_data ${user} new rows (${3 * command.rows - pin - geo - user} already present) in ${result.seconds.toFixed(2)} s\n`,
  );
  return 0;
}

/** Where to post and how to authenticate: from the outputs file, or from --url and the auth flags. */
function resolveApi(command: RunCommand): { readonly targets: Targets; readonly auth: ApiAuth } {
  if (command.url !== undefined) {
    const topics = command.topics ?? TABLE_ROLES.map((role) => `${command.userId}.${role}`);
    return { targets: { invokeUrl: command.url, topics: topicsByRole(topics) }, auth: command.auth ?? { mode: "none" } };
  }
  const path = command.outputs as string;
  const outputs = loadStackOutputs(path, ["invoke_url", "user_id", "topics", "api_auth", "region", "api_key"]);
  const topics =
    command.topics ??
    TABLE_ROLES.map((role) => {
      const topic = `${outputs.user_id}.${role}`;
      if (!outputs.topics.includes(topic)) {
        throw new OutputsError(`outputs file ${path}: topics ${JSON.stringify(outputs.topics)} lack ${topic} (the emulator posts pin, geo and user events: keep those suffixes in pipeline.yaml topics, or pass --topics)`);
      }
      return topic;
    });
  return { targets: { invokeUrl: outputs.invoke_url, topics: topicsByRole(topics) }, auth: outputsAuth(outputs, command, path) };
}

function outputsAuth(outputs: Pick<StackOutputs, "api_auth" | "region" | "api_key">, command: RunCommand, path: string): ApiAuth {
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

function topicsByRole(topics: readonly string[]): Record<TableRole, string> {
  return Object.fromEntries(TABLE_ROLES.map((role, i) => [role, topics[i]])) as Record<TableRole, string>;
}

async function run(command: RunCommand): Promise<number> {
  const { targets, auth } = resolveApi(command);
  const creds = loadDbCreds(command.creds);
  const pool = await openPool(creds, { connectionLimit: 6 });
  try {
    await requireTables(pool, creds).catch((err) => Promise.reject(describeDbError(err, creds)));
    const ids = await listEventIds(pool).catch((err) => Promise.reject(describeDbError(err, creds)));
    const source: EventSource = { ids, fetch: (wanted) => fetchEvents(pool, wanted).catch((err) => Promise.reject(describeDbError(err, creds))) };
    if (ids.length === 0) throw new EmulationError(`database ${creds.database}: the tables have no common ids (fill them with: npm run emulate -- seed-db --rows 10000)`);

    if (command.dryRun) {
      const order = eventOrder(ids, command.seed);
      const first = Array.from({ length: Math.min(DRY_RUN_EVENTS, command.batch, command.count ?? DRY_RUN_EVENTS) }, () => order.next().value as number);
      process.stdout.write(`# dry run: the requests for the first ${first.length} events (nothing is sent)\n\n${describeRequests(await source.fetch(first), targets)}`);
      return 0;
    }

    const authenticator = await createAuthenticator(auth);
    const abort = new AbortController();
    let interrupts = 0;
    const onInterrupt = () => {
      interrupts++;
      if (interrupts > 1) process.exit(130);
      process.stderr.write("\nemulate: stopping, finishing the records in flight (Ctrl-C again to quit now)\n");
      abort.abort();
    };
    process.on("SIGINT", onInterrupt);
    const tty = process.stderr.isTTY === true;
    try {
      const summary = await runEmulation(source, {
        targets,
        ...(authenticator === undefined ? {} : { authenticator }),
        batch: command.batch,
        concurrency: command.concurrency,
        ...(command.rate === undefined ? {} : { rate: command.rate }),
        ...(command.count === undefined ? {} : { count: command.count }),
        ...(command.durationSec === undefined ? {} : { durationSec: command.durationSec }),
        seed: command.seed,
        maxRetries: command.maxRetries,
        timeoutMs: command.timeoutMs,
        deadLetterPath: command.deadLetter,
        receiptsPath: command.receipts ?? defaultReceiptsPath(EMULATE_DEFAULTS.receiptsDir),
        signal: abort.signal,
        onProgress: (progress) => process.stderr.write(tty ? `\r${progressLine(progress)}\u001b[K` : `${progressLine(progress)}\n`),
        progressIntervalMs: tty ? 250 : 5000,
      });
      if (tty) process.stderr.write("\r\u001b[K");
      process.stdout.write(command.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
      if (summary.fatal !== undefined) process.stderr.write(`emulate: ${summary.fatal}\n`);
      return summary.fatal !== undefined || summary.failed > 0 ? 1 : 0;
    } finally {
      process.off("SIGINT", onInterrupt);
    }
  } finally {
    await pool.end();
  }
}

function progressLine(p: EmulationProgress): string {
  const rate = p.seconds > 0 ? Math.round(p.acknowledged / p.seconds) : 0;
  return `events ${p.events} | sent ${p.sent} | acknowledged ${p.acknowledged} | retried ${p.retried} | failed ${p.failed} | ${rate} records/s | ${p.seconds.toFixed(1)} s`;
}

function formatSummary(s: EmulationSummary): string {
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof EmulationError || err instanceof OutputsError) {
      process.stderr.write(`emulate: ${err.message}\n`);
      process.exitCode = err instanceof EmulationError ? err.exitCode : 1;
      return;
    }
    process.stderr.write(`emulate: unexpected error: ${err instanceof Error ? err.message : String(err)}${process.env.EMULATE_DEBUG ? `\n${(err as Error).stack}` : " (set EMULATE_DEBUG=1 for the stack trace)"}\n`);
    process.exitCode = 1;
  },
);
