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
  /** A node written in another file than the graphed document (a pathRef's DAG): that file. */
  file?: string;
  /** ... and its uri (the server adds it next to `file`). */
  uri?: string;
  /** An op whose component is a DAG: that DAG's graph (ids prefixed with this node's id). */
  graph?: NestedGraph;
  /** An op whose component is a DAG that is not expanded: nested too deep, or contains itself. */
  graphOmitted?: "depth" | "cycle";
}

export interface NestedGraph {
  /** The file the nested DAG is written in. */
  path: string | null;
  /** Set when that is another file than the graphed document (with its `uri`). */
  file?: string;
  uri?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
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
  file?: string;
  uri?: string;
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
/** `uri`: the range is in another file than the graphed document (a nested DAG's). */
export type FromWebview = { type: "reveal"; range: LspRange; uri?: string } | { type: "ready" };
