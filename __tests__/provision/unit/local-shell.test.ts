/**
 * The operations' shell scripts run for real (LocalHost: the rendered command line through a
 * real sh on this machine) inside a temp directory: atomic writes, validation, mode/owner drift,
 * downloads from a loopback HTTP server with checksum verification, and the fact probes.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApplyContext } from "../../../provision/engine";
import { OS_FACTS_SCRIPT } from "../../../provision/facts";
import { archiveOperation, LINK_SCRIPT, remoteFileOperation } from "../../../provision/ops/download";
import { fileOperation } from "../../../provision/ops/file";
import { MISSING_PACKAGES_SCRIPT } from "../../../provision/ops/packages";
import { START_AND_WAIT_SCRIPT } from "../../../provision/ops/service";
import { parseKeyValues, shScript } from "../../../provision/remote";
import { DEBIAN, LocalHost } from "./fake-host";

const root = mkdtempSync(join(tmpdir(), "provision-local-"));
const user = userInfo().username;
const group = execFileSync("id", ["-gn"], { encoding: "utf8" }).trim();
const context: ApplyContext = { os: DEBIAN };
const gatherContext = { os: DEBIAN, diff: true };

/** Runs gather → plan → apply once and returns the change kinds. */
async function converge(op: { gather: Function; plan: Function; apply: Function }, host = new LocalHost()): Promise<string[]> {
  const changes = op.plan(await op.gather(host, gatherContext)) as { kind?: string; summary: string }[];
  if (changes.length > 0) await op.apply(host, changes, context);
  return changes.map((c) => c.kind ?? c.summary);
}

const leftovers = (dir: string) => readdirSync(dir).filter((name) => name.includes("provision"));

let server: Server;
let baseUrl = "";
const served = new Map<string, Buffer>();

function tarball(top: string, files: Record<string, string>): Buffer {
  const src = mkdtempSync(join(root, "src-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(src, top, path, ".."), { recursive: true });
    writeFileSync(join(src, top, path), content, { mode: 0o755 });
  }
  const archive = join(src, "a.tgz");
  execFileSync("tar", ["-czf", archive, "-C", src, top]);
  return readFileSync(archive);
}

const AUTH_ERROR = { error_code: 50002, message: "org.apache.kafka.common.errors.SaslAuthenticationException: Access denied" };
const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");

beforeAll(async () => {
  server = createServer((req, res) => {
    // a REST proxy that cannot authenticate to the cluster answers its request with a JSON error
    if (req.url === "/denied/topics") return void res.writeHead(500, { "Content-Type": "application/json" }).end(JSON.stringify(AUTH_ERROR));
    const body = served.get(req.url ?? "");
    res.writeHead(body ? 200 : 404).end(body ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  served.set("/kafka/3.8.1/kafka_2.13-3.8.1.tgz", tarball("kafka_2.13-3.8.1", { "bin/kafka-topics.sh": "#!/bin/sh\necho 3.8.1\n" }));
  served.set("/kafka/3.9.1/kafka_2.13-3.9.1.tgz", tarball("kafka_2.13-3.9.1", { "bin/kafka-topics.sh": "#!/bin/sh\necho 3.9.1\n" }));
  served.set("/wrong-top.tgz", tarball("something-else", { "x": "x" }));
  served.set("/v2.3.6/aws-msk-iam-auth-2.3.6-all.jar", Buffer.from("PK fake jar"));
  served.set("/topics", Buffer.from(JSON.stringify(["__consumer_offsets", "u.geo", "u.pin"])));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

describe("file operation on a real shell", () => {
  it("creates, is then ok, fixes mode drift without rewriting, and replaces by rename (never truncating)", async () => {
    const path = join(root, "etc", "app", "client.properties");
    const spec = { path, content: "a=1\n", owner: user, group };
    expect(await converge(fileOperation("f", [], spec))).toEqual(["write"]);
    expect(readFileSync(path, "utf8")).toBe("a=1\n");
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(await converge(fileOperation("f", [], spec))).toEqual([]);

    execFileSync("chmod", ["0600", path]);
    const inode = statSync(path).ino;
    expect(await converge(fileOperation("f", [], spec))).toEqual(["mode"]);
    expect(statSync(path).ino).toBe(inode);
    expect(statSync(path).mode & 0o777).toBe(0o644);

    // a reader that opened the old file keeps reading the old content: the new one arrived by rename
    const fd = openSync(path, "r");
    expect(await converge(fileOperation("f", [], { ...spec, content: "a=2\n" }))).toEqual(["write"]);
    const buffer = Buffer.alloc(16);
    expect(buffer.subarray(0, readSync(fd, buffer)).toString()).toBe("a=1\n");
    expect(readFileSync(path, "utf8")).toBe("a=2\n");
    expect(leftovers(join(root, "etc", "app"))).toEqual([]);
  });

  it("a failing validate command leaves the live file untouched and no temp file behind", async () => {
    const path = join(root, "etc", "validated.conf");
    const spec = { path, content: "good\n", owner: user, group, validate: ["grep", "-q", "good", "%s"] };
    expect(await converge(fileOperation("v", [], spec))).toEqual(["write"]);
    await expect(converge(fileOperation("v", [], { ...spec, content: "bad\n" }))).rejects.toThrow(/command exited 3: .*validation failed: grep -q good .*\.provision-\w+-validated\.conf/);
    expect(readFileSync(path, "utf8")).toBe("good\n");
    expect(leftovers(join(root, "etc"))).toEqual([]);
  });

  it("passes the temp file to the validator under a name ending with the target's name", async () => {
    const path = join(root, "etc", "name-check.service");
    const spec = { path, content: "x\n", owner: user, group, validate: ["sh", "-c", 'case "$1" in */.provision-*-name-check.service) exit 0;; esac; exit 1', "sh", "%s"] };
    expect(await converge(fileOperation("n", [], spec))).toEqual(["write"]);
  });

  it("gathers the current content in diff mode for the unified diff", async () => {
    const path = join(root, "etc", "diffed.properties");
    writeFileSync(path, "bootstrap.servers=old:9098\n");
    const op = fileOperation("d", [], { path, content: "bootstrap.servers=new:9098\n", owner: user, group });
    const facts = await op.gather(new LocalHost(), gatherContext);
    expect(op.diff!(facts, op.plan(facts))).toContain("-bootstrap.servers=old:9098\n+bootstrap.servers=new:9098");
  });
});

describe("archive download on a real shell", () => {
  const spec = (version: string, sha256?: string) => ({
    url: `${baseUrl}/kafka/${version}/kafka_2.13-${version}.tgz`,
    ...(sha256 ? { sha256 } : {}),
    versionedDir: join(root, "opt", `kafka_2.13-${version}`),
    topDir: `kafka_2.13-${version}`,
    link: join(root, "opt", "kafka"),
  });

  it("installs into the versioned dir, links it, skips next time, and flips the link for a new version", async () => {
    const v1 = spec("3.8.1", sha(served.get("/kafka/3.8.1/kafka_2.13-3.8.1.tgz")!));
    expect(await converge(archiveOperation("kafka cli", [], v1))).toEqual(["install", "link"]);
    expect(readlinkSync(v1.link)).toBe(v1.versionedDir);
    expect(execFileSync(join(v1.link, "bin/kafka-topics.sh"), { encoding: "utf8" })).toBe("3.8.1\n");
    expect(await converge(archiveOperation("kafka cli", [], v1))).toEqual([]);

    const v2 = spec("3.9.1");
    expect(await converge(archiveOperation("kafka cli", [], v2))).toEqual(["install", "link"]);
    expect(execFileSync(join(v2.link, "bin/kafka-topics.sh"), { encoding: "utf8" })).toBe("3.9.1\n");
    expect(existsSync(v1.versionedDir)).toBe(true);
    // back to the old version: only the link flips
    expect(await converge(archiveOperation("kafka cli", [], v1))).toEqual(["link"]);
    expect(readlinkSync(v1.link)).toBe(v1.versionedDir);
    expect(leftovers(join(root, "opt"))).toEqual([]);
  });

  it("a checksum mismatch aborts and installs nothing", async () => {
    const bad = { ...spec("3.9.1", "0".repeat(64)), versionedDir: join(root, "opt2", "kafka_2.13-3.9.1"), link: join(root, "opt2", "kafka") };
    await expect(converge(archiveOperation("kafka cli", [], bad))).rejects.toThrow(/checksum mismatch for .*kafka_2.13-3.9.1.tgz: expected sha256 0{64}, got [0-9a-f]{64}; nothing was installed/);
    expect(readdirSync(join(root, "opt2"))).toEqual([]);
  });

  it("an archive without the expected top directory installs nothing", async () => {
    const wrong = { ...spec("3.8.1"), url: `${baseUrl}/wrong-top.tgz`, versionedDir: join(root, "opt3", "kafka_2.13-3.8.1"), link: join(root, "opt3", "kafka") };
    await expect(converge(archiveOperation("kafka cli", [], wrong))).rejects.toThrow(/does not unpack to a kafka_2.13-3.8.1\/ directory/);
    expect(readdirSync(join(root, "opt3"))).toEqual([]);
  });

  it("a 404 fails with curl's message and installs nothing", async () => {
    const missing = { ...spec("9.9.9"), versionedDir: join(root, "opt4", "kafka_2.13-9.9.9"), link: join(root, "opt4", "kafka") };
    const error = await converge(archiveOperation("kafka cli", [], missing)).catch((err: Error) => err);
    expect((error as Error).message).toMatch(/^\[local\] kafka cli: command exited 22: sudo -n env LC_ALL=C sh -c 'set -eu \.\.\.' sh http:\/\/127\.0\.0\.1:\d+\/kafka\/9\.9\.9\/kafka_2\.13-9\.9\.9\.tgz .*: curl: \(22\) .*404/);
    expect((error as Error).message).not.toContain("\n");
    expect(readdirSync(join(root, "opt4"))).toEqual([]);
  });

  it("refuses to replace a real directory with the symlink", async () => {
    const dir = join(root, "opt5");
    mkdirSync(join(dir, "kafka"), { recursive: true });
    const s = { ...spec("3.8.1"), versionedDir: join(dir, "kafka_2.13-3.8.1"), link: join(dir, "kafka") };
    await expect(converge(archiveOperation("kafka cli", [], s))).rejects.toThrow(/kafka exists and is not a symlink \(move it away, then re-run\)/);
    expect(lstatSync(join(dir, "kafka")).isDirectory()).toBe(true);
  });

  it("flips the link atomically: the live link is only ever replaced by a rename (mv -T), never rewritten in place", () => {
    const dir = join(root, "opt-flip");
    mkdirSync(join(dir, "v1"), { recursive: true });
    mkdirSync(join(dir, "v2"));
    const link = join(dir, "kafka");
    // ln and mv shims on PATH log each call, then run the real command
    const shims = join(dir, "shims");
    const log = join(dir, "calls.log");
    mkdirSync(shims);
    for (const tool of ["ln", "mv"]) writeFileSync(join(shims, tool), `#!/bin/sh\necho "${tool} $*" >> '${log}'\nexec /usr/bin/env -u PATH PATH=/usr/bin:/bin ${tool} "$@"\n`, { mode: 0o755 });
    const env = { ...process.env, PATH: `${shims}:/usr/bin:/bin` };
    for (const target of ["v1", "v2"]) execFileSync("sh", ["-c", LINK_SCRIPT, "sh", join(dir, target), link], { env });
    expect(readlinkSync(link)).toBe(join(dir, "v2"));
    const calls = readFileSync(log, "utf8").trim().split("\n");
    expect(calls).toHaveLength(4);
    for (const [i, target] of ["v1", "v2"].entries()) {
      const tmp = calls[2 * i]?.match(/^ln -sfn (\S+) (\S+)$/);
      expect(tmp?.[1]).toBe(join(dir, target));
      expect(tmp?.[2]).not.toBe(link);
      expect(tmp?.[2]?.startsWith(`${link}.provision-`)).toBe(true);
      expect(calls[2 * i + 1]).toBe(`mv -T ${tmp?.[2]} ${link}`);
    }
    expect(leftovers(dir)).toEqual([]);
  });

  it("downloads a single file, verifies it, and re-downloads when its checksum drifts", async () => {
    const jar = served.get("/v2.3.6/aws-msk-iam-auth-2.3.6-all.jar")!;
    const s = { url: `${baseUrl}/v2.3.6/aws-msk-iam-auth-2.3.6-all.jar`, sha256: sha(jar), path: join(root, "opt", "aws-msk-iam-auth", "aws-msk-iam-auth-2.3.6-all.jar") };
    expect(await converge(remoteFileOperation("jar", [], s))).toEqual(["download"]);
    expect(readFileSync(s.path)).toEqual(jar);
    expect(statSync(s.path).mode & 0o777).toBe(0o644);
    expect(await converge(remoteFileOperation("jar", [], s))).toEqual([]);
    writeFileSync(s.path, "tampered");
    expect(await converge(remoteFileOperation("jar", [], s))).toEqual(["download"]);
    expect(readFileSync(s.path)).toEqual(jar);
    await expect(converge(remoteFileOperation("jar", [], { ...s, path: join(root, "opt6", "j.jar"), sha256: "1".repeat(64) }))).rejects.toThrow(/checksum mismatch/);
    expect(readdirSync(join(root, "opt6"))).toEqual([]);
  });
});

describe("fact probes on a real shell", () => {
  it("the OS probe reads this Debian machine and the pending-handlers file", async () => {
    const pending = join(root, "pending-handlers");
    writeFileSync(pending, "daemon-reload\nrestart kafka-rest\n");
    const { stdout } = await new LocalHost().exec(shScript(OS_FACTS_SCRIPT, pending));
    const values = parseKeyValues(stdout);
    expect(values.get("id")).toBe("debian");
    expect(values.get("pm")).toBe("apt");
    expect(values.get("arch")).toBe(execFileSync("uname", ["-m"], { encoding: "utf8" }).trim());
    expect(values.has("sudo")).toBe(true);
    expect(stdout).toContain("pending=daemon-reload\npending=restart kafka-rest\n");
  });

  it("the apt probe reports exactly the packages that are not installed", async () => {
    const { stdout, code } = await new LocalHost().exec(shScript(MISSING_PACKAGES_SCRIPT.apt, "tar", "gzip", "no-such-package-xyz"));
    expect(code).toBe(0);
    expect(stdout).toBe("missing=no-such-package-xyz\n");
  });
});

describe("start-and-wait on a real shell", () => {
  // a stand-in systemctl on PATH whose is-active answer each test sets; the URL is the real loopback server
  const stubDir = join(root, "systemctl-stub");
  const setActive = (code: number) => writeFileSync(join(stubDir, "is-active-code"), String(code));
  const startAndWait = (path: string, seconds: string, ...names: string[]) =>
    new LocalHost().exec(shScript(START_AND_WAIT_SCRIPT, `${baseUrl}${path}`, seconds, "kafka-rest.service", String(names.length), ...names), {
      env: { PATH: `${stubDir}:${process.env.PATH}` },
    });

  beforeAll(() => {
    mkdirSync(stubDir, { recursive: true });
    writeFileSync(join(stubDir, "systemctl"), `#!/bin/sh
[ "$1" = is-active ] && exit "$(cat ${JSON.stringify(join(stubDir, "is-active-code"))})"
exit 0
`, { mode: 0o755 });
  });

  it("fails when something answers on the port but the unit is not active (a foreign listener does not count)", async () => {
    setActive(3);
    const result = await startAndWait("/topics", "1", "u.pin");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`kafka-rest.service was not active and listing u.pin on ${baseUrl}/topics within 1 s:`);
  });

  it("reports readiness once the unit is active and the URL lists every name", async () => {
    setActive(0);
    const result = await startAndWait("/topics", "2", "u.pin", "u.geo");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ready_after_ms=\d+\n$/);
  });

  it("keeps waiting, then fails naming what is missing, when the listing lacks a name", async () => {
    setActive(0);
    const result = await startAndWait("/topics", "1", "u.pin", "u.user");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`kafka-rest.service was not active and listing u.user on ${baseUrl}/topics within 1 s:`);
  });

  it("stops at once on an error answer and hands back its status and body (status 4)", async () => {
    setActive(0);
    const started = Date.now();
    const result = await startAndWait("/denied/topics", "30", "u.pin");
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe(`http_status=500\n--body--\n${JSON.stringify(AUTH_ERROR)}`);
  });
});
