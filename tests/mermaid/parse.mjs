// Parses Mermaid files with Mermaid's own parser, current (12.x) and 10.x (older renderers, such
// as the one a Markdown host may run, must draw the output too); prints one JSON line per file
// and version ({"file", "mermaid", "ok", "diagramType"} or {..., "ok": false, "error"}); exit 1
// if any fails.
// Usage: node parse.mjs FILE...   (after `npm ci` in this folder)
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

// Mermaid sanitises labels with DOMPurify, which needs a window.
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const parsers = {
  "12": (await import("mermaid")).default,
  "10": (await import("mermaid-10")).default,
};

let failed = false;
for (const file of process.argv.slice(2)) {
  for (const [version, mermaid] of Object.entries(parsers)) {
    try {
      const result = await mermaid.parse(readFileSync(file, "utf8"));
      // 10.x answers `true`, 12.x the diagram type.
      const diagramType = result === true ? "flowchart" : result.diagramType;
      console.log(JSON.stringify({ file, mermaid: version, ok: true, diagramType }));
    } catch (error) {
      failed = true;
      console.log(JSON.stringify({ file, mermaid: version, ok: false, error: String(error?.message ?? error) }));
    }
  }
}
process.exit(failed ? 1 : 0);
