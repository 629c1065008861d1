#!/usr/bin/env node
// Entry point: `npx zx provision/host.mjs [options]` or `node provision/host.mjs [options]`.
// Loads the typed engine through tsx so the same file works under zx and plain node.
import { homedir } from "node:os";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register();
const { main } = await import("./cli.ts");
const { askHidden } = await import("./terminal.ts");

// zx and node put different things before the script path; the options are what follows it.
const self = fileURLToPath(import.meta.url);
const at = process.argv.findIndex((arg) => arg === self || arg.endsWith("/host.mjs") || arg === "host.mjs");
const args = at >= 0 ? process.argv.slice(at + 1) : process.argv.slice(2);

process.exitCode = await main(args, {
  cwd: process.cwd(),
  home: process.env.HOME || homedir(),
  sshAuthSock: process.env.SSH_AUTH_SOCK || undefined,
  pipelineConfig: process.env.PIPELINE_CONFIG || undefined,
  askPassphrase: process.stdin.isTTY ? askHidden : undefined,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
