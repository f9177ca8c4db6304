// The status-bar item: the server's state and version, shown while a polyaxonfile is the active
// editor; a click opens the output.

import * as vscode from "vscode";

export type ServerState = "starting" | "running" | "stopped" | "failed";

const ICONS: Record<ServerState, string> = {
  starting: "$(sync~spin)",
  running: "$(check)",
  stopped: "$(circle-slash)",
  failed: "$(error)",
};

export class ServerStatus implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly watcher: vscode.Disposable;
  private state: ServerState = "stopped";

  constructor(private readonly languageId: string, command: string) {
    this.item = vscode.window.createStatusBarItem("paramLsp.status", vscode.StatusBarAlignment.Right, 100);
    this.item.name = "param-lsp server";
    this.item.command = command;
    this.watcher = vscode.window.onDidChangeActiveTextEditor(() => this.updateVisibility());
    this.set("stopped", "No server started yet.");
  }

  get current(): ServerState {
    return this.state;
  }

  /** `version` is shown in the item when known (running); `detail` goes to the tooltip. */
  set(state: ServerState, detail: string, version?: string): void {
    this.state = state;
    const label = state === "running" && version ? `param-lsp ${version}` : `param-lsp: ${state}`;
    this.item.text = `${ICONS[state]} ${label}`;
    this.item.tooltip = new vscode.MarkdownString(`**param-lsp** (${state})\n\n${detail}\n\nClick to show the output.`);
    this.item.backgroundColor =
      state === "failed" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    this.updateVisibility();
  }

  private updateVisibility(): void {
    if (vscode.window.activeTextEditor?.document.languageId === this.languageId) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    this.watcher.dispose();
    this.item.dispose();
  }
}
