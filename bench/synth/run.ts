/**
 * npm run bench:synth [-- --runs N] [--write]
 *
 * Cold synthesis of the whole pipeline stack, each run a fresh Node process (module loading,
 * construct tree, JSON). Two variants of the SAME stack code:
 *   deep  - the project as committed: provider classes imported by deep path (`@cdktf/provider-aws/lib/msk-cluster`);
 *   root  - a generated copy of constructs/ and lib/ (in .tmp/) whose constructs/aws.ts takes the same classes
 *           from the package root (`import aws from "@cdktf/provider-aws"; ... = aws.mskCluster;`), the
 *           namespace import the provider's README shows.
 * Wall time is measured around the child process (spawn to exit, Node and tsx start-up included);
 * peak RSS is the child's own `process.resourceUsage().maxRSS` (tsx's esbuild helper process not included).
 * One untimed warm-up run per variant fills tsx's transform cache; then runs alternate between variants.
 * `--write` records the table in bench/synth/RESULTS.md.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";

const repo = new URL("../..", import.meta.url).pathname;
const tsxLoader = pathToFileURL(join(repo, "node_modules", "tsx", "dist", "loader.mjs")).href;
const child = join(repo, "bench", "synth", "child.ts");

interface Sample {
  readonly seconds: number;
  readonly peakRssMiB: number;
  readonly resources: number;
}

/**
 * Rewrites constructs/aws.ts, the one module that loads provider classes by deep path
 * (`export const { MskCluster } = load("@cdktf/provider-aws/lib/msk-cluster") as ...`), to take them
 * from the package root instead (`export const { MskCluster } = awsProviderRoot.mskCluster;`).
 */
export function rewriteToRootImports(source: string): string {
  let usesRoot = false;
  const rewritten = source.replace(/^export const \{ (\w+) \} = load\("@cdktf\/provider-aws\/lib\/([a-z0-9-]+)"\) as typeof import\("[^"]+"\);$/gm, (_line, name: string, module: string) => {
    usesRoot = true;
    const namespace = module.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
    return `export const { ${name} } = awsProviderRoot.${namespace};`;
  });
  if (!usesRoot) return rewritten;
  return `import awsProviderRoot from "@cdktf/provider-aws";\n${rewritten}`;
}

/** Copies constructs/ and lib/ into .tmp/bench-synth-root with root imports; returns the tree's path. */
function generateRootVariant(): string {
  const tree = join(repo, ".tmp", "bench-synth-root");
  rmSync(tree, { recursive: true, force: true });
  for (const dir of ["constructs", "lib"]) {
    cpSync(join(repo, dir), join(tree, dir), { recursive: true });
    for (const file of walk(join(tree, dir)).filter((f) => f.endsWith(".ts"))) {
      writeFileSync(file, rewriteToRootImports(readFileSync(file, "utf8")));
    }
  }
  const rewritten = readFileSync(join(tree, "constructs", "aws.ts"), "utf8");
  if (/load\("@cdktf\/provider-aws\/lib\//.test(rewritten) || !rewritten.includes("awsProviderRoot.mskCluster")) {
    throw new Error("the root-import variant still loads deep paths: update rewriteToRootImports to match constructs/aws.ts");
  }
  return tree;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function synthOnce(tree: string): Sample {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["--import", tsxLoader, child, tree], { cwd: repo, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`synthesis of ${tree} failed:\n${result.stderr}`);
  const line = JSON.parse(result.stdout.trim().split("\n").pop()!) as { resources: number; peakRssMiB: number };
  return { seconds, ...line };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, write: { type: "boolean", default: false } }, strict: true });
  const runs = Number(values.runs);
  const variants = { deep: repo, root: generateRootVariant() };
  const samples: Record<keyof typeof variants, Sample[]> = { deep: [], root: [] };
  for (const tree of Object.values(variants)) synthOnce(tree);
  for (let i = 0; i < runs; i++) {
    for (const name of Object.keys(variants) as (keyof typeof variants)[]) {
      const sample = synthOnce(variants[name]);
      samples[name].push(sample);
      process.stderr.write(`run ${i + 1}/${runs} ${name}: ${sample.seconds.toFixed(2)} s, ${sample.peakRssMiB.toFixed(0)} MiB, ${sample.resources} resources\n`);
    }
  }
  const summary = Object.fromEntries(
    (Object.keys(samples) as (keyof typeof variants)[]).map((name) => [name, { seconds: median(samples[name].map((s) => s.seconds)), rss: median(samples[name].map((s) => s.peakRssMiB)), resources: samples[name][0].resources }]),
  ) as Record<keyof typeof variants, { seconds: number; rss: number; resources: number }>;
  const ratio = summary.deep.seconds / summary.root.seconds;
  const table = [
    `| cold synthesis, ${summary.deep.resources} resources (median of ${runs}) | deep imports (project) | package-root imports (baseline) |`,
    "|---|---|---|",
    `| wall time | ${summary.deep.seconds.toFixed(2)} s | ${summary.root.seconds.toFixed(2)} s |`,
    `| peak RSS | ${summary.deep.rss.toFixed(0)} MiB | ${summary.root.rss.toFixed(0)} MiB |`,
    "",
    `deep/root time ratio: ${ratio.toFixed(3)} (target <= 0.25: ${ratio <= 0.25 ? "met" : "NOT met"}); deep peak RSS target < 200 MiB: ${summary.deep.rss < 200 ? "met" : "NOT met"}`,
  ].join("\n");
  process.stdout.write(`${table}\n`);
  if (values.write) writeResults(table, runs, samples);
  rmSync(variants.root, { recursive: true, force: true });
}

function writeResults(table: string, runs: number, samples: Record<string, Sample[]>): void {
  const raw = Object.entries(samples)
    .map(([name, list]) => `- ${name}: ${list.map((s) => `${s.seconds.toFixed(2)} s / ${s.peakRssMiB.toFixed(0)} MiB`).join(", ")}`)
    .join("\n");
  const text = `# bench/synth: cold synthesis of the whole stack

Command: \`npm run bench:synth -- --write\` (${runs} runs per variant after one untimed warm-up each, alternating).

Machine: ${cpus().length} vCPU (${cpus()[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}, Debian 12.
Load average when the runs ended: ${loadavg().map((l) => l.toFixed(1)).join(" / ")} (1/5/15 min); anything above ${cpus().length} means other
work shared the CPUs and inflated both columns.

What is measured (the project's variant also turns off source-map decoding while it loads the provider
modules, see constructs/aws.ts; the baseline loads the root the ordinary way): each run is a fresh \`node --import tsx bench/synth/child.ts\` process that loads the stack's
modules, builds the stack from pipeline.example.yaml and writes cdk.tf.json. Wall time is spawn to exit
(Node and tsx start-up included); peak RSS is the child's own \`process.resourceUsage().maxRSS\`.

The baseline is the same stack code with its provider imports rewritten to the package root
(constructs/aws.ts rewritten to \`import aws from "@cdktf/provider-aws"; export const { MskCluster } = aws.mskCluster;\`
instead of \`require("@cdktf/provider-aws/lib/msk-cluster")\`), generated by the benchmark into \`.tmp/bench-synth-root/\`; everything else (cdktf, config, policy checks) is identical.

${table}

Raw samples (time / peak RSS):
${raw}
`;
  mkdirSync(join(repo, "bench", "synth"), { recursive: true });
  writeFileSync(join(repo, "bench", "synth", "RESULTS.md"), text);
  process.stderr.write("wrote bench/synth/RESULTS.md\n");
}

main();
