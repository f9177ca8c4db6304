// Decisions the extension makes without VS Code: which files are polyaxonfiles and how long to
// wait before restarting a crashed server (which server to start: serverSetup.ts). Kept free of the
// `vscode` module so that node's test runner can exercise it directly.

/** File names that are always polyaxonfiles (also declared in package.json `filenamePatterns`). */
export const BUILTIN_GLOBS: readonly string[] = [
  "**/polyaxonfile*.yaml",
  "**/polyaxonfile*.yml",
  "**/*.polyaxon.yaml",
  "**/*.polyaxon.yml",
];

const globCache = new Map<string, RegExp>();

/** Converts a glob (`**`, `*`, `?`, `{a,b}`, `[abc]`) to an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const cached = globCache.get(glob);
  if (cached) return cached;
  let out = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        const slashAfter = glob[i + 2] === "/";
        out += slashAfter ? "(?:.*/)?" : ".*";
        i += slashAfter ? 2 : 1;
      } else {
        out += "[^/]*";
      }
    } else if (ch === "?") {
      out += "[^/]";
    } else if (ch === "{") {
      braces++;
      out += "(?:";
    } else if (ch === "}" && braces > 0) {
      braces--;
      out += ")";
    } else if (ch === "," && braces > 0) {
      out += "|";
    } else if (ch === "[") {
      const close = glob.indexOf("]", i + 1);
      if (close === -1) {
        out += "\\[";
      } else {
        const body = glob.slice(i + 1, close).replace(/\\/g, "\\\\");
        out += body.startsWith("!") ? `[^${body.slice(1)}]` : `[${body}]`;
        i = close;
      }
    } else {
      out += ch.replace(/[.+^$()|\\\]]/g, "\\$&");
    }
  }
  const regexp = new RegExp(`^${out}$`);
  globCache.set(glob, regexp);
  return regexp;
}

/** Normalises an OS path for glob matching (forward slashes). */
export function toPosix(path: string): string {
  return path.replace(/\\/g, "/");
}

/**
 * Whether `path` matches `glob`. A glob without `/` matches the file name anywhere (like
 * `files.associations`); others match the whole path, or a tail of it when they start with `**`.
 */
export function matchesGlob(path: string, glob: string): boolean {
  const posix = toPosix(path);
  const pattern = glob.trim();
  if (!pattern) return false;
  if (!pattern.includes("/")) {
    const name = posix.slice(posix.lastIndexOf("/") + 1);
    return globToRegExp(pattern).test(name);
  }
  if (globToRegExp(pattern).test(posix)) return true;
  // Relative globs (`pipelines/*.yaml`) match below any folder, e.g. the workspace root.
  return !pattern.startsWith("/") && globToRegExp(`**/${pattern}`).test(posix);
}

/** Polyaxonfile by name: the built-in patterns or one of the user's extra globs. */
export function isPolyaxonFileName(path: string, extraGlobs: readonly string[] = []): boolean {
  const posix = toPosix(path);
  if (!/\.ya?ml$/i.test(posix) && !extraGlobs.some((g) => matchesGlob(posix, g))) return false;
  return [...BUILTIN_GLOBS, ...extraGlobs].some((glob) => matchesGlob(posix, glob));
}

// The detection rule of param_lsp/core/detect.py (documented there and in the README), applied
// line by line exactly as the server applies it; both are tested on
// tests/data/detect/cases.json.

/** Only the head of big files is sniffed, so opening a huge YAML file stays instant. */
export const SNIFF_CHARS = 256 * 1024;

const KINDS = new Set(["operation", "component"]);
const V0_KINDS = new Set(["experiment", "group", "job", "build", "notebook", "tensorboard", "pipeline", "plugin"]);
/** Sections only v0 files have: with `version: 1` and no `kind`, a v0 override file (or an early
 * 0.x file, with a `project`). */
const V0_ONLY_SECTIONS = ["hptuning", "declarations", "settings", "logging", "backend", "framework", "project"];
/** v0 sections v1 dropped, and the top-level keys of a v0 `kind: build` file. */
const V0_SECTIONS = new Set([
  "logging", "environment", "declarations", "hptuning", "settings", "backend", "framework", "model", "train", "eval",
  "params", "project", "image", "build_steps", "env_vars", "nocache", "lang_env", "dockerfile", "context",
]);
/** Keys of a v0 `build` (a v1 `build` names a `hubRef`) and of a v0 `run` (a v1 `run` has a `kind`). */
const V0_BUILD_KEYS = ["image", "dockerfile", "build_steps"];
const V0_RUN_KEYS = ["cmd"];
const SECTIONS = new Set([
  "version", "kind", "name", "cost", "description", "tags", "isApproved", "params", "isPreset", "presets",
  "patchStrategy", "template", "cache", "queue", "plugins", "namespace", "build", "hooks", "events",
  "termination", "connections", "matrix", "joins", "operations", "schedule", "dependencies", "trigger",
  "conditions", "skipOnUpstreamSkip", "hubRef", "dagRef", "pathRef", "urlRef", "component", "inputs",
  "outputs", "contexts", "run", "runPatch", "mount", "strictParams", "container", "cmd", "env",
  "resources", "ports", "environment", "init", "sidecars", "volumes",
]);
const MARKER_KEYS = new Set(["hubRef", "pathRef", "urlRef", "dagRef", "runPatch", "isPreset", "patchStrategy", "skipOnUpstreamSkip", "isApproved"]);
const FOREIGN_SCHEMA_KEYS = new Set(["apiVersion", "$schema"]);
const RUN_KINDS = new Set(["job", "service", "dag", "daskjob", "rayjob", "tfjob", "pytorchjob", "mxjob", "xgbjob", "paddlejob", "mpijob", "notifier", "watchdog", "tuner", "cleaner", "builder", "scheduler"]);
const MATRIX_KINDS = new Set(["grid", "random", "hyperband", "bayes", "hyperopt", "iterative", "mapping"]);

const NOT_KEY_START = new Set("#-?:{}[]!&*|>%@`,");
/** Flow mappings are read up to this length (a value longer than that is not a marker). */
const FLOW_CHARS = 4096;
const FLOW_KIND = /[{,][ \t]*['"]?kind['"]?[ \t]*:[ \t]*['"]?([A-Za-z_]+)/;
const FLOW_RUN = /\brun[ \t]*:[ \t]*\{[^{}]{0,4096}?\bkind\b/;

/** [key, rest] of a line `key: rest` (plain or quoted key), in linear time; else undefined. */
function keyOf(line: string): [string, string] | undefined {
  if (!line) return undefined;
  const head = line[0];
  if (head === '"' || head === "'") {
    const close = line.indexOf(head, 1);
    if (close < 0) return undefined;
    const after = line.slice(close + 1).replace(/^[ \t]+/, "");
    if (!after.startsWith(":") || !["", " ", "\t"].includes(after.slice(1, 2))) return undefined;
    return [line.slice(1, close), after.slice(1)];
  }
  if (NOT_KEY_START.has(head) || head === " " || head === "\t") return undefined;
  let start = 0;
  for (;;) {
    const colon = line.indexOf(":", start);
    if (colon < 0) return undefined;
    if (["", " ", "\t"].includes(line.slice(colon + 1, colon + 2))) {
      const key = line.slice(0, colon).replace(/[ \t]+$/, "");
      if (key.includes(" #") || key.includes("\t#")) return undefined;
      return [key, line.slice(colon + 1)];
    }
    start = colon + 1;
  }
}

interface Top {
  key: string;
  value: string;
  children: Map<string, string>;
}

function scalar(raw: string): string {
  let text = raw.split(" #", 1)[0].trim();
  if (text.length >= 2 && text[0] === text[text.length - 1] && (text[0] === "'" || text[0] === '"')) {
    text = text.slice(1, -1);
  }
  return text;
}

function topLevel(text: string): Top[] | undefined {
  const tops: Top[] = [];
  let childIndent: number | undefined;
  let seenDocument = false;
  for (const line of text.slice(0, SNIFF_CHARS).split(/\r\n|[\r\n\u0085\u2028\u2029]/)) {
    const trimmed = line.trim();
    if (!trimmed || line.trimStart().startsWith("#")) continue;
    if ((line.startsWith("---") || line.startsWith("...")) && ["", " ", "\t"].includes(line.slice(3, 4))) {
      if (seenDocument && line.startsWith("---")) break;
      seenDocument = true;
      const rest = line.slice(3).trim();
      if (rest && !rest.startsWith("#")) return undefined;
      continue;
    }
    if (line.startsWith("%")) continue;
    seenDocument = true;
    if (line[0] !== " " && line[0] !== "\t") {
      const parts = keyOf(line);
      if (!parts) {
        if (tops.length) continue;
        return undefined;
      }
      tops.push({ key: parts[0], value: scalar(parts[1]), children: new Map() });
      childIndent = undefined;
      continue;
    }
    if (!tops.length) continue;
    const stripped = line.replace(/^[ \t]+/, "");
    const parts = keyOf(stripped);
    if (!parts) continue;
    const indent = line.length - stripped.length;
    if (childIndent === undefined) childIndent = indent;
    if (indent === childIndent) {
      const children = tops[tops.length - 1].children;
      if (!children.has(parts[0])) children.set(parts[0], scalar(parts[1]));
    }
  }
  return tops;
}

function flowKind(value: string): string | undefined {
  return FLOW_KIND.exec(value.slice(0, FLOW_CHARS))?.[1];
}

function runKind(top: Top): string | undefined {
  return top.value.startsWith("{") ? flowKind(top.value) : top.children.get("kind");
}

function hasMarker(tops: Top[]): boolean {
  for (const top of tops) {
    if (MARKER_KEYS.has(top.key)) return true;
    if (top.key === "run" && RUN_KINDS.has(runKind(top) ?? "")) return true;
    if (top.key === "matrix" && MATRIX_KINDS.has(runKind(top) ?? "")) return true;
    if (top.key === "component") {
      if (top.value.startsWith("{") && FLOW_RUN.test(top.value.slice(0, FLOW_CHARS))) return true;
      const run = top.children.get("run") ?? "";
      if (run.startsWith("{") && RUN_KINDS.has(flowKind(run) ?? "")) return true;
      if (top.children.has("run") && !run) return true;
    }
  }
  return false;
}

const FLOW_FOREIGN = /[{,][ \t]*['"]?(?:apiVersion|\$schema)['"]?[ \t]*:/;

/** A document written as one flow mapping (`{kind: operation, …}`): recognised by its `kind`. */
function flowDocumentKind(text: string): "v1" | undefined {
  const head = text.slice(0, SNIFF_CHARS);
  for (const line of head.split(/\r\n|[\r\n\u0085\u2028\u2029]/)) {
    let content = line.trim();
    if (content.startsWith("---")) content = content.slice(3).trim();
    if (!content || content.startsWith("#") || content.startsWith("%")) continue;
    if (!content.startsWith("{")) return undefined;
    const start = head.indexOf("{");
    const kind = flowKind(head.slice(start));
    if (kind === undefined || !KINDS.has(kind)) return undefined;
    return FLOW_FOREIGN.test(head.slice(start, start + FLOW_CHARS)) ? undefined : "v1";
  }
  return undefined;
}

/** How the detection rule sees a text: "v1", "v0", or undefined (not a polyaxonfile). */
export function polyaxonKind(text: string): "v1" | "v0" | undefined {
  let tops = topLevel(text);
  if (tops !== undefined && !tops.length) tops = topLevel(dedented(text)); // a whole document indented
  if (tops === undefined) return flowDocumentKind(text);
  if (!tops || !tops.length) return undefined;
  const keys = new Set(tops.map((t) => t.key));
  const kind = tops.find((t) => t.key === "kind")?.value;
  if (kind !== undefined && KINDS.has(kind)) {
    return [...keys].some((k) => FOREIGN_SCHEMA_KEYS.has(k)) ? undefined : "v1";
  }
  if (kind !== undefined && V0_KINDS.has(kind)) {
    const allKnown = [...keys].every((k) => SECTIONS.has(k) || V0_SECTIONS.has(k));
    return allKnown && keys.has("version") ? "v0" : undefined;
  }
  if (kind === undefined && [...keys].every((k) => SECTIONS.has(k) || V0_SECTIONS.has(k))) {
    const version = tops.find((t) => t.key === "version")?.value;
    if (kindlessV0(tops, keys, version)) return "v0";
  }
  if (kind || ![...keys].every((k) => SECTIONS.has(k))) return undefined;
  return hasMarker(tops) ? "v1" : undefined;
}

/** A file without `kind` is a v0 one with `version: 1` and a v0-only section, a v0 `build` or a
 * v0 `run`; or with no `version` and both a v0 `build` and a v0 `run` (detect.kindless_v0_section). */
function kindlessV0(tops: Top[], keys: Set<string>, version: string | undefined): boolean {
  if (version !== undefined && version !== "1") return false;
  if (version !== undefined && V0_ONLY_SECTIONS.some((k) => keys.has(k))) return true;
  const last = new Map(tops.map((top) => [top.key, top.children]));
  const build = last.get("build");
  const run = last.get("run");
  const body = [
    build !== undefined && !build.has("hubRef") && V0_BUILD_KEYS.some((k) => build.has(k)),
    run !== undefined && !run.has("kind") && V0_RUN_KEYS.some((k) => run.has(k)),
  ].filter(Boolean).length;
  return version !== undefined ? body > 0 : body === 2;
}

/** `text` without the indentation of its first content line (valid YAML when every top-level
 * key is indented the same). */
function dedented(text: string): string {
  const lines = text.slice(0, SNIFF_CHARS).split(/\r\n|[\r\n\u0085\u2028\u2029]/);
  const first = lines.find((line) => line.trim() && !line.trimStart().startsWith("#")) ?? "";
  const width = first.length - first.replace(/^ +/, "").length;
  if (!width) return text;
  const prefix = " ".repeat(width);
  return lines.map((line) => (line.startsWith(prefix) ? line.slice(width) : line)).join("\n");
}

/** Polyaxonfile by content: the rule `param-lsp check` uses to pick files in a folder. */
export function looksLikePolyaxonfile(text: string): boolean {
  return polyaxonKind(text) !== undefined;
}

/**
 * Restart delays after crashes: 0.5 s, 1 s, 2 s, ... up to `maxDelayMs`; crashes older than
 * `windowMs` are forgotten (a server that ran fine for a while starts from the shortest delay
 * again); after `maxCrashes` crashes inside the window it gives up (returns undefined).
 */
export class Backoff {
  private crashes: number[] = [];

  constructor(
    private readonly baseDelayMs = 500,
    private readonly maxDelayMs = 30_000,
    private readonly windowMs = 180_000,
    private readonly maxCrashes = 5,
  ) {}

  /** Records a crash at `now` and returns how long to wait before restarting, or undefined. */
  nextDelay(now: number): number | undefined {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    if (this.crashes.length > this.maxCrashes) return undefined;
    const delay = this.baseDelayMs * 2 ** (this.crashes.length - 1);
    return Math.min(delay, this.maxDelayMs);
  }

  /** Crashes counted in the current window. */
  get recentCrashes(): number {
    return this.crashes.length;
  }

  reset(): void {
    this.crashes = [];
  }
}

/** Client settings as the server reads them (camelCase, like core/settings.py's aliases). */
export interface AnalysisSettings {
  targetVersion?: string;
  strictParams?: boolean | null;
  severity?: Record<string, string>;
  hubMap?: Record<string, string>;
  urlMap?: Record<string, string>;
  debounceMs?: number;
}

/** Drops unset values so that the project's configuration file keeps precedence for them. */
export function analysisSettings(raw: Record<string, unknown>): AnalysisSettings {
  const out: AnalysisSettings = {};
  if (typeof raw.targetVersion === "string" && raw.targetVersion) out.targetVersion = raw.targetVersion;
  if (typeof raw.strictParams === "boolean") out.strictParams = raw.strictParams;
  if (isStringRecord(raw.severity) && Object.keys(raw.severity).length) out.severity = raw.severity;
  if (isStringRecord(raw.hubMap) && Object.keys(raw.hubMap).length) out.hubMap = raw.hubMap;
  if (isStringRecord(raw.urlMap) && Object.keys(raw.urlMap).length) out.urlMap = raw.urlMap;
  if (typeof raw.debounceMs === "number" && raw.debounceMs >= 0) out.debounceMs = raw.debounceMs;
  return out;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === "string")
  );
}
