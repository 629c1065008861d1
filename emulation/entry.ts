/** The entry point main.mjs bundles: runs emulation/cli.ts's command on this process, by lib/cli-run.ts's convention. */
import { runCli } from "../lib/cli-run";
import { main } from "./cli";

await runCli("emulate", () =>
  main(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
  }),
);
