/**
 * npm run plugin-zip -- [--config FILE] [--download]
 *
 * Prints where the config expects the Confluent S3 sink plugin zip and its Confluent Hub URL;
 * with --download, fetches it there (written to a temporary file first, renamed when complete).
 * The zip is needed by `terraform plan` and `cdktf deploy`, never committed.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { booleanFlag, parseFlags, stringFlag } from "../lib/cli-args";
import { CommandFailure, EXIT, runCli } from "../lib/cli-run";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../lib/config";
import { s3SinkPluginUrl } from "../constructs/s3-sink-connector";

const USAGE = `usage: npm run plugin-zip -- [--config FILE] [--download]
  --config FILE  the pipeline config (default: $PIPELINE_CONFIG or ${DEFAULT_CONFIG_FILE})
  --download     fetch the zip to the configured path (connector.pluginZipPath) unless it is there
  --help         this text
Without --download it prints the path the stack reads the zip from and the URL to fetch it from.
exit: 0 done, 1 the download failed, 2 bad flags or config`;

const FLAGS = { config: stringFlag(), download: booleanFlag(), help: booleanFlag({ short: "h" }) };

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), FLAGS);
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const config = loadConfig(flags.config ?? process.env.PIPELINE_CONFIG ?? DEFAULT_CONFIG_FILE);
  const path = config.connector.pluginZipPath;
  const url = s3SinkPluginUrl(config.software.s3SinkPluginVersion);
  process.stdout.write(`path: ${path}\nurl:  ${url}\n`);
  if (!flags.download) return EXIT.ok;
  if (existsSync(path)) {
    process.stdout.write("status: already present\n");
    return EXIT.ok;
  }
  await download(url, path);
  process.stdout.write("status: downloaded\n");
  return EXIT.ok;
}

async function download(url: string, path: string): Promise<void> {
  const manually = `download it by hand: curl -fL --create-dirs -o ${path} ${url}`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new CommandFailure(`download of ${url} failed: ${cause?.code ?? cause?.message ?? (err as Error).message} (check the network or a proxy, or ${manually})`);
  }
  if (!response.ok) throw new CommandFailure(`download of ${url} failed: HTTP ${response.status} (check software.s3SinkPluginVersion, or ${manually})`);
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  try {
    writeFileSync(partial, Buffer.from(await response.arrayBuffer()));
    renameSync(partial, path);
  } finally {
    rmSync(partial, { force: true });
  }
}

await runCli("plugin-zip", main);
