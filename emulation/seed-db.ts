/**
 * `seed-db`: creates the three source tables and fills them with deterministic rows, so the
 * emulator runs without AiCore's database. Idempotent: ids are primary keys and rows are inserted
 * with INSERT IGNORE, so a second run adds only ids that are not there yet.
 */
import type { Pool, ResultSetHeader } from "mysql2/promise";
import type { DbCreds } from "./creds";
import { openPool } from "./db";
import { describeDbError } from "./db-errors";
import { generateEvent, SOURCE_TABLES, TABLE_ROLES, type EventRows, type TableRole } from "./rows";

export interface SeedOptions {
  /** Events to create: ids 0 … rows-1 in each table. */
  readonly rows: number;
  /** Seed of the generator; the same seed gives the same rows. */
  readonly seed: number;
  /** Called after each chunk with the number of ids done so far. */
  readonly onProgress?: (done: number) => void;
}

export interface SeedResult {
  /** Rows added per table (0 everywhere on a repeated run). */
  readonly inserted: Readonly<Record<TableRole, number>>;
  readonly seconds: number;
}

/** Rows per multi-row INSERT: large enough to amortise round trips, well under max_allowed_packet. */
const INSERT_CHUNK = 1000;

export async function seedDatabase(creds: DbCreds, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const admin = await openPool(creds, { withoutDatabase: true, connectionLimit: 1 });
  try {
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${creds.database.replace(/`/g, "``")}\` CHARACTER SET utf8mb4`);
  } catch (err) {
    throw describeDbError(err, creds);
  } finally {
    await admin.end();
  }
  const pool = await openPool(creds, { connectionLimit: 3 });
  try {
    for (const role of TABLE_ROLES) await pool.query(SOURCE_TABLES[role].ddl);
    const inserted: Record<TableRole, number> = { pin: 0, geo: 0, user: 0 };
    for (let start = 0; start < options.rows; start += INSERT_CHUNK) {
      const events: EventRows[] = [];
      for (let index = start; index < Math.min(options.rows, start + INSERT_CHUNK); index++) events.push(generateEvent(options.seed, index));
      const counts = await Promise.all(TABLE_ROLES.map((role) => insertIgnore(pool, role, events)));
      TABLE_ROLES.forEach((role, i) => (inserted[role] += counts[i] as number));
      options.onProgress?.(Math.min(options.rows, start + INSERT_CHUNK));
    }
    return { inserted, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    throw describeDbError(err, creds);
  } finally {
    await pool.end();
  }
}

async function insertIgnore(pool: Pool, role: TableRole, events: readonly EventRows[]): Promise<number> {
  const table = SOURCE_TABLES[role];
  const values = events.map((event) => table.columns.map((column) => (event[role] as unknown as Record<string, unknown>)[column]));
  const columns = table.columns.map((column) => `\`${column}\``).join(", ");
  const [result] = await pool.query<ResultSetHeader>(`INSERT IGNORE INTO ${table.name} (${columns}) VALUES ?`, [values]);
  return result.affectedRows;
}
