/**
 * Asking the person at the terminal for a secret, without echoing it. Only host.mjs calls this,
 * and only when stdin is a terminal; everything else gets its input from flags and files.
 */

/** The terminal's two ends: what askHidden needs of process.stdin (a tty.ReadStream) and process.stderr. */
export interface Terminal {
  readonly input: Pick<NodeJS.ReadStream, "setRawMode" | "setEncoding" | "resume" | "pause" | "on" | "off">;
  readonly output: Pick<NodeJS.WriteStream, "write">;
}

/** Prints `prompt` on stderr and reads one line from the terminal with echo off; Ctrl-C rejects. */
export function askHidden(prompt: string, terminal: Terminal = { input: process.stdin, output: process.stderr }): Promise<string> {
  const stdin = terminal.input;
  terminal.output.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let text = "";
    const finish = (err?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      terminal.output.write("\n");
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return finish();
        if (ch === "\u0003") return finish(new Error("passphrase entry interrupted"));
        text = ch === "\u007f" || ch === "\b" ? text.slice(0, -1) : text + ch;
      }
    };
    stdin.on("data", onData);
  });
}
