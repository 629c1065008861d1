/**
 * The S3 sink plugin zip that MSK Connect loads. A wrong file (an HTML error page saved by curl
 * without -f, a truncated download, another connector's zip) plans and deploys: the custom plugin
 * is created from it, and the connector fails 20-40 minutes into the deploy.
 */
import { type CheckInfo, type CheckResult, fail, ok } from "../check";
import { type RandomAccess, ZipFormatError, readCentralDirectory, readEntry } from "./zip";

export const PLUGIN_ZIP: CheckInfo = { id: "local.plugin-zip", title: "S3 sink connector plugin archive" };

export interface PluginZipInput {
  readonly path: string;
  /** software.s3SinkPluginVersion. */
  readonly version: string;
  /** Confluent Hub's URL of that version, for the fix. */
  readonly downloadUrl: string;
  /** The archive, or undefined when the file does not exist. */
  readonly archive: RandomAccess | undefined;
  /** The file's sha256, hex. */
  readonly sha256: string;
  /** The digest the config pins, when it pins one. */
  readonly expectedSha256?: string;
}

/** Confluent Hub's layout: everything under `<owner>-<name>-<version>/`, the manifest at its top, the jars in lib/. */
export function pluginLayout(version: string): { readonly manifest: string; readonly connectorJar: string } {
  const root = `confluentinc-kafka-connect-s3-${version}`;
  return { manifest: `${root}/manifest.json`, connectorJar: `${root}/lib/kafka-connect-s3-${version}.jar` };
}

/** Why the archive is not the configured plugin release, or undefined when it is. */
function archiveProblem(archive: RandomAccess, version: string): string | undefined {
  const layout = pluginLayout(version);
  let entries;
  try {
    entries = readCentralDirectory(archive);
  } catch (err) {
    if (err instanceof ZipFormatError) return `is not a ZIP archive (${archive.size} bytes; ${err.message})`;
    throw err;
  }
  const manifestEntry = entries.find((entry) => entry.name === layout.manifest);
  if (!manifestEntry) {
    const found = entries.find((entry) => entry.name.endsWith("/manifest.json"))?.name;
    return `has no ${layout.manifest}${found ? ` (found ${found}: another connector or version)` : " (not a Confluent Hub plugin archive)"}`;
  }
  let manifest: { name?: unknown; version?: unknown };
  try {
    manifest = JSON.parse(readEntry(archive, manifestEntry).toString("utf8")) as typeof manifest;
  } catch (err) {
    return `has an unreadable ${layout.manifest} (${(err as Error).message})`;
  }
  if (manifest.name !== "kafka-connect-s3" || manifest.version !== version) {
    return `has a manifest for ${JSON.stringify(manifest.name)} ${JSON.stringify(manifest.version)}, expected "kafka-connect-s3" "${version}"`;
  }
  if (!entries.some((entry) => entry.name === layout.connectorJar)) return `has no ${layout.connectorJar}`;
  return undefined;
}

export function checkPluginZip(input: PluginZipInput): CheckResult {
  const download = `curl -fL --create-dirs -o ${input.path} ${input.downloadUrl}`;
  if (!input.archive) {
    return fail(PLUGIN_ZIP, `${input.path} does not exist; plan and deploy need it`, `download it:  ${download}`);
  }
  const problem = archiveProblem(input.archive, input.version);
  if (problem) {
    return fail(PLUGIN_ZIP, `${input.path} ${problem}`, `download it again (curl -f refuses error pages):  rm ${input.path} && ${download}`);
  }
  if (input.expectedSha256 !== undefined && input.expectedSha256 !== input.sha256) {
    return fail(PLUGIN_ZIP, `${input.path} has sha256 ${input.sha256}, the config expects ${input.expectedSha256}`, `download it again, or correct the configured sha256:  rm ${input.path} && ${download}`);
  }
  const pinned = input.expectedSha256 !== undefined ? "matches the configured sha256" : `sha256 ${input.sha256}`;
  return ok(PLUGIN_ZIP, `${input.path} is kafka-connect-s3 ${input.version} (${pinned})`);
}
