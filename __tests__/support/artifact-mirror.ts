/**
 * A local artifact mirror for the provisioning tests: builds the stand-in Kafka and Confluent
 * tarballs and the aws-msk-iam-auth jar (see stand-ins/) at test time and serves them over HTTP, in
 * the URL layouts of the real download sites, so the play downloads, verifies and unpacks exactly
 * as it would from archive.apache.org, packages.confluent.io and GitHub releases.
 *
 * It listens on the machine's side of a test host's veth (TestHost.gateway), the one address of
 * this machine that curl inside the host's network namespace reaches.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KAFKA_SCALA_VERSION } from "../../lib/contract";
import { guardChildStreams } from "./child-streams";

const STAND_INS = join(dirname(fileURLToPath(import.meta.url)), "stand-ins");

/** The versions to publish; one of each, as the config names one of each. */
export interface ArtifactVersions {
  readonly kafka: string;
  readonly confluent: string;
  readonly mskIamAuth: string;
}

/** Values for the config's `artifacts` section, pointing at this mirror. */
export interface ArtifactSettings {
  readonly kafkaBaseUrl: string;
  readonly confluentBaseUrl: string;
  readonly mskIamAuthBaseUrl: string;
  readonly kafkaSha256: string;
  readonly confluentSha256: string;
  readonly mskIamAuthSha256: string;
}

export type ArtifactKind = keyof ArtifactVersions;

export interface ArtifactMirror {
  /** `http://<bind address>:<port>` */
  readonly url: string;
  /** Builds (once per version) and serves the three artifacts; returns the config values with their sha256s. */
  publish(versions: ArtifactVersions): Promise<ArtifactSettings>;
  /**
   * From now on serve different bytes for this artifact than the ones {@link publish} checksummed
   * (a compromised or corrupted mirror): same name, same layout, one file changed.
   */
  tamper(kind: ArtifactKind, version: string): void;
  /** URL paths requested so far, in order (to assert downloads are skipped when already present). */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/** The URL path of an artifact under the mirror, per the real sites' layouts. */
export function artifactPath(kind: ArtifactKind, version: string): string {
  switch (kind) {
    case "kafka":
      return `/kafka/${version}/kafka_${KAFKA_SCALA_VERSION}-${version}.tgz`;
    case "confluent":
      return `/confluent/${version.split(".").slice(0, 2).join(".")}/confluent-community-${version}.tar.gz`;
    case "mskIamAuth":
      return `/msk-iam-auth/v${version}/aws-msk-iam-auth-${version}-all.jar`;
  }
}

/** Serves on `bindAddress` (a test host's gateway), on a free port. */
export async function startArtifactMirror(bindAddress: string): Promise<ArtifactMirror> {
  const workDir = mkdtempSync(join(tmpdir(), "artifact-mirror-"));
  const served = new Map<string, Buffer>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://mirror").pathname;
    requests.push(path);
    const body = served.get(path);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405).end();
    } else if (body === undefined) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end(`not on this mirror: ${path}\n`);
    } else {
      res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": body.length });
      res.end(req.method === "HEAD" ? undefined : body);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, bindAddress, () => resolve());
  });
  const url = `http://${bindAddress}:${(server.address() as AddressInfo).port}`;

  async function build(kind: ArtifactKind, version: string): Promise<Buffer> {
    const path = artifactPath(kind, version);
    const existing = served.get(path);
    if (existing) return existing;
    const bytes =
      kind === "mskIamAuth"
        ? Buffer.from(`stand-in aws-msk-iam-auth ${version} (all dependencies)\n`)
        : await buildTarball(workDir, kind === "kafka" ? `kafka_${KAFKA_SCALA_VERSION}-${version}` : `confluent-${version}`, kind, version);
    served.set(path, bytes);
    return bytes;
  }

  return {
    url,
    requests,
    async publish(versions) {
      const [kafka, confluent, jar] = await Promise.all([build("kafka", versions.kafka), build("confluent", versions.confluent), build("mskIamAuth", versions.mskIamAuth)]);
      return {
        kafkaBaseUrl: `${url}/kafka`,
        confluentBaseUrl: `${url}/confluent`,
        mskIamAuthBaseUrl: `${url}/msk-iam-auth`,
        kafkaSha256: sha256(kafka),
        confluentSha256: sha256(confluent),
        mskIamAuthSha256: sha256(jar),
      };
    },
    tamper(kind, version) {
      const path = artifactPath(kind, version);
      const original = served.get(path);
      if (!original) throw new Error(`artifact mirror: publish ${kind} ${version} before tampering with it`);
      // Appending bytes keeps gzip/tar readable (trailing garbage) so only the checksum can catch it.
      served.set(path, Buffer.concat([original, Buffer.from("\0tampered\0")]));
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** A gzipped tarball with one top directory, built reproducibly (same version, same bytes). */
async function buildTarball(workDir: string, topDir: string, kind: "kafka" | "confluent", version: string): Promise<Buffer> {
  const stage = mkdtempSync(join(workDir, `${kind}-`));
  const root = join(stage, topDir);
  cpSync(join(STAND_INS, kind), root, { recursive: true });
  const libDir = kind === "kafka" ? join(root, "libs") : join(root, "share", "java", "kafka-rest");
  cpSync(join(STAND_INS, "fake_msk.py"), join(libDir, "fake_msk.py"));
  writeFileSync(join(root, "VERSION"), `${version}\n`);
  mkdirSync(join(root, "licenses"), { recursive: true });
  writeFileSync(join(root, "licenses", "README"), `Stand-in ${kind} ${version} built by __tests__/support/artifact-mirror.ts for tests.\n`);
  const archive = join(stage, `${topDir}.tar.gz`);
  await new Promise<void>((resolve, reject) => {
    const tarArgs = ["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "-I", "gzip -n", "-cf", archive, "-C", stage, topDir];
    guardChildStreams(execFile("tar", tarArgs, (err, _stdout, stderr) => (err ? reject(new Error(`tar ${tarArgs.join(" ")} failed: ${stderr || err.message}`)) : resolve())));
  });
  return readFileSync(archive);
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
