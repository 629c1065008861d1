import type { ChildProcess } from "node:child_process";

/**
 * Any child process the tests start: an 'error' listener on each stdio stream. A child that exits
 * before reading its stdin raises EPIPE on it, which unhandled once made vitest exit 1 with every
 * test green; the child's exit status reports its failure instead.
 */
export function guardChildStreams<T extends ChildProcess>(child: T): T {
  for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.on("error", () => {});
  return child;
}
