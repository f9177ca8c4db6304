// Which program the extension starts as the language server, and how it knows it is the right
// one. Free of the `vscode` module so that node's test runner exercises it directly.
//
// The .vsix carries the server (bundled/libs, run by bundled/tool/server.py with any Python >=
// 3.11). Another project on the package index is also called `param-lsp` and installs a
// `param-lsp` command of its own, so every candidate's identity is checked: `--version` must
// print `polyaxon-param-lsp <version>`, and `serverInfo.name` must be `polyaxon-param-lsp`.

/** The distribution's name, as `param-lsp --version` prints it and `serverInfo.name` holds it. */
export const DISTRIBUTION = "polyaxon-param-lsp";

export interface Candidate {
  command: string;
  /** Arguments that start the server (the last one is `serve`). */
  args: string[];
  /** Where it came from, for messages: "paramLsp.server.command", "the bundled server with ...". */
  origin: string;
  /** Whether it runs the server carried by the extension. */
  bundled: boolean;
}

export interface CandidateInputs {
  /** `paramLsp.server.command`: when set, the only candidate. */
  command: readonly string[];
  /** `paramLsp.server.pythonPath`: when set, the only interpreter tried. */
  pythonPath: string;
  /** The Python extension's selected interpreter, if that extension is installed. */
  selectedInterpreter?: string;
  /** bundled/tool/server.py when the extension carries the server for this platform. */
  bundledScript?: string;
}

export interface Candidates {
  candidates: Candidate[];
  /** Configured or expected programs that were not found, as sentences for the output. */
  missing: string[];
}

/**
 * The server candidates, best first:
 * 1. `paramLsp.server.command` when set (alone: a configured command never silently falls
 *    through to another program);
 * 2. the bundled server run by `paramLsp.server.pythonPath` when set, else by the Python
 *    extension's selected interpreter, else by `python3` / `python` from PATH;
 * 3. `param-lsp serve` from PATH (e.g. installed with pipx, which brings its own Python).
 * Without a bundled server (a .vsix for another platform), `pythonPath` runs `-m param_lsp`.
 */
export function serverCandidates(
  inputs: CandidateInputs,
  findExecutable: (name: string) => string | undefined,
): Candidates {
  const candidates: Candidate[] = [];
  const missing: string[] = [];
  const explicit = inputs.command.filter((part) => part.trim() !== "");
  if (explicit.length > 0) {
    const executable = findExecutable(explicit[0]);
    if (executable) {
      const args = explicit.slice(1);
      candidates.push({ command: executable, args, origin: "paramLsp.server.command", bundled: false });
    } else {
      missing.push(`\`${explicit[0]}\` (paramLsp.server.command) was not found`);
    }
    return { candidates, missing };
  }
  const pythonPath = inputs.pythonPath.trim();
  const interpreters: Array<[string, string]> = pythonPath
    ? [[pythonPath, "paramLsp.server.pythonPath"]]
    : [
        ...(inputs.selectedInterpreter ? [[inputs.selectedInterpreter, "the Python extension's interpreter"] as [string, string]] : []),
        ["python3", "PATH"],
        ["python", "PATH"],
      ];
  const seen = new Set<string>();
  for (const [name, from] of interpreters) {
    const python = findExecutable(name);
    if (!python) {
      if (from !== "PATH") missing.push(`the interpreter \`${name}\` (${from}) was not found`);
      continue;
    }
    if (seen.has(python)) continue;
    seen.add(python);
    if (inputs.bundledScript) {
      candidates.push({
        command: python,
        args: ["-I", inputs.bundledScript, "serve"],
        origin: `the bundled server run by ${python} (${from})`,
        bundled: true,
      });
    } else if (pythonPath) {
      candidates.push({ command: python, args: ["-m", "param_lsp", "serve"], origin: "paramLsp.server.pythonPath", bundled: false });
    }
  }
  if (pythonPath && candidates.length > 0) return { candidates, missing };
  const onPath = findExecutable("param-lsp");
  if (onPath) candidates.push({ command: onPath, args: ["serve"], origin: "PATH", bundled: false });
  else if (!inputs.bundledScript) missing.push("`param-lsp` was not found on PATH");
  return { candidates, missing };
}

/** The arguments that ask a candidate for its identity: `serve` replaced by `--version`. */
export function versionArgs(candidate: Candidate): string[] {
  const args = candidate.args[candidate.args.length - 1] === "serve" ? candidate.args.slice(0, -1) : [...candidate.args];
  return [...args, "--version"];
}

/** The version in `polyaxon-param-lsp 0.1.0`, or undefined when another program printed it. */
export function parseIdentity(printed: string): string | undefined {
  const match = /^polyaxon-param-lsp (\S+)\s*$/.exec(printed.trim());
  return match ? match[1] : undefined;
}

export interface ProbeResult {
  /** Exit code, or undefined when the program could not be run at all. */
  exitCode?: number;
  /** Why it could not be run (spawn error, time-out). */
  error?: string;
  stdout: string;
  stderr: string;
}

/** Shortens a command line for messages. */
export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map((part) => (/\s/.test(part) ? JSON.stringify(part) : part)).join(" ");
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/).filter((line) => line.trim() !== "").pop() ?? "";
}

/**
 * Undefined when the probe shows this project's server; otherwise one sentence saying what
 * answered instead (a different program, an old interpreter, a failure).
 */
export function probeProblem(candidate: Candidate, result: ProbeResult): string | undefined {
  const asked = `\`${commandLine(candidate.command, versionArgs(candidate))}\``;
  if (result.exitCode === 0 && parseIdentity(result.stdout) !== undefined) return undefined;
  if (result.exitCode === undefined) return `${asked} (${candidate.origin}) could not be run: ${result.error ?? "unknown error"}`;
  if (result.exitCode === 0) {
    const printed = firstLine(result.stdout) || "nothing";
    const other = /^param-lsp\b/.test(printed.trim())
      ? ` — probably the package index's other \`param-lsp\` (HoloViz Param's language server), which installs a command of the same name`
      : "";
    return `${asked} (${candidate.origin}) is a different program: it printed "${printed}", where ${DISTRIBUTION} prints "${DISTRIBUTION} <version>"${other}`;
  }
  if (candidate.bundled && result.exitCode === 3) return `${firstLine(result.stderr)} (${candidate.origin})`;
  const said = firstLine(result.stderr) || firstLine(result.stdout);
  return `${asked} (${candidate.origin}) failed with exit code ${result.exitCode}${said ? `: ${said}` : ""}; it is not a working ${DISTRIBUTION}`;
}

/** Undefined when `serverInfo` names this project's server; otherwise what answered instead. */
export function serverInfoProblem(
  candidate: Candidate,
  info: { name: string; version?: string } | undefined,
): string | undefined {
  if (info?.name === DISTRIBUTION) return undefined;
  const who = info ? `"${info.name}${info.version ? ` ${info.version}` : ""}"` : "a server without serverInfo";
  return `\`${commandLine(candidate.command, candidate.args)}\` (${candidate.origin}) started ${who}, not ${DISTRIBUTION}; stopped it`;
}

// A top-level `kind: operation` or `kind: component` (what Polyaxon itself reads): only such a
// file makes the extension complain that it has no server.
const KIND = /^kind:[ \t]*(['"]?)(?:operation|component)\1[ \t]*(?:#.*)?$/m;

/** Whether the text is a polyaxonfile by its own declaration (head of big files only). */
export function declaresPolyaxonKind(text: string, sniffChars = 64 * 1024): boolean {
  return KIND.test(text.length > sniffChars ? text.slice(0, sniffChars) : text);
}
