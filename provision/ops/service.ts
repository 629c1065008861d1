/**
 * A systemd service that must be enabled and running, and serve a request that needs its
 * backend once started (for the REST proxy: v2 `GET /topics` listing the pipeline's topics,
 * which only a proxy that can authenticate to the cluster answers).
 *
 * Facts (one command): `systemctl is-enabled` and `systemctl is-active` of the unit.
 * Changed when: the unit is not enabled or not active.
 * Commands: `systemctl enable --now`, `enable` or `start` as needed, followed by a bounded
 * wait until the unit is active and the readiness URL lists every expected name. An error
 * answer (HTTP 4xx/5xx) fails at once with the service's own message. Never restarts:
 * restarts are handlers.
 * Notifies: nothing. Declares the daemon-reload handler to run first when queued (the unit file
 * just changed), and its start change satisfies a queued restart of the same unit (the process
 * already runs the new configuration); the engine acts on both.
 */
import type { Change, Handler, Operation } from "../engine";
import type { OsFacts } from "../facts";
import { type Host, RemoteCommandError, SudoError, describeCommand, isSudoRefusal, parseKeyValues, run, shScript } from "../remote";

export interface ServiceSpec {
  /** e.g. kafka-rest.service */
  readonly unit: string;
  /** Polled on the host with curl after a start or restart, e.g. http://127.0.0.1:<port>/topics */
  readonly readyUrl: string;
  /** JSON strings the readiness answer must contain, e.g. the topic names GET /topics lists. */
  readonly readyListing: readonly string[];
  /** How long to wait for readiness. @default 60 */
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

/** The exit status of {@link START_AND_WAIT_SCRIPT} when the service answered with an error. */
const ANSWERED_WITH_ERROR = 4;
const BODY_MARKER = "--body--";

/**
 * Arguments: url seconds unit count name1..nameN [command...]. Runs the command (a systemctl
 * start/restart), then polls every half second until the unit is active and GET url answers 2xx
 * with every name as a JSON string. Both, because another process holding the port would answer
 * for a crash-looping unit. An error answer while the unit is active ends the wait at once:
 * status 4 with the HTTP status and the body, so the caller can report the service's own
 * message. On timeout prints the unit's status and exits 1.
 */
export const START_AND_WAIT_SCRIPT = `set -u
url=$1 seconds=$2 unit=$3 count=$4
shift 4
names=""
while [ "$count" -gt 0 ]; do names="$names $1"; shift; count=$((count - 1)); done
if [ $# -gt 0 ]; then "$@" || exit $?; fi
body=$(mktemp)
trap 'rm -f "$body"' EXIT
started=$(date +%s%3N)
deadline=$(($(date +%s) + seconds))
missing=""
until [ "$(date +%s)" -gt "$deadline" ]; do
  if systemctl is-active --quiet "$unit"; then
    status=$(curl -s -o "$body" -w '%{http_code}' -m 15 -H 'Accept: application/vnd.kafka.v2+json' "$url") || status=000
    case $status in
      2??)
        missing=""
        for n in $names; do grep -qF "\"$n\"" "$body" || missing="$missing $n"; done
        if [ -z "$missing" ]; then echo "ready_after_ms=$(($(date +%s%3N) - started))"; exit 0; fi ;;
      000) ;;
      *) echo "http_status=$status"; echo '${BODY_MARKER}'; cat "$body"; exit ${ANSWERED_WITH_ERROR} ;;
    esac
  fi
  sleep 0.5
done
echo "$unit was not active and listing\${missing:-$names} on $url within $seconds s:" >&2
systemctl status --no-pager -n 15 "$unit" >&2 || true
exit 1`;

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

/** The start-and-wait command for `argv` (a systemctl start or restart; none to only wait). */
export function startAndWaitArgv(spec: ServiceSpec, argv: readonly string[]): string[] {
  const seconds = String(spec.readySeconds ?? 60);
  return shScript(START_AND_WAIT_SCRIPT, spec.readyUrl, seconds, spec.unit, String(spec.readyListing.length), ...spec.readyListing, ...argv);
}

/** Runs `argv` (if any) and waits for the service to be ready; returns the readiness note. */
export async function startAndWait(host: Host, operation: string, spec: ServiceSpec, argv: readonly string[]): Promise<string> {
  const command = startAndWaitArgv(spec, argv);
  const options = { sudo: true, timeoutMs: (spec.readySeconds ?? 60) * 1000 + 60_000 };
  const result = await host.exec(command, options);
  if (result.code === ANSWERED_WITH_ERROR) throw new Error(`[${host.name}] ${operation}: ${serviceErrorMessage(spec, result.stdout)}`);
  if (result.code !== 0) {
    if (isSudoRefusal(result.stderr)) throw new SudoError(host.name, host.user, result.stderr.split("\n")[0]);
    throw new RemoteCommandError(host.name, operation, describeCommand(command, options), result.code, result.stderr, result.stdout);
  }
  const ms = parseKeyValues(result.stdout).get("ready_after_ms") ?? "?";
  return `${spec.readyUrl} listed ${spec.readyListing.join(", ")} after ${ms} ms`;
}

/** One line from an error answer: the HTTP status and the service's JSON `message` (or its body). */
export function serviceErrorMessage(spec: Pick<ServiceSpec, "unit" | "readyUrl">, stdout: string): string {
  const markerAt = stdout.indexOf(`\n${BODY_MARKER}\n`);
  const status = parseKeyValues(markerAt >= 0 ? stdout.slice(0, markerAt) : stdout).get("http_status") ?? "?";
  const body = markerAt >= 0 ? stdout.slice(markerAt + BODY_MARKER.length + 2).trim() : "";
  const message = jsonMessage(body) ?? body.replace(/\s+/g, " ").slice(0, 300);
  return `${spec.unit} answered GET ${spec.readyUrl} with HTTP ${status}: ${message || "(empty body)"} (the service runs but cannot use its backend; for the REST proxy check produce_role_arn, region and the brokers in the stack outputs, and journalctl -u ${spec.unit} on the host)`;
}

/** The `message` string of a JSON object body, if it has one; otherwise the body itself is the best description. */
function jsonMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const message = typeof parsed === "object" && parsed !== null ? (parsed as { message?: unknown }).message : undefined;
  return typeof message === "string" ? message : undefined;
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
