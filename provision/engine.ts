/**
 * The play runner: gather → plan → apply per operation, Ansible-style reporting, and handlers
 * that run once at the end and survive an interrupted run.
 *
 * Every operation gathers its own facts just before it plans (an earlier operation may have
 * changed them); only OS facts are gathered once. An empty plan is `ok`. In check mode nothing
 * is written, not even the pending-handlers file.
 */
import { EXIT } from "../lib/cli-run";
import { type OsFacts, gatherOsFacts } from "./facts";
import { type Host, run, shScript } from "./remote";

/** One planned change; operations extend it with what `apply` needs. */
export interface Change {
  /** What would happen, for `--check` and `--verbose`: "create /etc/x", "install tar gzip". */
  readonly summary: string;
  /**
   * Handlers this change makes unnecessary once applied: a fresh start already runs the new
   * configuration, so a queued restart of the same unit is dropped. @default - none
   */
  readonly satisfies?: readonly string[];
}

export interface GatherContext {
  readonly os: OsFacts;
  /** `--diff`: gather file contents too, so the diff needs no second round trip. */
  readonly diff: boolean;
}

export interface ApplyContext {
  readonly os: OsFacts;
}

/** An idempotent step of a play. `plan` is pure; an empty plan means the host is already as desired. */
export interface Operation<Facts = unknown, C extends Change = Change> {
  readonly name: string;
  /** `--tags` selects operations with any of these. */
  readonly tags: readonly string[];
  /** Handlers queued (and recorded as pending on the host, before applying) when this operation changes something. */
  readonly notifies?: readonly string[];
  /**
   * Handlers run before this operation applies its changes, when they are queued: a start must
   * see the unit file a queued daemon-reload would load. @default - none
   */
  readonly runsFirst?: readonly string[];
  /** One batched, read-only command. */
  gather(host: Host, context: GatherContext): Promise<Facts>;
  plan(facts: Facts): C[];
  /** Applies exactly `changes`; returns notes worth printing with --verbose. */
  apply(host: Host, changes: readonly C[], context: ApplyContext): Promise<string[]>;
  /** A unified diff of what `changes` would do to files, secrets masked. */
  diff?(facts: Facts, changes: readonly C[]): string | undefined;
}

/** A deferred action, run once at the end of the play when queued. */
export interface Handler {
  readonly name: string;
  run(host: Host, os: OsFacts): Promise<string[]>;
}

export interface Play {
  readonly operations: readonly Operation<any, any>[];
  /** Every handler operations may notify, in the order they run. */
  readonly handlers: readonly Handler[];
}

export type Status = "ok" | "changed" | "failed" | "skipped";

export interface RunOptions {
  /** Gather and plan only; write nothing. */
  readonly check?: boolean;
  /** Print a unified diff of every file that changes (or would). */
  readonly diff?: boolean;
  /** Run only operations carrying one of these tags; undefined runs all. */
  readonly tags?: ReadonlySet<string>;
  /** Print each change and note under its operation. */
  readonly verbose?: boolean;
  /** Receives each output line as soon as it is known. */
  readonly print: (line: string) => void;
}

export interface Recap {
  readonly ok: number;
  readonly changed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Where pending handlers are recorded on the host, one name per line. */
export const PENDING_HANDLERS_FILE = "/var/lib/pipeline-provision/pending-handlers";

/**
 * Runs the play against one host. Throws only for problems that stop the run before any
 * operation (unsupported OS, sudo needing a password); an operation's failure is reported and
 * counted, and stops the play (its handlers stay recorded on the host for the next run).
 */
export async function runPlay(host: Host, play: Play, options: RunOptions): Promise<Recap> {
  const os = await gatherOsFacts(host, PENDING_HANDLERS_FILE);
  const counts = { ok: 0, changed: 0, failed: 0, skipped: 0 };
  const report = (status: Status, name: string, details: readonly string[] = []) => {
    counts[status]++;
    options.print(`${status}: [${host.name}] ${name}`);
    for (const detail of details) for (const line of detail.split("\n")) options.print(`  ${line}`);
  };
  const handlersByName = new Map(play.handlers.map((h) => [h.name, h]));
  const queued = new Set(os.pendingHandlers.filter((name) => handlersByName.has(name)));
  let recorded = new Set(os.pendingHandlers);

  for (const operation of play.operations) {
    if (options.tags && !operation.tags.some((tag) => options.tags!.has(tag))) {
      report("skipped", operation.name);
      continue;
    }
    try {
      const facts = await operation.gather(host, { os, diff: !!options.diff });
      const changes: readonly Change[] = operation.plan(facts);
      if (changes.length === 0) {
        report("ok", operation.name);
        continue;
      }
      const details: string[] = [];
      const diff = options.diff ? operation.diff?.(facts, changes) : undefined;
      if (diff) details.push(diff.trimEnd());
      const notifies = operation.notifies ?? [];
      if (options.check) {
        details.push(...changes.map((c) => `would ${c.summary}`));
        notifies.forEach((name) => queued.add(name));
        report("changed", operation.name, details);
        continue;
      }
      const unrecorded = notifies.filter((name) => !recorded.has(name));
      if (unrecorded.length > 0) {
        recorded = new Set([...recorded, ...unrecorded]);
        await writePendingHandlers(host, [...recorded]);
      }
      const ranFirst = await runQueuedFirst(host, os, operation.runsFirst ?? [], handlersByName, queued);
      const notes = [...ranFirst, ...(await operation.apply(host, changes, { os }))];
      notifies.forEach((name) => queued.add(name));
      changes.forEach((change) => change.satisfies?.forEach((name) => queued.delete(name)));
      report("changed", operation.name, options.verbose ? [...details, ...changes.map((c) => c.summary), ...notes] : details);
    } catch (err) {
      report("failed", operation.name, [(err as Error).message]);
      return counts;
    }
  }

  for (const handler of play.handlers) {
    if (!queued.has(handler.name)) continue;
    if (options.check) {
      report("changed", `handler: ${handler.name}`, ["would run"]);
      continue;
    }
    try {
      const notes = await handler.run(host, os);
      queued.delete(handler.name);
      report("changed", `handler: ${handler.name}`, options.verbose ? notes : []);
    } catch (err) {
      report("failed", `handler: ${handler.name}`, [(err as Error).message]);
      return counts;
    }
  }
  if (!options.check && recorded.size > 0) await clearPendingHandlers(host);
  return counts;
}

/** Runs (and unqueues) those of `names` that are queued, in the order given; returns their notes. */
async function runQueuedFirst(host: Host, os: OsFacts, names: readonly string[], handlers: ReadonlyMap<string, Handler>, queued: Set<string>): Promise<string[]> {
  const notes: string[] = [];
  for (const name of names.filter((n) => queued.has(n))) {
    const handler = handlers.get(name);
    if (!handler) throw new Error(`no handler named ${JSON.stringify(name)} in this play`);
    queued.delete(name);
    notes.push(`ran ${name} first`, ...(await handler.run(host, os)));
  }
  return notes;
}

/** Atomically replaces the pending-handlers file (temp file in the same directory, then rename). */
export const WRITE_PENDING_SCRIPT = `set -eu
f=$1; shift
dir=\${f%/*}
mkdir -p "$dir"
tmp=$(mktemp "$dir/.pending-XXXXXX")
printf '%s\\n' "$@" > "$tmp"
chmod 0644 "$tmp"
mv -f "$tmp" "$f"`;

export async function writePendingHandlers(host: Host, names: readonly string[]): Promise<void> {
  await run(host, "record pending handlers", shScript(WRITE_PENDING_SCRIPT, PENDING_HANDLERS_FILE, ...names), { sudo: true });
}

export async function clearPendingHandlers(host: Host): Promise<void> {
  await run(host, "clear pending handlers", ["rm", "-f", PENDING_HANDLERS_FILE], { sudo: true });
}

/** 0 converged, 1 an operation failed, 3 `--check` found pending changes (lib/cli-run.ts's convention). */
export function exitCode(recap: Recap, check: boolean): number {
  if (recap.failed > 0) return EXIT.failure;
  return check && recap.changed > 0 ? EXIT.drift : EXIT.ok;
}

export function recapLine(host: string, recap: Recap): string {
  return `PLAY RECAP [${host}] ok=${recap.ok} changed=${recap.changed} failed=${recap.failed} skipped=${recap.skipped}`;
}
