/**
 * A real, private MariaDB server for tests and benchmarks: a fresh datadir in a temp directory,
 * a private socket, a free loopback port, a private tmpdir, no config files read (--no-defaults),
 * so servers of test files running in parallel share nothing. Stopped by {@link MariaDb.stop} and,
 * as a safety net, when the process exits.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { createConnection } from "mysql2/promise";
import { freePort } from "./net";
import { guardChildStreams } from "./child-streams";

export interface MariaDb {
  readonly port: number;
  readonly socket: string;
  readonly dir: string;
  /** Runs SQL as root over the private socket. */
  rootQuery(sql: string): Promise<void>;
  /** Creates a password user allowed everything on `database` (over TCP from 127.0.0.1), and returns a db_creds.yaml text for it. */
  createUser(user: string, password: string, database: string): Promise<string>;
  /** Writes a db_creds.yaml for this server into the temp directory and returns its path. */
  writeCreds(name: string, text: string): string;
  stop(): Promise<void>;
}

const FIX = "run: bash scripts/test-prereqs.sh (installs mariadb-server)";

export async function startMariaDb(): Promise<MariaDb> {
  const dir = mkdtempSync(join(tmpdir(), "emulation-mariadb-"));
  const datadir = join(dir, "data");
  const socket = join(dir, "mysqld.sock");
  // the bootstrap's temporary tables (mysql.tmp_user_sys) and the server's go here, not to a shared /tmp
  const privateTmp = join(dir, "tmp");
  mkdirSync(privateTmp);
  const env = { ...process.env, TMPDIR: privateTmp };
  // mariadbd refuses to run as root without --user=root; as another user --user must be that user
  const user = process.getuid?.() === 0 ? "root" : userInfo().username;
  const install = spawnSync(
    "mariadb-install-db",
    ["--no-defaults", `--user=${user}`, `--datadir=${datadir}`, `--tmpdir=${privateTmp}`, "--auth-root-authentication-method=normal", "--skip-test-db"],
    { encoding: "utf8", env },
  );
  if (install.error || install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${install.error?.message ?? install.stderr.slice(-500)} (${FIX})`);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = guardChildStreams(spawn(
      "mariadbd",
      [
        "--no-defaults",
        `--user=${user}`,
        `--datadir=${datadir}`,
        `--tmpdir=${privateTmp}`,
        `--socket=${socket}`,
        `--port=${port}`,
        "--bind-address=127.0.0.1",
        `--pid-file=${join(dir, "mysqld.pid")}`,
        "--skip-log-bin",
        "--innodb-buffer-pool-size=64M",
        "--innodb-flush-log-at-trx-commit=2",
        "--max-connections=200",
      ],
      { stdio: ["ignore", "ignore", "pipe"], env },
    ));
    let log = "";
    child.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    try {
      await waitReady(child, socket, () => log);
      return handle(dir, socket, port, child);
    } catch (err) {
      lastError = err;
      child.kill("SIGKILL");
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

async function waitReady(child: ChildProcess, socket: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`mariadbd exited early: ${log().slice(-800)}`);
    try {
      const connection = await createConnection({ socketPath: socket, user: "root" });
      await connection.end();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`mariadbd not ready within 30 s: ${log().slice(-800)}`);
}

function handle(dir: string, socket: string, port: number, child: ChildProcess): MariaDb {
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  const rootQuery = async (sql: string) => {
    const connection = await createConnection({ socketPath: socket, user: "root", multipleStatements: true });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  return {
    port,
    socket,
    dir,
    rootQuery,
    async createUser(user, password, database) {
      await rootQuery(
        `CREATE USER IF NOT EXISTS '${user}'@'127.0.0.1' IDENTIFIED BY '${password}'; GRANT ALL ON \`${database}\`.* TO '${user}'@'127.0.0.1';`,
      );
      return `HOST: 127.0.0.1\nUSER: ${user}\nPASSWORD: ${password}\nDATABASE: ${database}\nPORT: ${port}\n`;
    },
    writeCreds(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    async stop() {
      process.off("exit", killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
