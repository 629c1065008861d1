/**
 * Facts about the host that no operation changes (OS family, package manager, architecture,
 * whether systemd runs, whether sudo works without a password), gathered once per run in one
 * command. The same probe reads the pending-handlers file so an interrupted run's restarts are
 * re-queued at no extra round trip.
 */
import { type Host, SudoError, parseKeyValues, run, shScript } from "./remote";

export type OsFamily = "amazon" | "debian";
export type PackageManager = "dnf" | "apt";

export interface OsFacts {
  /** `ID` of /etc/os-release, e.g. `amzn` or `debian`. */
  readonly id: string;
  /** `ID_LIKE` of /etc/os-release, split on spaces. */
  readonly idLike: readonly string[];
  readonly versionId: string;
  readonly family: OsFamily;
  readonly packageManager: PackageManager;
  /** `uname -m`, e.g. `x86_64` or `aarch64`. */
  readonly arch: string;
  /** Whether systemd is the running init (`/run/systemd/system` exists). */
  readonly systemd: boolean;
  /** Handler names an earlier, interrupted run recorded as pending. */
  readonly pendingHandlers: readonly string[];
}

/** Thrown when the host is not one the play knows how to configure. */
export class UnsupportedHostError extends Error {
  /** A failure, by the CLI convention of lib/cli-run.ts. */
  readonly exitCode: number = 1;
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedHostError";
  }
}

/** Reads os-release, arch, package manager, systemd, a `sudo -n true` probe and the pending-handlers file. */
export const OS_FACTS_SCRIPT = `
. /etc/os-release 2>/dev/null || true
echo "id=\${ID:-}"
echo "id_like=\${ID_LIKE:-}"
echo "version_id=\${VERSION_ID:-}"
echo "arch=$(uname -m)"
if command -v dnf >/dev/null 2>&1; then echo pm=dnf; elif command -v apt-get >/dev/null 2>&1; then echo pm=apt; else echo pm=none; fi
if [ -d /run/systemd/system ]; then echo systemd=yes; else echo systemd=no; fi
if out=$(sudo -n true 2>&1); then echo sudo=ok; else echo "sudo=$(printf '%s' "$out" | tr '\\n' ' ')"; fi
if [ -f "$1" ]; then while IFS= read -r h; do [ -n "$h" ] && echo "pending=$h"; done < "$1"; fi
exit 0
`;

export async function gatherOsFacts(host: Host, pendingHandlersFile: string): Promise<OsFacts> {
  const stdout = await run(host, "gather facts", shScript(OS_FACTS_SCRIPT, pendingHandlersFile));
  return parseOsFacts(stdout, host);
}

/** Turns the probe's output into {@link OsFacts}; throws the setup problems that stop a run before it starts. */
export function parseOsFacts(stdout: string, host: Pick<Host, "name" | "user">): OsFacts {
  const values = parseKeyValues(stdout);
  const sudo = values.get("sudo") ?? "";
  if (sudo !== "ok") throw new SudoError(host.name, host.user, sudo);
  const id = values.get("id") ?? "";
  const idLike = (values.get("id_like") ?? "").split(/\s+/).filter(Boolean);
  const versionId = values.get("version_id") ?? "";
  const pm = values.get("pm");
  let family: OsFamily;
  let packageManager: PackageManager;
  if (id === "amzn" && pm === "dnf") {
    family = "amazon";
    packageManager = "dnf";
  } else if ((id === "debian" || idLike.includes("debian")) && pm === "apt") {
    family = "debian";
    packageManager = "apt";
  } else {
    throw new UnsupportedHostError(
      `[${host.name}] unsupported OS: ID=${id || "?"} VERSION_ID=${versionId || "?"} package manager ${pm ?? "none"} (the play supports Amazon Linux 2023 with dnf and Debian-family hosts with apt)`,
    );
  }
  const pendingHandlers = stdout
    .split("\n")
    .filter((line) => line.startsWith("pending="))
    .map((line) => line.slice("pending=".length));
  return {
    id,
    idLike,
    versionId,
    family,
    packageManager,
    arch: values.get("arch") ?? "",
    systemd: values.get("systemd") === "yes",
    pendingHandlers: [...new Set(pendingHandlers)],
  };
}
