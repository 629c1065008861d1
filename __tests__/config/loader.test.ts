import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../lib/config";
import { EXAMPLE_KEY, MINIMAL, parse, problemsOf, withSetting } from "./support";

const workdir = mkdtempSync(join(tmpdir(), "config-tests-"));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

const PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n";

/** Writes files under a fresh folder of the test's work dir and returns the folder. */
function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(workdir, "case-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(folder, name, ".."), { recursive: true });
    writeFileSync(join(folder, name), content);
  }
  return folder;
}

describe("config loader", () => {
  it("fails for a missing file, naming the way to create one", () => {
    const path = join(workdir, "absent.yaml");
    expect(() => loadConfig(path)).toThrow(ConfigError);
    expect(() => loadConfig(path)).toThrow(
      `${path}: 1 problem\n  config: got file not found, expected a readable YAML file (copy pipeline.example.yaml to pipeline.yaml and edit it, or pass --config <file>)`,
    );
  });

  it("fails for a path that is not a readable file with the system's reason, as a ConfigError with exit code 2", () => {
    const error = (() => {
      try {
        loadConfig(workdir);
      } catch (err) {
        return err as ConfigError;
      }
      throw new Error("expected a ConfigError");
    })();
    expect([error.name, error.exitCode, error.problems]).toEqual([
      "ConfigError",
      2,
      ["config: got EISDIR: illegal operation on a directory, read, expected a readable YAML file (copy pipeline.example.yaml to pipeline.yaml and edit it, or pass --config <file>)"],
    ]);
  });

  it("resolves a plugin zip path under ~/ from the home directory", () => {
    expect(parse(withSetting("connector.pluginZipPath", "~/plugins/s3.zip")).connector.pluginZipPath).toBe(join(homedir(), "plugins/s3.zip"));
  });

  it("fails for invalid YAML with the line of the error", () => {
    expect(problemsOf("userId: abc\nregion: [us-east-1\nclientHost: {}\n")).toEqual([
      "yaml: got Flow sequence in block collection must be sufficiently indented and end with a ], expected valid YAML (fix the syntax at line 3)",
    ]);
  });

  it("fails for a key given twice, at the second occurrence", () => {
    expect(problemsOf(`${stringify(MINIMAL)}region: us-west-2\n`)).toEqual([
      `yaml: got Map keys must be unique, expected valid YAML (fix the syntax at line ${stringify(MINIMAL).split("\n").length})`,
    ]);
  });

  it("fails with a summary line and every problem indented below it", () => {
    const folder = folderWith({ "pipeline.yaml": stringify({ ...MINIMAL, userId: "X", region: "Europe" }) });
    expect(() => loadConfig(join(folder, "pipeline.yaml"))).toThrow(
      `${join(folder, "pipeline.yaml")}: 2 problems\n` +
        '  userId: got "X", expected a lowercase id of 3-32 letters, digits or hyphens, not starting or ending with a hyphen (it prefixes every resource name and the S3 bucket name user-<userId>-bucket)\n' +
        '  region: got "Europe", expected an AWS region like us-east-1 (use the region code, not its display name)',
    );
  });

  describe("clientHost.sshPublicKey", () => {
    it("fails for private key text, without echoing it", () => {
      const problems = problemsOf(withSetting("clientHost.sshPublicKey", PRIVATE_KEY));
      expect(problems).toEqual([
        "clientHost.sshPublicKey: got a private key, expected an OpenSSH public key or the path of a .pub file (never put a private key in the config; use the .pub file)",
      ]);
    });

    it("fails for a key file that does not exist", () => {
      expect(problemsOf(withSetting("clientHost.sshPublicKey", "keys/missing.pub"), workdir)).toEqual([
        'clientHost.sshPublicKey: got "keys/missing.pub", expected an OpenSSH public key or a readable .pub file (create one with ssh-keygen -t ed25519, or paste the key text)',
      ]);
    });

    it("fails for a path to the private key instead of the .pub file", () => {
      const folder = folderWith({ "keys/operator": PRIVATE_KEY });
      expect(problemsOf(withSetting("clientHost.sshPublicKey", "keys/operator"), folder)).toEqual([
        'clientHost.sshPublicKey: got file "keys/operator" without a public key, expected one line like "ssh-ed25519 AAAA... comment" (point it at the .pub file, not the private key)',
      ]);
    });

    it("fails for text that is neither a key nor a readable file", () => {
      expect(problemsOf(withSetting("clientHost.sshPublicKey", "ssh-ed25519"), workdir)).toEqual([
        'clientHost.sshPublicKey: got "ssh-ed25519", expected an OpenSSH public key or a readable .pub file (create one with ssh-keygen -t ed25519, or paste the key text)',
      ]);
    });

    it("passes key text through as it is, trimmed", () => {
      const text = stringify(withSetting("clientHost.sshPublicKey", "KEY")).replace("sshPublicKey: KEY", `sshPublicKey: ${JSON.stringify(`  ${EXAMPLE_KEY}\n`)}`);
      expect(parse(text).clientHost.sshPublicKey).toBe(EXAMPLE_KEY);
    });

    it("reads a key file relative to the config file's folder, not the working directory", () => {
      const folder = folderWith({ "keys/operator.pub": `${EXAMPLE_KEY}\n`, "pipeline.yaml": stringify(withSetting("clientHost.sshPublicKey", "keys/operator.pub")) });
      expect(loadConfig(join(folder, "pipeline.yaml")).clientHost.sshPublicKey).toBe(EXAMPLE_KEY);
    });

    it("reads a key file by absolute path", () => {
      const folder = folderWith({ "id_ed25519.pub": `${EXAMPLE_KEY}\n` });
      expect(parse(withSetting("clientHost.sshPublicKey", join(folder, "id_ed25519.pub")), workdir).clientHost.sshPublicKey).toBe(EXAMPLE_KEY);
    });
  });

  describe("connector.pluginZipPath", () => {
    it("resolves a relative path from the config file's folder", () => {
      const folder = folderWith({ "pipeline.yaml": stringify(withSetting("connector.pluginZipPath", "plugins/s3-sink.zip")) });
      expect(loadConfig(join(folder, "pipeline.yaml")).connector.pluginZipPath).toBe(join(folder, "plugins/s3-sink.zip"));
    });

    it("keeps an absolute path", () => {
      expect(parse(withSetting("connector.pluginZipPath", "/opt/artifacts/s3-sink.zip"), workdir).connector.pluginZipPath).toBe("/opt/artifacts/s3-sink.zip");
    });

    it("defaults to the versioned zip under artifacts/ beside the config file, which need not exist", () => {
      const folder = folderWith({ "pipeline.yaml": stringify(withSetting("software.s3SinkPluginVersion", "10.5.17")) });
      expect(loadConfig(join(folder, "pipeline.yaml")).connector.pluginZipPath).toBe(join(folder, "artifacts/confluentinc-kafka-connect-s3-10.5.17.zip"));
    });
  });
});
