// The pipeline graph as the server's `param-lsp.graph` command returns it (format "json").

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface GraphFinding {
  code: string;
  severity: "error" | "warning" | "information" | "hint";
  message: string;
  range: LspRange;
}

export interface GraphNode {
  id: string;
  name: string;
  kind: "op" | "input" | "missing";
  component?: string | null;
  runKind?: string | null;
  matrix?: boolean;
  join?: boolean;
  type?: string | null;
  range: LspRange | null;
  findings: GraphFinding[];
}

export interface Port {
  name: string;
  type: string | null;
  /** missing: no such IO; unknown: a hub/url component, not read; context: a context-only param. */
  status: "ok" | "missing" | "unknown" | "context";
}

export interface GraphEdge {
  source: string;
  target: string;
  kind: "param" | "dependency" | "event";
  output: Port | null;
  input: Port | null;
  label: string;
  range: LspRange | null;
  findings: GraphFinding[];
}

export interface PipelineGraph {
  version: number;
  uri?: string;
  isDag: boolean;
  /** When the document runs a DAG written in another file (a pathRef): that file. */
  dagFile?: string | null;
  nodes: GraphNode[];
  edges: GraphEdge[];
  findings: GraphFinding[];
}

/** Messages from the extension to the webview. */
export type ToWebview =
  | { type: "graph"; graph: PipelineGraph; title: string }
  | { type: "unavailable"; reason: string };

/** Messages from the webview to the extension. */
export type FromWebview = { type: "reveal"; range: LspRange } | { type: "ready" };
