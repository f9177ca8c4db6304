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

// The same markers as param_lsp/core/detect.py: a top-level `kind` of operation/component or a
// top-level Polyaxon section.
const MARKERS =
  /^(?:kind:[ \t]*['"]?(?:operation|component)\b|(?:params|inputs|outputs|run|component|hubRef|pathRef|urlRef|dagRef|matrix|joins):)/m;

/** Only the head of big files is sniffed, so opening a huge YAML file stays instant. */
export const SNIFF_CHARS = 64 * 1024;

/** Polyaxonfile by content: what `param-lsp check` uses to pick files in a folder. */
export function looksLikePolyaxonfile(text: string): boolean {
  return MARKERS.test(text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text);
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
  debounceMs?: number;
}

/** Drops unset values so that the project's configuration file keeps precedence for them. */
export function analysisSettings(raw: Record<string, unknown>): AnalysisSettings {
  const out: AnalysisSettings = {};
  if (typeof raw.targetVersion === "string" && raw.targetVersion) out.targetVersion = raw.targetVersion;
  if (typeof raw.strictParams === "boolean") out.strictParams = raw.strictParams;
  if (isStringRecord(raw.severity) && Object.keys(raw.severity).length) out.severity = raw.severity;
  if (isStringRecord(raw.hubMap) && Object.keys(raw.hubMap).length) out.hubMap = raw.hubMap;
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
