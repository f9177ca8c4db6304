import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

// The tests run from out-test/, one folder below the extension.
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));

/** The title VS Code's settings editor shows for a key: `paramLsp.server.pythonPath` → "Server: Python Path". */
function settingTitle(key: string): string {
  return key
    .split(".")
    .slice(1)
    .map((part) => part.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase()))
    .join(": ");
}

describe("package.json", () => {
  it("gives every setting a title made of words (no unit or abbreviation suffixes)", () => {
    const titles = Object.keys(manifest.contributes.configuration.properties).map(settingTitle);
    assert.ok(titles.includes("Server: Python Path"));
    for (const title of titles) {
      for (const word of title.split(/[: ]+/)) {
        assert.ok(!["Ms", "Cfg", "Num", "Msg", "Str", "Dir"].includes(word), `${title}: ${word}`);
      }
    }
  });

  it("names the distribution and ships the licence", () => {
    assert.equal(manifest.name, "polyaxon-param-lsp");
    assert.equal(manifest.license, "Apache-2.0");
    assert.match(fs.readFileSync(path.join(__dirname, "..", "LICENSE"), "utf8"), /Apache License\s+Version 2\.0/);
  });

  it("contributes the pipeline graph command and builds its view's script before packaging", () => {
    const commands = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(commands.includes("paramLsp.showPipelineGraph"));
    assert.ok(commands.includes("paramLsp.showInstallHelp"));
    const titleButtons = manifest.contributes.menus["editor/title"].map((m: { command: string }) => m.command);
    assert.deepEqual(titleButtons, ["paramLsp.showPipelineGraph"]);
    // vscode:prepublish runs both the bundles (extension + graph view) and the server bundle.
    assert.match(manifest.scripts["vscode:prepublish"], /npm run bundle\b/);
    assert.match(manifest.scripts["vscode:prepublish"], /npm run bundle-server\b/);
    assert.match(manifest.scripts.bundle, /npm run bundle:graph/);
    assert.match(manifest.scripts["bundle:graph"], /--outfile=dist\/graph-webview\.js/);
  });

  it("contributes the server's index command to the palette, under the server's own id", () => {
    // The language client registers the server's commands; the palette entry must use that id.
    const indexing = fs.readFileSync(
      path.join(__dirname, "..", "..", "param_lsp", "lsp", "indexing.py"),
      "utf8",
    );
    const serverId = /^INDEX_COMMAND = "([^"]+)"$/m.exec(indexing)?.[1];
    assert.equal(serverId, "param-lsp.indexWorkspace");
    const commands = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(commands.includes(serverId));
  });
});
