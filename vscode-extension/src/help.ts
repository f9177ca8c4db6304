// When no server can be started: the install help, opened as a read-only page (a virtual
// document, previewed as Markdown), and the notice offering it, shown at most once per window
// and only when a polyaxonfile (a top-level `kind: operation|component`) is opened.

import * as vscode from "vscode";

import { declaresPolyaxonKind, DISTRIBUTION } from "./serverSetup";

const HELP_SCHEME = "param-lsp-help";
const HELP_URI = vscode.Uri.from({ scheme: HELP_SCHEME, path: "/How to install param-lsp.md" });
const DISMISSED_KEY = "paramLsp.noServerNotice.dismissed";

const HELP = `# Starting the param-lsp server

The extension carries its own copy of the server (the \`${DISTRIBUTION}\` distribution and its
libraries at locked versions). It only needs **Python 3.11 or newer**, taken from, in order:

1. \`paramLsp.server.pythonPath\` in settings, if set;
2. the interpreter selected in the Python extension, if installed;
3. \`python3\` or \`python\` on the \`PATH\` VS Code was started with.

So installing Python 3.11+ (e.g. \`sudo apt install python3\`, or python.org) is usually all it
takes. Then run **param-lsp: Restart server** from the command palette.

## Using your own installation instead

\`\`\`json
"paramLsp.server.command": ["/path/to/venv/bin/param-lsp", "serve"]
\`\`\`

That \`param-lsp\` must come from the \`${DISTRIBUTION}\` distribution: \`param-lsp --version\`
prints \`${DISTRIBUTION} <version>\`. The package index's \`param-lsp\` is another project (a
language server for HoloViz Param) with a command of the same name; the extension refuses it.
Install this project from a clone of its repository:

\`\`\`sh
pipx install ./param-lsp        # the folder of the clone; installs the param-lsp command
\`\`\`

**param-lsp: Show output** shows what was tried and why it did not start.
`;

/** Registers the read-only help document; call once on activation. */
export function registerInstallHelp(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(HELP_SCHEME, {
    provideTextDocumentContent: () => HELP,
  });
}

/** Opens the help as a rendered, read-only page (or as read-only text without Markdown preview). */
export async function showInstallHelp(): Promise<void> {
  try {
    await vscode.commands.executeCommand("markdown.showPreview", HELP_URI);
  } catch {
    const doc = await vscode.workspace.openTextDocument(HELP_URI);
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}

const INSTALL_HELP = "How to install";
const SHOW_OUTPUT = "Show output";
const DONT_SHOW = "Don't show again";

/** The "no server" notice: once per window, on a polyaxonfile, unless dismissed for good. */
export class NoServerNotice {
  private shown = false;
  private problem: string | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly showOutput: () => void,
  ) {}

  /** Records why no server runs (undefined: one runs), then offers help if a polyaxonfile is open. */
  setProblem(problem: string | undefined, openDocuments: readonly vscode.TextDocument[]): void {
    this.problem = problem;
    for (const doc of openDocuments) if (this.consider(doc)) break;
  }

  /** Shows the notice when `doc` is a polyaxonfile and no server runs; true when shown. */
  consider(doc: vscode.TextDocument): boolean {
    if (!this.problem || this.shown || this.state.get<boolean>(DISMISSED_KEY)) return false;
    if (!["file", "untitled"].includes(doc.uri.scheme) || !declaresPolyaxonKind(doc.getText())) return false;
    this.shown = true;
    const message = `param-lsp cannot check this polyaxonfile: ${this.problem}.`;
    void vscode.window.showWarningMessage(message, INSTALL_HELP, SHOW_OUTPUT, DONT_SHOW).then((choice) => {
      if (choice === INSTALL_HELP) void showInstallHelp();
      if (choice === SHOW_OUTPUT) this.showOutput();
      if (choice === DONT_SHOW) void this.state.update(DISMISSED_KEY, true);
    });
    return true;
  }
}
