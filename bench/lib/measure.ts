/**
 * Runs one child process and measures it the way every benchmark here reports it: wall time from
 * spawn to exit, CPU time (user + system) and peak RSS (VmHWM), read from /proc/<pid> every 20 ms.
 * The child must be the measured program itself (one node process), not a shell around it.
 */
import { spawn, type SpawnOptions } from "node:child_process";
import { readFileSync } from "node:fs";
import { guardChildStreams } from "../../__tests__/support/child-streams";

export interface MeasuredRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

/** Clock ticks a second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export function runMeasured(command: string, args: readonly string[], options: Pick<SpawnOptions, "cwd" | "env"> = {}): Promise<MeasuredRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = guardChildStreams(spawn(command, [...args], { ...options, stdio: ["ignore", "pipe", "pipe"] }));
    let peakKb = 0;
    let cpuTicks = 0;
    const timer = setInterval(() => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (match) peakKb = Math.max(peakKb, Number(match[1]));
        // fields after the parenthesised command name: utime is field 14, stime 15
        const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
        cpuTicks = Math.max(cpuTicks, Number(fields[11]) + Number(fields[12]));
      } catch {
        // the process has exited
      }
    }, 20);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("exit", (code) => {
      clearInterval(timer);
      resolve({ code: code ?? 1, stdout, stderr, wallSeconds: (performance.now() - started) / 1000, cpuSeconds: cpuTicks / TICKS_PER_SECOND, peakRssMb: peakKb / 1024 });
    });
  });
}

/** The middle value (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
