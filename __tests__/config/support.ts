/** Config fixtures: a minimal valid config as an object, and helpers that vary one setting at a time. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { stringify } from "yaml";
import { ConfigError, type PipelineConfig, parseConfig } from "../../lib/config";
import { REPO_ROOT } from "../support/paths";

export const EXAMPLE_KEY = readFileSync(resolve(REPO_ROOT, "example-keys/operator.pub"), "utf8").trim();

/** Only the required settings; everything else takes its default. */
export const MINIMAL = {
  userId: "0a1b2c3d4e5f",
  region: "us-east-1",
  availabilityZones: ["us-east-1a", "us-east-1b"],
  clientHost: { sshAllowedCidrs: ["203.0.113.10/32"], sshPublicKey: EXAMPLE_KEY },
} as const;

type Settings = Record<string, unknown>;

/** A copy of `base` with the dotted `path` set to `value` (`undefined` removes the setting). */
export function withSetting(path: string, value: unknown, base: Settings = MINIMAL): Settings {
  const copy = structuredClone(base) as Settings;
  const keys = path.split(".");
  let node = copy;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Settings;
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** Applies several settings at once. */
export function withSettings(settings: Settings, base: Settings = MINIMAL): Settings {
  return Object.entries(settings).reduce((config, [path, value]) => withSetting(path, value, config), base);
}

export function parse(settings: Settings | string, baseDir = REPO_ROOT): PipelineConfig {
  const text = typeof settings === "string" ? settings : stringify(settings);
  return parseConfig(text, { source: "pipeline.yaml", baseDir });
}

/** The problem lines a config produces; fails the test when it is accepted. */
export function problemsOf(settings: Settings | string, baseDir = REPO_ROOT): readonly string[] {
  try {
    parse(settings, baseDir);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected the config to be rejected, but it was accepted");
}
