/** seed-db and the emulator's bad-input messages, against a real MariaDB started for this file. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createConnection } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventOrder } from "../../emulation/flow";
import { generateEvent } from "../../emulation/rows";
import { startMariaDb, type MariaDb } from "../support/mariadb";
import { freePort } from "../support/net";
import { startKafkaRestDouble, type KafkaRestDouble } from "./kafka-rest-double";
import { lines, runCli } from "./cli-harness";

let db: MariaDb;
let credsA: string;

beforeAll(async () => {
  db = await startMariaDb();
  credsA = db.writeCreds("a.yaml", await db.createUser("emu", "s3cret", "seed_a"));
});

afterAll(async () => {
  await db?.stop();
});

async function tableRows(database: string, table: string, key: string): Promise<Record<string, unknown>[]> {
  const connection = await createConnection({ socketPath: db.socket, user: "root", database, dateStrings: true });
  try {
    const [rows] = await connection.query(`SELECT * FROM ${table} ORDER BY \`${key}\``);
    return (rows as Record<string, unknown>[]).map((row) => ({ ...row }));
  } finally {
    await connection.end();
  }
}

describe("seed-db", () => {
  it("creates the three tables with N rows each, and a second run adds nothing", { timeout: 90_000 }, async () => {
    const first = await runCli(["seed-db", "--rows", "3000", "--creds", credsA]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("inserted pinterest_data 3000, geolocation_data 3000, user_data 3000 new rows (0 already present)");
    const second = await runCli(["seed-db", "--rows", "3000", "--creds", credsA]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("inserted pinterest_data 0, geolocation_data 0, user_data 0 new rows (9000 already present)");
    const pins = await tableRows("seed_a", "pinterest_data", "index");
    const geos = await tableRows("seed_a", "geolocation_data", "ind");
    const users = await tableRows("seed_a", "user_data", "ind");
    expect([pins.length, geos.length, users.length]).toEqual([3000, 3000, 3000]);
    expect(new Set(pins.map((row) => row.index)).size).toBe(3000);
    // the rows in the database are exactly the generator's, with the original's column order and types
    expect(pins[7]).toEqual(generateEvent(100, 7).pin);
    expect(Object.keys(pins[0] as object)).toEqual(["index", "unique_id", "title", "description", "poster_name", "follower_count", "tag_list", "is_image_or_video", "image_src", "downloaded", "save_location", "category"]);
    expect(geos[2999]).toEqual(generateEvent(100, 2999).geo);
    expect(users[1234]).toEqual(generateEvent(100, 1234).user);
  });

  it("the same seed gives identical rows in another database, another seed different ones", { timeout: 90_000 }, async () => {
    const credsB = db.writeCreds("b.yaml", await db.createUser("emu", "s3cret", "seed_b"));
    const credsC = db.writeCreds("c.yaml", await db.createUser("emu", "s3cret", "seed_c"));
    expect((await runCli(["seed-db", "--rows", "500", "--seed", "7", "--creds", credsB])).code).toBe(0);
    expect((await runCli(["seed-db", "--rows", "500", "--seed", "7", "--creds", credsC])).code).toBe(0);
    for (const [table, key] of [["pinterest_data", "index"], ["geolocation_data", "ind"], ["user_data", "ind"]] as const) {
      // two empty tables would be "identical" too
      const rows = await tableRows("seed_b", table, key);
      expect(rows, table).toHaveLength(500);
      expect(rows, table).toEqual(await tableRows("seed_c", table, key));
    }
    const credsD = db.writeCreds("d.yaml", await db.createUser("emu", "s3cret", "seed_d"));
    expect((await runCli(["seed-db", "--rows", "500", "--seed", "8", "--creds", credsD])).code).toBe(0);
    expect(await tableRows("seed_d", "pinterest_data", "index")).not.toEqual(await tableRows("seed_b", "pinterest_data", "index"));
  });
});

describe.concurrent("bad input: one clear line, non-zero exit, no stack trace", { timeout: 60_000 }, () => {
  let rest: KafkaRestDouble;
  let outputs: string;

  beforeAll(async () => {
    rest = await startKafkaRestDouble({ topics: ["abc.pin", "abc.geo", "abc.user"], answerHtml: true });
    outputs = join(db.dir, "outputs.json");
    writeFileSync(outputs, JSON.stringify({ pipeline: { invoke_url: rest.url, api_auth: "none", region: "us-east-1", user_id: "abc", topics: ["abc.pin", "abc.geo", "abc.user"] } }));
  });

  afterAll(async () => {
    await rest?.close();
  });

  const expectOneLine = async (args: string[], line: string, code = 1) => {
    const result = await runCli(args);
    expect(lines(result.stderr)).toEqual([line]);
    expect(result.code).toBe(code);
    return result;
  };

  it("unreadable credentials file", async () => {
    const missing = join(db.dir, "nope.yaml");
    await expectOneLine(["run", "--outputs", outputs, "--creds", missing], `emulate: ${missing}: not found (copy db_creds.example.yaml and fill in HOST, USER, PASSWORD, DATABASE, PORT, or pass --creds <file>)`);
  });

  it("incomplete credentials file", async () => {
    const path = db.writeCreds("incomplete.yaml", `HOST: 127.0.0.1\nUSER: emu\nDATABASE: seed_a\nPORT: ${db.port}\n`);
    await expectOneLine(["seed-db", "--rows", "1", "--creds", path], `emulate: ${path}: missing PASSWORD (add PASSWORD: <value>; see db_creds.example.yaml)`);
  });

  it("wrong password", async () => {
    const path = db.writeCreds("wrong.yaml", `HOST: 127.0.0.1\nUSER: emu\nPASSWORD: wrong\nDATABASE: seed_a\nPORT: ${db.port}\n`);
    await expectOneLine(["run", "--outputs", outputs, "--creds", path], `emulate: database 127.0.0.1:${db.port}: access denied for user emu (check USER and PASSWORD in ${path})`);
  });

  it("unreachable host", async () => {
    const port = await freePort();
    const path = db.writeCreds("refused.yaml", `HOST: 127.0.0.1\nUSER: emu\nPASSWORD: s3cret\nDATABASE: seed_a\nPORT: ${port}\n`);
    await expectOneLine(["run", "--outputs", outputs, "--creds", path], `emulate: database 127.0.0.1:${port}: connection refused (is MySQL/MariaDB running there? check HOST and PORT in ${path})`);
  });

  it("missing tables", async () => {
    await db.rootQuery("CREATE DATABASE partial; CREATE TABLE partial.user_data (ind INT PRIMARY KEY);");
    const path = db.writeCreds("partial.yaml", await db.createUser("emu", "s3cret", "partial"));
    await expectOneLine(
      ["run", "--outputs", outputs, "--creds", path],
      `emulate: database partial on 127.0.0.1:${db.port}: missing tables pinterest_data, geolocation_data (create and fill them with: npm run emulate -- seed-db --rows 10000)`,
    );
  });

  it("outputs file without an invoke URL", async () => {
    const path = join(db.dir, "no-url.json");
    writeFileSync(path, JSON.stringify({ pipeline: { api_auth: "none", region: "us-east-1", user_id: "abc", topics: ["abc.pin", "abc.geo", "abc.user"] } }));
    await expectOneLine(
      ["run", "--outputs", path, "--creds", credsA],
      `emulate: outputs file ${path}: invoke_url is missing, expected the API Gateway stage invoke URL, https://<api>.execute-api.<region>.amazonaws.com/<stage> (re-run npx cdktf deploy --outputs-file ${path})`,
      2,
    );
  });

  it("a URL that answers HTML instead of the REST proxy's JSON", async () => {
    const result = await expectOneLine(
      ["run", "--outputs", outputs, "--creds", credsA, "--count", "20", "--concurrency", "1", "--dead-letter", join(db.dir, "html-dead.ndjson")],
      `emulate: ${rest.url}/topics/abc.pin answered text/html, expected the Kafka REST proxy's JSON: check the invoke URL and that the REST proxy runs`,
    );
    expect(result.stdout).toMatch(/^acknowledged\s+0$/m);
    // the run stopped at the first answer instead of posting every event
    expect(rest.requests.total).toBe(1);
  });

  it("an API that cannot be reached stops the run within seconds, naming it", async () => {
    const port = await freePort();
    const started = performance.now();
    const result = await runCli(["run", "--url", `http://127.0.0.1:${port}`, "--user-id", "abc", "--creds", credsA, "--count", "2000", "--batch", "50", "--dead-letter", join(db.dir, "unreachable-dead.ndjson")]);
    expect(lines(result.stderr)).toEqual([
      `emulate: cannot reach the API: http://127.0.0.1:${port}: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:${port}) (check the invoke URL, the network and that the API is deployed; nothing was acknowledged)`,
    ]);
    expect(result.code).toBe(1);
    // the default 5 retries with backoff would take seconds per record; the run stops at the first refusals
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(result.stdout).toMatch(/^acknowledged\s+0$/m);
    expect(result.stdout).toMatch(/^retried\s+0$/m);
  });

  it("no command exits 2 with one line", async () => {
    await expectOneLine([], "emulate: missing command: expected seed-db, run or redrive (e.g. npm run emulate -- run --count 100) (see: npm run emulate -- --help)", 2);
  });

  it("--dry-run without a database shows generated rows, marked as such", async () => {
    const result = await runCli(["run", "--url", "http://127.0.0.1:9/dev", "--user-id", "abc", "--creds", join(db.dir, "absent.yaml"), "--dry-run", "--batch", "2"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
    const [header] = lines(result.stdout);
    expect(header).toBe(
      `# dry run: the requests for the first 2 events from GENERATED rows, not your database (it could not be read: ${join(db.dir, "absent.yaml")}: not found (copy db_creds.example.yaml and fill in HOST, USER, PASSWORD, DATABASE, PORT, or pass --creds <file>)); they are the rows seed-db --rows 11154 --seed 100 creates (nothing is sent)`,
    );
    const order = eventOrder(Array.from({ length: 11154 }, (_, i) => i), 100);
    const [first, second] = [order.next().value as number, order.next().value as number];
    const pinBody = lines(result.stdout).find((line) => line.startsWith('{"records":[{"value":{"index"')) as string;
    expect(JSON.parse(pinBody)).toEqual({ records: [{ value: generateEvent(100, first).pin }, { value: generateEvent(100, second).pin }] });
  });

  it("a bad flag exits 2", async () => {
    await expectOneLine(["run", "--batch", "0"], 'emulate: --batch: got "0", expected an integer 1-10000 (e.g. --batch 500) (see: npm run emulate -- --help)', 2);
  });
});
