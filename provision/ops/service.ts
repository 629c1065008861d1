/**
 * A systemd service that must be enabled and running, and answer HTTP once started.
 *
 * Facts (one command): `systemctl is-enabled` and `systemctl is-active` of the unit.
 * Changed when: the unit is not enabled or not active.
 * Commands: `systemctl enable --now`, `enable` or `start` as needed, followed by a bounded
 * wait until the readiness URL answers HTTP. Never restarts: restarts are handlers.
 * Notifies: nothing. Declares the daemon-reload handler to run first when queued (the unit file
 * just changed), and its start change satisfies a queued restart of the same unit (the process
 * already runs the new configuration); the engine acts on both.
 */
import type { Change, Handler, Operation } from "../engine";
import type { OsFacts } from "../facts";
import { type Host, parseKeyValues, run, shScript } from "../remote";

export interface ServiceSpec {
  /** e.g. kafka-rest.service */
  readonly unit: string;
  /** Polled on the host with curl after a start or restart, e.g. http://127.0.0.1:8082/ */
  readonly readyUrl: string;
  /** How long to wait for readyUrl. @default 60 */
  readonly readySeconds?: number;
  /** The handler a start makes unnecessary. */
  readonly restartHandler: string;
  /** The handler to run before a start when it is queued. */
  readonly daemonReloadHandler: string;
}

export interface ServiceFacts {
  /** `enabled`, `disabled`, `static`, ... or "" when the unit is unknown. */
  readonly enabled: string;
  /** `active`, `inactive`, `failed`, `activating`, ... */
  readonly active: string;
}

export type ServiceChange = (Change & { readonly kind: "enable" }) | (Change & { readonly kind: "start" });

export const SERVICE_FACTS_SCRIPT = `echo "enabled=$(systemctl is-enabled "$1" 2>/dev/null || true)"
echo "active=$(systemctl is-active "$1" 2>/dev/null || true)"`;

/**
 * Arguments: url tries unit [command...]. Runs the command (a systemctl start/restart), then polls
 * every half second until the unit is active and url answers HTTP; on timeout prints the unit's
 * status and fails. Both, because another process holding the port would answer for a crash-looping unit.
 */
export const START_AND_WAIT_SCRIPT = `set -u
url=$1 tries=$2 unit=$3
shift 3
if [ $# -gt 0 ]; then "$@" || exit $?; fi
i=0
until systemctl is-active --quiet "$unit" && curl -s -o /dev/null -m 2 "$url"; do
  i=$((i + 1))
  if [ "$i" -ge "$tries" ]; then
    echo "$unit was not active and answering HTTP on $url within $((tries / 2)) s:" >&2
    systemctl status --no-pager -n 15 "$unit" >&2 || true
    exit 1
  fi
  sleep 0.5
done
echo "ready_after_ms=$((i * 500))"`;

export function parseServiceFacts(stdout: string): ServiceFacts {
  const values = parseKeyValues(stdout);
  return { enabled: values.get("enabled") ?? "", active: values.get("active") ?? "" };
}

export function planService(facts: ServiceFacts, spec: ServiceSpec): ServiceChange[] {
  const changes: ServiceChange[] = [];
  if (facts.enabled !== "enabled") changes.push({ kind: "enable", summary: `enable ${spec.unit} (was ${facts.enabled || "not installed"})` });
  if (facts.active !== "active") {
    changes.push({ kind: "start", summary: `start ${spec.unit} (was ${facts.active || "unknown"})`, satisfies: [spec.restartHandler] });
  }
  return changes;
}

/** The systemctl argv for the planned changes. */
export function systemctlArgv(changes: readonly ServiceChange[], unit: string): string[] {
  const enable = changes.some((c) => c.kind === "enable");
  const start = changes.some((c) => c.kind === "start");
  if (enable && start) return ["systemctl", "enable", "--now", unit];
  return ["systemctl", enable ? "enable" : "start", unit];
}

/** Runs `argv` (if any) and waits for the service to answer; returns the readiness note. */
export async function startAndWait(host: Host, operation: string, spec: ServiceSpec, argv: readonly string[]): Promise<string> {
  const tries = (spec.readySeconds ?? 60) * 2;
  const stdout = await run(host, operation, shScript(START_AND_WAIT_SCRIPT, spec.readyUrl, String(tries), spec.unit, ...argv), {
    sudo: true,
    timeoutMs: (spec.readySeconds ?? 60) * 1000 + 60_000,
  });
  const ms = parseKeyValues(stdout).get("ready_after_ms") ?? "?";
  return `${spec.readyUrl} answered after ${ms} ms`;
}

function requireSystemd(host: Host, os: OsFacts, unit: string): void {
  if (!os.systemd) throw new Error(`[${host.name}] systemd is not running on this host, so ${unit} cannot be managed (provision a host booted with systemd)`);
}

export function serviceOperation(name: string, tags: readonly string[], spec: ServiceSpec): Operation<ServiceFacts, ServiceChange> {
  return {
    name,
    tags,
    async gather(host, { os }) {
      requireSystemd(host, os, spec.unit);
      return parseServiceFacts(await run(host, name, shScript(SERVICE_FACTS_SCRIPT, spec.unit)));
    },
    runsFirst: [spec.daemonReloadHandler],
    plan: (facts) => planService(facts, spec),
    async apply(host, changes) {
      const argv = systemctlArgv(changes, spec.unit);
      if (!changes.some((c) => c.kind === "start")) {
        await run(host, name, argv, { sudo: true });
        return [];
      }
      return [await startAndWait(host, name, spec, argv)];
    },
  };
}

export function daemonReloadHandler(name: string): Handler {
  return {
    name,
    async run(host, os) {
      requireSystemd(host, os, "units");
      await run(host, `handler: ${name}`, ["systemctl", "daemon-reload"], { sudo: true });
      return [];
    },
  };
}

export function restartHandler(name: string, spec: ServiceSpec): Handler {
  return {
    name,
    async run(host, os) {
      requireSystemd(host, os, spec.unit);
      return [await startAndWait(host, `handler: ${name}`, spec, ["systemctl", "restart", spec.unit])];
    },
  };
}
