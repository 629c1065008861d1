/**
 * The dead-letter file: one JSON line per record that could not be delivered,
 * `{"topic","event","reason","attempts","value"}`, opened on the first failed record only.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { EmulationError } from "./errors";

/** What a dead letter needs from a record. */
export interface DeadRecord {
  readonly event: number;
  readonly json: string;
  readonly attempts: number;
}

export class DeadLetterFile {
  private fd: number | undefined;
  written = 0;

  constructor(readonly path: string) {}

  write(topic: string, record: DeadRecord, reason: string): void {
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
      return openSync(this.path, "w");
    } catch (err) {
      throw new EmulationError(`--dead-letter ${this.path}: cannot write (${(err as Error).message}); pass a writable path`);
    }
  }
}
