import { describe, expect, it } from "vitest";
import { checkPluginZip, pluginLayout } from "../../doctor/local/plugin-zip";
import { bufferAccess } from "../../doctor/local/zip";
import { buildZip, pluginZip } from "./support";

const PATH = "/home/me/pipeline/artifacts/confluentinc-kafka-connect-s3-10.6.0.zip";
const URL = "https://d1i4a15mxbxib1.cloudfront.net/api/plugins/confluentinc/kafka-connect-s3/versions/10.6.0/confluentinc-kafka-connect-s3-10.6.0.zip";
const SHA = "a".repeat(64);
const input = (archive: Buffer | undefined, extra: { expectedSha256?: string; version?: string } = {}) => ({
  path: PATH,
  version: extra.version ?? "10.6.0",
  downloadUrl: URL,
  archive: archive && bufferAccess(archive),
  sha256: SHA,
  ...(extra.expectedSha256 ? { expectedSha256: extra.expectedSha256 } : {}),
});

describe("local.plugin-zip", () => {
  it("fails on a missing file with the download command", () => {
    const result = checkPluginZip(input(undefined));
    expect(result).toMatchObject({ id: "local.plugin-zip", status: "fail", message: `${PATH} does not exist; plan and deploy need it` });
    expect(result.fix).toBe(`download it:  curl -fL --create-dirs -o ${PATH} ${URL}`);
  });

  it("fails on a 10-byte text file (an error page saved by curl without -f) and says to download again", () => {
    const result = checkPluginZip(input(Buffer.from("Not Found\n")));
    expect(result.status).toBe("fail");
    expect(result.message).toBe(`${PATH} is not a ZIP archive (10 bytes; 10 bytes is too small for a ZIP archive)`);
    expect(result.fix).toBe(`download it again (curl -f refuses error pages):  rm ${PATH} && curl -fL --create-dirs -o ${PATH} ${URL}`);
  });

  it("fails on a ZIP that is not a Confluent Hub plugin", () => {
    const result = checkPluginZip(input(buildZip([{ name: "kafka-connect-s3-10.6.0.jar", content: "jar" }])));
    expect(result.message).toBe(`${PATH} has no confluentinc-kafka-connect-s3-10.6.0/manifest.json (not a Confluent Hub plugin archive)`);
  });

  it("fails on another version's archive, naming what it found", () => {
    const result = checkPluginZip(input(pluginZip("10.5.0")));
    expect(result.status).toBe("fail");
    expect(result.message).toBe(`${PATH} has no confluentinc-kafka-connect-s3-10.6.0/manifest.json (found confluentinc-kafka-connect-s3-10.5.0/manifest.json: another connector or version)`);
  });

  it("fails when the manifest names another connector, or the connector jar is missing", () => {
    const otherName = checkPluginZip(input(pluginZip("10.6.0", { name: "kafka-connect-gcs", version: "10.6.0" })));
    expect(otherName.message).toBe(`${PATH} has a manifest for "kafka-connect-gcs" "10.6.0", expected "kafka-connect-s3" "10.6.0"`);
    const layout = pluginLayout("10.6.0");
    const noJar = checkPluginZip(input(buildZip([{ name: layout.manifest, content: JSON.stringify({ name: "kafka-connect-s3", version: "10.6.0" }) }])));
    expect(noJar.message).toBe(`${PATH} has no confluentinc-kafka-connect-s3-10.6.0/lib/kafka-connect-s3-10.6.0.jar`);
  });

  it("fails when the configured sha256 differs", () => {
    const result = checkPluginZip(input(pluginZip("10.6.0"), { expectedSha256: "b".repeat(64) }));
    expect(result.status).toBe("fail");
    expect(result.message).toBe(`${PATH} has sha256 ${SHA}, the config expects ${"b".repeat(64)}`);
  });

  it("passes the real layout and prints the sha256 when the config pins none", () => {
    expect(checkPluginZip(input(pluginZip("10.6.0")))).toMatchObject({ status: "ok", message: `${PATH} is kafka-connect-s3 10.6.0 (sha256 ${SHA})` });
    expect(checkPluginZip(input(pluginZip("10.6.0"), { expectedSha256: SHA })).message).toBe(`${PATH} is kafka-connect-s3 10.6.0 (matches the configured sha256)`);
  });
});
