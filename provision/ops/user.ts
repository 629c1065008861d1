/**
 * A system account for a service: no login shell, no home, no password, no sudo.
 *
 * Facts (one command): `getent passwd <name>` (empty when the account does not exist).
 * Changed when: the account is missing, or its shell or home differ.
 * Commands: `useradd --system --user-group --no-create-home --home-dir <home> --shell <shell>`
 * for a missing account; `usermod --shell` / `usermod --home` for drift. Never deletes an account.
 * Notifies: whatever the caller lists, on any change.
 */
import type { Change, Operation } from "../engine";
import { run, shScript } from "../remote";

export interface SystemUserSpec {
  readonly name: string;
  /** The GECOS comment, e.g. what runs as this account. */
  readonly comment: string;
  /** @default "/usr/sbin/nologin" (present on Amazon Linux 2023 and Debian alike) */
  readonly shell?: string;
  /** A home that does not exist, as Debian's system accounts have. @default "/nonexistent" */
  readonly home?: string;
}

export interface SystemUserFacts {
  readonly exists: boolean;
  readonly uid?: number;
  readonly home?: string;
  readonly shell?: string;
}

export type SystemUserChange =
  | (Change & { readonly kind: "create" })
  | (Change & { readonly kind: "shell"; readonly shell: string })
  | (Change & { readonly kind: "home"; readonly home: string });

/** getent exits 2 for an unknown account: that is a fact, not a failure. */
export const USER_FACTS_SCRIPT = `getent passwd "$1" || true`;

export function parseUserFacts(stdout: string, name: string): SystemUserFacts {
  const line = stdout.split("\n").find((l) => l.startsWith(`${name}:`));
  if (!line) return { exists: false };
  const [, , uid, , , home, shell] = line.split(":");
  return { exists: true, uid: Number(uid), home, shell };
}

function withDefaults(spec: SystemUserSpec) {
  return { shell: spec.shell ?? "/usr/sbin/nologin", home: spec.home ?? "/nonexistent" };
}

export function planUser(facts: SystemUserFacts, spec: SystemUserSpec): SystemUserChange[] {
  const { shell, home } = withDefaults(spec);
  if (!facts.exists) return [{ kind: "create", summary: `create system user ${spec.name} (shell ${shell}, home ${home}, not created)` }];
  const changes: SystemUserChange[] = [];
  if (facts.shell !== shell) changes.push({ kind: "shell", shell, summary: `set the shell of ${spec.name} to ${shell} (was ${facts.shell})` });
  if (facts.home !== home) changes.push({ kind: "home", home, summary: `set the home of ${spec.name} to ${home} (was ${facts.home})` });
  return changes;
}

export function useraddArgv(spec: SystemUserSpec): string[] {
  const { shell, home } = withDefaults(spec);
  return ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", home, "--shell", shell, "--comment", spec.comment, spec.name];
}

export function systemUserOperation(name: string, tags: readonly string[], spec: SystemUserSpec, notifies: readonly string[] = []): Operation<SystemUserFacts, SystemUserChange> {
  return {
    name,
    tags,
    notifies,
    gather: async (host) => parseUserFacts(await run(host, name, shScript(USER_FACTS_SCRIPT, spec.name)), spec.name),
    plan: (facts) => planUser(facts, spec),
    async apply(host, changes) {
      for (const change of changes) {
        if (change.kind === "create") await run(host, name, useraddArgv(spec), { sudo: true });
        else if (change.kind === "shell") await run(host, name, ["usermod", "--shell", change.shell, spec.name], { sudo: true });
        else await run(host, name, ["usermod", "--home", change.home, spec.name], { sudo: true });
      }
      return [];
    },
  };
}
