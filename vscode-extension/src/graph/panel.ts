// "Show pipeline graph": a webview beside the editor that draws the DAG of a polyaxonfile from
// the language server's analysis (`param-lsp.graph`, format json) and follows the user's edits.
// The drawing (dagre layout + SVG) runs in the webview from dist/graph-webview.js.

import * as vscode from "vscode";
import { LanguageClient } from "vscode-languageclient/node";

import { FromWebview, PipelineGraph, ToWebview } from "./model";

export const SHOW_GRAPH_COMMAND = "paramLsp.showPipelineGraph";
const SERVER_COMMAND = "param-lsp.graph";
const LANGUAGE_ID = "polyaxon";
/** After an edit, the graph is asked again once diagnostics arrive, or after this delay. */
const EDIT_FALLBACK_MS = 400;

/** `getClient` resolves once the server has started (or failed to: then undefined). */
export function registerGraphView(
  context: vscode.ExtensionContext,
  getClient: () => Promise<LanguageClient | undefined>,
): void {
  let view: GraphPanel | undefined;
  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_GRAPH_COMMAND, async (target?: string | vscode.Uri) => {
      const uri = target
        ? typeof target === "string"
          ? vscode.Uri.parse(target)
          : target
        : vscode.window.activeTextEditor?.document.uri;
      if (!uri) {
        void vscode.window.showInformationMessage("Open a polyaxonfile to see its pipeline graph.");
        return;
      }
      if (!view) {
        view = new GraphPanel(context, getClient, uri);
        view.onDispose(() => (view = undefined));
      } else {
        view.show(uri);
      }
    }),
  );
}

class GraphPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private uri: vscode.Uri;
  private timer: NodeJS.Timeout | undefined;
  private requested = 0;
  /** A file the view itself opened (a nested DAG's): showing it does not switch the graph. */
  private openedHere: string | undefined;

  constructor(
    context: vscode.ExtensionContext,
    private readonly getClient: () => Promise<LanguageClient | undefined>,
    uri: vscode.Uri,
  ) {
    this.uri = uri;
    const dist = vscode.Uri.joinPath(context.extensionUri, "dist");
    this.panel = vscode.window.createWebviewPanel(
      "paramLsp.pipelineGraph",
      this.title(),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [dist], retainContextWhenHidden: true },
    );
    this.panel.webview.html = this.html(dist);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((message: FromWebview) => void this.onMessage(message)),
      vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((u) => u.toString() === this.uri.toString())) this.refreshSoon(0);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() === this.uri.toString()) this.refreshSoon(EDIT_FALLBACK_MS);
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        const doc = editor?.document;
        // (Switching the language of the file just opened passes through no active editor.)
        if (!doc || doc.uri.toString() === this.openedHere) return;
        this.openedHere = undefined;
        if (doc.languageId === LANGUAGE_ID && doc.uri.toString() !== this.uri.toString()) this.show(doc.uri, false);
      }),
    );
    this.panel.onDidDispose(() => this.dispose());
  }

  onDispose(callback: () => void): void {
    this.panel.onDidDispose(callback);
  }

  show(uri: vscode.Uri, reveal = true): void {
    this.uri = uri;
    this.panel.title = this.title();
    if (reveal) this.panel.reveal(vscode.ViewColumn.Beside, true);
    this.refreshSoon(0);
  }

  private title(): string {
    return `Pipeline: ${this.uri.path.split("/").pop()}`;
  }

  private refreshSoon(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  private async refresh(): Promise<void> {
    const ticket = ++this.requested;
    const client = await this.getClient();
    if (ticket !== this.requested) return; // a newer request is on its way
    if (!client || !client.isRunning()) {
      this.post({ type: "unavailable", reason: "The param-lsp server is not running." });
      return;
    }
    try {
      const graph = (await client.sendRequest("workspace/executeCommand", {
        command: SERVER_COMMAND,
        arguments: [this.uri.toString(), "json"],
      })) as PipelineGraph | null;
      if (ticket !== this.requested) return; // a newer request is on its way
      if (!graph) {
        this.post({ type: "unavailable", reason: "No graph for this file." });
        return;
      }
      this.post({ type: "graph", graph, title: this.uri.path.split("/").pop() ?? "" });
    } catch (error) {
      if (ticket === this.requested) this.post({ type: "unavailable", reason: `No graph: ${String(error)}` });
    }
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(message: FromWebview): Promise<void> {
    if (message.type === "ready") {
      this.refreshSoon(0);
      return;
    }
    const { start, end } = message.range;
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    // A nested DAG written in another file (a pathRef) is revealed in that file.
    const target = message.uri ? vscode.Uri.parse(message.uri) : this.uri;
    this.openedHere = message.uri ? target.toString() : undefined;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri.toString());
    const editor = await vscode.window.showTextDocument(target, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      selection: range,
      preserveFocus: false,
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private html(dist: vscode.Uri): string {
    const webview = this.panel.webview;
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, "graph-webview.js"));
    const nonce = Array.from({ length: 32 }, () => Math.floor(Math.random() * 36).toString(36)).join("");
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}' ${webview.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: 12px; color: var(--vscode-foreground); padding: 8px; }
  #header { font-weight: 600; margin-bottom: 6px; }
  #stage { overflow: auto; }
  #stage svg { width: 100%; height: auto; display: block; }
  .node rect { fill: var(--vscode-editor-background); stroke: var(--vscode-foreground); stroke-width: 1.2; }
  .node.input rect { fill: var(--vscode-editorInfo-background, rgba(3,102,214,.12)); stroke: #3794ff; }
  .node.missing rect { stroke-dasharray: 5 3; }
  .node.broken rect { fill: rgba(215,58,73,.15); stroke: #d73a49; stroke-width: 2.5; }
  .cluster > rect { fill: var(--vscode-editorWidget-background, rgba(127,127,127,.06)); stroke: var(--vscode-foreground); stroke-opacity: .45; stroke-dasharray: 4 3; }
  .cluster.broken > rect { stroke: #d73a49; stroke-opacity: 1; stroke-width: 2.5; }
  .cluster-label { cursor: pointer; }
  .cluster-label text { fill: var(--vscode-foreground); font-size: 12px; }
  .cluster-label text.name { font-weight: 600; }
  .cluster-label text.detail { opacity: .75; }
  .toggle { cursor: pointer; }
  .node .toggle rect, .cluster .toggle rect { fill: var(--vscode-button-background, #0e639c); stroke: none; }
  .node .toggle text, .cluster .toggle text { fill: var(--vscode-button-foreground, #fff); font-size: 12px; font-weight: 700; }
  .node, .edge { cursor: pointer; }
  .node text { fill: var(--vscode-foreground); font-size: 12px; }
  .node text.name { font-weight: 600; }
  .node text.detail { opacity: .75; }
  .edge .line { fill: none; stroke: var(--vscode-foreground); stroke-opacity: .7; stroke-width: 1.5; }
  .edge.dependency .line, .edge.event .line { stroke-dasharray: 6 4; }
  .edge .hit { fill: none; stroke: transparent; stroke-width: 12; }
  .edge.broken .line { stroke: #d73a49; stroke-opacity: 1; stroke-width: 3; }
  .edge .label { fill: var(--vscode-foreground); font-size: 11px; }
  .edge.broken .label { fill: #d73a49; font-weight: 600; }
  .edge .label-bg { fill: var(--vscode-editor-background); opacity: .9; }
  .arrow { fill: var(--vscode-foreground); }
  .arrow.broken { fill: #d73a49; }
  #legend { margin-top: 10px; }
  .legend-head { font-weight: 600; margin-bottom: 4px; }
  .swatch { display: inline-block; width: 18px; height: 4px; background: #d73a49; vertical-align: middle; }
  .legend-row { color: #d73a49; cursor: pointer; padding: 2px 0; }
  .legend-row:hover { text-decoration: underline; }
</style></head>
<body><div id="header">Loading the pipeline graph…</div><div id="stage"></div><div id="legend"></div>
<script nonce="${nonce}" src="${script}"></script></body></html>`;
  }

  private dispose(): void {
    clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }
}
