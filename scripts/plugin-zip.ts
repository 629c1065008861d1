/**
 * npx tsx scripts/plugin-zip.ts [--config FILE] [--download]
 *
 * Prints where the config expects the Confluent S3 sink plugin zip and its Confluent Hub URL;
 * with --download, fetches it there (written to a temporary file first, renamed when complete).
 * The zip is needed by `terraform plan` and `cdktf deploy`, never committed.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from "../lib/config";
import { s3SinkPluginUrl } from "../constructs/s3-sink-connector";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: "string" }, download: { type: "boolean", default: false } }, strict: true });
  const config = loadConfig(values.config ?? process.env.PIPELINE_CONFIG ?? DEFAULT_CONFIG_FILE);
  const path = config.connector.pluginZipPath;
  const url = s3SinkPluginUrl(config.software.s3SinkPluginVersion);
  process.stdout.write(`${path}\n${url}\n`);
  if (!values.download) return;
  if (existsSync(path)) {
    process.stdout.write("already present\n");
    return;
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`download of ${url} failed: HTTP ${response.status} (check software.s3SinkPluginVersion, or download it by hand to ${path})`);
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  try {
    writeFileSync(partial, Buffer.from(await response.arrayBuffer()));
    renameSync(partial, path);
  } finally {
    rmSync(partial, { force: true });
  }
  process.stdout.write("downloaded\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`plugin-zip: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
  process.exit(1);
});
