/**
 * The emulator's own files read back: the database credentials file (loadDbCreds/parseDbCreds) and
 * the dead-letter file (DeadLetterFile, readDeadLetters, redriveDeadLetterPath), at every refusal.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { loadDbCreds, parseDbCreds } from "../../emulation/creds";
import { DeadLetterFile, readDeadLetters, redriveDeadLetterPath } from "../../emulation/dead-letters";
import { defaultReceiptsPath, ReceiptsFile } from "../../emulation/receipts-file";

const dir = mkdtempSync(join(tmpdir(), "emulation-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIX = "copy db_creds.example.yaml and fill in HOST, USER, PASSWORD, DATABASE, PORT";
const GOOD = { HOST: "h", USER: "u", PASSWORD: "p", DATABASE: "d", PORT: "3306" };
const yaml = (keys: Record<string, string>) => Object.entries(keys).map(([key, value]) => `${key}: ${value}`).join("\n");

describe("the credentials file", () => {
  it("a missing file, and a path that cannot be read as a file", () => {
    const absent = join(dir, "absent.yaml");
    expect(() => loadDbCreds(absent)).toThrow(`${absent}: not found (${FIX}, or pass --creds <file>)`);
    const folder = join(dir, "a-folder.yaml");
    mkdirSync(folder);
    expect(() => loadDbCreds(folder)).toThrow(`${folder}: EISDIR: illegal operation on a directory, read (${FIX}, or pass --creds <file>)`);
  });

  it("reads a file into credentials named after it", () => {
    const path = join(dir, "db_creds.yaml");
    writeFileSync(path, yaml(GOOD));
    expect(loadDbCreds(path)).toEqual({ host: "h", user: "u", password: "p", database: "d", port: 3306, source: path });
  });

  it("text that is not YAML: its first line of the parser's message", () => {
    expect(() => parseDbCreds("HOST: [unclosed\nUSER: u", "c.yaml")).toThrow(/^c\.yaml: not valid YAML \([^\n]+\); copy db_creds\.example\.yaml/);
  });

  it.each(["HOST", "USER", "DATABASE", "PORT"])("a blank %s is missing", (key) => {
    expect(() => parseDbCreds(yaml({ ...GOOD, [key]: "'  '" }), "c.yaml")).toThrow(`c.yaml: missing ${key} (add ${key}: <value>; see db_creds.example.yaml)`);
  });

  it("every key missing is named in one line, in the file's documented order", () => {
    expect(() => parseDbCreds("OTHER: 1", "c.yaml")).toThrow("c.yaml: missing HOST, USER, PASSWORD, DATABASE, PORT (add HOST: <value>, USER: <value>, PASSWORD: <value>, DATABASE: <value>, PORT: <value>; see db_creds.example.yaml)");
  });

  it.each([
    ["0", "0"],
    ["65536", "65536"],
    ["3306.5", "3306.5"],
    ["'33 06'", '"33 06"'],
  ])("PORT %s is refused", (value, shown) => {
    expect(() => parseDbCreds(yaml({ ...GOOD, PORT: value }), "c.yaml")).toThrow(`c.yaml: PORT: got ${shown}, expected a TCP port 1-65535 (MySQL's default is 3306)`);
  });

  it("PORT at its limits; numbers and booleans in text keys are read as their text", () => {
    expect(parseDbCreds(yaml({ ...GOOD, PORT: "1" }), "c.yaml").port).toBe(1);
    expect(parseDbCreds(yaml({ ...GOOD, PORT: "65535" }), "c.yaml").port).toBe(65535);
    expect(parseDbCreds(yaml({ ...GOOD, USER: "1234", PASSWORD: "true" }), "c.yaml")).toMatchObject({ user: "1234", password: "true" });
  });
});

describe("the dead-letter file", () => {
  const line = (fields: Record<string, unknown>) => JSON.stringify({ topic: "u.pin", event: 1, reason: "HTTP 500", attempts: 2, value: { index: 1 }, ...fields });

  it("writes nothing, not even the file, until a record fails; closing releases the file", () => {
    const openFiles = () => readdirSync("/proc/self/fd").length;
    const path = join(dir, "dead.ndjson");
    const file = new DeadLetterFile(path);
    file.close();
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
    const before = openFiles();
    file.write("u.pin", { event: 3, attempts: 1, json: '{"index":3}' }, "HTTP 500");
    expect(openFiles()).toBe(before + 1);
    file.close();
    expect(openFiles()).toBe(before);
    expect(readFileSync(path, "utf8")).toBe('{"topic":"u.pin","event":3,"reason":"HTTP 500","attempts":1,"value":{"index":3}}\n');
    expect(file.written).toBe(1);
  });

  it("a path that cannot be written: one line naming it", () => {
    const file = new DeadLetterFile(join(dir, "no-such-dir", "dead.ndjson"));
    expect(() => file.write("t", { event: 1, attempts: 1, json: "{}" }, "r")).toThrow(/^--dead-letter .*no-such-dir\/dead\.ndjson: cannot write \(ENOENT: .*\); pass a writable path$/);
  });

  it("reads records back, skipping blank and whitespace-only lines", () => {
    const path = join(dir, "read.ndjson");
    writeFileSync(path, `${line({})}\n   \n\n${line({ topic: "u.geo", event: 2, value: { ind: 2 } })}\n`);
    expect(readDeadLetters(path)).toEqual([
      { topic: "u.pin", event: 1, json: '{"index":1}' },
      { topic: "u.geo", event: 2, json: '{"ind":2}' },
    ]);
  });

  it("refusals name the file, the line and the field", () => {
    const path = join(dir, "bad.ndjson");
    const refusal = (text: string) => {
      writeFileSync(path, text);
      return () => readDeadLetters(path);
    };
    expect(refusal(`${line({})}\nnot json\n`)).toThrow(`--dead-letter ${path}: line 2 is not JSON (fix or delete the line; dead letters are written by npm run emulate -- run)`);
    expect(refusal(`${line({ attempts: -1 })}\n`)).toThrow(new RegExp(`^--dead-letter ${path}: line 1: attempts: .+ \\(expected \\{"topic","event","reason","attempts","value"\\}\\)$`));
    expect(refusal("5\n")).toThrow(new RegExp(`^--dead-letter ${path}: line 1: line: .+ \\(expected \\{"topic","event","reason","attempts","value"\\}\\)$`));
    const folder = join(dir, "folder.ndjson");
    mkdirSync(folder);
    expect(() => readDeadLetters(folder)).toThrow(`--dead-letter ${folder}: EISDIR: illegal operation on a directory, read (pass the dead-letter file a run wrote, e.g. --dead-letter dead-letter.ndjson)`);
  });

  it("redrive's own file replaces only a final .ndjson", () => {
    const now = new Date("2026-12-02T10:11:12.345Z");
    expect(redriveDeadLetterPath("a.ndjson.bak", now)).toBe("a.ndjson.bak.redrive-20261202T101112.345Z.ndjson");
    expect(redriveDeadLetterPath("out/a.ndjson", now)).toBe("out/a.redrive-20261202T101112.345Z.ndjson");
  });
});

describe("the credentials file, unreadable or not YAML", () => {
  it("a file the user may not read says permission denied", () => {
    // mode 0200 and owned by root: refused to everyone, root included, so the test means the same under sudo
    const writeOnly = "/proc/sys/vm/compact_memory";
    expect(() => loadDbCreds(writeOnly)).toThrow(`${writeOnly}: not readable (permission denied) (${FIX}, or pass --creds <file>)`);
  });

  it("quotes the first line of the YAML parser's complaint, whole", () => {
    const text = "HOST: [unclosed\nUSER: u";
    let complaint = "";
    try {
      parseYaml(text);
    } catch (err) {
      complaint = (err as Error).message;
    }
    expect(complaint).toContain("\n");
    expect(() => parseDbCreds(text, "c.yaml")).toThrow(`c.yaml: not valid YAML (${complaint.split("\n")[0]}); ${FIX}`);
  });
});

describe("the receipts file", () => {
  it("exists as soon as the run starts (an unwritable path stops it before anything is posted), and stays empty without acknowledgements", () => {
    const path = join(dir, "receipts", "nested", "run.ndjson");
    const receipts = new ReceiptsFile(path);
    expect(readFileSync(path, "utf8")).toBe("");
    receipts.record("u.pin", [{ event: 1, json: "{}" }, { event: 2, json: "{}" }], [null]);
    receipts.close();
    expect(readFileSync(path, "utf8")).toBe("");
    expect(receipts.written).toBe(0);
  });

  it("an unwritable path is one line naming the flag, the path and the fix", () => {
    const blocker = join(dir, "receipts-blocker");
    writeFileSync(blocker, "a file where a folder should be");
    const path = join(blocker, "run.ndjson");
    let message = "";
    try {
      new ReceiptsFile(path);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.startsWith(`--receipts ${path}: cannot write (EEXIST: file already exists, mkdir `)).toBe(true);
    expect(message.endsWith("); pass a writable path")).toBe(true);
  });

  it("the default path: a fresh file per run, named by the UTC time without separators", () => {
    expect(defaultReceiptsPath("receipts", new Date("2026-11-27T07:30:00.123Z"))).toBe("receipts/20261127T073000.123Z.ndjson");
  });
});
