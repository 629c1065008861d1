/**
 * Downloaded software: an archive unpacked into a versioned directory behind a stable symlink,
 * or a single file (a jar) at a versioned path.
 *
 * Facts (one command): whether the versioned directory exists and where the symlink points;
 * for a single file, whether it exists and (when a checksum is configured) its sha256.
 * Changed when: the versioned directory (or file) is missing or, for a file, its checksum
 * differs from the configured one; or the symlink does not point at the versioned directory.
 * Commands: on the host, curl into a temp location beside the target, verify the configured
 * sha256 (a mismatch aborts and removes the temp files, installing nothing), unpack into a temp
 * directory, rename it to the versioned directory, then flip the symlink atomically
 * (`ln -sfn` to a temp name, `mv -T` over the link). Everything runs through `sudo -n`.
 * Notifies: whatever the caller lists, on any change.
 */
import type { Change, Operation } from "../engine";
import { parseKeyValues, run, shScript } from "../remote";

export interface ArchiveSpec {
  readonly url: string;
  /** Verified before unpacking when given. */
  readonly sha256?: string;
  /** e.g. /opt/kafka_2.13-3.8.1 */
  readonly versionedDir: string;
  /** The archive's single top-level directory, e.g. kafka_2.13-3.8.1 */
  readonly topDir: string;
  /** e.g. /opt/kafka */
  readonly link: string;
}

export interface ArchiveFacts {
  readonly versionedDirExists: boolean;
  /** The symlink's target, or undefined when the link is absent. */
  readonly linkTarget?: string;
  readonly linkIsSymlink: boolean;
}

export type ArchiveChange = (Change & { readonly kind: "install" }) | (Change & { readonly kind: "link" });

export interface RemoteFileSpec {
  readonly url: string;
  readonly sha256?: string;
  readonly path: string;
}

export interface RemoteFileFacts {
  readonly exists: boolean;
  /** Only gathered when a checksum is configured. */
  readonly sha256?: string;
}

export type RemoteFileChange = Change & { readonly kind: "download" };

/** Downloads into a long timeout: the Confluent archive is large. */
const DOWNLOAD_TIMEOUT_MS = 30 * 60_000;

/** Shell fragment: fetch "$url" into "$out" and check "$sha" if non-empty. */
const FETCH_AND_VERIFY = `curl -fsSL --retry 3 --connect-timeout 20 -o "$out" "$url"
if [ -n "$sha" ]; then
  got=$(sha256sum < "$out" | cut -c1-64)
  [ "$got" = "$sha" ] || { echo "checksum mismatch for $url: expected sha256 $sha, got $got; nothing was installed" >&2; exit 3; }
fi`;

export const ARCHIVE_FACTS_SCRIPT = `if [ -d "$1" ]; then echo versioned=yes; else echo versioned=no; fi
if [ -L "$2" ]; then echo link=symlink; echo "target=$(readlink "$2")"; elif [ -e "$2" ]; then echo link=other; else echo link=absent; fi`;

/** Arguments: url sha versioned-dir top-dir. Downloads and unpacks into a temp dir beside the versioned dir, then renames. */
export const ARCHIVE_INSTALL_SCRIPT = `set -eu
url=$1 sha=$2 versioned=$3 top=$4
parent=\${versioned%/*}
mkdir -p "$parent"
work=$(mktemp -d "$parent/.provision-XXXXXX")
trap 'rm -rf "$work"' EXIT
out=$work/archive
${FETCH_AND_VERIFY}
mkdir "$work/unpack"
tar -xzf "$out" -C "$work/unpack" --no-same-owner
[ -d "$work/unpack/$top" ] || { echo "$url does not unpack to a $top/ directory; nothing was installed" >&2; exit 4; }
chmod 0755 "$work/unpack/$top"
mv -T "$work/unpack/$top" "$versioned"`;

/** Arguments: target link. Replaces the symlink atomically; refuses to replace a real file or directory. */
export const LINK_SCRIPT = `set -eu
target=$1 link=$2
if [ -e "$link" ] && [ ! -L "$link" ]; then echo "$link exists and is not a symlink (move it away, then re-run)" >&2; exit 5; fi
tmp=$link.provision-$$
ln -sfn "$target" "$tmp"
mv -T "$tmp" "$link"`;

export const REMOTE_FILE_FACTS_SCRIPT = `if [ -f "$1" ]; then echo exists=yes; if [ "$2" = sha ]; then echo "sha256=$(sha256sum < "$1" | cut -c1-64)"; fi; else echo exists=no; fi`;

/** Arguments: url sha dest. Downloads beside dest, verifies, renames into place. */
export const REMOTE_FILE_INSTALL_SCRIPT = `set -eu
url=$1 sha=$2 dest=$3
dir=\${dest%/*}
mkdir -p "$dir"
out=$(mktemp "$dir/.provision-XXXXXX")
trap 'rm -f "$out"' EXIT
${FETCH_AND_VERIFY}
chmod 0644 "$out"
mv -f "$out" "$dest"
trap - EXIT`;

export function parseArchiveFacts(stdout: string): ArchiveFacts {
  const values = parseKeyValues(stdout);
  const link = values.get("link");
  return {
    versionedDirExists: values.get("versioned") === "yes",
    linkIsSymlink: link === "symlink",
    ...(link === "symlink" ? { linkTarget: values.get("target") ?? "" } : link === "other" ? { linkTarget: "" } : {}),
  };
}

export function planArchive(facts: ArchiveFacts, spec: ArchiveSpec): ArchiveChange[] {
  const changes: ArchiveChange[] = [];
  if (!facts.versionedDirExists) {
    changes.push({ kind: "install", summary: `download ${spec.url}${spec.sha256 ? " (sha256 verified)" : ""} and unpack it to ${spec.versionedDir}` });
  }
  if (!facts.linkIsSymlink || facts.linkTarget !== spec.versionedDir) {
    const was = facts.linkIsSymlink ? `was ${facts.linkTarget}` : facts.linkTarget === undefined ? "was absent" : "is not a symlink";
    changes.push({ kind: "link", summary: `point ${spec.link} at ${spec.versionedDir} (${was})` });
  }
  return changes;
}

export function archiveOperation(name: string, tags: readonly string[], spec: ArchiveSpec, notifies: readonly string[] = []): Operation<ArchiveFacts, ArchiveChange> {
  return {
    name,
    tags,
    notifies,
    gather: async (host) => parseArchiveFacts(await run(host, name, shScript(ARCHIVE_FACTS_SCRIPT, spec.versionedDir, spec.link))),
    plan: (facts) => planArchive(facts, spec),
    async apply(host, changes) {
      for (const change of changes) {
        if (change.kind === "install") {
          await run(host, name, shScript(ARCHIVE_INSTALL_SCRIPT, spec.url, spec.sha256 ?? "", spec.versionedDir, spec.topDir), { sudo: true, timeoutMs: DOWNLOAD_TIMEOUT_MS });
        } else {
          await run(host, name, shScript(LINK_SCRIPT, spec.versionedDir, spec.link), { sudo: true });
        }
      }
      return [];
    },
  };
}

export function parseRemoteFileFacts(stdout: string): RemoteFileFacts {
  const values = parseKeyValues(stdout);
  const sha = values.get("sha256");
  return { exists: values.get("exists") === "yes", ...(sha ? { sha256: sha } : {}) };
}

export function planRemoteFile(facts: RemoteFileFacts, spec: RemoteFileSpec): RemoteFileChange[] {
  if (!facts.exists) return [{ kind: "download", summary: `download ${spec.url}${spec.sha256 ? " (sha256 verified)" : ""} to ${spec.path}` }];
  if (spec.sha256 && facts.sha256 !== spec.sha256) {
    return [{ kind: "download", summary: `replace ${spec.path} (sha256 ${facts.sha256}, expected ${spec.sha256}) from ${spec.url}` }];
  }
  return [];
}

export function remoteFileOperation(name: string, tags: readonly string[], spec: RemoteFileSpec, notifies: readonly string[] = []): Operation<RemoteFileFacts, RemoteFileChange> {
  return {
    name,
    tags,
    notifies,
    gather: async (host) => parseRemoteFileFacts(await run(host, name, shScript(REMOTE_FILE_FACTS_SCRIPT, spec.path, spec.sha256 ? "sha" : ""))),
    plan: (facts) => planRemoteFile(facts, spec),
    async apply(host) {
      await run(host, name, shScript(REMOTE_FILE_INSTALL_SCRIPT, spec.url, spec.sha256 ?? "", spec.path), { sudo: true, timeoutMs: DOWNLOAD_TIMEOUT_MS });
      return [];
    },
  };
}
