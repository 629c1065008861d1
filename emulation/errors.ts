/** A problem the user can fix, described in one line; the CLI prints it without a stack trace. */
export class EmulationError extends Error {
  /** 2 for usage errors (bad flags), 1 for everything else. */
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "EmulationError";
    this.exitCode = exitCode;
  }
}
