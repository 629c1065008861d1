/** `npm run verify` starts here; see cli.ts. */
import { homedir } from "node:os";
import { main } from "./cli";

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  home: process.env.HOME || homedir(),
  env: process.env,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
});
