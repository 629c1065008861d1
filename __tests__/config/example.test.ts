import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { bucketName, deadLetterTopicName, loadConfig, topicNames } from "../../lib/config";
import { REPO_ROOT } from "../support/paths";
import { EXAMPLE_KEY, parse } from "./support";

const EXAMPLE_PATH = resolve(REPO_ROOT, "pipeline.example.yaml");

describe("pipeline.example.yaml", () => {
  // loaded inside each test, not once at collection: mutation testing then sees which tests check the loader
  const loadExample = () => loadConfig(EXAMPLE_PATH);

  it("is valid and resolves its key file to the key text", () => {
    const example = loadExample();
    expect(example.userId).toBe("0a1b2c3d4e5f");
    expect(example.clientHost.sshPublicKey).toBe(EXAMPLE_KEY);
    expect(bucketName(example)).toBe("user-0a1b2c3d4e5f-bucket");
    expect(topicNames(example)).toEqual(["0a1b2c3d4e5f.pin", "0a1b2c3d4e5f.geo", "0a1b2c3d4e5f.user"]);
    // the S3 sink's dead-letter topic: no dot, so no sink topic pattern <userId>.* matches it
    expect(deadLetterTopicName(example)).toBe("0a1b2c3d4e5f-dlq");
  });

  it("documents the defaults: with only its required settings (and its tags) the config is the same", () => {
    const example = loadExample();
    const raw = parseYaml(readFileSync(EXAMPLE_PATH, "utf8")) as {
      userId: string;
      region: string;
      availabilityZones: string[];
      clientHost: { sshAllowedCidrs: string[]; sshPublicKey: string };
      tags: Record<string, string>;
    };
    const requiredOnly = {
      userId: raw.userId,
      region: raw.region,
      availabilityZones: raw.availabilityZones,
      clientHost: { sshAllowedCidrs: raw.clientHost.sshAllowedCidrs, sshPublicKey: raw.clientHost.sshPublicKey },
      tags: raw.tags,
    };
    expect(parse(requiredOnly, REPO_ROOT)).toEqual(example);
  });

  it("documents the derived defaults of its commented-out settings", () => {
    const example = loadExample();
    expect(example.software.kafkaCliVersion).toBe("3.8.1");
    expect(example.msk.defaultReplicationFactor).toBeUndefined();
    expect(example.connector.pluginZipPath).toBe(resolve(REPO_ROOT, "artifacts/confluentinc-kafka-connect-s3-10.6.0.zip"));
    expect([example.artifacts.kafkaSha256, example.artifacts.confluentSha256, example.artifacts.mskIamAuthSha256]).toEqual([undefined, undefined, undefined]);
  });

  it("uses supported versions: MSK 3.8/3.9, Kafka Connect 3.7, Amazon Linux 2023", () => {
    const example = loadExample();
    expect(["3.8.x", "3.9.x"]).toContain(example.msk.kafkaVersion);
    expect(example.connector.kafkaConnectVersion).toBe("3.7.x");
    expect(example.clientHost.amiSsmParameter).toMatch(/al2023-ami/);
  });
});
