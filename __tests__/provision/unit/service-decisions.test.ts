/**
 * The service operation's decisions, one function at a time: what to change from the unit's state,
 * how an error answer becomes one line, how the start-and-wait command is built and its failures
 * reported, and what the handlers run. The real script runs in local-shell.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { OsFacts } from "../../../provision/facts";
import { daemonReloadHandler, parseServiceFacts, planService, restartHandler, serviceErrorMessage, startAndWait, START_AND_WAIT_SCRIPT } from "../../../provision/ops/service";
import { RemoteCommandError, shScript, SudoError } from "../../../provision/remote";
import { DEBIAN, FakeHost } from "./fake-host";

const spec = {
  unit: "kafka-rest.service",
  readyUrl: "http://127.0.0.1:8082/topics",
  readyListing: ["u.pin", "u.geo"],
  restartHandler: "restart kafka-rest",
  daemonReloadHandler: "daemon-reload",
};
const NO_SYSTEMD: OsFacts = { ...DEBIAN, systemd: false };

describe("planService: start or not, enable or not, from the unit's state", () => {
  it.each([
    ["enabled=enabled\nactive=active\n", []],
    ["enabled=disabled\nactive=active\n", [["enable", "enable kafka-rest.service (was disabled)", []]]],
    ["active=active\n", [["enable", "enable kafka-rest.service (was not installed)", []]]],
    ["enabled=enabled\nactive=failed\n", [["start", "start kafka-rest.service (was failed)", ["restart kafka-rest"]]]],
    ["enabled=enabled\n", [["start", "start kafka-rest.service (was unknown)", ["restart kafka-rest"]]]],
    ["enabled=static\nactive=activating\n", [
      ["enable", "enable kafka-rest.service (was static)", []],
      ["start", "start kafka-rest.service (was activating)", ["restart kafka-rest"]],
    ]],
  ])("%j → %j", (probe, expected) => {
    expect(planService(parseServiceFacts(probe), spec).map((c) => [c.kind, c.summary, c.satisfies ?? []])).toEqual(expected);
  });
});

describe("serviceErrorMessage: an error answer as one line", () => {
  const tail = "(the service runs but cannot use its backend; for the REST proxy check produce_role_arn, region and the brokers in the stack outputs, and journalctl -u kafka-rest.service on the host)";

  it("takes the JSON message", () => {
    expect(serviceErrorMessage(spec, 'http_status=500\n--body--\n{"error_code":50002,"message":"Access denied"}\n')).toBe(`kafka-rest.service answered GET http://127.0.0.1:8082/topics with HTTP 500: Access denied ${tail}`);
  });

  it("falls back to the body with its whitespace collapsed, cut at 300 characters", () => {
    const body = `<html>\n  <body>${"x".repeat(400)}</body>`;
    expect(serviceErrorMessage(spec, `http_status=502\n--body--\n${body}\n`)).toBe(`kafka-rest.service answered GET http://127.0.0.1:8082/topics with HTTP 502: ${body.replace(/\s+/g, " ").slice(0, 300)} ${tail}`);
    expect(serviceErrorMessage(spec, 'http_status=500\n--body--\n{"message":5}\n')).toContain('HTTP 500: {"message":5} (');
    for (const body of ["null", "[1]", '"text"', "7"]) expect(serviceErrorMessage(spec, `http_status=500\n--body--\n${body}\n`)).toContain(`HTTP 500: ${body} (`);
  });

  it("reads the status only before the body marker, even when the marker opens the answer", () => {
    expect(serviceErrorMessage(spec, "\n--body--\nhttp_status=200\n")).toBe(`kafka-rest.service answered GET http://127.0.0.1:8082/topics with HTTP ?: http_status=200 ${tail}`);
  });

  it("says so when the body is empty or the status is missing", () => {
    expect(serviceErrorMessage(spec, "http_status=503\n--body--\n\n")).toBe(`kafka-rest.service answered GET http://127.0.0.1:8082/topics with HTTP 503: (empty body) ${tail}`);
    expect(serviceErrorMessage(spec, "garbage\n")).toBe(`kafka-rest.service answered GET http://127.0.0.1:8082/topics with HTTP ?: (empty body) ${tail}`);
  });
});

describe("startAndWait: the command, its timeout and its failures", () => {
  it("waits readySeconds (60 by default) plus a minute for the command, through sudo", async () => {
    const host = new FakeHost(() => ({ stdout: "ready_after_ms=42\n" }));
    expect(await startAndWait(host, "op", spec, ["systemctl", "start", "kafka-rest.service"])).toBe("http://127.0.0.1:8082/topics listed u.pin, u.geo after 42 ms");
    expect(await startAndWait(host, "op", { ...spec, readySeconds: 5 }, [])).toBe("http://127.0.0.1:8082/topics listed u.pin, u.geo after 42 ms");
    expect(host.commands.map((c) => [c.argv, c.options])).toEqual([
      [shScript(START_AND_WAIT_SCRIPT, spec.readyUrl, "60", spec.unit, "2", "u.pin", "u.geo", "systemctl", "start", "kafka-rest.service"), { sudo: true, timeoutMs: 120_000 }],
      [shScript(START_AND_WAIT_SCRIPT, spec.readyUrl, "5", spec.unit, "2", "u.pin", "u.geo"), { sudo: true, timeoutMs: 65_000 }],
    ]);
  });

  it("a ready answer without its time still reports readiness", async () => {
    expect(await startAndWait(new FakeHost(() => ({ stdout: "" })), "op", spec, [])).toBe("http://127.0.0.1:8082/topics listed u.pin, u.geo after ? ms");
  });

  it("status 4 is the service's error answer; a sudo refusal is a SudoError; anything else a command failure with the unit's status", async () => {
    await expect(startAndWait(new FakeHost(() => ({ code: 4, stdout: 'http_status=500\n--body--\n{"message":"denied"}\n' })), "op", spec, [])).rejects.toThrow(/^\[fake\] op: kafka-rest\.service answered GET .* with HTTP 500: denied \(/);
    await expect(startAndWait(new FakeHost(() => ({ code: 1, stderr: "sudo: a password is required\n" })), "op", spec, [])).rejects.toBeInstanceOf(SudoError);
    const failure = await startAndWait(new FakeHost(() => ({ code: 1, stderr: "kafka-rest.service was not active\n● kafka-rest.service - failed\n" })), "op", spec, []).catch((err: Error) => err);
    expect(failure).toBeInstanceOf(RemoteCommandError);
    expect((failure as Error).message).toMatch(/^\[fake\] op: command exited 1: sudo -n env LC_ALL=C sh -c 'set -u \.\.\.' sh .*: kafka-rest\.service was not active \| ● kafka-rest\.service - failed$/);
  });
});

describe("handlers", () => {
  it("daemon-reload runs systemctl daemon-reload through sudo and notes nothing", async () => {
    const host = new FakeHost();
    expect(await daemonReloadHandler("daemon-reload").run(host, DEBIAN)).toEqual([]);
    expect(host.lines).toEqual(["sudo -n env LC_ALL=C systemctl daemon-reload"]);
  });

  it("the restart handler restarts and waits for readiness, returning the note", async () => {
    const host = new FakeHost(() => ({ stdout: "ready_after_ms=7\n" }));
    expect(await restartHandler("restart kafka-rest", spec).run(host, DEBIAN)).toEqual(["http://127.0.0.1:8082/topics listed u.pin, u.geo after 7 ms"]);
    expect(host.commands.map((c) => c.argv.slice(-3))).toEqual([["systemctl", "restart", "kafka-rest.service"]]);
  });

  it("a failing handler names itself in the error", async () => {
    await expect(daemonReloadHandler("daemon-reload").run(new FakeHost(() => ({ code: 1, stderr: "Failed to reload\n" })), DEBIAN)).rejects.toThrow(/^\[fake\] handler: daemon-reload: command exited 1: /);
    await expect(restartHandler("restart kafka-rest", spec).run(new FakeHost(() => ({ code: 4, stdout: "http_status=500\n--body--\n{}\n" })), DEBIAN)).rejects.toThrow(
      /^\[fake\] handler: restart kafka-rest: kafka-rest\.service answered GET /,
    );
  });

  it("a sudo refusal reports its first line only", async () => {
    const refusal = await startAndWait(new FakeHost(() => ({ code: 1, stderr: "sudo: a password is required\nsecond line\n" })), "op", spec, []).catch((err: Error) => err);
    expect(refusal).toBeInstanceOf(SudoError);
    expect((refusal as Error).message).toContain("sudo: a password is required");
    expect((refusal as Error).message).not.toContain("second line");
  });

  it("both refuse a host without systemd before sending anything", async () => {
    const host = new FakeHost();
    await expect(daemonReloadHandler("daemon-reload").run(host, NO_SYSTEMD)).rejects.toThrow("[fake] systemd is not running on this host, so units cannot be managed (provision a host booted with systemd)");
    await expect(restartHandler("restart kafka-rest", spec).run(host, NO_SYSTEMD)).rejects.toThrow("[fake] systemd is not running on this host, so kafka-rest.service cannot be managed (provision a host booted with systemd)");
    expect(host.commands).toHaveLength(0);
  });
});
