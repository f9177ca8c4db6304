// VS Code client for the param-lsp language server (`param-lsp serve`, stdio).
//
// Polyaxonfiles get their own language id ("polyaxon", YAML grammar underneath) so that the
// server only sees them: by file name (package.json `filenamePatterns`), by the user's extra
// globs, or by content for other YAML files. The server starts with the first polyaxonfile: the
// copy bundled in the .vsix (serverSetup.ts says which program, and checks its identity); crashes
// restart it with back-off. The status bar shows its state (status.ts); without a server, a
// notice offers the install help when a polyaxonfile is opened (help.ts).

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

import { registerGraphView, SHOW_GRAPH_COMMAND } from "./graph/panel";
import { NoServerNotice, registerInstallHelp, showInstallHelp } from "./help";
import { analysisSettings, Backoff, isPolyaxonFileName, looksLikePolyaxonfile } from "./logic";
import { onInterpreterChanged, selectedInterpreter } from "./python";
import {
  Candidate,
  commandLine,
  parseIdentity,
  probeProblem,
  ProbeResult,
  serverCandidates,
  serverInfoProblem,
  versionArgs,
} from "./serverSetup";
import { ServerStatus } from "./status";

const LANGUAGE_ID = "polyaxon";
const SECTION = "paramLsp";
const SHOW_OUTPUT_COMMAND = "paramLsp.showOutput";

let client: LanguageClient | undefined;
let starting: Promise<void> | undefined;
let output: vscode.LogOutputChannel;
let status: ServerStatus;
let notice: NoServerNotice;
let stopping = false;
let restartTimer: NodeJS.Timeout | undefined;
const backoff = new Backoff();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("param-lsp", { log: true });
  output.appendLine(`Extension ${context.extension.id} ${context.extension.packageJSON.version} activated.`);
  status = new ServerStatus(LANGUAGE_ID, SHOW_OUTPUT_COMMAND);
  notice = new NoServerNotice(context.globalState, () => output.show(true));
  context.subscriptions.push(
    output,
    status,
    registerInstallHelp(),
    vscode.commands.registerCommand("paramLsp.restartServer", async () => {
      backoff.reset();
      await restart(context);
    }),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => output.show(true)),
    vscode.commands.registerCommand("paramLsp.showInstallHelp", () => showInstallHelp()),
    vscode.workspace.onDidOpenTextDocument((doc) => void onDocument(context, doc)),
    // A new file becomes a polyaxonfile once it has the markers; checked on save, not per key.
    vscode.workspace.onDidSaveTextDocument((doc) => void onDocument(context, doc)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration(`${SECTION}.server`)) {
        backoff.reset();
        if (starting) await restart(context);
      } else if (event.affectsConfiguration(`${SECTION}.files`)) {
        vscode.workspace.textDocuments.forEach((doc) => void onDocument(context, doc));
      }
    }),
    { dispose: () => void stopClient() },
  );
  // The graph view asks the server once it has started (with the first polyaxonfile) or failed.
  registerGraphView(context, async () => {
    await starting?.catch(() => undefined);
    return client;
  });
  for (const doc of vscode.workspace.textDocuments) await onDocument(context, doc);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

/** Adopts a polyaxonfile, starts the server with the first one, or offers help without one. */
async function onDocument(context: vscode.ExtensionContext, doc: vscode.TextDocument): Promise<void> {
  await adopt(doc);
  if (doc.languageId !== LANGUAGE_ID) return;
  ensureStarted(context);
  notice.consider(doc);
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

function ensureStarted(context: vscode.ExtensionContext): void {
  if (!starting) starting = startClient(context);
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  status.set("starting", "Looking for the server.");
  const server = await findServer(context);
  if (!server) return;
  output.appendLine(`Starting ${commandLine(server.command, server.args)} (${server.origin})`);
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
    // graphCommand: the server's code lenses open the graph view.
    initializationOptions: { ...currentSettings(), graphCommand: SHOW_GRAPH_COMMAND },
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
    if (event.newState === State.Stopped && client === created && status.current === "running") {
      status.set("stopped", "The server stopped.");
    }
  });
  try {
    await created.start();
  } catch (error) {
    fail(`the server failed to start: ${String(error)}`);
    return;
  }
  const info = created.initializeResult?.serverInfo;
  const wrong = serverInfoProblem(server, info);
  if (wrong) {
    await stopClient();
    fail(wrong);
    return;
  }
  status.set("running", `${info?.name} ${info?.version ?? ""}, ${server.origin}.`, info?.version);
  notice.setProblem(undefined, []);
}

/** Records that no server runs: output, status bar, and the notice (on a polyaxonfile). */
function fail(problem: string): void {
  output.appendLine(`No server: ${problem}.`);
  status.set("failed", problem);
  notice.setProblem(problem, vscode.workspace.textDocuments);
}

/** The connection closed: restart after a growing delay, or give up after repeated crashes. */
function onServerClosed(context: vscode.ExtensionContext): CloseHandlerResult {
  if (stopping) return { action: CloseAction.DoNotRestart, handled: true };
  const delay = backoff.nextDelay(Date.now());
  if (delay === undefined) {
    const message = `The param-lsp server crashed ${backoff.recentCrashes} times in a few minutes; not restarting it.`;
    output.appendLine(message);
    status.set("failed", message);
    void vscode.window.showErrorMessage(message, "Restart server", "Show output").then((choice) => {
      if (choice === "Restart server") void vscode.commands.executeCommand("paramLsp.restartServer");
      if (choice === "Show output") output.show(true);
    });
    return { action: CloseAction.DoNotRestart, handled: true };
  }
  output.appendLine(`The server stopped unexpectedly; restarting in ${delay} ms.`);
  status.set("starting", `The server stopped unexpectedly; restarting in ${delay} ms.`);
  clearTimeout(restartTimer);
  restartTimer = setTimeout(() => void restart(context), delay);
  return { action: CloseAction.DoNotRestart, handled: true };
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  clearTimeout(restartTimer);
  await starting?.catch(() => undefined);
  await stopClient();
  starting = startClient(context);
  await starting;
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
    }),
  };
}

/** The first candidate that identifies itself as polyaxon-param-lsp; records why if none does. */
async function findServer(context: vscode.ExtensionContext): Promise<Candidate | undefined> {
  const config = vscode.workspace.getConfiguration(`${SECTION}.server`);
  const command = config.get<string[]>("command", []);
  const pythonPath = config.get<string>("pythonPath", "");
  const bundledScript = context.asAbsolutePath(path.join("bundled", "tool", "server.py"));
  const hasBundle = fs.existsSync(context.asAbsolutePath(path.join("bundled", "libs", "param_lsp")));
  const interpreter = command.length || pythonPath ? undefined : await selectedInterpreter(vscode.workspace.workspaceFolders?.[0]?.uri);
  if (!command.length && !pythonPath) await watchInterpreter(context);
  if (interpreter) output.appendLine(`The Python extension's interpreter: ${interpreter}`);
  const { candidates, missing } = serverCandidates(
    { command, pythonPath, selectedInterpreter: interpreter, bundledScript: hasBundle ? bundledScript : undefined },
    findExecutable,
  );
  const problems = [...missing];
  for (const candidate of candidates) {
    const result = await probe(candidate);
    const problem = probeProblem(candidate, result);
    if (!problem) {
      output.appendLine(`Found ${parseIdentity(result.stdout) ? result.stdout.trim() : "the server"}: ${candidate.origin}`);
      return candidate;
    }
    output.appendLine(problem);
    problems.push(problem);
  }
  if (!hasBundle && !command.length) problems.push("this .vsix carries no server for this platform");
  if (!candidates.length && hasBundle) problems.push("no Python was found to run the bundled server (Python 3.11 or newer is needed)");
  fail(problems.join("; ") || "no server was found");
  return undefined;
}

let watchingInterpreter = false;

/** Restarts the server when the Python extension's selection changes (subscribed on first use,
 * so that the Python extension is not activated for workspaces without polyaxonfiles). */
async function watchInterpreter(context: vscode.ExtensionContext): Promise<void> {
  if (watchingInterpreter) return;
  watchingInterpreter = true;
  const watch = await onInterpreterChanged(() => {
    const server = vscode.workspace.getConfiguration(`${SECTION}.server`);
    if (server.get<string[]>("command", []).length || server.get<string>("pythonPath")) return;
    output.appendLine("The Python extension's interpreter changed; restarting the server.");
    void restart(context);
  });
  if (watch) context.subscriptions.push(watch);
}

/** Runs `... --version` for a candidate. */
function probe(candidate: Candidate): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(candidate.command, versionArgs(candidate), { timeout: 15_000 }, (error, stdout, stderr) => {
      if (!error) return resolve({ exitCode: 0, stdout, stderr });
      const code = (error as NodeJS.ErrnoException & { code?: unknown }).code;
      if (typeof code === "number") return resolve({ exitCode: code, stdout, stderr });
      resolve({ error: error.message, stdout, stderr });
    });
  });
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
