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
import type { StackOutputs } from "../../../lib/contract";
import { sampleOutputs } from "../../support/outputs";
import { USAGE, main, parseCommandLine } from "../../../provision/cli";
import { CLIENT_HOST_OUTPUTS } from "../../../provision/client-host";

const repo = resolve(__dirname, "../../..");
const dir = mkdtempSync(join(tmpdir(), "provision-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every output of lib/contract.ts, for the stack pipeline.example.yaml describes. */
const deployed: StackOutputs = sampleOutputs({ client_public_dns: "127.0.0.1", msk_bootstrap_brokers_sasl_iam: "b-1:9098" });
const outputs = { pipeline: deployed };
const outputsFile = join(dir, "outputs.json");
writeFileSync(outputsFile, JSON.stringify(outputs));
const identity = join(dir, "id_ed25519");
writeFileSync(identity, "not a key");

async function cliWith(env: { pipelineConfig?: string; askPassphrase?: (prompt: string) => Promise<string> }, ...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, { cwd: repo, home: dir, ...env, stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}
const cli = (...args: string[]) => cliWith({}, ...args);
const outputsWith = (name: string, changes: Partial<StackOutputs>) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ pipeline: { ...deployed, ...changes } }));
  return file;
};

const base = ["--config", "pipeline.example.yaml", "--outputs", outputsFile];

describe("provision flags", () => {
  it("defaults: outputs.json, port 22, .provision/known_hosts, every switch off, all tags", () => {
    expect(parseCommandLine([])).toEqual({
      outputs: "outputs.json",
      config: undefined,
      host: undefined,
      port: 22,
      user: undefined,
      identity: undefined,
      knownHosts: ".provision/known_hosts",
      acceptNewHostKey: false,
      check: false,
      diff: false,
      verbose: false,
      help: false,
      tags: undefined,
    });
  });

  it("each flag lands on its own option", () => {
    const args = ["--outputs", "o.json", "--config", "c.yaml", "--host", "h", "--port", "2222", "--user", "u", "--identity", "k", "--known-hosts", "kh"];
    const switches = ["--accept-new-host-key", "--check", "--diff", "--verbose", "-h"];
    expect(parseCommandLine([...args, ...switches])).toEqual({
      outputs: "o.json",
      config: "c.yaml",
      host: "h",
      port: 2222,
      user: "u",
      identity: "k",
      knownHosts: "kh",
      acceptNewHostKey: true,
      check: true,
      diff: true,
      verbose: true,
      help: true,
      tags: undefined,
    });
    for (const [flag, option] of [["--accept-new-host-key", "acceptNewHostKey"], ["--check", "check"], ["--diff", "diff"], ["--verbose", "verbose"], ["--help", "help"]] as const) {
      const options = parseCommandLine([flag]);
      expect(Object.entries(options).filter(([, value]) => value === true)).toEqual([[option, true]]);
    }
  });

  it("--tags and --only both select, comma-separated, spaces and empty items ignored", () => {
    expect(parseCommandLine(["--tags", " kafka , topics,", "--only", "rest-proxy"]).tags).toEqual(new Set(["kafka", "topics", "rest-proxy"]));
    expect(parseCommandLine(["--only", "packages"]).tags).toEqual(new Set(["packages"]));
    expect(parseCommandLine(["--tags", " , "]).tags).toBeUndefined();
  });
});

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
    [["--bogus"], /^provision: unknown flag --bogus$/],
    [["--port", "http"], /^provision: --port: got "http", expected an integer 1-65535 \(e\.g\. --port 22\)$/],
    [["--tags", "kafka,nginx"], /^provision: --tags: got "nginx", expected any of packages, kafka, topics, rest-proxy$/],
    [["--config", "pipeline.example.yaml", "--outputs", "nowhere.json"], /^provision: outputs file .*nowhere.json: not found \(run: npx cdktf deploy --outputs-file .*\)$/],
  ])("%j → exit 2 (bad usage or input) with one clear error", async (args, message) => {
    const { code, stderr, stdout } = await cli(...args);
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(message);
    expect(stderr[0]).not.toMatch(/\n\s+at /);
  });

  it("reports config problems in the config loader's format: one line per problem", async () => {
    const { code, stderr } = await cli("--config", "missing.yaml");
    expect(code).toBe(2);
    expect(stderr).toEqual([
      `provision: ${join(repo, "missing.yaml")}: 1 problem\n  config: got file not found, expected a readable YAML file (copy pipeline.example.yaml to pipeline.yaml and edit it, or pass --config <file>)`,
    ]);
  });

  it("refuses outputs of another user's stack", async () => {
    const other = join(dir, "other.json");
    writeFileSync(other, JSON.stringify({ pipeline: { ...outputs.pipeline, user_id: "ffffffffffff" } }));
    const { code, stderr } = await cli("--config", "pipeline.example.yaml", "--outputs", other);
    expect(code).toBe(2);
    expect(stderr).toEqual([`provision: outputs file ${other}: user_id is "ffffffffffff" but the config's userId is "0a1b2c3d4e5f" (pass the outputs of this config's stack, or fix userId)`]);
  });

  it("names a missing identity file and the flag to fix it", async () => {
    const { code, stderr } = await cli(...base, "--identity", "no-such-key");
    expect(code).toBe(2);
    expect(stderr).toEqual([`provision: identity file ${join(repo, "no-such-key")} not found (pass the private key of the stack's key pair with --identity <file>, or run ssh-agent)`]);
  });

  /** A port that was just free: nothing listens, so a connection is refused. */
  async function refusedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    return port;
  }

  it("names a directory given as --identity in one line", async () => {
    const { code, stderr } = await cli(...base, "--identity", dir);
    expect(code).toBe(2);
    expect(stderr).toEqual([`provision: --identity ${dir} is a directory, expected a private key file (e.g. --identity ~/.ssh/id_ed25519)`]);
  });

  describe("a passphrase-protected key", () => {
    const encrypted = join(dir, "id_encrypted");
    spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "open sesame", "-C", "test", "-f", encrypted]);

    it("without a terminal says to use ssh-agent, in one line", async () => {
      const { code, stderr } = await cli(...base, "--identity", encrypted);
      expect(code).toBe(1);
      expect(stderr).toEqual([
        `provision: identity ${encrypted} is passphrase-protected and there is no terminal to ask for it (load it into ssh-agent with ssh-add ${encrypted} and run with SSH_AUTH_SOCK set)`,
      ]);
    });

    it("on a terminal asks for the passphrase, refuses a wrong one, and connects with the right one", async () => {
      const prompts: string[] = [];
      const ask = (answer: string) => async (prompt: string) => (prompts.push(prompt), answer);
      const wrong = await cliWith({ askPassphrase: ask("guess") }, ...base, "--identity", encrypted);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toHaveLength(1);
      expect(wrong.stderr[0]).toMatch(new RegExp(`^provision: identity ${encrypted}: wrong passphrase \\(.*\\); try again, or load the key into ssh-agent with ssh-add$`));
      const port = await refusedPort();
      const right = await cliWith({ askPassphrase: ask("open sesame") }, ...base, "--identity", encrypted, "--port", String(port));
      // past the key: the connection attempt is what fails now
      expect(right.stderr).toEqual([`provision: cannot reach 127.0.0.1:${port}: ECONNREFUSED (check --host/--port, that the host is running and that the security group allows your address)`]);
      expect(prompts).toEqual([`Enter passphrase for ${encrypted}: `, `Enter passphrase for ${encrypted}: `]);
    });
  });

  it("reports an unreachable host in one line", async () => {
    const port = await refusedPort();
    const { code, stderr } = await cli(...base, "--identity", identity, "--port", String(port));
    expect(code).toBe(1);
    expect(stderr).toEqual([`provision: cannot reach 127.0.0.1:${port}: ECONNREFUSED (check --host/--port, that the host is running and that the security group allows your address)`]);
  });

  it("warns when the config has topics the deployed stack does not, and provisions the deployed ones only", async () => {
    const fewer = outputsWith("fewer.json", { topics: ["0a1b2c3d4e5f.pin"] });
    const { stderr } = await cli("--config", "pipeline.example.yaml", "--outputs", fewer, "--identity", join(dir, "absent"));
    expect(stderr[0]).toBe(
      "warning: topics 0a1b2c3d4e5f.geo, 0a1b2c3d4e5f.user are in the config but not in the stack outputs; provisioning the deployed topics only (run npx cdktf deploy to add them)",
    );
  });

  it("the deployed Kafka version wins over the config's, with one notice line on stderr", async () => {
    const moved = outputsWith("moved.json", { msk_kafka_version: "3.9.x", kafka_cli_version: "3.9.1" });
    const { code, stderr } = await cli("--config", "pipeline.example.yaml", "--outputs", moved, "--identity", join(dir, "absent"));
    expect(code).toBe(2); // the missing identity (bad input) stops the run after the notice
    expect(stderr).toHaveLength(2);
    expect(stderr[0]).toBe(
      `notice: the deployed cluster runs MSK 3.9.x with the Kafka CLI 3.9.1 (${moved}), but the config says msk.kafkaVersion 3.8.x and software.kafkaCliVersion 3.8.1; ` +
        "installing the deployed 3.9.1 (run npx cdktf deploy to move the cluster, or align the config)",
    );
    expect(stderr[1]).toMatch(/^provision: identity file .*absent not found/);
  });

  it("reports every missing output at once, naming each", async () => {
    const partial = join(dir, "partial.json");
    writeFileSync(partial, JSON.stringify({ pipeline: { client_public_dns: "127.0.0.1", ssh_user: "ec2-user", user_id: "0a1b2c3d4e5f", region: "us-east-1" } }));
    const { code, stderr, stdout } = await cli("--config", "pipeline.example.yaml", "--outputs", partial);
    const missing = CLIENT_HOST_OUTPUTS.filter((name) => !["client_public_dns", "ssh_user", "user_id", "region"].includes(name));
    expect(missing).toHaveLength(8);
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr).toHaveLength(1);
    const [head, ...problems] = stderr[0].split("\n");
    expect(head).toBe(`provision: outputs file ${partial}: 8 problems (re-run npx cdktf deploy --outputs-file ${partial})`);
    expect(problems.map((line) => line.trim().split(" ")[0])).toEqual(missing);
    expect(problems.every((line) => line.includes(" is missing, expected "))).toBe(true);
  });

  it("reads the config named by PIPELINE_CONFIG when --config is not given, and --config wins over it", async () => {
    const fromEnv = await cliWith({ pipelineConfig: "from-env.yaml" }, "--outputs", outputsFile);
    expect(fromEnv.stderr[0]).toMatch(new RegExp(`^provision: ${join(repo, "from-env.yaml")}: 1 problem\n  config: got file not found`));
    const fromFlag = await cliWith({ pipelineConfig: "from-env.yaml" }, "--config", "from-flag.yaml", "--outputs", outputsFile);
    expect(fromFlag.stderr[0]).toMatch(new RegExp(`^provision: ${join(repo, "from-flag.yaml")}: 1 problem`));
  });

  it("host.mjs runs under plain node", () => {
    const result = spawnSync(process.execPath, [join(repo, "provision/host.mjs"), "--help"], { encoding: "utf8", cwd: repo });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${USAGE}\n`);
    const bad = spawnSync(process.execPath, [join(repo, "provision/host.mjs"), "--check", "--outputs", join(dir, "nope.json"), "--config", "pipeline.example.yaml"], { encoding: "utf8", cwd: repo });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
  });
});
