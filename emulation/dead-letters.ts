/**
 * The dead-letter file: one JSON line per record that could not be delivered,
 * `{"topic","event","reason","attempts","value"}`, opened on the first failed record only and
 * always appended to: a later run never destroys what an earlier one could not deliver. `redrive`
 * reads such a file back ({@link readDeadLetters}) and writes its own failures to a fresh file
 * ({@link redriveDeadLetterPath}), so the file it reads is never changed.
 */
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { z } from "zod";
import { EmulationError } from "./errors";

/** What a dead letter needs from a record. */
export interface UndeliveredRecord {
  readonly event: number;
  readonly json: string;
  readonly attempts: number;
}

export class DeadLetterFile {
  private fd: number | undefined;
  written = 0;

  constructor(readonly path: string) {}

  write(topic: string, record: UndeliveredRecord, reason: string): void {
    this.fd ??= this.open();
    writeSync(this.fd, `{"topic":${JSON.stringify(topic)},"event":${record.event},"reason":${JSON.stringify(reason)},"attempts":${record.attempts},"value":${record.json}}\n`);
    this.written++;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): number {
    try {
      return openSync(this.path, "a");
    } catch (err) {
      throw new EmulationError(`--dead-letter ${this.path}: cannot write (${(err as Error).message}); pass a writable path`);
    }
  }
}

/** A dead-lettered record as read back for redrive: its value kept as JSON text, ready to post. */
export interface DeadLetter {
  readonly topic: string;
  readonly event: number;
  readonly json: string;
}

const deadLetterLineSchema = z.strictObject({
  topic: z.string().min(1),
  event: z.number().int().min(0),
  reason: z.string(),
  attempts: z.number().int().min(0),
  value: z.record(z.string(), z.unknown()),
});

/** Reads a dead-letter file; a line that is not a dead letter stops everything, naming the file and line. */
export function readDeadLetters(path: string): DeadLetter[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : (err as Error).message;
    throw new EmulationError(`--dead-letter ${path}: ${reason} (pass the dead-letter file a run wrote, e.g. --dead-letter dead-letter.ndjson)`);
  }
  const records: DeadLetter[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new EmulationError(`--dead-letter ${path}: line ${i + 1} is not JSON (fix or delete the line; dead letters are written by npm run emulate -- run)`);
    }
    const checked = deadLetterLineSchema.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new EmulationError(`--dead-letter ${path}: line ${i + 1}: ${issue?.path.join(".") || "line"}: ${issue?.message ?? "invalid"} (expected {"topic","event","reason","attempts","value"})`);
    }
    records.push({ topic: checked.data.topic, event: checked.data.event, json: JSON.stringify(checked.data.value) });
  });
  return records;
}

/** Where redrive writes the records that fail again: `<input without .ndjson>.redrive-<UTC timestamp>.ndjson`, a fresh name. */
export function redriveDeadLetterPath(input: string, now: Date = new Date()): string {
  return `${input.replace(/\.ndjson$/, "")}.redrive-${now.toISOString().replace(/[-:]/g, "")}.ndjson`;
}
