// Lays the pipeline graph out with dagre (a layered graph layout library bundled from npm) and
// says how each node and edge is drawn: no DOM here, so it is unit-tested in node.

import type * as Dagre from "@dagrejs/dagre" with { "resolution-mode": "import" };

// dagre ships CommonJS too; esbuild bundles it from here for the webview and the tests.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dagre: typeof Dagre = require("@dagrejs/dagre");

import { GraphEdge, GraphNode, LspRange, PipelineGraph, Port } from "./model";

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode {
  id: string;
  lines: string[];
  x: number; // centre
  y: number;
  width: number;
  height: number;
  kind: GraphNode["kind"];
  broken: boolean;
  tooltip: string;
  range: LspRange | null;
}

export interface PlacedEdge {
  points: Point[];
  label: string;
  /** The label drawn on two lines for a param edge: what the upstream gives, what it feeds. */
  labelLines: string[];
  labelAt: Point | null;
  kind: GraphEdge["kind"];
  broken: boolean;
  tooltip: string;
  range: LspRange | null;
}

export interface Layout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  errors: number;
}

/** Width of a text in pixels (the webview measures with a canvas; tests use a fixed ratio). */
export type Measure = (text: string) => number;

const LINE_HEIGHT = 16;
const PADDING_X = 14;
const PADDING_Y = 10;

export function nodeLines(node: GraphNode): string[] {
  if (node.kind === "input") return [`input ${node.name}`, node.type ?? "untyped"];
  if (node.kind === "missing") return [node.name, "not defined"];
  const details = [node.component, node.runKind].filter(Boolean).join(" · ");
  const flags = [node.matrix ? "matrix" : "", node.join ? "join" : ""].filter(Boolean).join(" · ");
  return [node.name, details, flags].filter(Boolean);
}

const STATUS_TEXT = { missing: "not found", unknown: "unknown", context: "context only" };

function portText(port: Port): string {
  return `${port.name} (${port.status === "ok" ? (port.type ?? "untyped") : STATUS_TEXT[port.status]})`;
}

export function edgeLabelLines(edge: GraphEdge): string[] {
  if (edge.kind === "param" && edge.output && edge.input) return [portText(edge.output), `→ ${portText(edge.input)}`];
  return [edge.kind];
}

function isError(findings: { severity: string }[]): boolean {
  return findings.some((f) => f.severity === "error");
}

function tooltipOf(findings: { code: string; message: string }[], fallback: string): string {
  if (!findings.length) return fallback;
  return findings.map((f) => `${f.code}: ${f.message}`).join("\n");
}

export function layoutGraph(graph: PipelineGraph, measure: Measure): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", nodesep: 30, ranksep: 60, edgesep: 20, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const known = new Set(graph.nodes.map((n) => n.id));
  for (const node of graph.nodes) {
    const lines = nodeLines(node);
    const width = Math.max(...lines.map(measure)) + 2 * PADDING_X;
    g.setNode(node.id, { width, height: lines.length * LINE_HEIGHT + 2 * PADDING_Y });
  }
  graph.edges.forEach((edge, index) => {
    if (!known.has(edge.source) || !known.has(edge.target)) return;
    const lines = edgeLabelLines(edge);
    g.setEdge(
      edge.source,
      edge.target,
      { width: Math.max(...lines.map(measure)) + 8, height: lines.length * LINE_HEIGHT, labelpos: "c" },
      `e${index}`,
    );
  });
  dagre.layout(g);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes: PlacedNode[] = graph.nodes.map((node) => {
    const placed = g.node(node.id);
    const broken = node.kind === "missing" || isError(node.findings);
    return {
      id: node.id,
      lines: nodeLines(node),
      x: placed.x,
      y: placed.y,
      width: placed.width,
      height: placed.height,
      kind: node.kind,
      broken,
      tooltip: tooltipOf(node.findings, node.kind === "missing" ? `${node.name} is not defined` : node.name),
      range: node.range,
    };
  });
  const edges: PlacedEdge[] = [];
  graph.edges.forEach((edge, index) => {
    const placed = g.edge({ v: edge.source, w: edge.target, name: `e${index}` });
    if (!placed) return;
    const source = byId.get(edge.source);
    const broken = isError(edge.findings) || source?.kind === "missing";
    edges.push({
      points: (placed.points ?? []).map((p: Point) => ({ x: p.x, y: p.y })),
      label: edge.kind === "param" ? edge.label : edge.kind,
      labelLines: edgeLabelLines(edge),
      labelAt: placed.x !== undefined && placed.y !== undefined ? { x: placed.x, y: placed.y } : null,
      kind: edge.kind,
      broken,
      tooltip: tooltipOf(edge.findings, edge.label),
      range: edge.range,
    });
  });
  const size = g.graph();
  const errors =
    graph.nodes.reduce((n, x) => n + x.findings.filter((f) => f.severity === "error").length, 0) +
    graph.edges.reduce((n, x) => n + x.findings.filter((f) => f.severity === "error").length, 0) +
    graph.findings.filter((f) => f.severity === "error").length;
  return { width: size.width ?? 0, height: size.height ?? 0, nodes, edges, errors };
}
