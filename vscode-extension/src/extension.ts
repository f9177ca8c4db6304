// VS Code client for the param-lsp language server (`param-lsp serve`, stdio).
//
// Polyaxonfiles get their own language id ("polyaxon", YAML grammar underneath) so that the
// server only sees them: by file name (package.json `filenamePatterns`), by the user's extra
// globs, or by content for other YAML files. Crashes restart the server with back-off.

import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import {
  CloseAction,
  CloseHandlerResult,
  ErrorAction,
  ErrorHandlerResult,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
} from "vscode-languageclient/node";

import {
  analysisSettings,
  Backoff,
  isPolyaxonFileName,
  looksLikePolyaxonfile,
  resolveServerCommand,
  ServerCommand,
} from "./logic";

const LANGUAGE_ID = "polyaxon";
const SECTION = "paramLsp";
const INSTALL_HELP = "How to install";
const OPEN_SETTINGS = "Open settings";

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let stopping = false;
let restartTimer: NodeJS.Timeout | undefined;
const backoff = new Backoff();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("param-lsp", { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("paramLsp.restartServer", async () => {
      backoff.reset();
      await restart(context);
    }),
    vscode.commands.registerCommand("paramLsp.showOutput", () => output.show(true)),
    vscode.workspace.onDidOpenTextDocument((doc) => void adopt(doc)),
    // A new file becomes a polyaxonfile once it has the markers; checked on save, not per key.
    vscode.workspace.onDidSaveTextDocument((doc) => void adopt(doc)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration(`${SECTION}.server`)) {
        backoff.reset();
        await restart(context);
      } else if (event.affectsConfiguration(`${SECTION}.files`)) {
        vscode.workspace.textDocuments.forEach((doc) => void adopt(doc));
      }
    }),
    { dispose: () => void stopClient() },
  );
  for (const doc of vscode.workspace.textDocuments) await adopt(doc);
  await startClient(context);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

/** Switches a YAML document to the polyaxon language when its name or content says so. */
async function adopt(doc: vscode.TextDocument): Promise<void> {
  if (doc.languageId !== "yaml" || !["file", "untitled"].includes(doc.uri.scheme)) return;
  const files = vscode.workspace.getConfiguration(`${SECTION}.files`, doc.uri);
  const extraGlobs = files.get<string[]>("include", []);
  const byName = isPolyaxonFileName(doc.uri.fsPath, extraGlobs);
  const byContent = !byName && files.get<boolean>("detectByContent", true) && looksLikePolyaxonfile(doc.getText());
  if (byName || byContent) {
    output.appendLine(`Treating ${doc.uri.fsPath} as a polyaxonfile (${byName ? "file name" : "content"}).`);
    await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID);
  }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const server = await findServer();
  if (!server) return;
  output.appendLine(`Starting ${server.command} ${server.args.join(" ")} (from ${server.origin})`);
  const serverOptions: ServerOptions = {
    command: server.command,
    args: server.args,
    // No `transport`: TransportKind.stdio would append `--stdio` to the arguments.
    options: { env: { ...process.env, PYTHONUNBUFFERED: "1" } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: LANGUAGE_ID },
      { scheme: "untitled", language: LANGUAGE_ID },
    ],
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: currentSettings(),
    // Changes trigger workspace/didChangeConfiguration; the server then pulls its section
    // ("param-lsp"), answered here with the analysis settings only (unset values dropped so
    // that the project's .param-lsp.toml keeps precedence for them).
    synchronize: { configurationSection: SECTION },
    middleware: {
      workspace: {
        configuration: (params) => params.items.map(() => currentSettings()),
      },
    },
    errorHandler: {
      error: (): ErrorHandlerResult => ({ action: ErrorAction.Continue }),
      closed: (): CloseHandlerResult => onServerClosed(context),
    },
  };
  const created = new LanguageClient("paramLsp", "param-lsp", serverOptions, clientOptions);
  client = created;
  created.onDidChangeState((event) => {
    if (event.newState === State.Running) output.appendLine("Server running.");
  });
  try {
    await created.start();
  } catch (error) {
    output.appendLine(`The server failed to start: ${String(error)}`);
  }
}

/** The connection closed: restart after a growing delay, or give up after repeated crashes. */
function onServerClosed(context: vscode.ExtensionContext): CloseHandlerResult {
  if (stopping) return { action: CloseAction.DoNotRestart, handled: true };
  const delay = backoff.nextDelay(Date.now());
  if (delay === undefined) {
    const message = `The param-lsp server crashed ${backoff.recentCrashes} times in a few minutes; not restarting it.`;
    output.appendLine(message);
    void vscode.window.showErrorMessage(message, "Restart server", "Show output").then((choice) => {
      if (choice === "Restart server") void vscode.commands.executeCommand("paramLsp.restartServer");
      if (choice === "Show output") output.show(true);
    });
    return { action: CloseAction.DoNotRestart, handled: true };
  }
  output.appendLine(`The server stopped unexpectedly; restarting in ${delay} ms.`);
  clearTimeout(restartTimer);
  restartTimer = setTimeout(() => void restart(context), delay);
  return { action: CloseAction.DoNotRestart, handled: true };
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  clearTimeout(restartTimer);
  await stopClient();
  await startClient(context);
}

async function stopClient(): Promise<void> {
  const current = client;
  client = undefined;
  if (!current) return;
  stopping = true;
  try {
    if (current.state === State.Running) await current.stop(2000);
    if (current.state !== State.Stopped) await current.dispose(2000);
  } catch (error) {
    output.appendLine(`Stopping the server: ${String(error)}`);
  } finally {
    stopping = false;
  }
}

function currentSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    ...analysisSettings({
      targetVersion: config.get("targetVersion"),
      strictParams: config.get("strictParams"),
      severity: config.get("severity"),
      hubMap: config.get("hubMap"),
      urlMap: config.get("urlMap"),
      debounceMs: config.get("debounceMs"),
    }),
  };
}

/** Resolves the server command and checks it can run; explains how to install it if not. */
async function findServer(): Promise<ServerCommand | undefined> {
  const config = vscode.workspace.getConfiguration(`${SECTION}.server`);
  const settings = {
    command: config.get<string[]>("command", []),
    pythonPath: config.get<string>("pythonPath", ""),
  };
  const server = resolveServerCommand(settings, findExecutable);
  if (server && (await serverRuns(server))) return server;
  const what = server
    ? `\`${server.command} ${server.args.join(" ")}\` does not run the param-lsp server`
    : settings.command.length
      ? `the command \`${settings.command[0]}\` (paramLsp.server.command) was not found`
      : settings.pythonPath
        ? `the interpreter \`${settings.pythonPath}\` (paramLsp.server.pythonPath) was not found`
        : "`param-lsp` was not found on PATH";
  const message = `param-lsp: ${what}. Install it with \`pip install param-lsp\` (or pipx), or set paramLsp.server.pythonPath.`;
  output.appendLine(message);
  void vscode.window.showErrorMessage(message, INSTALL_HELP, OPEN_SETTINGS).then((choice) => {
    if (choice === INSTALL_HELP) void showInstallHelp();
    if (choice === OPEN_SETTINGS) {
      void vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.server`);
    }
  });
  return undefined;
}

/** `... serve` → `... --version` must succeed: catches a python without param-lsp installed. */
function serverRuns(server: ServerCommand): Promise<boolean> {
  if (server.args[server.args.length - 1] !== "serve") return Promise.resolve(true);
  const args = server.args.slice(0, -1).concat("--version");
  return new Promise((resolve) => {
    execFile(server.command, args, { timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) {
        output.appendLine(`${server.command} ${args.join(" ")} failed: ${stderr || error.message}`);
        resolve(false);
      } else {
        output.appendLine(`Found ${stdout.trim()}`);
        resolve(true);
      }
    });
  });
}

async function showInstallHelp(): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({
    language: "markdown",
    content: [
      "# Installing the param-lsp server",
      "",
      "The extension starts `param-lsp serve`, a Python program (Python 3.11 or newer):",
      "",
      "```sh",
      "pipx install param-lsp          # or: python3 -m pip install param-lsp",
      "```",
      "",
      "Then either make sure `param-lsp` is on the `PATH` VS Code sees, or point the extension at",
      "the interpreter that has it installed, in settings.json:",
      "",
      "```json",
      '"paramLsp.server.pythonPath": "/path/to/venv/bin/python"',
      "```",
      "",
      "or give the whole command:",
      "",
      "```json",
      '"paramLsp.server.command": ["/path/to/venv/bin/param-lsp", "serve"]',
      "```",
      "",
      "Then run **param-lsp: Restart server** from the command palette.",
      "",
    ].join("\n"),
  });
  await vscode.window.showTextDocument(doc, { preview: true });
}

/** Absolute paths as given; bare names searched on PATH (with PATHEXT on Windows). */
function findExecutable(name: string): string | undefined {
  const expanded = name.replace(/^~(?=$|[\\/])/, process.env.HOME ?? "~");
  if (expanded.includes("/") || expanded.includes("\\")) {
    return isExecutable(expanded) ? path.resolve(expanded) : undefined;
  }
  const extensions = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE").split(";") : [""];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    for (const ext of extensions) {
      const candidate = path.join(dir, expanded + ext);
      if (dir && isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
