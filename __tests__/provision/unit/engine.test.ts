/**
 * The runner: reporting, check mode, tags, and handlers (deduplicated, run once at the end in
 * play order, recorded on the host before the change that notifies them, cleared after success,
 * re-queued from the host after an interrupted run).
 */
import { describe, expect, it } from "vitest";
import { type Operation, PENDING_HANDLERS_FILE, type Play, WRITE_PENDING_SCRIPT, exitCode, recapLine, runPlay } from "../../../provision/engine";
import { OS_FACTS_SCRIPT } from "../../../provision/facts";
import { SERVICE_FACTS_SCRIPT, START_AND_WAIT_SCRIPT, daemonReloadHandler, restartHandler, serviceOperation } from "../../../provision/ops/service";
import { SudoError } from "../../../provision/remote";
import { FakeHost, type RecordedCommand, type Responder } from "./fake-host";

/** A host whose "files" are a map; operations below set keys in it through recorded commands. */
class StatefulFakeHost extends FakeHost {
  constructor(
    readonly state: Map<string, string>,
    pending: string[] = [],
    sudo = "ok",
    /** Answers commands the map does not model (a service's probes); undefined falls through. */
    other: Responder = () => undefined,
  ) {
    super((c) => other(c) ?? this.answer(c, pending, sudo));
  }

  private answer(c: RecordedCommand, pending: string[], sudo: string) {
    if (c.argv[2] === OS_FACTS_SCRIPT) return { stdout: `id=debian\nversion_id=12\narch=x86_64\npm=apt\nsystemd=yes\nsudo=${sudo}\n${pending.map((p) => `pending=${p}\n`).join("")}` };
    if (c.argv[0] === "read") return { stdout: this.state.get(c.argv[1]) ?? "" };
    if (c.argv[0] === "write") this.state.set(c.argv[1], c.argv[2]);
    if (c.argv[0] === "fail") return { code: 1, stderr: "disk full" };
    return undefined;
  }

  /** Commands other than fact reads. */
  get writes(): string[] {
    return this.commands.filter((c) => c.argv[0] !== "read" && c.argv[2] !== OS_FACTS_SCRIPT).map((c) => (c.argv[2] === WRITE_PENDING_SCRIPT ? `pending: ${c.argv.slice(5).join(",")}` : c.argv.join(" ")));
  }
}

type Value = { key: string; value: string };
function setting(name: string, key: string, value: string, notifies: string[] = [], tags = ["t"]): Operation<string, Value & { summary: string }> {
  return {
    name,
    tags,
    notifies,
    gather: async (host) => (await host.exec(["read", key])).stdout,
    plan: (current) => (current === value ? [] : [{ key, value, summary: `set ${key}=${value} (was ${current || "unset"})` }]),
    async apply(host, changes) {
      for (const c of changes) {
        const result = await host.exec(value === "FAIL" ? ["fail"] : ["write", c.key, c.value]);
        if (result.code !== 0) throw new Error(`[${host.name}] ${name}: command exited ${result.code}: ${result.stderr}`);
      }
      return [`wrote ${key}`];
    },
    diff: (current) => `-${key}=${current}\n+${key}=${value}`,
  };
}

function play(values: Record<string, string> = {}): Play {
  const v = (key: string, fallback: string) => values[key] ?? fallback;
  return {
    operations: [
      setting("brokers", "brokers", v("brokers", "b1"), ["restart app"]),
      setting("unit", "unit", v("unit", "u1"), ["daemon-reload", "restart app"]),
      setting("other", "other", v("other", "o1"), [], ["other"]),
    ],
    handlers: [
      { name: "daemon-reload", run: async (host) => ((await host.exec(["systemctl", "daemon-reload"])), ["reloaded"]) },
      { name: "restart app", run: async (host) => ((await host.exec(["systemctl", "restart", "app"])), ["restarted"]) },
    ],
  };
}

async function converge(host: FakeHost, p: Play, options: Partial<Parameters<typeof runPlay>[2]> = {}) {
  const lines: string[] = [];
  const recap = await runPlay(host, p, { print: (line) => lines.push(line), ...options });
  return { lines, recap };
}

describe("runPlay", () => {
  it("a fresh host: records handlers before each notifying change, runs each handler once at the end in play order, then clears the record", async () => {
    const host = new StatefulFakeHost(new Map());
    const { lines, recap } = await converge(host, play());
    expect(lines).toEqual([
      "changed: [fake] brokers",
      "changed: [fake] unit",
      "changed: [fake] other",
      "changed: [fake] handler: daemon-reload",
      "changed: [fake] handler: restart app",
    ]);
    expect(host.writes).toEqual([
      "pending: restart app",
      "write brokers b1",
      "pending: restart app,daemon-reload",
      "write unit u1",
      "write other o1",
      "systemctl daemon-reload",
      "systemctl restart app",
      `rm -f ${PENDING_HANDLERS_FILE}`,
    ]);
    // the two pending-record writes and the final rm, each with sudo
    const recordCommands = host.commands.filter((c) => c.argv[2] === WRITE_PENDING_SCRIPT || c.argv[0] === "rm");
    expect(recordCommands.map((c) => c.options.sudo)).toEqual([true, true, true]);
    expect(recap).toEqual({ ok: 0, changed: 5, failed: 0, skipped: 0 });
  });

  it("an immediate second run is all ok, restarts nothing and writes nothing", async () => {
    const state = new Map<string, string>();
    await converge(new StatefulFakeHost(state), play());
    const host = new StatefulFakeHost(state);
    const { lines, recap } = await converge(host, play());
    expect(lines).toEqual(["ok: [fake] brokers", "ok: [fake] unit", "ok: [fake] other"]);
    expect(host.writes).toEqual([]);
    expect(recap).toEqual({ ok: 3, changed: 0, failed: 0, skipped: 0 });
    expect(host.roundTrips).toBe(4);
  });

  it("one changed setting changes one operation and restarts once", async () => {
    const state = new Map<string, string>();
    await converge(new StatefulFakeHost(state), play());
    const host = new StatefulFakeHost(state);
    const { lines } = await converge(host, play({ brokers: "b2" }));
    expect(lines).toEqual(["changed: [fake] brokers", "ok: [fake] unit", "ok: [fake] other", "changed: [fake] handler: restart app"]);
    expect(host.writes).toEqual(["pending: restart app", "write brokers b2", "systemctl restart app", `rm -f ${PENDING_HANDLERS_FILE}`]);
  });

  it("--check reports what would change and the handlers that would run, writing nothing; exit 2", async () => {
    const state = new Map([["brokers", "b1"], ["unit", "u1"], ["other", "o1"]]);
    const host = new StatefulFakeHost(state);
    const { lines, recap } = await converge(host, play({ unit: "u2" }), { check: true, diff: true });
    expect(lines).toEqual([
      "ok: [fake] brokers",
      "changed: [fake] unit",
      "  -unit=u1",
      "  +unit=u2",
      "  would set unit=u2 (was u1)",
      "ok: [fake] other",
      "changed: [fake] handler: daemon-reload",
      "  would run",
      "changed: [fake] handler: restart app",
      "  would run",
    ]);
    expect(host.writes).toEqual([]);
    expect(host.commands.some((c) => c.options.sudo)).toBe(false);
    expect(state.get("unit")).toBe("u1");
    expect(exitCode(recap, true)).toBe(3);
  });

  it("--check on a converged host exits 0, and reports a restart still pending from an interrupted run", async () => {
    const state = new Map([["brokers", "b1"], ["unit", "u1"], ["other", "o1"]]);
    const clean = await converge(new StatefulFakeHost(state), play(), { check: true });
    expect(exitCode(clean.recap, true)).toBe(0);
    const interrupted = await converge(new StatefulFakeHost(state, ["restart app"]), play(), { check: true });
    expect(interrupted.lines.slice(-2)).toEqual(["changed: [fake] handler: restart app", "  would run"]);
    expect(exitCode(interrupted.recap, true)).toBe(3);
  });

  it("a failure stops the play, keeps the handlers recorded, and the next run restarts", async () => {
    const state = new Map<string, string>();
    const host = new StatefulFakeHost(state);
    const first = await converge(host, play({ unit: "FAIL" }));
    expect(first.lines).toEqual(["changed: [fake] brokers", "failed: [fake] unit", "  [fake] unit: command exited 1: disk full"]);
    expect(host.writes).toEqual(["pending: restart app", "write brokers b1", "pending: restart app,daemon-reload", "fail"]);
    expect(exitCode(first.recap, false)).toBe(1);

    // the host now holds the pending record the failed run left
    const next = new StatefulFakeHost(state, ["restart app", "daemon-reload"]);
    const { lines } = await converge(next, play());
    expect(lines).toEqual(["ok: [fake] brokers", "changed: [fake] unit", "changed: [fake] other", "changed: [fake] handler: daemon-reload", "changed: [fake] handler: restart app"]);
    expect(next.writes).toEqual(["write unit u1", "write other o1", "systemctl daemon-reload", "systemctl restart app", `rm -f ${PENDING_HANDLERS_FILE}`]);
  });

  it("a pending restart alone is run and cleared; unknown names in the record are dropped", async () => {
    const state = new Map([["brokers", "b1"], ["unit", "u1"], ["other", "o1"]]);
    const host = new StatefulFakeHost(state, ["restart app", "restart something-removed"]);
    const { lines } = await converge(host, play());
    expect(lines.slice(3)).toEqual(["changed: [fake] handler: restart app"]);
    expect(host.writes).toEqual(["systemctl restart app", `rm -f ${PENDING_HANDLERS_FILE}`]);
  });

  it("--tags runs only the tagged operations and reports the rest as skipped", async () => {
    const host = new StatefulFakeHost(new Map());
    const { lines, recap } = await converge(host, play(), { tags: new Set(["other"]) });
    expect(lines).toEqual(["skipped: [fake] brokers", "skipped: [fake] unit", "changed: [fake] other"]);
    expect(recap).toEqual({ ok: 0, changed: 1, failed: 0, skipped: 2 });
    // only the tagged operation wrote; the skipped ones neither wrote nor queued their handlers
    expect(host.writes).toEqual(["write other o1"]);
  });

  it("--tags runs an operation carrying any one of the given tags", async () => {
    const both: Play = { operations: [setting("both", "both", "x", [], ["kafka", "topics"]), setting("neither", "neither", "y", [], ["packages"])], handlers: [] };
    const { lines } = await converge(new StatefulFakeHost(new Map()), both, { tags: new Set(["topics", "rest-proxy"]) });
    expect(lines).toEqual(["changed: [fake] both", "skipped: [fake] neither"]);
  });

  it("tells each operation's facts whether --diff was asked for, and prints a diff without its trailing newline", async () => {
    const seen: boolean[] = [];
    const watched = (name: string): Operation<string, { summary: string }> => ({
      name,
      tags: ["t"],
      gather: async (_host, context) => (seen.push(context.diff), "old"),
      plan: () => [{ summary: "replace" }],
      apply: async () => [],
      diff: () => "-old\n+new\n",
    });
    const diffed = await converge(new StatefulFakeHost(new Map()), { operations: [watched("a")], handlers: [] }, { diff: true, check: true });
    expect(diffed.lines).toEqual(["changed: [fake] a", "  -old", "  +new", "  would replace"]);
    await converge(new StatefulFakeHost(new Map()), { operations: [watched("b")], handlers: [] }, { check: true });
    expect(seen).toEqual([true, false]);
  });

  it("a failing handler is reported with its error and stops the run, leaving the record for the next run", async () => {
    const failing: Play = {
      operations: [setting("unit", "unit", "u1", ["daemon-reload", "restart app"])],
      handlers: [
        { name: "daemon-reload", run: async () => Promise.reject(new Error("[fake] daemon-reload: command exited 1: Failed to reload")) },
        { name: "restart app", run: async (host) => ((await host.exec(["systemctl", "restart", "app"])), ["restarted"]) },
      ],
    };
    const host = new StatefulFakeHost(new Map());
    const { lines, recap } = await converge(host, failing);
    expect(lines).toEqual(["changed: [fake] unit", "failed: [fake] handler: daemon-reload", "  [fake] daemon-reload: command exited 1: Failed to reload"]);
    expect(recap).toEqual({ ok: 0, changed: 1, failed: 1, skipped: 0 });
    expect(host.writes).toEqual(["pending: daemon-reload,restart app", "write unit u1"]);
  });

  it("--verbose prints the changes and the notes", async () => {
    const { lines } = await converge(new StatefulFakeHost(new Map()), play(), { verbose: true, tags: new Set(["other"]) });
    expect(lines).toEqual(["skipped: [fake] brokers", "skipped: [fake] unit", "changed: [fake] other", "  set other=o1 (was unset)", "  wrote other"]);
  });

  it("stops before any operation when sudo needs a password", async () => {
    const host = new StatefulFakeHost(new Map(), [], "sudo: a password is required ");
    await expect(converge(host, play())).rejects.toThrow(SudoError);
    await expect(converge(host, play())).rejects.toThrow(/^\[fake\] sudo -n failed for user ec2-user: sudo: a password is required \(fix: give ec2-user passwordless sudo/);
    expect(host.commands.length).toBeGreaterThan(0);
    expect(host.commands.every((c) => c.argv[2] === OS_FACTS_SCRIPT)).toBe(true);
  });
});

describe("handlers a service operation declares as data", () => {
  const spec = { unit: "app.service", readyUrl: "http://127.0.0.1:9/topics", readyListing: ["t1"], restartHandler: "restart app", daemonReloadHandler: "daemon-reload" };
  const servicePlay = (unit: string): Play => ({
    operations: [setting("unit", "unit", unit, ["daemon-reload", "restart app"]), serviceOperation("app running", ["t"], spec)],
    handlers: [daemonReloadHandler("daemon-reload"), restartHandler("restart app", spec)],
  });

  /** A host whose unit file is "u1" and whose service is in the given state; records what changes it. */
  function serviceHost(service: { enabled: string; active: string }) {
    const host = new StatefulFakeHost(new Map([["unit", "u1"]]), [], "ok", (c) => {
      if (c.argv[2] === SERVICE_FACTS_SCRIPT) return { stdout: `enabled=${service.enabled}\nactive=${service.active}\n` };
      if (c.argv[2] === START_AND_WAIT_SCRIPT) return { stdout: "ready_after_ms=500\n" };
      return undefined;
    });
    /** The changing commands, start-and-wait shown with the systemctl command it runs. */
    const actions = () =>
      host.writes.filter((w) => !w.includes(SERVICE_FACTS_SCRIPT)).map((w) => (w.includes(START_AND_WAIT_SCRIPT) ? `wait for ${w.slice(w.indexOf("app.service 1 t1 ") + "app.service 1 t1 ".length)}` : w));
    return { host, actions };
  }

  it("a fresh start after a unit change: daemon-reload runs before the start, and no restart follows", async () => {
    const { host, actions } = serviceHost({ enabled: "disabled", active: "inactive" });
    const { lines } = await converge(host, servicePlay("u2"), { verbose: true });
    expect(actions()).toEqual([
      "pending: daemon-reload,restart app",
      "write unit u2",
      "systemctl daemon-reload",
      "wait for systemctl enable --now app.service",
      `rm -f ${PENDING_HANDLERS_FILE}`,
    ]);
    expect(lines.filter((l) => !l.startsWith("  "))).toEqual(["changed: [fake] unit", "changed: [fake] app running"]);
    expect(lines).toContain("  ran daemon-reload first");
  });

  it("a running service after a unit change: no start, daemon-reload then one restart at the end", async () => {
    const { host, actions } = serviceHost({ enabled: "enabled", active: "active" });
    const { lines } = await converge(host, servicePlay("u2"));
    expect(actions()).toEqual([
      "pending: daemon-reload,restart app",
      "write unit u2",
      "systemctl daemon-reload",
      "wait for systemctl restart app.service",
      `rm -f ${PENDING_HANDLERS_FILE}`,
    ]);
    expect(lines).toEqual(["changed: [fake] unit", "ok: [fake] app running", "changed: [fake] handler: daemon-reload", "changed: [fake] handler: restart app"]);
  });

  it("a running but disabled service: enabling runs the queued daemon-reload first and does not satisfy the restart", async () => {
    const { host, actions } = serviceHost({ enabled: "disabled", active: "active" });
    const { lines } = await converge(host, servicePlay("u2"));
    expect(actions()).toEqual([
      "pending: daemon-reload,restart app",
      "write unit u2",
      "systemctl daemon-reload",
      "systemctl enable app.service",
      "wait for systemctl restart app.service",
      `rm -f ${PENDING_HANDLERS_FILE}`,
    ]);
    expect(lines).toEqual(["changed: [fake] unit", "changed: [fake] app running", "changed: [fake] handler: restart app"]);
  });

  it("a start with nothing queued runs no handler", async () => {
    const { host, actions } = serviceHost({ enabled: "enabled", active: "failed" });
    const { lines } = await converge(host, servicePlay("u1"));
    expect(actions()).toEqual(["wait for systemctl start app.service"]);
    expect(lines).toEqual(["ok: [fake] unit", "changed: [fake] app running"]);
  });
});

describe("exit codes and recap", () => {
  it.each([
    [{ ok: 3, changed: 0, failed: 0, skipped: 0 }, false, 0],
    [{ ok: 1, changed: 2, failed: 0, skipped: 0 }, false, 0],
    [{ ok: 1, changed: 2, failed: 0, skipped: 0 }, true, 3],
    [{ ok: 3, changed: 0, failed: 0, skipped: 1 }, true, 0],
    [{ ok: 1, changed: 2, failed: 1, skipped: 0 }, true, 1],
    [{ ok: 1, changed: 0, failed: 1, skipped: 0 }, false, 1],
  ])("%j check=%s → %i", (recap, check, code) => {
    expect(exitCode(recap, check)).toBe(code);
  });

  it("prints the recap line of the contract", () => {
    expect(recapLine("ec2-1-2-3-4", { ok: 9, changed: 1, failed: 0, skipped: 0 })).toBe("PLAY RECAP [ec2-1-2-3-4] ok=9 changed=1 failed=0 skipped=0");
  });
});
