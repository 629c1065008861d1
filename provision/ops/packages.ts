/**
 * System packages, installed only when missing.
 *
 * Facts (one command): which of the wanted packages are not installed (`rpm -q` on dnf hosts,
 * `dpkg-query` on apt hosts).
 * Changed when: any package is missing.
 * Commands: one `sudo -n dnf -y install <missing...>` on Amazon Linux; on Debian one
 * `sudo -n env DEBIAN_FRONTEND=noninteractive sh -c 'apt-get update && apt-get install ...'`
 * (the index is refreshed only when something is installed).
 * Notifies: nothing.
 */
import type { Change, Operation } from "../engine";
import type { OsFacts, PackageManager } from "../facts";
import { run, shScript } from "../remote";

export interface PackagesFacts {
  readonly packageManager: PackageManager;
  readonly missing: readonly string[];
}

export interface PackagesChange extends Change {
  readonly packageManager: PackageManager;
  readonly install: readonly string[];
}

/** Prints `missing=<name>` for each argument that is not installed. */
export const MISSING_PACKAGES_SCRIPT: Record<PackageManager, string> = {
  dnf: `for p do rpm -q --quiet "$p" || echo "missing=$p"; done`,
  apt: `for p do s=$(dpkg-query -W -f='\${db:Status-Status}' "$p" 2>/dev/null || true); [ "$s" = installed ] || echo "missing=$p"; done`,
};

/** Waits for the dpkg lock (an install of an interrupted run may still be finishing on the host) instead of failing at once. */
export const APT_INSTALL_SCRIPT = `apt-get -o DPkg::Lock::Timeout=300 update -qq && apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@"`;

/** Installs take minutes on a fresh host (the JRE alone is ~100 MB). */
const INSTALL_TIMEOUT_MS = 20 * 60_000;

export function planPackages(facts: PackagesFacts): PackagesChange[] {
  return facts.missing.length === 0 ? [] : [{ packageManager: facts.packageManager, install: facts.missing, summary: `install ${facts.missing.join(" ")} with ${facts.packageManager}` }];
}

/** The install command (argv and env) for the host's package manager. */
export function installCommand(packageManager: PackageManager, names: readonly string[]): { argv: string[]; env: Record<string, string> } {
  if (packageManager === "dnf") return { argv: ["dnf", "-y", "install", ...names], env: {} };
  return { argv: shScript(APT_INSTALL_SCRIPT, ...names), env: { DEBIAN_FRONTEND: "noninteractive" } };
}

export function packagesOperation(name: string, tags: readonly string[], packagesFor: (os: OsFacts) => readonly string[]): Operation<PackagesFacts, PackagesChange> {
  return {
    name,
    tags,
    async gather(host, { os }) {
      const stdout = await run(host, name, shScript(MISSING_PACKAGES_SCRIPT[os.packageManager], ...packagesFor(os)));
      const missing = stdout
        .split("\n")
        .filter((line) => line.startsWith("missing="))
        .map((line) => line.slice("missing=".length));
      return { packageManager: os.packageManager, missing };
    },
    plan: planPackages,
    async apply(host, changes) {
      for (const change of changes) {
        const { argv, env } = installCommand(change.packageManager, change.install);
        await run(host, name, argv, { sudo: true, env, timeoutMs: INSTALL_TIMEOUT_MS });
      }
      return [];
    },
  };
}
