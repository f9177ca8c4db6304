// Parses Mermaid files with Mermaid's own parser; prints one JSON line per file
// ({"file", "ok", "diagramType"} or {"file", "ok": false, "error"}); exit 1 if any fails.
// Usage: node parse.mjs FILE...   (after `npm ci` in this folder)
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

// Mermaid sanitises labels with DOMPurify, which needs a window.
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");

let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    const result = await mermaid.parse(readFileSync(file, "utf8"));
    console.log(JSON.stringify({ file, ok: true, diagramType: result.diagramType }));
  } catch (error) {
    failed = true;
    console.log(JSON.stringify({ file, ok: false, error: String(error?.message ?? error) }));
  }
}
process.exit(failed ? 1 : 0);
