/**
 * Every mermaid diagram in the README and docs/ parses with mermaid's own parser, so what GitHub
 * renders is a diagram, not an error box. mermaid needs a DOM for its label sanitizer: jsdom gives it one.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/paths";

interface Diagram {
  readonly file: string;
  readonly line: number;
  readonly source: string;
}

/** The ```mermaid fenced blocks of a markdown text, with the line each starts on. */
export function mermaidBlocks(file: string, text: string): Diagram[] {
  const diagrams: Diagram[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== "```mermaid") continue;
    const end = lines.findIndex((line, j) => j > i && line.trim() === "```");
    if (end < 0) throw new Error(`${file}:${i + 1}: a mermaid block without its closing fence`);
    diagrams.push({ file, line: i + 1, source: lines.slice(i + 1, end).join("\n") });
    i = end;
  }
  return diagrams;
}

const markdownFiles = ["README.md", ...readdirSync(join(REPO_ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => join("docs", f))];
const diagrams = markdownFiles.flatMap((file) => mermaidBlocks(file, readFileSync(join(REPO_ROOT, file), "utf8")));

type Mermaid = typeof import("mermaid").default;
let mermaid: Mermaid;

beforeAll(async () => {
  const { window } = new JSDOM("");
  Object.assign(globalThis, { window, document: window.document });
  mermaid = (await import("mermaid")).default;
});

describe("mermaid diagrams", () => {
  it("finds the README's architecture diagram among them", () => {
    expect(diagrams.filter((d) => d.file === "README.md").length).toBeGreaterThanOrEqual(1);
  });

  it("rejects a broken diagram (the parser really parses)", async () => {
    await expect(mermaid.parse("flowchart LR\n  A[client] --> ")).rejects.toThrow(/Parse error/);
  });

  it.each(diagrams.map((d) => [`${d.file}:${d.line}`, d] as const))("%s parses", async (_where, diagram) => {
    await expect(mermaid.parse(diagram.source)).resolves.toMatchObject({ diagramType: expect.any(String) });
  });
});
