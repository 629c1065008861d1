/**
 * Asking for the key's passphrase (provision/terminal.ts) on a stand-in terminal: a stream that
 * records raw-mode switches, fed keystrokes as a tty delivers them in raw mode. The CLI suite's
 * pty case runs the same function on a real terminal.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { askHidden, type Terminal } from "../../../provision/terminal";

/** A raw-mode terminal: input is a stream with setRawMode; output collects what was written. */
function fakeTerminal() {
  const input = Object.assign(new PassThrough(), {
    rawModes: [] as boolean[],
    setRawMode(mode: boolean) {
      input.rawModes.push(mode);
      return input;
    },
  });
  const written: string[] = [];
  const terminal: Terminal = { input: input as unknown as Terminal["input"], output: { write: (text: string | Uint8Array) => (written.push(String(text)), true) } };
  return { terminal, input, written };
}

describe("askHidden", () => {
  it("prints the prompt, reads up to Enter with echo off, then restores the terminal and ends the line", async () => {
    const { terminal, input, written } = fakeTerminal();
    const answer = askHidden("Enter passphrase for k: ", terminal);
    input.write("secr");
    input.write("et\rignored");
    expect(await answer).toBe("secret");
    expect(written).toEqual(["Enter passphrase for k: ", "\n"]);
    expect(input.rawModes).toEqual([true, false]);
    expect(input.isPaused()).toBe(true);
    expect(input.listenerCount("data")).toBe(0);
  });

  it("ends at a newline too, and backspace or DEL erase the last character", async () => {
    const { terminal, input } = fakeTerminal();
    const answer = askHidden("> ", terminal);
    input.write("abx\u007fc\bd\b\bZ\n");
    expect(await answer).toBe("aZ");
  });

  it("an empty answer is the empty string; backspace at the start erases nothing", async () => {
    const { terminal, input } = fakeTerminal();
    const answer = askHidden("> ", terminal);
    input.write("\b\r");
    expect(await answer).toBe("");
  });

  it("Ctrl-C rejects, with the terminal restored", async () => {
    const { terminal, input, written } = fakeTerminal();
    const answer = askHidden("> ", terminal);
    input.write("par\u0003tial\r");
    await expect(answer).rejects.toThrow("passphrase entry interrupted");
    expect(input.rawModes).toEqual([true, false]);
    expect(written).toEqual(["> ", "\n"]);
    expect(input.listenerCount("data")).toBe(0);
  });
});
