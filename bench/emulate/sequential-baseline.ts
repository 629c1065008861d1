/**
 * The seed's emulator loop, without its sleep, as the benchmark's baseline: per event a fresh
 * database connection and three `SELECT * … LIMIT <offset>, 1` queries, then one POST per record,
 * each on a new connection (Python's requests.request without a session). Prints one JSON line.
 *
 * Usage: tsx bench/emulate/sequential-baseline.ts <creds.yaml> <invoke URL> <user id> <events>
 */
import { request } from "node:http";
import { createConnection, type RowDataPacket } from "mysql2/promise";
import { loadDbCreds } from "../../emulation/creds";
import { mulberry32 } from "../../emulation/random";

const [credsPath, invokeUrl, userId, eventsArg] = process.argv.slice(2);
if (!credsPath || !invokeUrl || !userId || !eventsArg) {
  process.stderr.write("usage: tsx bench/emulate/sequential-baseline.ts <creds.yaml> <invoke URL> <user id> <events>\n");
  process.exit(2);
}
const creds = loadDbCreds(credsPath);
const events = Number(eventsArg);
const random = mulberry32(100);

function post(topic: string, row: Record<string, unknown>): Promise<number> {
  const body = JSON.stringify({ records: [{ value: row }] });
  return new Promise((resolve, reject) => {
    const req = request(`${invokeUrl}/topics/${topic}`, { method: "POST", agent: false, headers: { "Content-Type": "application/vnd.kafka.json.v2+json", "Content-Length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const connection0 = await createConnection({ host: creds.host, port: creds.port, user: creds.user, password: creds.password, database: creds.database });
const [[countRow]] = await connection0.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM pinterest_data");
await connection0.end();
const rows = Number(countRow?.n);

let acknowledged = 0;
const started = performance.now();
for (let i = 0; i < events; i++) {
  const offset = Math.floor(random() * rows);
  const connection = await createConnection({ host: creds.host, port: creds.port, user: creds.user, password: creds.password, database: creds.database, dateStrings: true });
  const [[pin]] = await connection.query<RowDataPacket[]>(`SELECT * FROM pinterest_data LIMIT ${offset}, 1`);
  const [[geo]] = await connection.query<RowDataPacket[]>(`SELECT * FROM geolocation_data LIMIT ${offset}, 1`);
  const [[user]] = await connection.query<RowDataPacket[]>(`SELECT * FROM user_data LIMIT ${offset}, 1`);
  await connection.end();
  for (const [suffix, row] of [["pin", pin], ["geo", geo], ["user", user]] as const) {
    if ((await post(`${userId}.${suffix}`, row as Record<string, unknown>)) === 200) acknowledged++;
  }
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ events, acknowledged, seconds, recordsPerSecond: acknowledged / seconds, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
