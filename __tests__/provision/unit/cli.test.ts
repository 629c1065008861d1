/**
 * The CLI's input handling: every bad input is one line on stderr with exit 1, no stack trace.
 * (Runs against real files and, for the unreachable-host case, a real refused TCP connection.)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { USAGE, main } from "../../../provision/cli";

const repo = resolve(__dirname, "../../..");
const dir = mkdtempSync(join(tmpdir(), "provision-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outputs = {
  pipeline: {
    client_public_dns: "127.0.0.1",
    ssh_user: "ec2-user",
    msk_bootstrap_brokers_sasl_iam: "b-1:9098",
    access_role_arn: "arn:aws:iam::123456789012:role/x",
    topics: ["0a1b2c3d4e5f.pin", "0a1b2c3d4e5f.geo", "0a1b2c3d4e5f.user"],
    user_id: "0a1b2c3d4e5f",
  },
};
const outputsFile = join(dir, "outputs.json");
writeFileSync(outputsFile, JSON.stringify(outputs));
const identity = join(dir, "id_ed25519");
writeFileSync(identity, "not a key");

async function cli(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { cwd: repo, home: dir, stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

const base = ["--config", "pipeline.example.yaml", "--outputs", outputsFile];

describe("provision CLI", () => {
  it("--help prints the usage and exits 0", async () => {
    const { code, stdout } = await cli("--help");
    expect(code).toBe(0);
    expect(stdout).toEqual([USAGE]);
    for (const flag of ["--outputs", "--config", "--host", "--port", "--user", "--identity", "--known-hosts", "--accept-new-host-key", "--check", "--diff", "--tags", "--only", "--verbose"]) {
      expect(USAGE).toContain(flag);
    }
  });

  it.each([
    [["--bogus"], /^error: Unknown option '--bogus' \(see --help\)$/],
    [["--port", "http"], /^error: --port: got "http", expected a TCP port 1-65535$/],
    [["--tags", "kafka,nginx"], /^error: --tags: got "nginx", expected any of packages, kafka, topics, rest-proxy$/],
    [["--config", "pipeline.example.yaml", "--outputs", "nowhere.json"], /^error: outputs file .*nowhere.json: not found \(run: npx cdktf deploy --outputs-file .*\)$/],
  ])("%j → exit 1 with one clear error", async (args, message) => {
    const { code, stderr, stdout } = await cli(...args);
    expect(code).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(message);
    expect(stderr[0]).not.toMatch(/\n\s+at /);
  });

  it("reports config problems in the config loader's format: one line per problem", async () => {
    const { code, stderr } = await cli("--config", "missing.yaml");
    expect(code).toBe(1);
    expect(stderr).toEqual([
      `error: ${join(repo, "missing.yaml")}: 1 problem\n  config: got file not found, expected a readable YAML file (copy pipeline.example.yaml to pipeline.yaml and edit it, or pass --config <file>)`,
    ]);
  });

  it("refuses outputs of another user's stack", async () => {
    const other = join(dir, "other.json");
    writeFileSync(other, JSON.stringify({ pipeline: { ...outputs.pipeline, user_id: "ffffffffffff" } }));
    const { code, stderr } = await cli("--config", "pipeline.example.yaml", "--outputs", other);
    expect(code).toBe(1);
    expect(stderr).toEqual([`error: outputs file ${other}: user_id is "ffffffffffff" but the config's userId is "0a1b2c3d4e5f" (pass the outputs of this config's stack, or fix userId)`]);
  });

  it("names a missing identity file and the flag to fix it", async () => {
    const { code, stderr } = await cli(...base, "--identity", "no-such-key");
    expect(code).toBe(1);
    expect(stderr).toEqual([`error: identity file ${join(repo, "no-such-key")} not found (pass the private key of the stack's key pair with --identity <file>, or run ssh-agent)`]);
  });

  it("reports an unreachable host in one line", async () => {
    // a port that was just free: nothing listens, so the connection is refused
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    const { code, stderr } = await cli(...base, "--identity", identity, "--port", String(port));
    expect(code).toBe(1);
    expect(stderr).toEqual([`error: cannot reach 127.0.0.1:${port}: ECONNREFUSED (check --host/--port, that the host is running and that the security group allows your address)`]);
  });

  it("warns when the config has topics the deployed stack does not", async () => {
    const fewer = join(dir, "fewer.json");
    writeFileSync(fewer, JSON.stringify({ pipeline: { ...outputs.pipeline, topics: ["0a1b2c3d4e5f.pin"] } }));
    const { stderr } = await cli("--config", "pipeline.example.yaml", "--outputs", fewer, "--identity", join(dir, "absent"));
    expect(stderr[0]).toBe("warning: topics 0a1b2c3d4e5f.geo, 0a1b2c3d4e5f.user are in the config but not in the stack outputs; run npx cdktf deploy so the access role may use them");
  });

  it("host.mjs runs under plain node", () => {
    const result = spawnSync(process.execPath, [join(repo, "provision/host.mjs"), "--help"], { encoding: "utf8", cwd: repo });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${USAGE}\n`);
    const bad = spawnSync(process.execPath, [join(repo, "provision/host.mjs"), "--check", "--outputs", join(dir, "nope.json"), "--config", "pipeline.example.yaml"], { encoding: "utf8", cwd: repo });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});
