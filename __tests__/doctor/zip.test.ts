import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ZipFormatError, bufferAccess, readCentralDirectory, readEntry, withFileAccess } from "../../doctor/local/zip";
import { buildZip, scratchDir } from "./support";

const scratch = scratchDir("doctor-zip-");
afterAll(scratch.cleanup);

describe("ZIP central directory reader", () => {
  it("lists the members and reads stored and deflated ones, as Info-ZIP does", () => {
    const path = join(scratch.dir, "two.zip");
    writeFileSync(path, buildZip([{ name: "a/readme.txt", content: "hello ".repeat(100) }, { name: "a/raw.bin", content: Buffer.from([1, 2, 3]), deflate: false }], "a comment"));
    // cross-check the fixture builder against the Debian tools, so the reader is tested on valid archives
    expect(spawnSync("zipinfo", ["-1", path], { encoding: "utf8" }).stdout.trim().split("\n")).toEqual(["a/readme.txt", "a/raw.bin"]);
    expect(spawnSync("unzip", ["-tq", path], { encoding: "utf8" }).status).toBe(0);

    const entries = withFileAccess(path, readCentralDirectory);
    expect(entries.map((entry) => [entry.name, entry.method])).toEqual([["a/readme.txt", 8], ["a/raw.bin", 0]]);
    expect(withFileAccess(path, (file) => readEntry(file, entries[0]).toString())).toBe("hello ".repeat(100));
    expect(withFileAccess(path, (file) => [...readEntry(file, entries[1])])).toEqual([1, 2, 3]);
  });

  it("reads a ZIP64 archive written by Info-ZIP zip -fz", () => {
    const dir = join(scratch.dir, "z64");
    spawnSync("mkdir", ["-p", join(dir, "lib")]);
    writeFileSync(join(dir, "manifest.json"), '{"name":"x"}');
    writeFileSync(join(dir, "lib", "x.jar"), Buffer.alloc(5000, 1));
    const made = spawnSync("zip", ["-q", "-r", "-fz", join(scratch.dir, "z64.zip"), "."], { cwd: dir, encoding: "utf8" });
    expect(made.status, made.stderr).toBe(0);
    const bytes = readFileSync(join(scratch.dir, "z64.zip"));
    // -fz writes the ZIP64 end record and 0xffffffff in the classic fields, so the ZIP64 paths run
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    const archive = bufferAccess(bytes);
    const entries = readCentralDirectory(archive);
    expect(entries.map((entry) => entry.name).sort()).toEqual(["lib/", "lib/x.jar", "manifest.json"]);
    const manifest = entries.find((entry) => entry.name === "manifest.json")!;
    expect(readEntry(archive, manifest).toString()).toBe('{"name":"x"}');
  });

  it("rejects a text file, an empty file and a truncated archive with a reason", () => {
    expect(() => readCentralDirectory(bufferAccess(Buffer.from("Not Found\n")))).toThrow(new ZipFormatError("10 bytes is too small for a ZIP archive"));
    expect(() => readCentralDirectory(bufferAccess(Buffer.from("<html>" + " ".repeat(100) + "</html>")))).toThrow(/no end-of-central-directory record/);
    const whole = buildZip([{ name: "a.txt", content: "x".repeat(1000), deflate: false }]);
    const truncated = Buffer.concat([whole.subarray(0, 200), whole.subarray(whole.length - 22)]);
    expect(() => readCentralDirectory(bufferAccess(truncated))).toThrow(/past the end of the file \(truncated download\?\)/);
  });
});
