/**
 * A managed file: rendered locally, compared by sha256, written atomically.
 *
 * Facts (one command): whether the parent directory exists, the file's type, mode, owner,
 * group and sha256 (plus its content with --diff).
 * Changed when: the content differs or the file is missing (a write), or only the mode or
 * owner drifted (a chmod/chown, the content untouched).
 * Commands: one `sudo -n sh -c` that creates a temp file in the target directory from stdin,
 * sets mode and owner, runs the optional validate command on it and renames it into place. The
 * live file is never truncated.
 * Notifies: whatever the caller lists, on any change.
 */
import { createHash } from "node:crypto";
import { createTwoFilesPatch } from "diff";
import type { Change, Operation } from "../engine";
import { type Host, parseKeyValues, run, shScript } from "../remote";

export interface FileSpec {
  readonly path: string;
  readonly content: string;
  /** @default 0o644 */
  readonly mode?: number;
  /** @default "root" */
  readonly owner?: string;
  /** @default "root" */
  readonly group?: string;
  /**
   * Run on the temp file before it replaces the live one; `%s` stands for the temp file's path.
   * The temp file's name ends with the target's name, so tools that care (systemd-analyze) accept it.
   * @default - no validation
   */
  readonly validate?: readonly string[];
}

export interface FileFacts {
  readonly type: "absent" | "file" | "symlink" | "other";
  readonly mode?: number;
  readonly owner?: string;
  readonly group?: string;
  readonly sha256?: string;
  /** Present when gathered with `--diff`. */
  readonly content?: string;
}

export type FileChange =
  | (Change & { readonly kind: "write" })
  | (Change & { readonly kind: "mode"; readonly mode: number })
  | (Change & { readonly kind: "owner"; readonly owner: string });

const CONTENT_MARKER = "--content--";

export const FILE_FACTS_SCRIPT = `p=$1
if [ -L "$p" ]; then echo type=symlink
elif [ -f "$p" ]; then
  echo type=file
  stat -c 'stat=%a %U %G' "$p"
  echo "sha256=$(sha256sum < "$p" | cut -c1-64)"
  if [ "$2" = content ]; then echo ${CONTENT_MARKER}; cat "$p"; fi
elif [ -e "$p" ]; then echo type=other
else echo type=absent
fi`;

/**
 * Writes stdin to a temp file beside the target, sets mode and owner, validates, renames.
 * Arguments: dest mode owner:group [validate argv with %s for the temp file...].
 */
export const ATOMIC_WRITE_SCRIPT = `set -eu
dest=$1 mode=$2 owner=$3
shift 3
dir=\${dest%/*}
mkdir -p "$dir"
tmp=$(mktemp --suffix="-\${dest##*/}" "$dir/.provision-XXXXXX")
trap 'rm -f "$tmp"' EXIT
cat > "$tmp"
chmod "$mode" "$tmp"
chown "$owner" "$tmp"
if [ $# -gt 0 ]; then
  for a do shift; if [ "$a" = %s ]; then set -- "$@" "$tmp"; else set -- "$@" "$a"; fi; done
  "$@" >&2 || { echo "validation failed: $* (the live file was left unchanged)" >&2; exit 3; }
fi
mv -f "$tmp" "$dest"
trap - EXIT`;

export function sha256(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

export function octal(mode: number): string {
  return mode.toString(8).padStart(4, "0");
}

export function parseFileFacts(stdout: string): FileFacts {
  const markerAt = stdout.indexOf(`\n${CONTENT_MARKER}\n`);
  const head = markerAt >= 0 ? stdout.slice(0, markerAt) : stdout;
  const values = parseKeyValues(head);
  const type = values.get("type");
  if (type !== "absent" && type !== "file" && type !== "symlink" && type !== "other") {
    throw new Error(`unexpected file facts output: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  if (type !== "file") return { type };
  const [mode, owner, group] = (values.get("stat") ?? "").split(" ");
  return {
    type,
    mode: parseInt(mode, 8),
    owner,
    group,
    sha256: values.get("sha256"),
    ...(markerAt >= 0 ? { content: stdout.slice(markerAt + CONTENT_MARKER.length + 2) } : {}),
  };
}

/** The pure diff between a file's facts and its spec. */
export function planFile(facts: FileFacts, spec: FileSpec): FileChange[] {
  const { mode, owner, group } = withDefaults(spec);
  if (facts.type === "absent") return [{ kind: "write", summary: `create ${spec.path}` }];
  if (facts.type !== "file") return [{ kind: "write", summary: `replace ${spec.path} (a ${facts.type}, expected a regular file)` }];
  if (facts.sha256 !== sha256(spec.content)) return [{ kind: "write", summary: `update ${spec.path} (content differs)` }];
  const changes: FileChange[] = [];
  if (facts.mode !== mode) changes.push({ kind: "mode", mode, summary: `chmod ${octal(mode)} ${spec.path} (was ${octal(facts.mode ?? 0)})` });
  if (facts.owner !== owner || facts.group !== group) {
    changes.push({ kind: "owner", owner: `${owner}:${group}`, summary: `chown ${owner}:${group} ${spec.path} (was ${facts.owner}:${facts.group})` });
  }
  return changes;
}

function withDefaults(spec: FileSpec) {
  return { mode: spec.mode ?? 0o644, owner: spec.owner ?? "root", group: spec.group ?? "root" };
}

export async function gatherFile(host: Host, operation: string, path: string, withContent: boolean): Promise<FileFacts> {
  return parseFileFacts(await run(host, operation, shScript(FILE_FACTS_SCRIPT, path, withContent ? "content" : ""), { sudo: true }));
}

/** Writes `spec` atomically (see the module comment). */
export async function writeFileAtomic(host: Host, operation: string, spec: FileSpec): Promise<void> {
  const { mode, owner, group } = withDefaults(spec);
  await run(host, operation, shScript(ATOMIC_WRITE_SCRIPT, spec.path, octal(mode), `${owner}:${group}`, ...(spec.validate ?? [])), {
    sudo: true,
    stdin: spec.content,
  });
}

/** Masks values that look secret (passwords, secret keys, tokens), keeping role ARNs and hosts readable. */
export function maskSecrets(text: string): string {
  return text
    .replace(/^(\s*[\w.-]*(?:password|secret|token|credentials?)[\w.-]*\s*[=:]\s*).+$/gim, "$1********")
    .replace(/\b(\w*(?:password|secret|token)\w*)\s*=\s*"[^"]*"/gi, '$1="********"');
}

export function fileDiff(path: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(path, path, maskSecrets(before), maskSecrets(after), "on host", "desired", { context: 3 });
  // drop the "Index:" and "====" lines so it reads like diff -u
  return patch.slice(patch.indexOf("--- "));
}

export function fileOperation(name: string, tags: readonly string[], spec: FileSpec, notifies: readonly string[] = []): Operation<FileFacts, FileChange> {
  return {
    name,
    tags,
    notifies,
    gather: (host, { diff }) => gatherFile(host, name, spec.path, diff),
    plan: (facts) => planFile(facts, spec),
    async apply(host, changes) {
      for (const change of changes) {
        if (change.kind === "write") await writeFileAtomic(host, name, spec);
        else if (change.kind === "mode") await run(host, name, ["chmod", octal(change.mode), spec.path], { sudo: true });
        else await run(host, name, ["chown", change.owner, spec.path], { sudo: true });
      }
      return [];
    },
    diff(facts, changes) {
      if (!changes.some((c) => c.kind === "write")) return undefined;
      return fileDiff(spec.path, facts.content ?? "", spec.content);
    },
  };
}
