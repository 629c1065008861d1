/** Entry point of `npm run doctor`: wires the real process, clock and credential chain into doctor/cli.ts. */
import { homedir } from "node:os";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { main } from "./cli";

// doctor's own Node check reports Node 20's end of life in one line; the SDK's multi-line notice would repeat it
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  home: homedir(),
  env: process.env,
  now: new Date(),
  stdout: (text) => process.stdout.write(text),
  stderr: (line) => process.stderr.write(`${line}\n`),
  credentials: fromNodeProviderChain(),
});
