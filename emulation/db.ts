/**
 * The source database: connecting with clear errors, checking the tables, listing event ids and
 * reading events in batches by key (one `IN (...)` query per table per batch, over a small pool).
 * Its tests need a database (the MariaDB suites); the error lines are in db-errors.ts, tested anywhere.
 */
import { createPool, type Pool, type RowDataPacket } from "mysql2/promise";
import type { DbCreds } from "./creds";
import { CONNECT_TIMEOUT_MS, describeDbError } from "./db-errors";
import { EmulationError } from "./errors";
import { SOURCE_TABLES, TABLE_ROLES, type EventJson, type TableRole } from "./rows";


export interface OpenPoolOptions {
  /** Connections in the pool; the reader runs one query per table at a time. @default 3 */
  readonly connectionLimit?: number;
  /** Connect without selecting the database (seed-db creates it when missing). @default false */
  readonly withoutDatabase?: boolean;
}

/** Opens a pool and proves it works with one round trip, turning driver errors into one-line {@link EmulationError}s. */
export async function openPool(creds: DbCreds, options: OpenPoolOptions = {}): Promise<Pool> {
  const pool = createPool({
    host: creds.host,
    port: creds.port,
    user: creds.user,
    password: creds.password,
    ...(options.withoutDatabase ? {} : { database: creds.database }),
    connectionLimit: options.connectionLimit ?? 3,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // DATETIME as the `YYYY-MM-DD HH:MM:SS` text the pipeline expects, with no time zone shift
    dateStrings: true,
    // the rows' JSON_OBJECT text is posted as it is, not parsed into objects
    jsonStrings: true,
    charset: "utf8mb4",
  });
  try {
    await pool.query("SELECT 1");
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw describeDbError(err, creds);
  }
  return pool;
}

/** Throws naming every source table the database lacks. */
export async function requireTables(pool: Pool, creds: DbCreds): Promise<void> {
  const [rows] = await pool.query<RowDataPacket[]>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?", [creds.database]);
  const present = new Set(rows.map((row) => String(row.name)));
  const missing = TABLE_ROLES.map((role) => SOURCE_TABLES[role].name).filter((name) => !present.has(name));
  if (missing.length > 0) {
    throw new EmulationError(`database ${creds.database} on ${creds.host}:${creds.port}: missing table${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (create and fill them with: npm run emulate -- seed-db --rows 10000)`);
  }
}

/** The ids present in all three tables, ascending: the events that can be emulated. */
export async function listEventIds(pool: Pool): Promise<number[]> {
  const { pin, geo, user } = SOURCE_TABLES;
  const [rows] = await pool.query<RowDataPacket[]>({
    sql: `SELECT p.\`${pin.key}\` FROM ${pin.name} p JOIN ${geo.name} g ON g.${geo.key} = p.\`${pin.key}\` JOIN ${user.name} u ON u.${user.key} = p.\`${pin.key}\` ORDER BY 1`,
    rowsAsArray: true,
  });
  return rows.map((row) => Number((row as unknown as unknown[])[0]));
}

/**
 * `JSON_OBJECT(...)` of a table's columns: the server writes each row's JSON, so the emulator
 * neither builds row objects nor serialises them (the hot path's main allocations). DATETIMEs are
 * formatted explicitly because MySQL would render them with microseconds.
 */
export function rowJsonSql(role: TableRole): string {
  const table = SOURCE_TABLES[role];
  const fields = table.columns.map((column) => `'${column}', ${table.datetimeColumns.includes(column) ? `DATE_FORMAT(\`${column}\`, '%Y-%m-%d %H:%i:%s')` : `\`${column}\``}`);
  return `SELECT \`${table.key}\`, JSON_OBJECT(${fields.join(", ")}) FROM ${table.name} WHERE \`${table.key}\` IN (?)`;
}

/**
 * Reads the events with these ids as JSON, in the order given (ids may repeat); one query per table.
 * An id missing from any table (deleted since it was listed) is left out.
 */
export async function fetchEvents(pool: Pool, ids: readonly number[]): Promise<EventJson[]> {
  const unique = [...new Set(ids)];
  const byRole = await Promise.all(
    TABLE_ROLES.map(async (role) => {
      const [rows] = await pool.query<RowDataPacket[]>({ sql: rowJsonSql(role), rowsAsArray: true }, [unique]);
      const byId = new Map<number, string>();
      for (const row of rows as unknown as [number, string][]) byId.set(Number(row[0]), row[1]);
      return byId;
    }),
  );
  const [pins, geos, users] = byRole as [Map<number, string>, Map<number, string>, Map<number, string>];
  const events: EventJson[] = [];
  for (const id of ids) {
    const pin = pins.get(id);
    const geo = geos.get(id);
    const user = users.get(id);
    if (pin !== undefined && geo !== undefined && user !== undefined) events.push({ id, pin, geo, user });
  }
  return events;
}
